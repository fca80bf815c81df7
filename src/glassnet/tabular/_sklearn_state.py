"""The command line's fitted scaler as JSON settings plus numeric arrays.

The scalers glassnet offers keep their fitted state in attributes ending in
``_`` (``mean_``, ``scale_``, ``data_min_`` ...). Those that are arrays go
into the model file's arrays, the rest into its JSON; rebuilding makes the
transformer from its name and sets the attributes back, without pickle
(:func:`glassnet.persistence.sklearn_state.fitted_split` does the split for
any fitted transformer).
"""

from __future__ import annotations

import numpy as np

from ..persistence.sklearn_state import fitted_restore, fitted_split
from ..preprocessing import SCALERS, make_scaler

__all__ = ["scaler_state", "scaler_from_state"]


def scaler_state(name: str, scaler, prefix: str) -> tuple[dict, dict]:
    if scaler is None:
        return {"name": name}, {}
    scalars, arrays = fitted_split(scaler, prefix)
    return {"name": name, "fitted": scalars}, arrays


def scaler_from_state(state: dict, arrays: dict, prefix: str, n_features: int | None = None):
    """The fitted scaler; its per-feature arrays must have ``n_features`` entries,
    and it must have every fitted attribute its kind has once fitted."""
    name = SCALERS.canonical(state["name"])
    scaler = make_scaler(name)
    if scaler is None:
        return None
    scaler = fitted_restore(scaler, state["fitted"], arrays, prefix, shape=None if n_features is None else (n_features,))
    if n_features is not None:
        fitted = make_scaler(name).fit(np.zeros((2, n_features)))
        missing = sorted(key for key in vars(fitted) if key.endswith("_") and not key.startswith("_")
                         and not hasattr(scaler, key))
        if missing:
            raise ValueError(f"the {name} scaler lacks its fitted {', '.join(missing)}")
    return scaler

"""The command line's fitted scaler as JSON settings plus numeric arrays.

The scalers glassnet offers keep their fitted state in attributes ending in
``_`` (``mean_``, ``scale_``, ``data_min_`` ...). Those that are arrays go
into the model file's arrays, the rest into its JSON; rebuilding makes the
transformer from its name and sets the attributes back, without pickle
(:func:`glassnet.persistence.sklearn_state.fitted_split` does the split for
any fitted transformer).
"""

from __future__ import annotations

from ..persistence.sklearn_state import fitted_restore, fitted_split
from ..preprocessing import SCALERS, make_scaler

__all__ = ["scaler_state", "scaler_from_state"]


def scaler_state(name: str, scaler, prefix: str) -> tuple[dict, dict]:
    if scaler is None:
        return {"name": name}, {}
    scalars, arrays = fitted_split(scaler, prefix)
    return {"name": name, "fitted": scalars}, arrays


def scaler_from_state(state: dict, arrays: dict, prefix: str, n_features: int | None = None):
    """The fitted scaler; its per-feature arrays must have ``n_features`` entries."""
    scaler = make_scaler(SCALERS.canonical(state["name"]))
    if scaler is None:
        return None
    return fitted_restore(scaler, state["fitted"], arrays, prefix, shape=None if n_features is None else (n_features,))

"""A fitted scikit-learn transformer as JSON settings plus numeric arrays.

The scalers glassnet offers keep their fitted state in attributes ending in
``_`` (``mean_``, ``scale_``, ``data_min_`` ...). Those that are arrays go
into the model file's arrays, the rest into its JSON; rebuilding makes the
transformer from its settings and sets the attributes back, without pickle.
"""

from __future__ import annotations

import numpy as np

from .._json import number_from_json, number_to_json
from ..preprocessing import SCALERS, make_scaler

__all__ = ["scaler_state", "scaler_from_state"]


def scaler_state(name: str, scaler, prefix: str) -> tuple[dict, dict]:
    if scaler is None:
        return {"name": name}, {}
    fitted = {key: value for key, value in vars(scaler).items() if key.endswith("_") and not key.startswith("_")}
    arrays = {prefix + key: value for key, value in fitted.items() if isinstance(value, np.ndarray)}
    scalars = {key: number_to_json(value) for key, value in fitted.items() if not isinstance(value, np.ndarray)}
    return {"name": name, "fitted": scalars}, arrays


def scaler_from_state(state: dict, arrays: dict, prefix: str):
    name = SCALERS.canonical(state["name"])
    scaler = make_scaler(name)
    if scaler is None:
        return None
    for key, value in state["fitted"].items():
        if not key.endswith("_"):
            raise ValueError(f"the scaler's fitted attribute {key!r} is not a fitted attribute")
        setattr(scaler, key, number_from_json(value))
    for key, value in arrays.items():
        if key.startswith(prefix):
            setattr(scaler, key[len(prefix):], value)
    return scaler

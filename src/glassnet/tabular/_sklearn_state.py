"""The command line's fitted scaler as JSON settings plus numeric arrays.

The scalers glassnet offers keep their fitted state in attributes ending in
``_`` (``mean_``, ``scale_``, ``data_min_`` ...). Those that are arrays go
into the model file's arrays, the rest into its JSON; rebuilding makes the
transformer from its name and sets the attributes back, without pickle
(:func:`fitted_split` does the split for any fitted transformer).
"""

from __future__ import annotations

import re

import numpy as np

from .._json import number_from_json, number_to_json
from ..engine.state_arrays import StateArrays
from ..preprocessing import SCALERS, make_scaler

__all__ = ["scaler_state", "scaler_from_state", "fitted_split", "fitted_restore"]

_ATTRIBUTE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def scaler_state(name: str, scaler, prefix: str) -> tuple[dict, dict]:
    if scaler is None:
        return {"name": name}, {}
    scalars, arrays = fitted_split(scaler, prefix)
    return {"name": name, "fitted": scalars}, arrays


def scaler_from_state(state: dict, arrays, prefix: str, n_features: int | None = None):
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


def fitted_split(transformer, prefix: str) -> tuple[dict, dict]:
    """A fitted transformer's public fitted attributes (ending in ``_``):
    ``(JSON numbers, arrays named prefix + attribute)``."""
    fitted = {key: value for key, value in vars(transformer).items() if key.endswith("_") and not key.startswith("_")}
    arrays = {prefix + key: value for key, value in fitted.items() if isinstance(value, np.ndarray)}
    scalars = {key: number_to_json(value) for key, value in fitted.items() if not isinstance(value, np.ndarray)}
    return scalars, arrays


def fitted_restore(transformer, scalars: dict, arrays, prefix: str, shape=None):
    """Set back what :func:`fitted_split` took; returns the transformer.

    ``shape``, when given, is the shape every array must have (a scaler's
    per-feature statistics: ``(n_features,)``), checked before it is read.
    """
    for key, value in scalars.items():
        if not key.endswith("_") or not _ATTRIBUTE.fullmatch(key) or key.startswith("_"):
            raise ValueError(f"the fitted attribute {key!r} is not a fitted attribute")
        setattr(transformer, key, number_from_json(value))
    own = StateArrays.of(arrays).within(prefix)
    for key in own:
        if not key.endswith("_") or not _ATTRIBUTE.fullmatch(key) or key.startswith("_"):
            raise ValueError(f"the fitted array {key!r} is not a fitted attribute")
        setattr(transformer, key, own.take(key, shape=shape))
    return transformer

"""Scalers by name, and the training range of each feature.

The scalers are scikit-learn's; glassnet only names them and insists that
they are fitted on training data alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._registry import Registry

__all__ = ["SCALERS", "make_scaler", "OutOfRange", "out_of_range"]

SCALERS: Registry = Registry("scaler")


def _sklearn_scaler(name: str, **options):
    """A factory importing scikit-learn only when a scaler is made, so that
    the scaler names are known to the command line without loading it."""

    def make():
        from sklearn import preprocessing

        return getattr(preprocessing, name)(**options)

    return make


# clip=True: a value beyond the training range maps to the edge of [0, 1]
# instead of far outside anything the network has seen
SCALERS.register("minmax", _sklearn_scaler("MinMaxScaler", clip=True))
SCALERS.register("standard", _sklearn_scaler("StandardScaler"))
SCALERS.register("robust", _sklearn_scaler("RobustScaler"))
SCALERS.register("maxabs", _sklearn_scaler("MaxAbsScaler"))
SCALERS.register("none", lambda: None)


def make_scaler(name: str):
    """A fresh, unfitted scaler (None for "none")."""
    return SCALERS.get(name)()


@dataclass(frozen=True)
class OutOfRange:
    row: int
    feature: int
    value: float
    low: float
    high: float


def out_of_range(X: np.ndarray, low: np.ndarray, high: np.ndarray) -> list[OutOfRange]:
    """Every cell of ``X`` outside ``[low, high]`` of its column, row by row."""
    outside = (X < low) | (X > high)
    return [OutOfRange(int(r), int(f), float(X[r, f]), float(low[f]), float(high[f])) for r, f in np.argwhere(outside)]

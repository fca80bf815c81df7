"""The article's dataset, shipped with glassnet.

Vectors of three numbers; the label is 1 exactly when the first number is 10.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["TutorialData", "load_tutorial", "FEATURE_NAMES"]

FEATURE_NAMES = ("x1", "x2", "x3")


@dataclass(frozen=True)
class TutorialData:
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    X_predict: np.ndarray
    feature_names: tuple = FEATURE_NAMES


def load_tutorial() -> TutorialData:
    """The article's six training vectors, six test vectors and one to predict.

    Fresh float64 arrays on every call, so callers may change them.
    """
    return TutorialData(
        X_train=np.array([[0, 1, 0], [0, 1, 1], [0, 0, 0], [10, 0, 0], [10, 1, 1], [10, 0, 1]], dtype=float),
        y_train=np.array([0, 0, 0, 1, 1, 1], dtype=float),
        X_test=np.array([[1, 1, 1], [10, 0, 1], [0, 1, 10], [10, 1, 10], [0, 0, 0], [0, 1, 1]], dtype=float),
        y_test=np.array([0, 1, 0, 1, 0, 0], dtype=float),
        X_predict=np.array([[1, 1, 0]], dtype=float),
    )

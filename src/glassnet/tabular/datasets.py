"""The datasets ``glassnet train --dataset NAME`` can use, as tables of text
cells like a CSV file gives, with their default target column."""

from __future__ import annotations

from importlib import import_module

import numpy as np
import pandas as pd

from .._registry import Registry

__all__ = ["DATASETS", "load_dataset"]


def _sklearn(loader: str, classes: bool):
    def load() -> tuple[pd.DataFrame, str]:
        bunch = getattr(import_module("sklearn.datasets"), loader)(as_frame=True)
        frame = bunch.frame.copy()
        if classes:
            # class names rather than codes, as a user's file would have them
            frame["target"] = np.asarray(bunch.target_names)[bunch.target.to_numpy()]
        return frame.astype(str), "target"

    return load


def _tutorial() -> tuple[pd.DataFrame, str]:
    from ..datasets import FEATURE_NAMES, load_tutorial

    data = load_tutorial()
    X = np.vstack([data.X_train, data.X_test])
    y = np.concatenate([data.y_train, data.y_test]).astype(int)
    frame = pd.DataFrame(X, columns=list(FEATURE_NAMES)).astype(int)
    frame["label"] = y
    return frame.astype(str), "label"


DATASETS: Registry = Registry("dataset")
DATASETS.register("iris", _sklearn("load_iris", classes=True))
DATASETS.register("digits", _sklearn("load_digits", classes=True))
DATASETS.register("wine", _sklearn("load_wine", classes=True))
DATASETS.register("breast_cancer", _sklearn("load_breast_cancer", classes=True))
DATASETS.register("diabetes", _sklearn("load_diabetes", classes=False))
DATASETS.register("tutorial", _tutorial)


def load_dataset(name: str) -> tuple[pd.DataFrame, str]:
    """``(frame, default target column)`` of a bundled dataset."""
    frame, target = DATASETS.get(name)()
    frame.index = pd.RangeIndex(len(frame))
    return frame, target

"""TabularModel: a network with the preprocessing of the table it learnt from.

It holds what ``glassnet train`` fitted on the training part of a table:
which columns are numbers and which are one-hot text, the scaler, the
estimator, the training range of each numeric column (in the file's own
units), and the settings and final report. Given a DataFrame of the file's
text cells it predicts, and it is a model-file kind ("tabular").
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..glassbox.extrapolation import silenced
from ..engine.training_range import TrainingRange
from ..persistence import embed_state, embedded_object
from ._sklearn_state import scaler_from_state, scaler_state
from .columns import Columns, parse_numbers

__all__ = ["TabularModel", "scaled"]


def scaled(scaler, method: str, X: np.ndarray, columns: Columns, source: str) -> np.ndarray:
    """``scaler.<method>(X)``, or a ValueError naming the first column whose
    values overflowed on the way: squares of 1e300 are beyond float64, which
    would make a variance infinite and the column silently all zeros."""
    with np.errstate(over="ignore", invalid="ignore"):
        result = getattr(scaler, method)(X)
    statistics = np.ones(X.shape[1], dtype=bool)
    for name in ("scale_", "var_", "data_range_"):
        value = getattr(scaler, name, None)
        if isinstance(value, np.ndarray) and value.shape == statistics.shape:
            statistics &= np.isfinite(value)
    bad = ~(np.isfinite(result).all(axis=0) & statistics)
    if bad.any():
        column = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"column {columns.input_names[column]!r} of {source} holds numbers too large to scale "
            f"(up to {float(np.max(np.abs(X[:, column]))):.3g}); rescale that column, or choose another --scaler"
        )
    return result


class TabularModel:
    """See the module docstring. ``task`` is "classify" or "regress"."""

    def __init__(self, *, target: str, task: str, columns: Columns, scaler_name: str, scaler, estimator,
                 training_range: TrainingRange | None, settings: dict, report: dict | None = None):
        self.target = target
        self.task = task
        self.columns = columns
        self.scaler_name = scaler_name
        self.scaler = scaler
        self.estimator = estimator
        self.training_range = training_range
        self.settings = settings
        self.report = report

    # --- from a table to the network's inputs ------------------------------------------
    def inputs(self, frame: pd.DataFrame, source: str = "the data") -> np.ndarray:
        X = self.columns.encode(frame, source)
        return X if self.scaler is None else scaled(self.scaler, "transform", X, self.columns, source)

    def labels(self, frame: pd.DataFrame, source: str = "the data") -> np.ndarray:
        """The target column: text labels to classify, numbers to regress."""
        if self.target not in frame.columns:
            raise ValueError(f"{source} has no column {self.target!r}, the target this model was trained on")
        column = frame[self.target]
        if self.task == "classify":
            return column.str.strip().to_numpy(dtype=object).astype(str)
        return parse_numbers(column, self.target, frame)

    def outside(self, frame: pd.DataFrame, source: str = "the data"):
        """``(rows, excursions)``: rows with a numeric cell beyond its training range."""
        if self.training_range is None or not self.columns.numeric:
            return 0, []
        return self.training_range.excursions(self.columns.numbers(frame, source))

    # --- predictions ---------------------------------------------------------------------
    def _call(self, method: str, frame, source):
        X = self.inputs(frame, source)
        # the range check belongs to the file's units (see outside); the
        # network's own, on scaled inputs, would repeat it less clearly
        with silenced():
            return getattr(self.estimator, method)(X)

    def predict(self, frame: pd.DataFrame, source: str = "the data") -> np.ndarray:
        return self._call("predict", frame, source)

    def predict_proba(self, frame: pd.DataFrame, source: str = "the data") -> np.ndarray:
        return self._call("predict_proba", frame, source)

    @property
    def classes_(self) -> np.ndarray | None:
        return getattr(self.estimator, "classes_", None)

    @property
    def history(self):
        """The estimator's per-epoch History (for plot.learning_curves)."""
        return self.estimator._history

    # --- model files ---------------------------------------------------------------------
    def _glassnet_state(self) -> tuple[dict, dict]:
        estimator_entry, arrays = embed_state(self.estimator, "estimator.")
        scaler_entry, scaler_arrays = scaler_state(self.scaler_name, self.scaler, "scaler.")
        arrays.update(scaler_arrays)
        range_names = None
        if self.training_range is not None:
            arrays["range.low"] = self.training_range.low
            arrays["range.high"] = self.training_range.high
            range_names = list(self.training_range.names)
        state = {
            "target": self.target,
            "task": self.task,
            "columns": {"features": self.columns.features, "numeric": self.columns.numeric,
                        "categories": self.columns.categories},
            "scaler": scaler_entry,
            "estimator": estimator_entry,
            "training_range": range_names,
            "settings": self.settings,
            "report": self.report,
        }
        return state, arrays

    @classmethod
    def _from_glassnet_state(cls, state: dict, arrays: dict) -> "TabularModel":
        if state["task"] not in ("classify", "regress"):
            raise ValueError(f"unknown task {state['task']!r}; expected 'classify' or 'regress'")
        columns = Columns(**state["columns"])
        estimator = embedded_object(state["estimator"], arrays, "estimator.")
        names = state["training_range"]
        training_range = None
        if names is not None:
            training_range = TrainingRange(arrays["range.low"], arrays["range.high"], tuple(map(str, names)))
        expected = len(columns.input_names)
        if estimator.n_features_in_ != expected:
            raise ValueError(f"the network takes {estimator.n_features_in_} inputs but the columns give {expected}")
        return cls(target=state["target"], task=state["task"], columns=columns, scaler_name=state["scaler"]["name"],
                   scaler=scaler_from_state(state["scaler"], arrays, "scaler."), estimator=estimator,
                   training_range=training_range, settings=state["settings"], report=state["report"])

"""TabularModel: a network with the preprocessing of the table it learnt from.

It holds what ``glassnet train`` fitted on the training part of a table:
which columns are numbers and which are one-hot text, the fill values of
empty cells (the imputer), the scaler, the estimator, the training range of
each numeric column (in the file's own units), the identifier column, and
the settings and final report. Given a DataFrame of the file's text cells
it predicts, and it is a model-file kind ("tabular"). Files written before
imputation existed load with no imputer: empty cells stay errors there.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..glassbox.access import history_of
from ..glassbox.extrapolation import silenced
from ..engine.training_range import TrainingRange
from ..persistence import embed_state, embedded_object
from ._sklearn_state import scaler_from_state, scaler_state
from .columns import Columns
from .encoding import Encoded, encode, parse_numbers
from .imputing import Imputation

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
                 training_range: TrainingRange | None, settings: dict, report: dict | None = None,
                 imputation: Imputation | None = None, id_column: str | None = None):
        self.target = target
        self.task = task
        self.columns = columns
        self.scaler_name = scaler_name
        self.scaler = scaler
        self.estimator = estimator
        self.training_range = training_range
        self.settings = settings
        self.report = report
        self.imputation = imputation
        self.id_column = id_column

    # --- from a table to the network's inputs ------------------------------------------
    def encode(self, frame: pd.DataFrame, source: str = "the data", *, strict: bool = True) -> Encoded:
        """``frame``'s feature columns parsed, filled and one-hot encoded (see
        :mod:`.encoding`); ``strict=False`` marks unusable rows instead of raising."""
        return encode(self.columns, self.imputation, frame, source, strict=strict)

    def scale(self, X: np.ndarray, source: str = "the data") -> np.ndarray:
        """Encoded inputs (n_rows, n_inputs) as the network takes them."""
        return X if self.scaler is None else scaled(self.scaler, "transform", X, self.columns, source)

    def inputs(self, frame: pd.DataFrame, source: str = "the data") -> np.ndarray:
        """The network's inputs for every row of ``frame`` (ValueError for a bad cell)."""
        return self.scale(self.encode(frame, source).X, source)

    def labels(self, frame: pd.DataFrame, source: str = "the data") -> np.ndarray:
        """The target column: text labels to classify, numbers to regress."""
        if self.target not in frame.columns:
            raise ValueError(f"{source} has no column {self.target!r}, the target this model was trained on")
        column = frame[self.target]
        if self.task == "classify":
            return column.str.strip().to_numpy(dtype=object).astype(str)
        values, empty, bad = parse_numbers(column)
        if (empty | bad).any():
            position = int(np.flatnonzero(empty | bad)[0])
            raise ValueError(f"row {int(frame.index[position]) + 1}, column {self.target!r} (the target): "
                             f"{column.iloc[position].strip()!r} is not a finite number")
        return values

    def outside(self, frame_or_encoded, source: str = "the data"):
        """``(rows, excursions)``: rows with a numeric cell beyond its training
        range (empty cells count as their fill value; unusable rows not at all)."""
        if self.training_range is None or not self.columns.numeric:
            return 0, []
        encoded = frame_or_encoded
        if not isinstance(encoded, Encoded):
            encoded = self.encode(frame_or_encoded, source)
        return self.training_range.excursions(encoded.numbers[encoded.usable])

    # --- predictions ---------------------------------------------------------------------
    def network_call(self, method: str, X: np.ndarray) -> np.ndarray:
        """``estimator.<method>(X)`` on scaled inputs, without the network's own range warning."""
        # the range check belongs to the file's units (see outside); the
        # network's own, on scaled inputs, would repeat it less clearly
        with silenced():
            return getattr(self.estimator, method)(X)

    def predict(self, frame: pd.DataFrame, source: str = "the data") -> np.ndarray:
        return self.network_call("predict", self.inputs(frame, source))

    def predict_proba(self, frame: pd.DataFrame, source: str = "the data") -> np.ndarray:
        return self.network_call("predict_proba", self.inputs(frame, source))

    @property
    def classes_(self) -> np.ndarray | None:
        return getattr(self.estimator, "classes_", None)

    @property
    def history(self):
        """The estimator's per-epoch History (for plot.learning_curves)."""
        return history_of(self, "reading the history")

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
        imputation_entry = None
        if self.imputation is not None:
            imputation_entry, imputation_arrays = self.imputation.state("imputer.")
            arrays.update(imputation_arrays)
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
            "imputer": imputation_entry,
            "id_column": self.id_column,
        }
        return state, arrays

    @classmethod
    def _from_glassnet_state(cls, state: dict, arrays: dict) -> "TabularModel":
        if state["task"] not in ("classify", "regress"):
            raise ValueError(f"unknown task {state['task']!r}; expected 'classify' or 'regress'")
        columns = Columns(**state["columns"])
        names = [*columns.features, *columns.numeric, *columns.categories,
                 *(value for values in columns.categories.values() for value in values)]
        if not all(isinstance(name, str) for name in names) or not set(columns.numeric) <= set(columns.features):
            raise ValueError("the columns must be names (text), the numeric ones among the features")
        estimator = embedded_object(state["estimator"], arrays, "estimator.")
        names = state["training_range"]
        training_range = None
        if names is not None:
            low, high = (arrays.take(name, shape=(len(names),), kind="f") for name in ("range.low", "range.high"))
            training_range = TrainingRange(low, high, tuple(map(str, names)))
        expected = len(columns.input_names)
        if estimator.n_features_in_ != expected:
            raise ValueError(f"the network takes {estimator.n_features_in_} inputs but the columns give {expected}")
        # files written before imputation and identifiers existed have neither
        imputation = None
        if state.get("imputer") is not None:
            imputation = Imputation.from_state(state["imputer"], arrays, "imputer.", len(columns.numeric))
            filled = (len(imputation.numeric_values), len(imputation.text_values))
            if filled != (len(columns.numeric), len(columns.categories)):
                raise ValueError(f"the imputer fills {filled[0]} numeric and {filled[1]} text columns but the "
                                 f"model has {len(columns.numeric)} and {len(columns.categories)}")
        id_column = state.get("id_column")
        if id_column is not None and not isinstance(id_column, str):
            raise ValueError(f"the identifier column must be a name, got {id_column!r}")
        return cls(target=state["target"], task=state["task"], columns=columns, scaler_name=state["scaler"]["name"],
                   scaler=scaler_from_state(state["scaler"], arrays, "scaler.", expected), estimator=estimator,
                   training_range=training_range, settings=state["settings"], report=state["report"],
                   imputation=imputation, id_column=id_column)

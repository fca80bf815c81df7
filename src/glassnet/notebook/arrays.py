"""Your own model on your own arrays, as the widget shows it.

:class:`ModelRun` answers the widget's questions (the description of the
data, the frame of the current weights, the trace of one row, a few more
epochs, reset) for a :class:`~glassnet.NeuralNetwork` or a glassnet
estimator the user built, on the arrays the user gives. The frames and the
trace messages are the playground's own (:mod:`glassnet.playground.frames`);
:class:`ArrayTable` describes the arrays in the words
:func:`~glassnet.playground.frames.description` reads from a prepared table:
the network's inputs are the arrays themselves (no scaler of the page's own:
the axes are in the arrays' units), rows are numbered from 0 as ``X[i]``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace

import numpy as np

from ..glassbox.trace import trace
from ..playground import frames
from ..protocol import adapt
from .trainers import trainer_for

__all__ = ["ArrayTable", "ModelRun"]


@dataclass
class ArrayTable:
    """The user's arrays as the playground's frames describe a table: network
    inputs, labels (classes) or values, row numbers, names."""

    X_train: np.ndarray
    X_test: np.ndarray
    labels_train: np.ndarray
    labels_test: np.ndarray
    input_names: list
    classes: np.ndarray | None
    target: str = "y"
    source: str = "your arrays"
    filled: dict = field(default_factory=dict)

    @property
    def task(self) -> str:
        return "regress" if self.classes is None else "classify"

    @property
    def rows_train(self) -> np.ndarray:
        return np.arange(self.X_train.shape[0])

    @property
    def rows_test(self) -> np.ndarray:
        return np.arange(self.X_test.shape[0])

    @property
    def scaler(self):
        # the arrays are the network's inputs: the axes show them as they are
        n = self.X_train.shape[1]
        return SimpleNamespace(mean_=np.zeros(n), scale_=np.ones(n))

    @property
    def target_encoding(self):
        return SimpleNamespace(classes=self.classes)

    @property
    def columns(self):
        return SimpleNamespace(features=list(self.input_names))


def _finite(value) -> float | None:
    """A figure for JSON: None for NaN or infinity."""
    value = float(value)
    return value if np.isfinite(value) else None


def _rows(X, index):
    """Row ``index`` of ``X`` as the model takes one sample (a DataFrame keeps its column names)."""
    return X.iloc[[index]] if hasattr(X, "iloc") else np.asarray(X)[index]


class ModelRun:
    """``model`` training on ``(X, y)`` in the widget, checked against ``(X_test, y_test)`` if given."""

    def __init__(self, model, X, y, X_test=None, y_test=None, feature_x: int = 0, feature_y: int = 1):
        if (X_test is None) != (y_test is None):
            raise ValueError("give both X_test and y_test, or neither")
        self.trainer = trainer_for(model, X, y)
        self.model = model
        self.X, self.y, self.X_test, self.y_test = X, y, X_test, y_test
        self.version = 0
        self._describe(feature_x, feature_y)

    @property
    def adapter(self):
        return adapt(self.model, "the widget")

    def _describe(self, feature_x: int, feature_y: int) -> None:
        adapter = self.adapter
        train = adapter.encode(self.X, self.y)
        test = adapter.encode(self.X_test, self.y_test) if self.X_test is not None else None
        n_inputs = train.X.shape[1]
        for name, value in (("feature_x", feature_x), ("feature_y", feature_y)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not 0 <= value < n_inputs:
                raise ValueError(f"{name} must be an input's index, 0 to {n_inputs - 1}, got {value!r}")
        self.Y_train, self.Y_test = train.Y, (test.Y if test is not None else None)
        classes = adapter.classes
        if classes is None and train.labels is not None:  # a NeuralNetwork on 0/1 or one-hot targets
            classes = np.arange(max(2, train.Y.shape[1]))
        if classes is not None:
            labels_train = train.labels
            labels_test = test.labels if test is not None else labels_train[:0]
        else:
            labels_train = train.Y[:, 0]
            labels_test = test.Y[:, 0] if test is not None else labels_train[:0]
        self.data = ArrayTable(train.X, test.X if test is not None else train.X[:0], np.asarray(labels_train),
                               np.asarray(labels_test), list(adapter.input_names), classes)
        self.settings = {"feature_x": int(feature_x), "feature_y": int(min(feature_y, n_inputs - 1))}
        self.grid = frames.Grid.over(self.data, self.settings["feature_x"], self.settings["feature_y"])
        self.version += 1

    # --- the widget's questions ----------------------------------------------------------
    @property
    def epoch(self) -> int:
        return self.trainer.epoch

    def train(self, epochs: int = 1) -> str | None:
        return self.trainer.train(epochs)

    def reset(self) -> None:
        self.trainer.reset()
        self.version += 1

    def plot(self, feature_x: int, feature_y: int) -> None:
        """Draw the inputs ``feature_x`` across and ``feature_y`` up (the others at their training median)."""
        self._describe(feature_x, feature_y)

    def description(self) -> dict:
        network = self.adapter.network
        message = frames.description(self.data, SimpleNamespace(network=network), self.grid, dict(self.settings))
        return {**message, "version": self.version}

    def frame(self) -> bytes:
        network = self.adapter.network
        return frames.encode(network, self.grid, {"epoch": self.epoch, "version": self.version, **self._figures()})

    def trace(self, part: str, index: int) -> dict:
        if part not in ("train", "test") or (part == "test" and self.X_test is None):
            allowed = "'train' or 'test'" if self.X_test is not None else "'train' (no test data was given)"
            raise ValueError(f"part must be {allowed}, got {part!r}")
        X, y = (self.X, self.y) if part == "train" else (self.X_test, self.y_test)
        n = self.data.X_train.shape[0] if part == "train" else self.data.X_test.shape[0]
        if isinstance(index, bool) or not (isinstance(index, int) and 0 <= index < n):
            raise ValueError(f"index must be a row of the {part} part, 0 to {n - 1}, got {index!r}")
        labels = self.data.labels_train if part == "train" else self.data.labels_test
        found = trace(self.model, _rows(X, index), np.asarray(y)[index], verbose=False)
        return frames.trace_message(found, self.data, part, index, index, labels[index])

    # --- the figures of a frame --------------------------------------------------------
    def _score(self, X, labels) -> float:
        """Accuracy (classes) or R² (values) of the network on its inputs ``X``."""
        adapter = self.adapter
        outputs = adapter.network.predict(X.astype(adapter.network.dtype, copy=False))
        if self.data.classes is None:
            truth = labels.astype(np.float64)
            total = float(np.sum((truth - truth.mean()) ** 2))
            return 1.0 - float(np.sum((truth - outputs[:, 0]) ** 2)) / total if total > 0 else float("nan")
        if adapter.classes is not None:
            predicted = adapter.decode(outputs)
        else:  # a NeuralNetwork's outputs: its limit on one output, the largest of several
            predicted = (outputs[:, 0] >= self.model.limit).astype(int) if outputs.shape[1] == 1 \
                else outputs.argmax(axis=1)
        return float(np.mean(np.asarray(predicted) == labels))

    def _figures(self) -> dict:
        network = self.adapter.network
        data = self.data

        def loss(X, Y):
            return _finite(network.loss_value(X.astype(network.dtype, copy=False), Y.astype(network.dtype)))

        tested = data.X_test.shape[0] > 0
        return {
            "train_loss": loss(data.X_train, self.Y_train),
            "test_loss": loss(data.X_test, self.Y_test) if tested else None,
            "metric": "r2" if data.classes is None else "accuracy",
            "train_metric": _finite(self._score(data.X_train, data.labels_train)),
            "test_metric": _finite(self._score(data.X_test, data.labels_test)) if tested else None,
        }

"""NetworkEstimator: a :class:`~glassnet.NeuralNetwork` with the label
encoding of a table, so that a :class:`~glassnet.tabular.TabularModel` can
hold it where it usually holds an MLPClassifier or MLPRegressor.

The playground trains a NeuralNetwork (any registered loss, optimiser and
per-layer activation); this wrapper gives it what ``glassnet predict``,
``trace``, ``gradcheck`` and ``inspect`` ask of a table's estimator:
``classes_``, ``predict``, ``predict_proba``, ``trace(x, label)`` and the
engine in ``network_``. It adds no maths: targets are encoded as

* two classes: one output, 1.0 for the second class in sorted order;
* more classes: one output per class, a one-hot row;
* regression: ``(y - target_mean) / target_scale``, undone on prediction.
"""

from __future__ import annotations

import numpy as np

from ..engine.validation import check_X
from ..protocol import ModelAdapter, Rows, embed_state, embedded_object, register

__all__ = ["NetworkEstimator"]


class NetworkEstimator:
    """See the module docstring.

    Parameters
    ----------
    model : NeuralNetwork
    classes : array of str, optional
        The sorted class labels (classification); None to regress.
    target_mean, target_scale : float
        How regression targets were standardised for training.
    """

    def __init__(self, model, classes=None, target_mean: float = 0.0, target_scale: float = 1.0):
        self.model = model
        self.classes_ = None if classes is None else np.asarray(classes, dtype=str)
        self.target_mean = float(target_mean)
        self.target_scale = float(target_scale)
        expected = 1 if self.classes_ is None or self.classes_.size == 2 else self.classes_.size
        if model.output_size != expected:
            raise ValueError(f"the network has {model.output_size} output(s); these targets need {expected}")
        if not (np.isfinite(self.target_scale) and self.target_scale > 0):
            raise ValueError(f"target_scale must be a positive number, got {target_scale!r}")

    # --- what a table's estimator offers -------------------------------------------------
    @property
    def network_(self):
        """The engine :class:`~glassnet.engine.network.Network`."""
        return self.model.network

    network = network_

    @property
    def n_features_in_(self) -> int:
        return self.model.input_size

    @property
    def n_outputs_(self) -> int:
        return self.model.output_size

    @property
    def n_iter_(self) -> int:
        return len(self.model.history)

    @property
    def loss_(self) -> float:
        losses = self.model.history["loss"]
        return float(losses[-1]) if len(losses) else float("nan")

    @property
    def learner(self):
        """The NeuralNetwork's :class:`~glassnet.engine.learner.Learner`, where the glass-box tools read it."""
        return self.model.learner

    def targets(self, labels) -> np.ndarray:
        """Labels (classes) or values (regression) -> the network's targets, (n, n_outputs)."""
        labels = np.asarray(labels)
        if self.classes_ is None:
            return ((labels.astype(np.float64) - self.target_mean) / self.target_scale).reshape(-1, 1)
        index = np.searchsorted(self.classes_, labels.astype(str))
        index = np.minimum(index, self.classes_.size - 1)
        unknown = self.classes_[index] != labels.astype(str)
        if unknown.any():
            raise ValueError(f"label {str(labels[np.flatnonzero(unknown)[0]])!r} is not one of the classes "
                             f"{', '.join(map(repr, self.classes_.tolist()))}")
        if self.classes_.size == 2:
            return index.astype(np.float64).reshape(-1, 1)
        return np.eye(self.classes_.size)[index]

    def _engine_data(self, X, y) -> tuple:
        """``(X, Y)`` as the engine trains on them (for ``check_gradients``)."""
        return np.asarray(X, dtype=self.model.dtype), self.targets(y)

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities, (n_samples, n_classes)."""
        if self.classes_ is None:
            raise AttributeError("predict_proba is for classification; this network regresses")
        output = self.model.network.predict(np.asarray(X, dtype=self.model.dtype))
        if self.classes_.size == 2:
            return np.hstack([1.0 - output, output])
        return output

    def predict(self, X) -> np.ndarray:
        """Class labels, or values in the target's units, (n_samples,)."""
        if self.classes_ is None:
            output = self.model.network.predict(np.asarray(X, dtype=self.model.dtype))
            return output[:, 0] * self.target_scale + self.target_mean
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    def trace(self, x, y=None, *, verbose: bool = True):
        """:meth:`NeuralNetwork.trace` of one row, with its label or value ``y`` encoded."""
        target = None if y is None else self.targets([y])[0]
        return self.model.trace(x, target, verbose=verbose)

    def __repr__(self) -> str:
        what = "regression" if self.classes_ is None else f"{self.classes_.size} classes"
        return f"NetworkEstimator({self.model!r}, {what})"

    # --- model files ---------------------------------------------------------------------
    def _glassnet_state(self) -> tuple[dict, dict]:
        entry, arrays = embed_state(self.model, "model.")
        state = {
            "model": entry,
            "classes": None if self.classes_ is None else self.classes_.tolist(),
            "target_mean": self.target_mean,
            "target_scale": self.target_scale,
        }
        return state, arrays

    @classmethod
    def _from_glassnet_state(cls, state: dict, arrays: dict) -> "NetworkEstimator":
        classes = state["classes"]
        if classes is not None and (len(classes) < 2 or sorted(map(str, classes)) != list(map(str, classes))):
            raise ValueError(f"classes must be at least two sorted labels, got {classes!r}")
        return cls(embedded_object(state["model"], arrays, "model."), classes,
                   state["target_mean"], state["target_scale"])


class NetworkEstimatorAdapter(ModelAdapter):
    """The protocol's questions answered for the NeuralNetwork inside, with this table's target encoding."""

    kind = "NetworkEstimator"

    @property
    def learner(self):
        return self.model.learner

    def encode(self, X, y=None) -> Rows:
        X = check_X(X, self.model.n_features_in_, np.float64)
        if y is None:
            return Rows(X)
        labels = np.asarray(y)
        return Rows(X, self.model.targets(labels), y, labels if self.model.classes_ is not None else None)

    def sample(self, x, y=None) -> Rows:
        X = check_X(x, self.model.n_features_in_, np.float64)
        return Rows(X, None if y is None else self.model.targets([y]), y)

    def decode(self, outputs):
        if self.model.classes_ is None:
            return outputs[:, 0] * self.model.target_scale + self.model.target_mean
        return self.model.classes_[np.argmax(self.probabilities(outputs), axis=1)]

    @property
    def classes(self):
        return self.model.classes_

    @property
    def is_classifier(self) -> bool:
        return self.model.classes_ is not None


register(NetworkEstimator, NetworkEstimatorAdapter, kind="NetworkEstimator")

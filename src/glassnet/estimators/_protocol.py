"""How the estimators, and scikit-learn's containers around them, answer
glassnet's model protocol (see :mod:`glassnet.protocol`).

* :class:`EstimatorAdapter`: a fitted :class:`~glassnet.MLPClassifier` or
  :class:`~glassnet.MLPRegressor`; rows are validated as ``predict``
  validates them and labels encoded as ``fit`` encodes them.
* :class:`PipelineAdapter`: a fitted ``Pipeline`` whose last step is a
  glassnet model; the steps before it turn raw rows (a DataFrame, say) into
  the network's inputs, and its names come from their
  ``get_feature_names_out``.
* :class:`TransformedTargetAdapter`: a fitted ``TransformedTargetRegressor``
  around a glassnet regressor (or a pipeline ending in one); targets pass
  through its transformer on the way in and back out.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.base import is_classifier
from sklearn.compose import TransformedTargetRegressor
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted, validate_data

from ..engine.learner import Learner
from ..parameters import ESTIMATOR
from ..protocol import ModelAdapter, Rows, adapt, class_labels

__all__ = ["EstimatorAdapter", "PipelineAdapter", "TransformedTargetAdapter"]


def _dense64(X) -> np.ndarray:
    X = X.toarray() if sp.issparse(X) else X
    return np.asarray(X, dtype=np.float64)


def _one_row(x):
    """One sample as the steps of a pipeline take it: a pandas row becomes a
    one-row DataFrame (keeping its column names), a vector a single row."""
    if hasattr(x, "to_frame") and getattr(x, "ndim", 0) == 1:
        return x.to_frame().T.infer_objects()
    if hasattr(x, "columns") or sp.issparse(x):
        return x
    x = np.asarray(x)
    return x.reshape(1, -1) if x.ndim == 1 else x


def _fitted(model, action: str) -> None:
    check_is_fitted(model, msg=f"this %(name)s is not fitted yet: call fit before {action}")


class EstimatorAdapter(ModelAdapter):
    """A fitted glassnet estimator."""

    door = ESTIMATOR

    @property
    def kind(self) -> str:
        return type(self.model).__name__

    @property
    def learner(self) -> Learner:
        check_is_fitted(self.model, "learner_", msg=f"this %(name)s is not fitted yet: call fit before {self.action}")
        return self.model.learner_

    def encode(self, X, y=None) -> Rows:
        model = self.model
        self.learner  # NotFittedError (a ValueError) before anything else
        if y is None:
            return Rows(_dense64(validate_data(model, X, accept_sparse=["csr", "csc"], reset=False)))
        X, Y = model._engine_data(X, y)
        labels = None
        if is_classifier(model):
            given = np.asarray(y)
            labels = given if given.ndim == 1 else class_labels(np.asarray(Y, dtype=np.float64))
        return Rows(_dense64(X), np.asarray(Y, dtype=np.float64), y, labels)

    def sample(self, x, y=None) -> Rows:
        model = self.model
        self.learner
        X = model._one_sample(x)
        Y = None if y is None else model._sample_target(y)
        return Rows(_dense64(X), None if Y is None else np.asarray(Y, dtype=np.float64), y)

    def decode(self, outputs):
        return self.model._decode(outputs)

    @property
    def feature_names(self):
        names = getattr(self.model, "feature_names_in_", None)
        return None if names is None else tuple(map(str, names))

    @property
    def classes(self):
        return getattr(self.model, "classes_", None) if is_classifier(self.model) else None

    @property
    def is_classifier(self) -> bool:
        return is_classifier(self.model)

    @property
    def class_weight(self):
        return getattr(self.model, "class_weight", None)


class _Wrapper(ModelAdapter):
    """An adapter that answers through the adapter of a model inside."""

    @property
    def inner(self) -> ModelAdapter:
        raise NotImplementedError

    @property
    def kind(self) -> str:
        return f"{type(self.model).__name__} of {self.inner.kind}"

    @property
    def door(self) -> str:
        return self.inner.door

    @property
    def learner(self) -> Learner:
        return self.inner.learner

    @property
    def network(self):
        return self.inner.network

    @property
    def history(self):
        return self.inner.history

    @property
    def classes(self):
        return self.inner.classes

    @property
    def is_classifier(self):
        return self.inner.is_classifier

    @property
    def extrapolation(self) -> str:
        return self.inner.extrapolation

    @property
    def class_weight(self):
        return self.inner.class_weight

    @property
    def scales_inputs(self) -> bool:
        return self.inner.scales_inputs

    @property
    def feature_names(self):
        names = getattr(self.model, "feature_names_in_", None)
        return tuple(map(str, names)) if names is not None else self.inner.feature_names


class PipelineAdapter(_Wrapper):
    """A fitted Pipeline ending in a glassnet model."""

    @property
    def inner(self) -> ModelAdapter:
        pipeline = self.model
        _fitted(pipeline, self.action)
        return adapt(pipeline[-1], self.action)

    def _transform(self, X):
        return self.model[:-1].transform(X) if len(self.model) > 1 else X

    def encode(self, X, y=None) -> Rows:
        inner = self.inner
        return inner.encode(self._transform(X), y)

    def sample(self, x, y=None) -> Rows:
        row = _one_row(x)
        rows = self.inner.sample(self._transform(row), y)
        return rows

    def decode(self, outputs):
        return self.inner.decode(outputs)

    def probabilities(self, outputs):
        return self.inner.probabilities(outputs)

    @property
    def input_names(self) -> tuple[str, ...]:
        inner = self.inner
        n_inputs = inner.network.n_inputs
        # names of the columns a DataFrame brought, through the steps (a pipeline fitted
        # on an array only knows x0, x1, ..., which say less than x[:, j])
        if len(self.model) > 1 and hasattr(self.model, "feature_names_in_"):
            try:
                names = self.model[:-1].get_feature_names_out()
            except (AttributeError, ValueError, TypeError):
                names = None
            if names is not None and len(names) == n_inputs:
                return tuple(map(str, names))
        return inner.input_names

    @property
    def training_range(self):
        training_range = self.inner.training_range
        if training_range is None:
            return None
        return type(training_range)(training_range.low, training_range.high, self.input_names)

    @property
    def scales_inputs(self) -> bool:
        # the steps before the network prepare its inputs (scalers, encoders)
        return len(self.model) > 1 or self.inner.scales_inputs

    @property
    def raw_range(self):
        # the steps change the units; the range of the raw columns is not known
        return self.inner.raw_range if len(self.model) == 1 else None


class TransformedTargetAdapter(_Wrapper):
    """A fitted TransformedTargetRegressor around a glassnet regressor."""

    @property
    def inner(self) -> ModelAdapter:
        _fitted(self.model, self.action)
        return adapt(self.model.regressor_, self.action)

    def _transform_targets(self, y):
        y = np.asarray(y, dtype=np.float64)
        column = y.reshape(-1, 1) if y.ndim == 1 else y
        transformed = self.model.transformer_.transform(column)
        # the regressor was fitted on a 1-D target when the original was 1-D (as the container does)
        return transformed.ravel() if y.ndim == 1 else transformed

    def encode(self, X, y=None) -> Rows:
        inner = self.inner
        if y is None:
            return inner.encode(X)
        rows = inner.encode(X, self._transform_targets(y))
        return Rows(rows.X, rows.Y, y, rows.labels)

    def sample(self, x, y=None) -> Rows:
        inner = self.inner
        if y is None:
            return inner.sample(x)
        rows = inner.sample(x, self._transform_targets(np.reshape(np.asarray(y, dtype=np.float64), (1, -1)))[0])
        return Rows(rows.X, rows.Y, y)

    def decode(self, outputs):
        values = np.asarray(self.inner.decode(outputs), dtype=np.float64)
        column = values.reshape(-1, 1) if values.ndim == 1 else values
        restored = self.model.transformer_.inverse_transform(column)
        return restored.ravel() if values.ndim == 1 else restored

    @property
    def input_names(self) -> tuple[str, ...]:
        return self.inner.input_names

    @property
    def training_range(self):
        return self.inner.training_range


def register_adapters(classifier: type, regressor: type) -> None:
    """Register the estimators' adapter, and those of scikit-learn's containers."""
    from ..protocol import register

    register(classifier, EstimatorAdapter, kind="MLPClassifier")
    register(regressor, EstimatorAdapter, kind="MLPRegressor")
    register(Pipeline, PipelineAdapter)
    register(TransformedTargetRegressor, TransformedTargetAdapter)

"""Reaching the training state behind any of glassnet's front doors.

Every model keeps one :class:`~glassnet.engine.learner.Learner`: a
:class:`~glassnet.NeuralNetwork` in ``learner``, a fitted scikit-learn-style
estimator in ``learner_`` (absent until ``fit``), the command line's
``TabularModel`` in ``learner`` (its trained model's). Tools that look inside a model
(gradient checks, traces, pictures, extrapolation) go through
:func:`learner_of` and the accessors built on it, so each front door is
handled here and nowhere else. A bare :class:`~glassnet.engine.network.Network`
has no training state; :func:`engine_of` takes it as it is.
Tools that also need the data as the network sees it and the model's
settings (the training doctor) use :func:`view_of`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from ..engine.learner import Learner
from ..engine.network import Network
from ..engine.history import History
from ..engine.training_range import TrainingRange

__all__ = ["learner_of", "engine_of", "training_range_of", "history_of", "ModelView", "view_of", "register_view",
           "class_labels"]

_KINDS = "NeuralNetwork, a fitted estimator, a glassnet train model or Network"


def learner_of(model, action: str) -> Learner:
    """The :class:`~glassnet.engine.learner.Learner` behind ``model``.

    ``action`` names what the caller wants to do, for the error messages.
    An unfitted estimator raises scikit-learn's ``NotFittedError``, which is
    a ``ValueError``; anything that is not a glassnet model raises
    ``ValueError``.
    """
    if isinstance(model, Learner):
        return model
    if isinstance(model, BaseEstimator):
        check_is_fitted(model, "learner_", msg=f"this %(name)s is not fitted yet: call fit before {action}")
        return model.learner_
    learner = getattr(model, "learner", None)  # a NeuralNetwork, a TabularModel
    if isinstance(learner, Learner):
        return learner
    raise ValueError(f"{action} needs a glassnet model ({_KINDS}), got {type(model).__name__}")


def engine_of(model, action: str) -> Network:
    """The :class:`~glassnet.engine.network.Network` behind ``model``."""
    if isinstance(model, Network):
        return model
    return learner_of(model, action).network


def history_of(model, action: str) -> History:
    """The per-epoch :class:`~glassnet.engine.training.History` of ``model``."""
    if isinstance(model, Network):
        raise ValueError(f"{action} needs a NeuralNetwork or a fitted estimator (they keep a training history), "
                         "got a Network")
    return learner_of(model, action).history


def training_range_of(model) -> TrainingRange | None:
    """The training range of any glassnet model, or None before training
    (and for a bare Network). An estimator's features are named after its
    ``feature_names_in_``."""
    if isinstance(model, Network):
        return None
    training_range = learner_of(model, "reading the training range").training_range
    names = getattr(model, "feature_names_in_", None)
    if training_range is not None and training_range.names is None and names is not None:
        training_range = TrainingRange(training_range.low, training_range.high, tuple(map(str, names)))
    return training_range


# --- one view of any model, for tools that need more than the engine ------------------

@dataclass
class ModelView:
    """What the glass-box tools read from any kind of model.

    ``network`` is the engine; ``history`` the per-epoch records (None for a
    bare Network); ``training_range`` the range of the network's inputs
    trained on; ``prepare(X, y)`` turns the model's own kind of data into
    ``(X, Y, labels)`` as the network sees them: X of shape (n_samples,
    n_inputs) in float64, Y the encoded targets (None without y) and labels
    the class of each row (None for regression or without y).
    ``classifier`` is None when the model does not say (a bare Network
    or a NeuralNetwork trained on 0/1 targets with a regression loss; see
    :func:`class_labels`). ``optimizer`` and ``learning_rate`` describe the
    step rule (None for L-BFGS or when unknown). ``scaler`` says whether the
    model scales its own inputs before the network (a CLI model does).
    """

    kind: str
    network: Network
    history: object | None
    training_range: TrainingRange | None
    prepare: Callable
    classifier: bool | None
    optimizer: str | None
    learning_rate: float | None
    scales_inputs: bool = False
    settings: dict = field(default_factory=dict)


# (recognises the model?, builds its view), tried in order; see register_view
_VIEWS: list[tuple[Callable[[object], bool], Callable[[object, str], ModelView]]] = []


def register_view(recognises: Callable[[object], bool], build: Callable[[object, str], ModelView]) -> None:
    """Teach :func:`view_of` another kind of model (tried before the built-in ones)."""
    _VIEWS.insert(0, (recognises, build))


def view_of(model, action: str) -> ModelView:
    """The :class:`ModelView` of any glassnet model; ``action`` names what the
    caller wants to do, for the error messages (as in :func:`engine_of`)."""
    for recognises, build in _VIEWS:
        if recognises(model):
            return build(model, action)
    raise ValueError(
        f"{action} needs a glassnet model (NeuralNetwork, a fitted estimator, Network or a model "
        f"written by 'glassnet train'), got {type(model).__name__}"
    )


def class_labels(Y: np.ndarray) -> np.ndarray | None:
    """The class of each row when targets look like classes: one 0/1 column,
    or one-hot rows; None otherwise."""
    if Y.shape[1] == 1:
        values = Y[:, 0]
        return values.astype(np.int64) if np.isin(values, (0.0, 1.0)).all() else None
    if np.isin(Y, (0.0, 1.0)).all() and (Y.sum(axis=1) == 1).all():
        return Y.argmax(axis=1)
    return None


def _engine_rows(network, X, y):
    from ..engine.validation import check_X, check_y

    X = check_X(X, network.n_inputs, np.float64)
    if y is None:
        return X, None, None
    Y = check_y(y, X.shape[0], network.n_outputs, np.float64)
    return X, Y, class_labels(Y)


def _network_view(network, action) -> ModelView:
    classifier = True if network.loss.name in _CLASSIFICATION_LOSSES else None
    return ModelView("Network", network, None, None, lambda X, y=None: _engine_rows(network, X, y),
                     classifier, None, None)


def _article_view(model, action) -> ModelView:
    network = model.network
    classifier = True if network.loss.name in _CLASSIFICATION_LOSSES else None
    learner = learner_of(model, action)
    optimizer = learner.optimizer
    epochs = len(learner.history)
    # the rows one step sums over, for a summed loss: a batch, or every training row
    rows_per_step = model.batch_size or (learner.samples_seen // epochs if epochs else None)
    return ModelView("NeuralNetwork", network, learner.history, learner.training_range,
                     lambda X, y=None: _engine_rows(network, X, y), classifier,
                     None if optimizer is None else optimizer.name,
                     None if optimizer is None else float(optimizer.learning_rate),
                     settings={"rows_per_step": rows_per_step})


def _estimator_view(model, action) -> ModelView:
    from sklearn.base import is_classifier
    from sklearn.utils.validation import validate_data

    network = engine_of(model, action)

    def prepare(X, y=None):
        if y is None:
            X = validate_data(model, X, accept_sparse=["csr", "csc"], reset=False)
            return _dense64(X), None, None
        X, Y = model._engine_data(X, y)
        labels = None
        if is_classifier(model):
            labels = np.asarray(y)
            labels = labels if labels.ndim == 1 else class_labels(np.asarray(Y, dtype=np.float64))
        return _dense64(X), np.asarray(Y, dtype=np.float64), labels

    stochastic = model.solver in ("sgd", "adam")
    return ModelView(type(model).__name__, network, history_of(model, action), training_range_of(model), prepare,
                     is_classifier(model), model.solver if stochastic else None,
                     float(model.learning_rate_init) if stochastic else None,
                     settings={"class_weight": getattr(model, "class_weight", None)})


def _tabular_view(model, action) -> ModelView:
    # the trained model's own view (an estimator's or a NeuralNetwork's), fed the table's rows
    inner = view_of(model.trained, action)

    def prepare(frame, y=None):
        if not hasattr(frame, "columns"):
            raise ValueError(
                f"a model written by 'glassnet train' takes a table (a pandas DataFrame with the columns "
                f"{', '.join(model.columns.features)}), got {type(frame).__name__}"
            )
        source = "the data"
        X = model.inputs(frame, source)
        if y is None and model.target in frame.columns:
            y = model.labels(frame, source)
        if y is None:
            return X, None, None
        X, Y = model._engine_data(X, y)
        return X, Y, (np.asarray(y) if model.task == "classify" else None)

    inner.kind = "TabularModel"
    inner.prepare = prepare
    inner.classifier = model.task == "classify"
    if inner.training_range is not None:
        # the network's inputs named after the table's columns
        inner.training_range = TrainingRange(inner.training_range.low, inner.training_range.high,
                                             tuple(model.columns.input_names))
    inner.scales_inputs = model.scaler is not None
    return inner


def _dense64(X) -> np.ndarray:
    X = X.toarray() if sp.issparse(X) else X
    return np.asarray(X, dtype=np.float64)


def _is_tabular(model) -> bool:
    # recognised by what it offers rather than by importing the command
    # line's tabular package into this lower layer
    return all(hasattr(model, name) for name in ("trained", "columns", "inputs", "labels", "target"))


_CLASSIFICATION_LOSSES = ("binary_crossentropy", "categorical_crossentropy")

_VIEWS.extend([
    (lambda model: isinstance(model, Network), _network_view),
    (lambda model: isinstance(model, BaseEstimator), _estimator_view),
    (_is_tabular, _tabular_view),
    (lambda model: isinstance(getattr(model, "learner", None), Learner), _article_view),
])

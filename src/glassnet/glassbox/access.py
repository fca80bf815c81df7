"""Reaching the training state behind any of glassnet's front doors.

Every model keeps one :class:`~glassnet.engine.learner.Learner`: a
:class:`~glassnet.NeuralNetwork` in ``learner``, a fitted scikit-learn-style
estimator in ``learner_`` (absent until ``fit``), the command line's
``TabularModel`` through its estimator. Tools that look inside a model
(gradient checks, traces, pictures, extrapolation) go through
:func:`learner_of` and the accessors built on it, so each front door is
handled here and nowhere else. A bare :class:`~glassnet.engine.network.Network`
has no training state; :func:`engine_of` takes it as it is.
"""

from __future__ import annotations

from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from ..engine.learner import Learner
from ..engine.network import Network
from ..engine.history import History
from ..engine.training_range import TrainingRange

__all__ = ["learner_of", "engine_of", "training_range_of", "history_of"]

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
    learner = getattr(model, "learner", None)
    if isinstance(learner, Learner):
        return learner
    estimator = getattr(model, "estimator", None)  # a TabularModel
    if estimator is not None:
        return learner_of(estimator, action)
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

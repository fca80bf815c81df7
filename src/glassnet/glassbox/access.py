"""Reaching the engine behind any of glassnet's front doors.

A :class:`~glassnet.NeuralNetwork` keeps its engine in ``network``, a fitted
scikit-learn-style estimator in ``network_`` (absent until ``fit``), and a
:class:`~glassnet.engine.network.Network` is the engine itself. Tools that look
inside a model (gradient checks, traces, pictures) go through
:func:`engine_of` so that each front door is handled in one place.
"""

from __future__ import annotations

from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from ..engine.network import Network
from ..engine.training_range import TrainingRange

__all__ = ["engine_of", "training_range_of"]


def engine_of(model, action: str) -> Network:
    """The :class:`~glassnet.engine.network.Network` behind ``model``.

    ``action`` names what the caller wants to do, for the error messages.
    An unfitted estimator raises scikit-learn's ``NotFittedError``, which is
    a ``ValueError``; anything that is not a glassnet model raises
    ``ValueError``.
    """
    if isinstance(model, Network):
        return model
    if isinstance(model, BaseEstimator):
        check_is_fitted(model, "network_", msg=f"this %(name)s is not fitted yet: call fit before {action}")
        return model.network_
    network = getattr(model, "network", None)
    if isinstance(network, Network):
        return network
    raise ValueError(
        f"{action} needs a glassnet model (NeuralNetwork, a fitted estimator or Network), "
        f"got {type(model).__name__}"
    )


def training_range_of(model) -> TrainingRange | None:
    """The training range of any glassnet model, or None before training.

    A :class:`~glassnet.NeuralNetwork` keeps a :class:`TrainingRange` in
    ``training_range``; an estimator keeps the plain array
    ``training_range_`` (lows, then highs) and its ``feature_names_in_``.
    """
    bounds = getattr(model, "training_range_", None)
    if bounds is not None:
        return TrainingRange.from_array(bounds, getattr(model, "feature_names_in_", None))
    return getattr(model, "training_range", None)

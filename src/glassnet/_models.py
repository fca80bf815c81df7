"""Reaching the engine behind any of glassnet's front doors.

A :class:`~glassnet.NeuralNetwork` keeps its engine in ``network``, a fitted
scikit-learn-style estimator in ``network_`` (absent until ``fit``), and a
:class:`~glassnet.network.Network` is the engine itself. Tools that look
inside a model (gradient checks, traces, pictures) go through
:func:`engine_of` so that each front door is handled in one place.
"""

from __future__ import annotations

from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from .network import Network

__all__ = ["engine_of"]


def engine_of(model, action: str) -> Network:
    """The :class:`~glassnet.network.Network` behind ``model``.

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

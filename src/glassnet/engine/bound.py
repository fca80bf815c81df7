"""Training data checked once, for many short training calls.

The playground trains a few epochs per tick on the same rows. Checking the
arrays, fingerprinting them (see :class:`~glassnet.engine.training.Snapshots`)
and measuring their :class:`~glassnet.engine.training_range.TrainingRange`
each time would cost a pass over the table per tick;
:meth:`Learner.bind <glassnet.engine.learner.Learner.bind>` does all three
once and returns a :class:`BoundData`, which
:meth:`~glassnet.engine.learner.Learner.fit_epochs` takes in place of
``X, Y`` and trains on exactly as on the arrays themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .training import _fingerprint
from .training_range import TrainingRange
from .validation import check_X, check_y

__all__ = ["BoundData", "bind_data"]


@dataclass(frozen=True, eq=False)
class BoundData:
    """Validated training rows with their fingerprint and training range.

    X : array or sparse matrix of shape (n_samples, n_inputs), in the
        network's dtype
    Y : array of shape (n_samples, n_outputs)
    sample_weight : array of shape (n_samples,), or None
    fingerprint : the digest by which a later call knows the same data
    training_range : the per-feature range of ``X``

    The arrays are trusted not to change while bound: bind again after
    editing them in place.
    """

    X: object
    Y: np.ndarray
    sample_weight: np.ndarray | None
    fingerprint: bytes
    training_range: TrainingRange

    @property
    def n_samples(self) -> int:
        return self.X.shape[0]

    def __repr__(self) -> str:
        return f"BoundData({self.X.shape[0]} rows, {self.X.shape[1]} inputs, {self.Y.shape[1]} outputs)"


def _check_sparse(X, n_inputs: int, dtype):
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(f"X must be a non-empty 2-D matrix of shape (n_samples, n_features), got shape {X.shape}")
    if X.shape[1] != n_inputs:
        raise ValueError(f"X has {X.shape[1]} features, the network expects {n_inputs}")
    X = X.astype(dtype, copy=False)
    if not np.isfinite(X.data).all():
        raise ValueError("X contains non-finite values; expected finite numbers only")
    return X


def _check_weights(sample_weight, n_samples: int, dtype) -> np.ndarray:
    weights = np.asarray(sample_weight, dtype=dtype)
    if weights.shape != (n_samples,):
        raise ValueError(f"sample_weight has shape {weights.shape}; expected ({n_samples},), one weight per row")
    if not (np.isfinite(weights).all() and (weights >= 0).all()):
        raise ValueError("sample_weight must hold finite numbers >= 0")
    return weights


def bind_data(network, X, Y, sample_weight=None) -> BoundData:
    """Check ``X`` and ``Y`` against ``network`` (as ``NeuralNetwork.train``
    checks them), fingerprint them and measure their training range."""
    if sp.issparse(X):
        X = _check_sparse(X, network.n_inputs, network.dtype)
    else:
        X = check_X(X, network.n_inputs, network.dtype)
    Y = check_y(Y, X.shape[0], network.n_outputs, network.dtype)
    if sample_weight is not None:
        sample_weight = _check_weights(sample_weight, X.shape[0], network.dtype)
    return BoundData(X, Y, sample_weight, _fingerprint(X, Y), TrainingRange.of(X))

"""Per-epoch monitoring metrics: a registry of name -> :class:`Metric`.

These run once per epoch inside the training loop, on arrays the loop already
holds, so they are one-line NumPy expressions rather than calls into
``sklearn.metrics`` (whose input validation costs more than a whole epoch of
the article's network). The tests check each against ``sklearn.metrics``.
Reports after training (``test_evaluation``, the CLI) use ``sklearn.metrics``.

Each metric takes ``Y`` (targets) and ``A`` (network outputs), both of shape
(n_samples, n_outputs), the decision threshold ``limit`` used by ``accuracy``
on single-output networks, and optional per-row weights ``sample_weight`` of
shape (n_samples,), which turn every mean over rows into a weighted mean (as
``sample_weight`` does in ``sklearn.metrics``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .._registry import Registry

__all__ = ["Metric", "METRICS", "get_metric"]


@dataclass(frozen=True)
class Metric:
    name: str
    compute: Callable[[np.ndarray, np.ndarray, float, np.ndarray | None], float]
    greater_is_better: bool = False

    def __call__(self, Y, A, limit=0.5, sample_weight=None) -> float:
        return float(self.compute(Y, A, limit, sample_weight))


METRICS: Registry[Metric] = Registry("metric")


def get_metric(name: str | Metric) -> Metric:
    if isinstance(name, Metric):
        return name
    return METRICS.get(name)


def _mean(values, sample_weight):
    """Mean of every entry; with ``sample_weight``, each row's entries weigh
    as much as that row does."""
    if sample_weight is None:
        # np.mean's own arithmetic (one pairwise add.reduce, then a division)
        # without its Python-level dispatch, which costs more than the sum on
        # the article's six rows
        return np.add.reduce(values, axis=None) / values.size
    return np.average(values, axis=0, weights=sample_weight).mean()


def _row_mean(values, sample_weight):
    """Mean over rows (axis 0), weighted by ``sample_weight`` when given."""
    return np.average(values, axis=0, weights=sample_weight)


def _mae(Y, A, limit, sample_weight=None):
    # the article's np.mean(np.abs(y - o)): the mean over every output of every row
    errors = np.subtract(Y, A)
    np.abs(errors, out=errors)  # in place: errors is this function's own array
    return _mean(errors, sample_weight)


def _mse(Y, A, limit, sample_weight=None):
    R = Y - A
    return _mean(R * R, sample_weight)


def _rmse(Y, A, limit, sample_weight=None):
    return np.sqrt(_mse(Y, A, limit, sample_weight))


def _log_loss(Y, A, limit, sample_weight=None):
    # probabilities are clipped away from 0 and 1 by the dtype's epsilon, as
    # sklearn.metrics.log_loss does, so log never sees 0
    eps = np.finfo(A.dtype).eps if A.dtype.kind == "f" else np.finfo(float).eps
    P = np.clip(A, eps, 1 - eps)
    if A.shape[1] == 1:
        # one sigmoid output: the Bernoulli log-likelihood of each row
        return -_mean(Y * np.log(P) + (1 - Y) * np.log(1 - P), sample_weight)
    # several outputs: one-hot targets against a probability row (softmax)
    if sample_weight is None:
        return -np.sum(Y * np.log(P)) / A.shape[0]
    return -np.average(np.sum(Y * np.log(P), axis=1), weights=sample_weight)


def _accuracy(Y, A, limit, sample_weight=None):
    if A.shape[1] == 1:
        # an output exactly at the limit counts as positive (the article's
        # strict comparisons left it uncounted)
        return _mean((A >= limit) == (Y >= 0.5), sample_weight)
    return _mean(A.argmax(axis=1) == Y.argmax(axis=1), sample_weight)


def _subset_accuracy(Y, A, limit, sample_weight=None):
    # several independent yes/no outputs (multilabel): a row counts when every
    # output is on the right side of the limit, sklearn's accuracy_score on
    # label-indicator rows
    return _mean(((A > limit) == (Y >= 0.5)).all(axis=1), sample_weight)


def _r2(Y, A, limit, sample_weight=None):
    # 1 − SS_res/SS_tot per output, then the plain mean over outputs, as
    # sklearn.metrics.r2_score; a constant target scores 1 when predicted
    # exactly and 0 otherwise (sklearn's force_finite) instead of ±inf/nan.
    # Both sums use the same weights, so the weighted means serve as sums.
    residual = _row_mean((Y - A) ** 2, sample_weight)
    total = _row_mean((Y - _row_mean(Y, sample_weight)) ** 2, sample_weight)
    constant = total == 0
    scores = np.where(constant, (residual == 0).astype(float), 1 - residual / np.where(constant, 1, total))
    return scores.mean()


METRICS.register("mae", Metric("mae", _mae))
METRICS.register("mse", Metric("mse", _mse))
METRICS.register("rmse", Metric("rmse", _rmse))
METRICS.register("log_loss", Metric("log_loss", _log_loss))
METRICS.register("accuracy", Metric("accuracy", _accuracy, greater_is_better=True))
METRICS.register("subset_accuracy", Metric("subset_accuracy", _subset_accuracy, greater_is_better=True))
METRICS.register("r2", Metric("r2", _r2, greater_is_better=True))

"""Loss functions: a registry of name -> :class:`Loss`.

A loss is defined by its per-sample value ``ℓ(y, o)``; the training loss is the
mean of ``ℓ`` over samples (``reduction="mean"``, a weighted mean with sample
weights) or its sum (``reduction="sum"``, the article's choice).

Every loss supplies

``per_sample(Y, Z, A)``
    ``ℓ`` for each row, from the output layer's pre-activation ``Z`` and
    activation ``A``. The cross-entropies read the logits ``Z`` so that no
    ``log(0)`` can occur.
``output_gradient(Y, A)``
    ``∂ℓ/∂A`` for each row, chained through the output activation's backward.

Fused gradients: for a *canonical* pair of loss and output activation the
chain rule collapses to ``∂ℓ/∂Z = A − Y``. That holds for exactly these pairs:

* ``squared_error``            with ``identity``  (ℓ = ½Σ(y−z)²)
* ``binary_crossentropy``      with ``logistic``  (Bernoulli log-likelihood, logit link)
* ``categorical_crossentropy`` with ``softmax``   (multinomial log-likelihood)
* ``poisson``                  with ``exp``       (Poisson log-likelihood, log link)

and for no other, so ``fused_with`` names that single activation. The two
cross-entropies and poisson are defined from the logits, so they *require* their
activation; other pairs use the general chain rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from scipy.special import xlogy

from .._registry import Registry
from .activations import softmax_parts

__all__ = ["Loss", "LOSSES", "get_loss", "REDUCTIONS", "reduce_per_sample", "softmax_logsumexp"]

HUBER_DELTA = 1.0


@dataclass(frozen=True)
class Loss:
    name: str
    per_sample: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]
    output_gradient: Callable[[np.ndarray, np.ndarray], np.ndarray]
    fused_with: str | None = None
    requires_activation: bool = False
    # ``from_logsumexp(Y, Z, lse)``: ``per_sample`` given the row log-sum-exp
    # of the logits, which the forward pass's softmax already computed (see
    # :func:`softmax_logsumexp`); None when the loss does not read it
    from_logsumexp: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray] | None = None

    def __repr__(self) -> str:
        return f"Loss({self.name!r})"


LOSSES: Registry[Loss] = Registry("loss")
REDUCTIONS = ("mean", "sum")


def get_loss(name: str | Loss) -> Loss:
    """Look a loss up by name; an unknown name lists the valid ones."""
    if isinstance(name, Loss):
        return name
    return LOSSES.get(name)


def reduce_per_sample(values: np.ndarray, reduction: str, sample_weight=None) -> float:
    """Mean (weighted by ``sample_weight``) or sum of the per-sample values."""
    if sample_weight is None:
        total = float(np.add.reduce(values))  # values.sum() without its Python wrapper
        return total / values.shape[0] if reduction == "mean" else total
    total = float(np.dot(sample_weight, values))
    return total / float(sample_weight.sum()) if reduction == "mean" else total


def _difference(Y, A):
    return A - Y


# squared error: ℓ = ½ Σ_k (y_k − o_k)² ----------------------------------------
def _squared_error(Y, Z, A):
    R = A - Y
    R *= R  # in place: R is this function's own array
    # np.add.reduce is R.sum without its Python wrapper; the rows of one
    # output are summed by taking them as they are (the same numbers)
    row_sums = R[:, 0] if R.shape[1] == 1 else np.add.reduce(R, axis=1)
    return 0.5 * row_sums


LOSSES.register(
    "squared_error", Loss("squared_error", _squared_error, _difference, fused_with="identity")
)


# absolute error: ℓ = Σ_k |y_k − o_k| -----------------------------------------
def _absolute_error(Y, Z, A):
    return np.abs(A - Y).sum(axis=1)


def _absolute_error_gradient(Y, A):
    # the subgradient at y == o is taken as 0
    return np.sign(A - Y)


LOSSES.register(
    "absolute_error", Loss("absolute_error", _absolute_error, _absolute_error_gradient)
)


# huber: quadratic within HUBER_DELTA of the target, linear beyond ------------
def _huber(Y, Z, A):
    R = np.abs(A - Y)
    quadratic = np.minimum(R, HUBER_DELTA)
    # ½q² + δ(|r| − q) equals ½r² when |r| ≤ δ and δ(|r| − ½δ) otherwise
    return (0.5 * quadratic * quadratic + HUBER_DELTA * (R - quadratic)).sum(axis=1)


def _huber_gradient(Y, A):
    return np.clip(A - Y, -HUBER_DELTA, HUBER_DELTA)


LOSSES.register("huber", Loss("huber", _huber, _huber_gradient))


# binary cross-entropy from logits ---------------------------------------------
def _binary_crossentropy(Y, Z, A):
    # −[y log σ(z) + (1−y) log(1−σ(z))] = log(1 + e^z) − y z; logaddexp(0, z)
    # computes log(1 + e^z) without overflow and without log(0)
    return (np.logaddexp(0, Z) - Y * Z).sum(axis=1)


def _binary_crossentropy_gradient(Y, A):
    # only reached through the fused path, kept for completeness: −y/o + (1−y)/(1−o)
    tiny = np.finfo(A.dtype).tiny
    return (A - Y) / np.maximum(A * (1 - A), tiny)


LOSSES.register(
    "binary_crossentropy",
    Loss(
        "binary_crossentropy",
        _binary_crossentropy,
        _binary_crossentropy_gradient,
        fused_with="logistic",
        requires_activation=True,
    ),
)


# categorical cross-entropy from logits ----------------------------------------
def _categorical_crossentropy(Y, Z, A):
    return _categorical_crossentropy_from_logsumexp(Y, Z, _logsumexp_rows(Z))


def _categorical_crossentropy_from_logsumexp(Y, Z, logsumexp):
    # −Σ y log softmax(z) = −Σ y (z − logsumexp(z))
    log_softmax = Z - logsumexp
    log_softmax *= Y  # in place: the same products as Y * log_softmax
    return -np.add.reduce(log_softmax, axis=1)


def _logsumexp_rows(Z):
    """``log Σ_k exp(z_k)`` per row, as a column.

    Shifting by the row max m makes every exponent ≤ 0, so exp cannot
    overflow and the largest term is exactly 1: log Σ exp(z) =
    m + log Σ exp(z − m). Written out rather than calling
    scipy.special.logsumexp, whose argument handling costs ten times the
    arithmetic on one mini-batch. A non-finite logit gives a non-finite
    result, which the training loop reports as divergence.
    """
    # Z.max and sum are these reductions; called directly, and in place on
    # this function's own arrays, they skip a wrapper and an allocation each
    m = np.maximum.reduce(Z, axis=1, keepdims=True)
    shifted = np.subtract(Z, m)
    np.exp(shifted, out=shifted)
    log_sum = np.add.reduce(shifted, axis=1, keepdims=True)
    np.log(log_sum, out=log_sum)
    log_sum += m
    return log_sum


def softmax_logsumexp(Z, out):
    """The softmax of ``Z`` (n_samples, n_classes) into ``out``, and the row
    log-sum-exp of ``Z`` as a column (n_samples, 1).

    The softmax is the activation's own (:func:`~glassnet.engine.activations.
    softmax_parts`), and the log-sum-exp is :func:`_logsumexp_rows`'s from the
    same row max and the same sum of exponentials: a float64 network's
    forward pass hands it to the cross-entropy, which then needs no second
    max, exp and sum (about half of the loss value's cost on a 32-row batch).
    """
    row_max, log_sum = softmax_parts(Z, out)
    np.log(log_sum, out=log_sum)
    log_sum += row_max
    return log_sum


def _categorical_crossentropy_gradient(Y, A):
    tiny = np.finfo(A.dtype).tiny
    return -Y / np.maximum(A, tiny)


LOSSES.register(
    "categorical_crossentropy",
    Loss(
        "categorical_crossentropy",
        _categorical_crossentropy,
        _categorical_crossentropy_gradient,
        fused_with="softmax",
        requires_activation=True,
        from_logsumexp=_categorical_crossentropy_from_logsumexp,
    ),
)


# poisson (half deviance with the log link) -------------------------------------
def _poisson(Y, Z, A):
    # y log(y/o) − y + o with log o = z; written with z so a huge o cannot
    # turn log(o) into inf
    return (xlogy(Y, Y) - Y * Z - Y + A).sum(axis=1)


def _poisson_gradient(Y, A):
    tiny = np.finfo(A.dtype).tiny
    return 1 - Y / np.maximum(A, tiny)


LOSSES.register(
    "poisson",
    Loss("poisson", _poisson, _poisson_gradient, fused_with="exp", requires_activation=True),
)

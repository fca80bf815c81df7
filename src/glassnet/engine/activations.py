"""Activation functions: a registry of name -> :class:`Activation`.

Each activation has two pure functions:

``forward(Z, out)``
    the activation ``A = f(Z)``, written into ``out`` (which may be ``Z`` itself).
``backward(dA, Z, A, out)``
    the vector-Jacobian product ``dL/dZ`` given ``dL/dA``, written into ``out``
    (which may be ``dA`` itself). It reuses the cached ``Z`` and ``A`` of the
    forward pass instead of recomputing ``f``. Most activations need only ``A``
    (``needs_z=False``); for those the engine computes ``A`` in place over ``Z``
    and passes ``A`` for both.

Every function stays finite and silent (no overflow or invalid-value
``RuntimeWarning``) for pre-activations as large as ±1e4 in float32 and float64.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from scipy.special import erf, expit

from . import kernels
from .._registry import Registry

__all__ = ["Activation", "ACTIVATIONS", "get_activation", "hidden_activations"]

LEAKY_SLOPE = 0.01
_SQRT_HALF = np.sqrt(0.5)
_INV_SQRT_2PI = 1.0 / np.sqrt(2.0 * np.pi)


@dataclass(frozen=True)
class Activation:
    name: str
    forward: Callable[[np.ndarray, np.ndarray], np.ndarray]
    backward: Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray], np.ndarray]
    elementwise: bool = True
    needs_z: bool = False
    # False for output links (exp, softmax) that no hidden layer uses
    hidden: bool = True
    # True when a unit can stop learning for good: output and derivative
    # exactly 0 on every input below a threshold (relu)
    dies: bool = False

    def __call__(self, Z: np.ndarray) -> np.ndarray:
        """Apply the activation to a copy of ``Z``."""
        return self.forward(Z, np.empty_like(Z))

    def __repr__(self) -> str:
        return f"Activation({self.name!r})"


ACTIVATIONS: Registry[Activation] = Registry("activation")


def _register(name, forward, backward, elementwise=True, needs_z=False, hidden=True, dies=False):
    ACTIVATIONS.register(name, Activation(name, forward, backward, elementwise, needs_z, hidden, dies))


def hidden_activations() -> list[str]:
    """The names a hidden layer may use: every registered activation but the output links."""
    return [name for name in ACTIVATIONS if ACTIVATIONS.get(name).hidden]


def get_activation(name: str | Activation) -> Activation:
    """Look an activation up by name; an unknown name lists the valid ones."""
    if isinstance(name, Activation):
        return name
    return ACTIVATIONS.get(name)


# identity ------------------------------------------------------------------
def _identity(Z, out):
    if out is not Z:
        np.copyto(out, Z)
    return out


def _identity_back(dA, Z, A, out):
    return _identity(dA, out)


_register("identity", _identity, _identity_back)


# logistic ------------------------------------------------------------------
def _logistic(Z, out):
    # expit evaluates 1/(1+exp(-z)) without overflowing exp for large |z|
    return expit(Z, out=out)


def _logistic_back(dA, Z, A, out):
    # f'(z) = a(1-a) from the cached output; the product is grouped as
    # dA * (a * (1 - a)), exactly the article's o_error * sigmoidPrime(o)
    slope = A * (1 - A)
    return np.multiply(dA, slope, out=out)


_register("logistic", _logistic, _logistic_back)
ACTIVATIONS.alias("sigmoid", "logistic")


# tanh ----------------------------------------------------------------------
def _tanh(Z, out):
    return np.tanh(Z, out=out)


def _tanh_back(dA, Z, A, out):
    slope = 1 - A * A
    return np.multiply(dA, slope, out=out)


_register("tanh", _tanh, _tanh_back)


# relu ----------------------------------------------------------------------
def _relu(Z, out):
    # maximum(z, 0), through the kernels: the numba path makes it one pass
    return kernels.active().relu_forward(Z, out)


def _relu_back(dA, Z, A, out):
    # keep the gradient where the unit was on: a > 0 exactly when z > 0, and
    # the derivative at 0 is taken as 0. The kernel multiplies by the 0/1
    # mask, so an off unit's gradient is ±0, and −0 adds and compares as 0 in
    # everything downstream.
    return kernels.active().relu_backward(dA, A, out)


_register("relu", _relu, _relu_back, dies=True)


# leaky relu ----------------------------------------------------------------
def _leaky_relu(Z, out):
    # max(z, slope*z) equals z for z > 0 and slope*z otherwise, since slope < 1
    return np.maximum(Z, LEAKY_SLOPE * Z, out=out)


def _leaky_relu_back(dA, Z, A, out):
    # a > 0 exactly when z > 0, since the slope is positive; the factor is
    # 1 or the slope (one pass, where a masked multiply is far slower)
    return np.multiply(dA, np.where(A > 0, 1.0, LEAKY_SLOPE).astype(A.dtype, copy=False), out=out)


_register("leaky_relu", _leaky_relu, _leaky_relu_back)


# elu -----------------------------------------------------------------------
def _elu(Z, out):
    negative = Z <= 0
    # expm1 of min(z, 0) cannot overflow, and is accurate near 0
    below = np.expm1(np.minimum(Z, 0))
    if out is not Z:
        np.copyto(out, Z)
    np.copyto(out, below, where=negative)
    return out


def _elu_back(dA, Z, A, out):
    # for z <= 0, f(z) = e^z - 1 so f'(z) = a + 1; for z > 0 (a > 0) it is 1
    slope = A + 1
    np.copyto(slope, 1, where=A > 0)
    return np.multiply(dA, slope, out=out)


_register("elu", _elu, _elu_back)


# gelu (exact, with the normal CDF) -----------------------------------------
def _gelu(Z, out):
    cdf = 0.5 * (1 + erf(Z * _SQRT_HALF))
    return np.multiply(Z, cdf, out=out)


def _gelu_back(dA, Z, A, out):
    cdf = 0.5 * (1 + erf(Z * _SQRT_HALF))
    # the normal density underflows to 0 beyond |z| = 40; clipping first keeps
    # z*z from overflowing for huge pre-activations
    Zc = np.clip(Z, -40, 40)
    pdf = _INV_SQRT_2PI * np.exp(-0.5 * Zc * Zc)
    slope = cdf + Zc * pdf
    return np.multiply(dA, slope, out=out)


_register("gelu", _gelu, _gelu_back, needs_z=True)


# swish (z * sigmoid(z)) ----------------------------------------------------
def _swish(Z, out):
    return np.multiply(Z, expit(Z), out=out)


def _swish_back(dA, Z, A, out):
    s = expit(Z)
    # d/dz z s(z) = s + z s (1 - s) = s + a (1 - s)
    slope = s + A * (1 - s)
    return np.multiply(dA, slope, out=out)


_register("swish", _swish, _swish_back, needs_z=True)


# exp (the log link of Poisson regression) ----------------------------------
def _exp(Z, out):
    # beyond log(max float) exp overflows; the caller sees inf, not a warning
    with np.errstate(over="ignore"):
        return np.exp(Z, out=out)


def _exp_back(dA, Z, A, out):
    return np.multiply(dA, A, out=out)


_register("exp", _exp, _exp_back, hidden=False)


# softmax -------------------------------------------------------------------
def softmax_parts(Z, out):
    """The softmax of ``Z`` (n_samples, n_classes) into ``out``; returns the
    row max and the row sum of exp(Z − max), as columns, from which the
    cross-entropy's value takes its log-sum-exp without recomputing them."""
    # subtract the row max so exp cannot overflow; the result is unchanged
    # because softmax is invariant to adding a constant to a row
    # (np.maximum.reduce and np.add.reduce are Z.max and sum without their
    # Python wrappers)
    row_max = np.maximum.reduce(Z, axis=1, keepdims=True)
    np.subtract(Z, row_max, out=out)
    np.exp(out, out=out)
    row_sum = np.add.reduce(out, axis=1, keepdims=True)
    out /= row_sum
    return row_max, row_sum


def _softmax(Z, out):
    softmax_parts(Z, out)
    return out


def _softmax_back(dA, Z, A, out):
    # the Jacobian is diag(a) - a aᵀ, so dZ = a * (dA - <dA, a>) row by row
    inner = np.einsum("ij,ij->i", dA, A)[:, None]
    np.subtract(dA, inner, out=out)
    out *= A
    return out


_register("softmax", _softmax, _softmax_back, elementwise=False, hidden=False)

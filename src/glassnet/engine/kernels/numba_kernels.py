"""The numba update kernels: the NumPy kernels' arithmetic in one pass.

Each loop body performs exactly the operations of ``numpy_kernels`` in the
same order and, because every scalar comes in the parameters' dtype and
numba compiles without fast-math (no reassociation, no fused multiply-add),
in the same precision: the results are bit-equal. One pass reads each of
params, grads, m and v once and writes three of them, instead of the ten
passes of the NumPy path, and needs no work arrays.

``error_model="numpy"`` lets a division by zero give inf, as in NumPy,
instead of a Python exception; without it the check in the loop keeps LLVM
from vectorising the square roots and divisions, and the kernel runs at a
third of the speed. Compiled on first use and cached on disk
(``cache=True``).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from . import numba_layers, numpy_kernels
# the layer kernels: one pass per layer for the bias and activation
from .numba_layers import activation_backward, bias_activation, relu_backward, relu_forward  # noqa: F401

NAME = "numba"
ADAM_SCRATCH = 0
SGD_SCRATCH = 0


@njit(cache=True, nogil=True, error_model="numpy")
def _adam(params, grads, m, v, rate, beta_1, one_minus_beta_1, beta_2, one_minus_beta_2, epsilon):
    negative_rate = -rate
    for i in range(params.size):
        g = grads[i]
        m_i = m[i] * beta_1 + g * one_minus_beta_1
        v_i = v[i] * beta_2 + (g * g) * one_minus_beta_2
        m[i] = m_i
        v[i] = v_i
        params[i] += (m_i * negative_rate) / (np.sqrt(v_i) + epsilon)


@njit(cache=True, nogil=True, error_model="numpy")
def _sgd(params, grads, velocity, rate, momentum, nesterov):
    for i in range(params.size):
        scaled = grads[i] * rate
        velocity_i = velocity[i] * momentum - scaled
        velocity[i] = velocity_i
        if nesterov:
            params[i] += velocity_i * momentum - scaled
        else:
            params[i] += velocity_i


@njit(cache=True, nogil=True, error_model="numpy")
def _plain_sgd(params, grads, rate):
    for i in range(params.size):
        params[i] -= grads[i] * rate


# The loops index element by element, so they take C-contiguous arrays of
# one shape only; any other layout (a user's own arrays given to
# Optimizer.step) goes to the NumPy kernels, which give the same numbers.


def _numpy_scratch(params, count):
    """Work arrays for a NumPy kernel that stands in for a loop (this path
    keeps none of its own)."""
    return [np.empty_like(params) for _ in range(count)]


def adam_step(params, grads, m, v, scratch, rate, beta_1, beta_2, epsilon):
    flat = numpy_kernels.flat_views(params, grads, m, v)
    if flat is None:
        work = _numpy_scratch(params, numpy_kernels.ADAM_SCRATCH)
        return numpy_kernels.adam_step(params, grads, m, v, work, rate, beta_1, beta_2, epsilon)
    cast = params.dtype.type
    # 1 − β is formed in float64, then cast, as NumPy does with a Python float
    _adam(*flat, cast(rate), cast(beta_1), cast(1 - beta_1), cast(beta_2), cast(1 - beta_2), cast(epsilon))


def sgd_step(params, grads, velocity, scratch, rate, momentum, nesterov):
    flat = numpy_kernels.flat_views(params, grads, velocity)
    if flat is None:
        work = _numpy_scratch(params, numpy_kernels.SGD_SCRATCH)
        return numpy_kernels.sgd_step(params, grads, velocity, work, rate, momentum, nesterov)
    cast = params.dtype.type
    if momentum == 0.0:
        _plain_sgd(flat[0], flat[1], cast(rate))
    else:
        _sgd(*flat, cast(rate), cast(momentum), bool(nesterov))


@njit(cache=True, nogil=True)
def _add_scaled(target, source, scale):
    for i in range(target.size):
        target[i] += scale * source[i]


def add_scaled(target, source, scale):
    flat = numpy_kernels.flat_views(target, source)
    if flat is None:
        return numpy_kernels.add_scaled(target, source, scale)
    _add_scaled(*flat, target.dtype.type(scale))


def _warm_up():
    """Load every kernel's machine code now (from the disk cache, or by
    compiling it once), so that the first training step does not pay for it."""
    for dtype in (np.float32, np.float64):
        x = np.zeros(1, dtype)
        adam_step(x, x, x.copy(), x.copy(), [], 0.0, 0.9, 0.999, 1e-8)
        sgd_step(x, x, x.copy(), [], 0.0, 0.0, False)
        sgd_step(x, x, x.copy(), [], 0.0, 0.9, True)
        add_scaled(x, x, 0.0)
        numba_layers.warm_up(dtype)


_warm_up()

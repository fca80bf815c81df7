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
third of the speed. Each loop is compiled for float32 and float64
C-contiguous arrays when this module is imported (cached on disk,
``cache=True``); see :mod:`.numba_support` for how other arrays are told
apart without Python-side checks.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from . import numba_layers, numpy_kernels
# the layer kernels: one pass per layer for the bias and activation
from .numba_layers import (activation_backward, bias_activation, output_delta, relu_backward,  # noqa: F401
                           relu_forward)
from .numba_support import JIT, apart, run_loop, signatures

NAME = "numba"
ADAM_SCRATCH = 0
SGD_SCRATCH = 0

# The loops index element by element, so they take C-contiguous arrays of
# one size and dtype, apart in memory; any other (a user's own arrays given
# to Optimizer.step) goes to the NumPy kernels, which give the same numbers.


@njit(signatures(*["vector"] * 4, *["scalar"] * 6), **JIT)
def _adam(params, grads, m, v, rate, beta_1, one_minus_beta_1, beta_2, one_minus_beta_2, epsilon):
    n = params.size
    if grads.size != n or m.size != n or v.size != n:
        return False
    if not (apart(params, grads) and apart(params, m) and apart(params, v) and apart(grads, m)
            and apart(grads, v) and apart(m, v)):
        return False
    negative_rate = -rate
    for i in range(n):
        g = grads[i]
        m_i = m[i] * beta_1 + g * one_minus_beta_1
        v_i = v[i] * beta_2 + (g * g) * one_minus_beta_2
        m[i] = m_i
        v[i] = v_i
        params[i] += (m_i * negative_rate) / (np.sqrt(v_i) + epsilon)
    return True


@njit(signatures(*["vector"] * 3, "scalar", "scalar", "flag"), **JIT)
def _sgd(params, grads, velocity, rate, momentum, nesterov):
    n = params.size
    if grads.size != n or velocity.size != n:
        return False
    if not (apart(params, grads) and apart(params, velocity) and apart(grads, velocity)):
        return False
    for i in range(n):
        scaled = grads[i] * rate
        velocity_i = velocity[i] * momentum - scaled
        velocity[i] = velocity_i
        if nesterov:
            params[i] += velocity_i * momentum - scaled
        else:
            params[i] += velocity_i
    return True


@njit(signatures("vector", "vector", "scalar"), **JIT)
def _plain_sgd(params, grads, rate):
    if grads.size != params.size or not apart(params, grads):
        return False
    for i in range(params.size):
        params[i] -= grads[i] * rate
    return True


@njit(signatures("vector", "vector", "scalar"), **JIT)
def _add_scaled(target, source, scale):
    if source.size != target.size or not apart(target, source):
        return False
    for i in range(target.size):
        target[i] += scale * source[i]
    return True


def _numpy_scratch(params, count):
    """Work arrays for a NumPy kernel that stands in for a loop (this path
    keeps none of its own)."""
    return [np.empty_like(params) for _ in range(count)]


def adam_step(params, grads, m, v, scratch, rate, beta_1, beta_2, epsilon):
    cast = params.dtype.type
    # 1 − β is formed in float64, then cast, as NumPy does with a Python float
    scalars = (cast(rate), cast(beta_1), cast(1 - beta_1), cast(beta_2), cast(1 - beta_2), cast(epsilon))
    if run_loop(_adam, params, grads, m, v, *scalars):
        return
    flat = numpy_kernels.flat_views(params, grads, m, v)  # a 2-D array of the right kind, seen flat
    if flat is None or not run_loop(_adam, *flat, *scalars):
        work = _numpy_scratch(params, numpy_kernels.ADAM_SCRATCH)
        numpy_kernels.adam_step(params, grads, m, v, work, rate, beta_1, beta_2, epsilon)


def sgd_step(params, grads, velocity, scratch, rate, momentum, nesterov):
    cast = params.dtype.type
    # the arrays as given, then (only if they are not the loop's kind) seen
    # flat: building the flat views first cost more than the loop itself on
    # a short vector (1.2 of 3 µs a step on the article's 12 weights)
    for attempt in range(2):
        arrays = (params, grads, velocity) if attempt == 0 else numpy_kernels.flat_views(params, grads, velocity)
        if arrays is None:
            break
        done = (run_loop(_plain_sgd, arrays[0], arrays[1], cast(rate)) if momentum == 0.0
                else run_loop(_sgd, *arrays, cast(rate), cast(momentum), bool(nesterov)))
        if done:
            return
    work = _numpy_scratch(params, numpy_kernels.SGD_SCRATCH)
    numpy_kernels.sgd_step(params, grads, velocity, work, rate, momentum, nesterov)


def add_scaled(target, source, scale):
    scale_in_dtype = target.dtype.type(scale)
    if run_loop(_add_scaled, target, source, scale_in_dtype):
        return
    flat = numpy_kernels.flat_views(target, source)
    if flat is None or not run_loop(_add_scaled, *flat, scale_in_dtype):
        numpy_kernels.add_scaled(target, source, scale)


def _warm_up():
    """Load every kernel's machine code now (from the disk cache, or by
    compiling it once), so that the first training step does not pay for it."""
    for dtype in (np.float32, np.float64):
        x, y, z, w = np.zeros((4, 1), dtype)
        adam_step(x, y, z, w, [], 0.0, 0.9, 0.999, 1e-8)
        sgd_step(x, y, z, [], 0.0, 0.0, False)
        sgd_step(x, y, z, [], 0.0, 0.9, True)
        add_scaled(x, y, 0.0)
        numba_layers.warm_up(dtype)


_warm_up()

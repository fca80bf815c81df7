"""The numba layer kernels: a layer's elementwise work in one pass.

Between its matrix products a relu layer makes NumPy passes over its
(rows, width) array: forward ``Z += b`` then ``maximum(Z, 0)``; backward the
product with the 0/1 mask, then the column sums for the bias gradient. Each
loop here does one layer's passes in one, with NumPy's arithmetic operation
for operation, so the numbers are the same to the last bit (sign of zero and
NaN included; ``tests/test_kernels.py`` checks):

- ``maximum(z, 0)`` is ``z`` for z > 0 and for NaN (NumPy propagates NaN), and
  +0 otherwise (also for z = −0);
- ``leaky_relu``'s ``maximum(z, 0.01·z)`` is ``z`` where z ≥ 0.01·z or z is
  NaN, else ``0.01·z``, the slope rounded to the array's dtype as NumPy does;
- NumPy sums the rows of a C-contiguous (rows, width) array one row after the
  other, per column, from +0, when the width is at least 2 (a single column is
  summed pairwise, so that case stays with NumPy).

Each kernel has two loops: one for ``out`` being the input itself (the
engine's case), one for separate arrays. Two arrays that may overlap keep
LLVM from vectorising a loop, so the in-place loop reads and writes one array.

The loops are registered by activation name (:data:`BIAS_FORWARD`,
:data:`BACKWARD_BIAS`); an activation without an entry, or arrays of another
layout or dtype, take the NumPy kernels, which give the same numbers.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..._registry import Registry
from ..activations import LEAKY_SLOPE
from . import numpy_kernels

__all__ = ["BIAS_FORWARD", "BACKWARD_BIAS", "bias_activation", "activation_backward", "relu_forward",
           "relu_backward"]

_JIT = dict(cache=True, nogil=True, error_model="numpy")


# --- forward: Z ← Z + b, out ← f(Z) ------------------------------------------------
@njit(**_JIT)
def _bias_relu(Z, b, out, in_place, zero):
    rows, width = Z.shape
    if in_place:
        for i in range(rows):
            for j in range(width):
                z = Z[i, j] + b[j]
                Z[i, j] = z if not z <= zero else zero
    else:
        for i in range(rows):
            for j in range(width):
                z = Z[i, j] + b[j]
                Z[i, j] = z
                out[i, j] = z if not z <= zero else zero


@njit(**_JIT)
def _bias_leaky_relu(Z, b, out, in_place, slope):
    rows, width = Z.shape
    if in_place:
        for i in range(rows):
            for j in range(width):
                z = Z[i, j] + b[j]
                scaled = z * slope
                Z[i, j] = z if (z >= scaled or z != z) else scaled
    else:
        for i in range(rows):
            for j in range(width):
                z = Z[i, j] + b[j]
                scaled = z * slope
                Z[i, j] = z
                out[i, j] = z if (z >= scaled or z != z) else scaled


@njit(**_JIT)
def _bias_identity(Z, b, out, in_place, unused):
    rows, width = Z.shape
    if in_place:
        for i in range(rows):
            for j in range(width):
                Z[i, j] += b[j]
    else:
        for i in range(rows):
            for j in range(width):
                z = Z[i, j] + b[j]
                Z[i, j] = z
                out[i, j] = z


@njit(**_JIT)
def _relu(Z, out, zero):
    for i in range(Z.size):
        z = Z[i]
        out[i] = z if not z <= zero else zero


@njit(**_JIT)
def _relu_in_place(Z, zero):
    for i in range(Z.size):
        z = Z[i]
        Z[i] = z if not z <= zero else zero


# the kernel and the scalar it takes, in the array's dtype
BIAS_FORWARD: Registry[tuple] = Registry("fused bias and activation")
BIAS_FORWARD.register("relu", (_bias_relu, lambda cast: cast(0)))
BIAS_FORWARD.register("leaky_relu", (_bias_leaky_relu, lambda cast: cast(LEAKY_SLOPE)))
BIAS_FORWARD.register("identity", (_bias_identity, lambda cast: cast(0)))


def _layer_arrays(*arrays):
    """True when the arrays are C-contiguous and 2-D of one shape and dtype."""
    first = arrays[0]
    return first.ndim == 2 and all(
        a.flags.c_contiguous and a.shape == first.shape and a.dtype == first.dtype for a in arrays)


def _bias_fits(b, like):
    return b.ndim == 1 and b.flags.c_contiguous and b.dtype == like.dtype and b.shape[0] == like.shape[1]


def _overlap(out, *sources):
    """True when ``out`` shares memory with a source without being that very
    array: the loops read and write element i together, which is right for
    ``out`` being the source itself, not for views shifted against each other
    (NumPy copies such inputs first; the NumPy kernels are taken then)."""
    return any(out is not source and np.may_share_memory(out, source) for source in sources)


def bias_activation(activation, Z, b, out):
    """Z ← Z + b and out ← activation(Z), in one pass where a loop is
    registered; ``out`` may be ``Z``."""
    if (activation.name in BIAS_FORWARD and _layer_arrays(Z, out) and _bias_fits(b, Z) and Z.flags.writeable
            and not _overlap(out, Z, b) and not _overlap(Z, b)):
        kernel, scalar = BIAS_FORWARD.get(activation.name)
        kernel(Z, b, out, out is Z, scalar(Z.dtype.type))
        return out
    return numpy_kernels.bias_activation(activation, Z, b, out)


def relu_forward(Z, out):
    """out ← maximum(Z, 0) in one pass."""
    flat = numpy_kernels.flat_views(Z, out)
    if flat is None or _overlap(out, Z):
        return numpy_kernels.relu_forward(Z, out)
    zero = Z.dtype.type(0)
    if out is Z:
        _relu_in_place(flat[0], zero)
    else:
        _relu(*flat, zero)
    return out


# --- backward: out ← f'(z)·dA, bias_grad ← Σ_rows out ------------------------------
@njit(**_JIT)
def _relu_backward(dA, A, out, one, zero):
    # dA·1 or dA·0, exactly NumPy's product with the 0/1 mask (so an off unit
    # gets ±0, as there)
    for i in range(dA.size):
        out[i] = dA[i] * (one if A[i] > zero else zero)


@njit(**_JIT)
def _relu_backward_in_place(dA, A, one, zero):
    for i in range(dA.size):
        dA[i] = dA[i] * (one if A[i] > zero else zero)


@njit(**_JIT)
def _relu_backward_bias(dA, A, out, bias_grad, in_place, one, zero):
    rows, width = dA.shape
    for j in range(width):
        bias_grad[j] = zero
    # row after row, as NumPy sums the rows of a C-contiguous array
    if in_place:
        for i in range(rows):
            for j in range(width):
                d = dA[i, j] * (one if A[i, j] > zero else zero)
                dA[i, j] = d
                bias_grad[j] += d
    else:
        for i in range(rows):
            for j in range(width):
                d = dA[i, j] * (one if A[i, j] > zero else zero)
                out[i, j] = d
                bias_grad[j] += d


BACKWARD_BIAS: Registry = Registry("fused activation gradient and bias sum")
BACKWARD_BIAS.register("relu", _relu_backward_bias)


def relu_backward(dA, A, out):
    """out ← dA where a > 0, ±0 elsewhere, in one pass."""
    flat = numpy_kernels.flat_views(dA, A, out)
    if flat is None or _overlap(out, dA, A):
        return numpy_kernels.relu_backward(dA, A, out)
    cast = out.dtype.type
    if out is dA:
        _relu_backward_in_place(flat[0], flat[1], cast(1), cast(0))
    else:
        _relu_backward(*flat, cast(1), cast(0))
    return out


def activation_backward(activation, dA, Z, A, out, bias_grad):
    """out ← the gradient through ``activation`` and, unless ``bias_grad`` is
    None, bias_grad ← the column sums of out, in one pass where a loop is
    registered; ``out`` may be ``dA``."""
    if (bias_grad is not None and activation.name in BACKWARD_BIAS and _layer_arrays(dA, A, out)
            and dA.shape[1] >= 2 and _bias_fits(bias_grad, dA) and not _overlap(out, dA, A)
            and not _overlap(bias_grad, dA, A, out)):
        cast = out.dtype.type
        BACKWARD_BIAS.get(activation.name)(dA, A, out, bias_grad, out is dA, cast(1), cast(0))
        return out
    return numpy_kernels.activation_backward(activation, dA, Z, A, out, bias_grad)


def warm_up(dtype):
    """Load each loop's machine code for ``dtype`` now (see numba_kernels)."""
    from ..activations import ACTIVATIONS

    Z, b = np.zeros((1, 2), dtype), np.zeros(2, dtype)
    for name in BIAS_FORWARD:
        activation = ACTIVATIONS.get(name)
        bias_activation(activation, Z, b, Z)
        bias_activation(activation, Z, b, Z.copy())
    relu = ACTIVATIONS.get("relu")
    activation_backward(relu, Z, Z.copy(), Z.copy(), Z, np.zeros(2, dtype))
    relu_forward(Z, Z)
    relu_forward(Z, Z.copy())
    relu_backward(Z, Z.copy(), Z)
    relu_backward(Z, Z.copy(), Z.copy())

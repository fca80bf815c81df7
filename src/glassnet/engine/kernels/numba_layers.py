"""The numba layer kernels: a layer's elementwise work in one pass.

Between its matrix products a relu layer makes NumPy passes over its
(rows, width) array: forward ``Z += b`` then ``maximum(Z, 0)``; backward the
product with the 0/1 mask, then the column sums for the bias gradient. Each
loop here does one layer's passes in one, with NumPy's arithmetic operation
for operation, so the numbers are the same to the last bit (sign of zero and
NaN included; ``tests/test_layer_kernels.py`` checks):

- ``maximum(z, 0)`` is ``z`` for z > 0 and for NaN (NumPy propagates NaN), and
  +0 otherwise (also for z = −0);
- ``leaky_relu``'s ``maximum(z, 0.01·z)`` is ``z`` where z ≥ 0.01·z or z is
  NaN, else ``0.01·z``, the slope rounded to the array's dtype as NumPy does;
- NumPy sums the rows of a C-contiguous (rows, width) array one row after the
  other, per column, from +0, when the width is at least 2 (a single column is
  summed pairwise, so that case stays with NumPy).

Each loop has two bodies: one for ``out`` being the input itself (the
engine's case), one for separate arrays. Two arrays that may overlap keep
LLVM from vectorising a loop, so the in-place body reads and writes one
array. Separate arrays that overlap all the same (views shifted against each
other) are left to NumPy, which copies its inputs first.

The loops are registered by activation name (:data:`BIAS_FORWARD`,
:data:`BACKWARD_BIAS`) with the registered function each stands for; an
activation without an entry or with other functions, or arrays of another
layout, dtype or shape, take the NumPy kernels, which give the same numbers.
"""

from __future__ import annotations

import numpy as np
from numba import njit, types

from ..._registry import Registry
from ..activations import ACTIVATIONS, LEAKY_SLOPE
from . import numpy_kernels
from .numba_support import JIT, apart, run_loop, signatures

__all__ = ["BIAS_FORWARD", "BACKWARD_BIAS", "bias_activation", "activation_backward", "relu_forward",
           "relu_backward", "output_delta"]


# --- forward: Z ← Z + b, out ← f(Z) ------------------------------------------------
@njit(**JIT)
def _forward_fits(Z, b, out, in_place):
    """Shapes agree, and the arrays written do not overlap what is read."""
    if b.size != Z.shape[1] or not apart(Z, b):
        return False
    if in_place:
        return True
    return out.shape[0] == Z.shape[0] and out.shape[1] == Z.shape[1] and apart(out, Z) and apart(out, b)


_FORWARD = signatures("matrix", "vector", "matrix", "flag", "scalar")


@njit(_FORWARD, **JIT)
def _bias_relu(Z, b, out, in_place, zero):
    if not _forward_fits(Z, b, out, in_place):
        return False
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
    return True


@njit(_FORWARD, **JIT)
def _bias_leaky_relu(Z, b, out, in_place, slope):
    if not _forward_fits(Z, b, out, in_place):
        return False
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
    return True


@njit(_FORWARD, **JIT)
def _bias_identity(Z, b, out, in_place, unused):
    if not _forward_fits(Z, b, out, in_place):
        return False
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
    return True


@njit(signatures("vector", "vector", "flag", "scalar"), **JIT)
def _relu(Z, out, in_place, zero):
    if in_place:
        for i in range(Z.size):
            z = Z[i]
            Z[i] = z if not z <= zero else zero
        return True
    if out.size != Z.size or not apart(out, Z):
        return False
    for i in range(Z.size):
        z = Z[i]
        out[i] = z if not z <= zero else zero
    return True


# activation name -> (loop, the scalar it takes, made in the array's dtype,
# the activation's forward function the loop stands for)
BIAS_FORWARD: Registry[tuple] = Registry("fused bias and activation")
BIAS_FORWARD.register("relu", (_bias_relu, lambda cast: cast(0), ACTIVATIONS.get("relu").forward))
BIAS_FORWARD.register("leaky_relu", (_bias_leaky_relu, lambda cast: cast(LEAKY_SLOPE),
                                     ACTIVATIONS.get("leaky_relu").forward))
BIAS_FORWARD.register("identity", (_bias_identity, lambda cast: cast(0), ACTIVATIONS.get("identity").forward))


def _entry(registry, name):
    return registry.get(name) if name in registry else None


def bias_activation(activation, Z, b, out):
    """Z ← Z + b and out ← activation(Z), in one pass where a loop is
    registered; ``out`` may be ``Z``."""
    entry = _entry(BIAS_FORWARD, activation.name)
    # the loop only stands for the registered function: an activation of the
    # same name with other functions (a user's own, or one a test has made
    # wrong on purpose) runs its own
    if entry is not None and activation.forward is entry[2]:
        loop, scalar, _ = entry
        if run_loop(loop, Z, b, out, out is Z, scalar(Z.dtype.type)):
            return out
    return numpy_kernels.bias_activation(activation, Z, b, out)


def relu_forward(Z, out):
    """out ← maximum(Z, 0) in one pass."""
    flat = numpy_kernels.flat_views(Z, out)
    if flat is not None:
        if run_loop(_relu, *flat, out is Z, Z.dtype.type(0)):
            return out
    return numpy_kernels.relu_forward(Z, out)


# --- backward: out ← f'(z)·dA, bias_grad ← Σ_rows out ------------------------------
@njit(signatures("vector", "vector", "vector", "flag", "scalar", "scalar"), **JIT)
def _relu_backward(dA, A, out, in_place, one, zero):
    # dA·1 or dA·0, exactly NumPy's product with the 0/1 mask (so an off unit
    # gets ±0, as there)
    if A.size != dA.size or not apart(A, dA):
        return False
    if in_place:
        for i in range(dA.size):
            dA[i] = dA[i] * (one if A[i] > zero else zero)
        return True
    if out.size != dA.size or not (apart(out, dA) and apart(out, A)):
        return False
    for i in range(dA.size):
        out[i] = dA[i] * (one if A[i] > zero else zero)
    return True


@njit(signatures("matrix", "matrix", "matrix", "vector", "flag", "scalar", "scalar"), **JIT)
def _relu_backward_bias(dA, A, out, bias_grad, in_place, one, zero):
    rows, width = dA.shape
    if A.shape[0] != rows or A.shape[1] != width or bias_grad.size != width or width < 2:
        return False  # (one column: NumPy sums it pairwise)
    if not (apart(A, dA) and apart(bias_grad, dA) and apart(bias_grad, A)):
        return False
    if not in_place and not (out.shape[0] == rows and out.shape[1] == width and apart(out, dA)
                             and apart(out, A) and apart(out, bias_grad)):
        return False
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
    return True


# activation name -> (loop, the activation's backward function it stands for)
BACKWARD_BIAS: Registry = Registry("fused activation gradient and bias sum")
BACKWARD_BIAS.register("relu", (_relu_backward_bias, ACTIVATIONS.get("relu").backward))


def relu_backward(dA, A, out):
    """out ← dA where a > 0, ±0 elsewhere, in one pass."""
    flat = numpy_kernels.flat_views(dA, A, out)
    if flat is not None:
        cast = out.dtype.type
        if run_loop(_relu_backward, *flat, out is dA, cast(1), cast(0)):
            return out
    return numpy_kernels.relu_backward(dA, A, out)


def activation_backward(activation, dA, Z, A, out, bias_grad):
    """out ← the gradient through ``activation`` and, unless ``bias_grad`` is
    None, bias_grad ← the column sums of out, in one pass where a loop is
    registered; ``out`` may be ``dA``."""
    entry = None if bias_grad is None else _entry(BACKWARD_BIAS, activation.name)
    if entry is not None and activation.backward is entry[1]:
        loop, _ = entry
        cast = out.dtype.type
        if run_loop(loop, dA, A, out, bias_grad, out is dA, cast(1), cast(0)):
            return out
    return numpy_kernels.activation_backward(activation, dA, Z, A, out, bias_grad)


# --- the output layer: dZ ← (A − Y)·scale, bias_grad ← Σ_rows dZ ------------------
def _output_signatures():
    """Targets as 0/1 uint8 (a classifier's) or in the outputs' dtype."""
    found = []
    for dtype in (types.float32, types.float64):
        matrix = types.Array(dtype, 2, "C")
        for targets in (types.uint8, dtype):
            found.append(types.boolean(matrix, types.Array(targets, 2, "C"), dtype, types.boolean, matrix,
                                       types.Array(dtype, 1, "C"), types.boolean, dtype))
    return found


@njit(_output_signatures(), **JIT)
def _output_delta(A, Y, scale, scaled, dZ, bias_grad, summed, zero):
    rows, width = A.shape
    if Y.shape[0] != rows or Y.shape[1] != width or dZ.shape[0] != rows or dZ.shape[1] != width:
        return False
    if not (apart(dZ, A) and apart(dZ, Y)):
        return False
    if summed and (bias_grad.size != width or width < 2 or not (apart(bias_grad, A) and apart(bias_grad, Y)
                                                                 and apart(bias_grad, dZ))):
        return False
    if summed:
        for j in range(width):
            bias_grad[j] = zero
    for i in range(rows):
        for j in range(width):
            d = A[i, j] - Y[i, j]  # a uint8 target is taken exactly, in the outputs' dtype, as NumPy does
            if scaled:
                d = d * scale
            dZ[i, j] = d
            if summed:
                bias_grad[j] += d
    return True


def output_delta(A, Y, scale, dZ, bias_grad):
    """dZ ← A − Y, times ``scale`` unless it is None, and unless
    ``bias_grad`` is None, bias_grad ← the column sums of dZ, in one pass."""
    cast = dZ.dtype.type
    unused = bias_grad if bias_grad is not None else dZ[0]
    # targets or outputs of another dtype or layout go to NumPy, whose casting rules apply
    if run_loop(_output_delta, A, Y, cast(0 if scale is None else scale), scale is not None, dZ, unused,
                bias_grad is not None, cast(0)):
        return dZ
    return numpy_kernels.output_delta(A, Y, scale, dZ, bias_grad)


def warm_up(dtype):
    """Run each loop once for ``dtype`` (see numba_kernels)."""
    Z, b = np.zeros((1, 2), dtype), np.zeros(2, dtype)
    for name in BIAS_FORWARD:
        activation = ACTIVATIONS.get(name)
        bias_activation(activation, Z, b, Z)
        bias_activation(activation, Z, b, Z.copy())
    activation_backward(ACTIVATIONS.get("relu"), Z, Z.copy(), Z.copy(), Z, np.zeros(2, dtype))
    output_delta(Z.copy(), np.zeros((1, 2), np.uint8), 0.5, Z, np.zeros(2, dtype))
    output_delta(Z.copy(), Z.copy(), None, Z, None)
    output_delta(Z.copy(), Z.copy(), 0.5, Z, np.zeros(2, dtype))
    relu_forward(Z, Z)
    relu_forward(Z, Z.copy())
    relu_backward(Z, Z.copy(), Z)
    relu_backward(Z, Z.copy(), Z.copy())

"""The pure-NumPy kernels: whole-array passes with ``out=``.

The grouping of every operation is scikit-learn's, so in float64 equal
gradients give bit-equal parameters (in float32 glassnet stays in float32
where scikit-learn lifts the update to float64). Python floats are "weak" scalars in NumPy, so they are
applied in the parameters' dtype; the learning rate may arrive as a NumPy
float64, which would silently lift a float32 product to float64, so it is cast
first.

Where a pass would need a second work array as long as the parameters, it
runs a block at a time through a small per-thread buffer instead: the
arithmetic per element is the same, and the memory is one block, not a
second copy of the parameters.
"""

from __future__ import annotations

import threading

import numpy as np

NAME = "numpy"
ADAM_SCRATCH = 1
SGD_SCRATCH = 2

# elements per block of a blocked pass: 128 KB of float32, which stays in cache
BLOCK = 1 << 15

_local = threading.local()


def _block_buffer(dtype):
    """This thread's block buffer for ``dtype`` (per thread, so that two
    models training at once in two threads never share one)."""
    buffers = _local.__dict__.setdefault("buffers", {})
    buffer = buffers.get(dtype)
    if buffer is None:
        buffer = buffers[dtype] = np.empty(BLOCK, dtype)
    return buffer


def _small_buffer(like):
    """This thread's block buffer as an array shaped like ``like`` (at most
    BLOCK elements): the work array of a one-block pass. On small networks a
    step is dozens of calls of a few microseconds each, so the one-block
    case skips the flat views and slices of the blocked loop."""
    return _block_buffer(like.dtype)[: like.size].reshape(like.shape)


def flat_views(*arrays):
    """1-D views of C-contiguous arrays of one shape and dtype, or None when
    some array has another layout (and so cannot be viewed flat)."""
    first = arrays[0]
    if all(a.flags.c_contiguous and a.shape == first.shape and a.dtype == first.dtype for a in arrays):
        return [a.reshape(-1) for a in arrays]
    return None


def _blocks(n):
    """``(slice, length)`` of each block of a vector of n elements."""
    if n <= BLOCK:  # the common case for small networks: one block
        return ((slice(None), n),)
    blocks = []
    for start in range(0, n, BLOCK):
        stop = min(start + BLOCK, n)
        blocks.append((slice(start, stop), stop - start))
    return blocks


def adam_step(params, grads, m, v, scratch, rate, beta_1, beta_2, epsilon):
    work = scratch[0]
    rate = params.dtype.type(rate)
    # m ← β₁·m + (1 − β₁)·g
    m *= beta_1
    np.multiply(grads, 1 - beta_1, out=work)
    m += work
    # v ← β₂·v + (1 − β₂)·g²
    v *= beta_2
    np.multiply(grads, grads, out=work)
    work *= 1 - beta_2
    v += work
    # p ← p + (−rate·m)/(sqrt(v) + ε), the last three passes a block at a time
    np.sqrt(v, out=work)
    work += epsilon
    if params.size <= BLOCK:  # a small network: one block, whatever the layout, no views to build
        update = np.multiply(m, -rate, out=_small_buffer(params))
        update /= work
        params += update
        return
    flat = flat_views(params, m, work)
    if flat is None:  # arrays of some other layout: one temporary instead
        update = m * -rate
        update /= work
        params += update
        return
    params, m, work = flat
    buffer = _block_buffer(params.dtype)
    for rows, size in _blocks(params.size):
        update = np.multiply(m[rows], -rate, out=buffer[:size])
        update /= work[rows]
        params[rows] += update


def sgd_step(params, grads, velocity, scratch, rate, momentum, nesterov):
    scaled, nesterov_step = scratch[:2]
    rate = params.dtype.type(rate)
    np.multiply(grads, rate, out=scaled)
    if momentum == 0.0:
        params -= scaled
        return
    # velocity ← momentum·velocity − rate·g
    velocity *= momentum
    velocity -= scaled
    if nesterov:
        # look ahead: the step is momentum·velocity − rate·g
        np.multiply(velocity, momentum, out=nesterov_step)
        nesterov_step -= scaled
        params += nesterov_step
    else:
        params += velocity


def add_scaled(target, source, scale):
    """target ← target + scale·source (the L2 term of the gradient), a block
    at a time, so no temporary as long as the weights is made."""
    scale = target.dtype.type(scale)
    # one block, no views to build (mixed dtypes take the general path below, as before)
    if target.size <= BLOCK and source.shape == target.shape and source.dtype == target.dtype:
        target += np.multiply(source, scale, out=_small_buffer(target))
        return
    flat = flat_views(target, source)
    if flat is None:  # arrays of some other layout: one temporary instead
        target += scale * source
        return
    target, source = flat
    buffer = _block_buffer(target.dtype)
    for rows, size in _blocks(target.size):
        target[rows] += np.multiply(source[rows], scale, out=buffer[:size])


# dtypes whose maximum against a row of zeros runs faster than against the
# scalar 0 (float32: 23 against 67 µs on a 256×512 array here; float64: no
# faster). Same ufunc, same numbers: only NumPy's inner loop differs.
_ZERO_ROW_DTYPES = frozenset({np.dtype(np.float32)})
_zero_rows: dict = {}


def _zero_row(like):
    """A read-only row of zeros as wide as ``like``'s last axis, made once."""
    key = (like.dtype, like.shape[-1:])
    row = _zero_rows.get(key)
    if row is None:
        row = np.zeros(like.shape[-1:], like.dtype)
        row.flags.writeable = False
        row = _zero_rows.setdefault(key, row)
    return row


def relu_forward(Z, out):
    """out ← maximum(Z, 0): NaN stays NaN, −0 becomes +0."""
    if Z.dtype in _ZERO_ROW_DTYPES and Z.ndim:
        return np.maximum(Z, _zero_row(Z), out=out)
    return np.maximum(Z, 0, out=out)


def bias_activation(activation, Z, b, out):
    """Z ← Z + b, out ← activation(Z) (``out`` may be ``Z``): two passes here,
    one in the numba kernels."""
    Z += b
    return activation.forward(Z, out)


def activation_backward(activation, dA, Z, A, out, bias_grad):
    """out ← the gradient through ``activation`` (``out`` may be ``dA``) and,
    unless ``bias_grad`` is None, bias_grad ← the column sums of out."""
    activation.backward(dA, Z, A, out)
    if bias_grad is not None:
        out.sum(axis=0, out=bias_grad)
    return out


def output_delta(A, Y, scale, dZ, bias_grad):
    """dZ ← A − Y (the output layer's gradient for a loss fused with its
    link), times ``scale`` unless it is None; unless ``bias_grad`` is None,
    bias_grad ← the column sums of dZ."""
    np.subtract(A, Y, out=dZ)
    if scale is not None:
        dZ *= scale
    if bias_grad is not None:
        dZ.sum(axis=0, out=bias_grad)
    return dZ


def relu_backward(dA, A, out):
    """out ← dA where the unit was on (a > 0), ±0 where it was off: one
    multiply by the mask (a masked copy is ten times slower)."""
    return np.multiply(dA, A > 0, out=out)

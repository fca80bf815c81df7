"""The pure-NumPy kernels: whole-array passes with ``out=``.

The grouping of every operation is scikit-learn's, so equal gradients give
bit-equal parameters. Python floats are "weak" scalars in NumPy, so they are
applied in the parameters' dtype; the learning rate may arrive as a NumPy
float64, which would silently lift a float32 product to float64, so it is cast
first.
"""

from __future__ import annotations

import numpy as np

NAME = "numpy"
ADAM_SCRATCH = 2
SGD_SCRATCH = 2


def adam_step(params, grads, m, v, scratch, rate, beta_1, beta_2, epsilon):
    work, update = scratch
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
    # p ← p + (−rate·m)/(sqrt(v) + ε)
    np.sqrt(v, out=work)
    work += epsilon
    np.multiply(m, -rate, out=update)
    update /= work
    params += update


def sgd_step(params, grads, velocity, scratch, rate, momentum, nesterov):
    scaled, nesterov_step = scratch
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
    """target ← target + scale·source (the L2 term of the gradient)."""
    target += scale * source


def relu_backward(dA, A, out):
    """out ← dA where the unit was on (a > 0), ±0 where it was off: one
    multiply by the mask (a masked copy is ten times slower)."""
    return np.multiply(dA, A > 0, out=out)

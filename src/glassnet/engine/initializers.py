"""Weight initialisers: a registry of name -> ``init(rng, fan_in, fan_out, activation)``.

Each returns ``(W, b)`` in float64, ``W`` of shape (fan_in, fan_out) and ``b`` of
shape (fan_out,). Weights are drawn before biases, layer by layer, from the one
``numpy.random.Generator`` the network owns, so a seed fixes every number.
Drawing in float64 and casting afterwards makes float32 and float64 networks
start from the same values (up to rounding).
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from .._registry import Registry

__all__ = ["INITIALIZERS", "get_initializer"]

Initializer = Callable[[np.random.Generator, int, int, str], tuple[np.ndarray, np.ndarray]]

INITIALIZERS: Registry[Initializer] = Registry("init")


def get_initializer(name: str) -> Initializer:
    return INITIALIZERS.get(name)


def _uniform(rng, fan_in, fan_out, activation):
    # the article: np.random.rand, i.e. uniform on [0, 1), and biases alike
    return rng.random((fan_in, fan_out)), rng.random(fan_out)


def _glorot(rng, fan_in, fan_out, activation):
    # Glorot & Bengio (2010): U(−r, r) with r = sqrt(6 / (fan_in + fan_out)),
    # which keeps the activation variance constant across tanh/relu layers.
    # For logistic units the factor is 2 instead of 6 (the sigmoid's slope at
    # 0 is 1/4). This is scikit-learn's MLP scheme, biases drawn the same way.
    factor = 2.0 if activation == "logistic" else 6.0
    bound = np.sqrt(factor / (fan_in + fan_out))
    W = rng.uniform(-bound, bound, (fan_in, fan_out))
    b = rng.uniform(-bound, bound, fan_out)
    return W, b


def _he(rng, fan_in, fan_out, activation):
    # He et al. (2015): N(0, 2 / fan_in) keeps the variance of relu layers
    # constant; biases start at zero.
    W = rng.normal(0.0, np.sqrt(2.0 / fan_in), (fan_in, fan_out))
    return W, np.zeros(fan_out)


INITIALIZERS.register("uniform", _uniform)
INITIALIZERS.register("glorot", _glorot)
INITIALIZERS.alias("xavier", "glorot")
INITIALIZERS.register("he", _he)

import warnings

import numpy as np
import pytest

from glassnet.engine.activations import ACTIVATIONS, get_activation

ALL = ACTIVATIONS.names()
ELEMENTWISE = [name for name in ALL if ACTIVATIONS.get(name).elementwise]


def reference(name, z):
    """Textbook formulas, evaluated in float64 at moderate z."""
    z = z.astype(np.float64)
    if name == "identity":
        return z
    if name == "logistic":
        return 1 / (1 + np.exp(-z))
    if name == "tanh":
        return np.tanh(z)
    if name == "relu":
        return np.maximum(z, 0)
    if name == "leaky_relu":
        return np.where(z > 0, z, 0.01 * z)
    if name == "elu":
        return np.where(z > 0, z, np.exp(z) - 1)
    if name == "gelu":
        from math import erf

        return z * 0.5 * (1 + np.vectorize(erf)(z / np.sqrt(2)))
    if name == "swish":
        return z / (1 + np.exp(-z))
    if name == "exp":
        return np.exp(z)
    if name == "softmax":
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)
    raise AssertionError(name)


@pytest.mark.parametrize("name", ALL)
def test_forward_matches_textbook_formula(name):
    z = np.random.default_rng(0).normal(scale=3, size=(5, 4))
    np.testing.assert_allclose(get_activation(name)(z), reference(name, z), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", ALL)
def test_backward_is_the_vector_jacobian_product(name):
    # dL/dZ for L = <G, f(Z)> equals the central difference of L in each z
    rng = np.random.default_rng(1)
    z = rng.normal(scale=2, size=(3, 4))
    z[np.abs(z) < 1e-3] = 0.5  # stay off the kinks of relu-like functions
    g = rng.normal(size=z.shape)
    act = get_activation(name)
    a = act(z)
    analytic = act.backward(g.copy(), z, a, np.empty_like(z))
    h = 1e-6
    numeric = np.zeros_like(z)
    for idx in np.ndindex(z.shape):
        zp, zm = z.copy(), z.copy()
        zp[idx] += h
        zm[idx] -= h
        numeric[idx] = (np.sum(g * act(zp)) - np.sum(g * act(zm))) / (2 * h)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("big", [1e4, 1e30])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", [n for n in ALL if n != "exp"])
def test_stable_and_silent_at_plus_minus_1e4_and_1e30(name, dtype, big):
    z = np.array([[-big, -30.0, 0.0, 30.0, big]], dtype=dtype)
    act = get_activation(name)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # underflow to 0 is exact enough and silent by default; overflow,
        # invalid values and division by zero are not allowed
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            a = act(z)
            d = act.backward(np.ones_like(z), z, a, np.empty_like(z))
    assert a.dtype == dtype and d.dtype == dtype
    assert np.isfinite(a).all() and np.isfinite(d).all()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_saturation_values_at_extremes(dtype):
    z = np.array([[-1e4, 1e4]], dtype=dtype)
    assert get_activation("logistic")(z).tolist() == [[0.0, 1.0]]
    assert get_activation("tanh")(z).tolist() == [[-1.0, 1.0]]
    np.testing.assert_array_equal(get_activation("softmax")(z), [[0.0, 1.0]])
    np.testing.assert_allclose(get_activation("elu")(z), [[-1.0, 1e4]])
    np.testing.assert_allclose(get_activation("swish")(z), [[0.0, 1e4]])
    np.testing.assert_allclose(get_activation("gelu")(z), [[0.0, 1e4]])


@pytest.mark.parametrize("name", [n for n in ALL if not get_activation(n).needs_z])
def test_in_place_forward_keeps_backward_correct(name):
    # the engine overwrites Z with A for these; backward must then need only A
    z = np.random.default_rng(2).normal(size=(4, 3))
    act = get_activation(name)
    a = act(z)
    g = np.ones_like(z)
    separate = act.backward(g.copy(), z, a, np.empty_like(z))
    zz = z.copy()
    act.forward(zz, zz)
    np.testing.assert_array_equal(act.backward(g.copy(), zz, zz, np.empty_like(z)), separate)


def test_softmax_rows_sum_to_one_and_sigmoid_alias():
    z = np.random.default_rng(3).normal(scale=50, size=(6, 5))
    np.testing.assert_allclose(get_activation("softmax")(z).sum(axis=1), 1.0)
    assert get_activation("sigmoid") is get_activation("logistic")


def test_unknown_activation_lists_valid_names():
    with pytest.raises(ValueError, match=r"unknown activation 'rleu'; expected one of: identity, logistic, .*relu"):
        get_activation("rleu")

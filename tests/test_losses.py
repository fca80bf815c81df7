import warnings

import numpy as np
import pytest
from scipy.special import expit, softmax
from sklearn import metrics

from glassnet.engine.losses import LOSSES, get_loss, reduce_per_sample


def test_squared_error_is_half_sum_of_squares():
    Y = np.array([[1.0, 0.0], [0.5, 2.0]])
    A = np.array([[0.0, 0.0], [1.5, 1.0]])
    # row 1: ½(1²) = 0.5; row 2: ½(1² + 1²) = 1.0
    np.testing.assert_allclose(get_loss("squared_error").per_sample(Y, A, A), [0.5, 1.0])


def test_absolute_and_huber_by_hand():
    Y = np.array([[0.0], [0.0]])
    A = np.array([[0.5], [3.0]])
    np.testing.assert_allclose(get_loss("absolute_error").per_sample(Y, A, A), [0.5, 3.0])
    # huber with delta 1: ½·0.5² = 0.125; 1·(3 − ½) = 2.5
    np.testing.assert_allclose(get_loss("huber").per_sample(Y, A, A), [0.125, 2.5])


def test_binary_crossentropy_matches_sklearn_log_loss():
    rng = np.random.default_rng(0)
    Z = rng.normal(scale=3, size=(20, 1))
    Y = (rng.random((20, 1)) < 0.5).astype(float)
    per = get_loss("binary_crossentropy").per_sample(Y, Z, expit(Z))
    assert reduce_per_sample(per, "mean") == pytest.approx(metrics.log_loss(Y[:, 0], expit(Z[:, 0])), rel=1e-12)


def test_categorical_crossentropy_matches_sklearn_log_loss():
    rng = np.random.default_rng(1)
    Z = rng.normal(scale=3, size=(20, 4))
    labels = rng.integers(0, 4, 20)
    Y = np.eye(4)[labels]
    per = get_loss("categorical_crossentropy").per_sample(Y, Z, softmax(Z, axis=1))
    expected = metrics.log_loss(labels, softmax(Z, axis=1), labels=range(4))
    assert reduce_per_sample(per, "mean") == pytest.approx(expected, rel=1e-12)


def test_poisson_matches_half_deviance():
    rng = np.random.default_rng(2)
    Z = rng.normal(size=(15, 1))
    Y = rng.poisson(2.0, size=(15, 1)).astype(float)
    per = get_loss("poisson").per_sample(Y, Z, np.exp(Z))
    expected = metrics.mean_poisson_deviance(Y[:, 0], np.exp(Z[:, 0])) / 2
    assert reduce_per_sample(per, "mean") == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_crossentropies_from_logits_are_finite_at_certainty(dtype):
    # p ∈ {0, 1}: a confident wrong answer costs |z|, a right one costs 0
    Z = np.array([[1e4], [-1e4], [1e4]], dtype=dtype)
    Y = np.array([[1.0], [1.0], [0.0]], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        per = get_loss("binary_crossentropy").per_sample(Y, Z, expit(Z))
    np.testing.assert_allclose(per, [0.0, 1e4, 1e4])
    Z2 = np.array([[1e4, -1e4], [-1e4, 1e4]], dtype=dtype)
    Y2 = np.array([[1.0, 0.0], [1.0, 0.0]], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        per = get_loss("categorical_crossentropy").per_sample(Y2, Z2, softmax(Z2, axis=1))
    np.testing.assert_allclose(per, [0.0, 2e4])


def test_reductions_and_sample_weights():
    values = np.array([1.0, 2.0, 6.0])
    assert reduce_per_sample(values, "mean") == 3.0
    assert reduce_per_sample(values, "sum") == 9.0
    w = np.array([1.0, 0.0, 3.0])
    assert reduce_per_sample(values, "mean", w) == pytest.approx((1 + 18) / 4)
    assert reduce_per_sample(values, "sum", w) == 19.0


@pytest.mark.parametrize("name", LOSSES.names())
def test_output_gradient_is_derivative_of_per_sample(name):
    loss = get_loss(name)
    rng = np.random.default_rng(3)
    A = rng.uniform(0.2, 0.8, size=(4, 3)) if name != "poisson" else rng.uniform(0.5, 2, size=(4, 3))
    Y = rng.uniform(0, 1, size=(4, 3))
    if name == "categorical_crossentropy":
        A = A / A.sum(axis=1, keepdims=True)
        Y = np.eye(3)[[0, 1, 2, 0]]
    # per_sample reads logits for the cross-entropies; turn o back into z
    to_z = {"binary_crossentropy": lambda a: np.log(a / (1 - a)), "categorical_crossentropy": np.log, "poisson": np.log}
    z_of = to_z.get(name, lambda a: a)
    h = 1e-7
    numeric = np.zeros_like(A)
    for idx in np.ndindex(A.shape):
        if name == "categorical_crossentropy":
            continue  # a softmax row cannot move one entry alone; covered by the fused gradient checks
        Ap, Am = A.copy(), A.copy()
        Ap[idx] += h
        Am[idx] -= h
        numeric[idx] = (loss.per_sample(Y, z_of(Ap), Ap).sum() - loss.per_sample(Y, z_of(Am), Am).sum()) / (2 * h)
    if name != "categorical_crossentropy":
        np.testing.assert_allclose(loss.output_gradient(Y, A), numeric, rtol=1e-5, atol=1e-7)


def test_unknown_loss_lists_valid_names():
    with pytest.raises(ValueError, match="unknown loss 'mse'; expected one of: squared_error"):
        get_loss("mse")



@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", sorted(LOSSES.names()))
def test_every_loss_value_is_finite_for_outputs_of_plus_minus_1e30(name, dtype):
    """The network computes loss values in float64 from its outputs, so
    ±1e30 in float32 (whose square overflows float32) still gives a number."""
    import glassnet

    loss = name
    output = {"binary_crossentropy": "logistic", "categorical_crossentropy": "softmax", "poisson": "exp"}.get(name, "identity")
    network = glassnet.Network([2, 2], output_activation=output, loss=loss, dtype=dtype.__name__, bias=False,
                               rng=np.random.default_rng(0))
    network.params[:] = [1, 0, 0, 1]  # outputs equal inputs before the output activation
    X = np.array([[1e30, -1e30], [-1e30, 1e30]], dtype=dtype)
    Y = np.array([[1.0, 0.0], [0.0, 1.0]], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        if name == "poisson":
            # exp(1e30) is beyond every float: a clear error, never inf
            with pytest.raises(ValueError, match="overflowed"):
                network.predict(X)
            return
        value = network.loss_value(X, Y)
    assert np.isfinite(value)

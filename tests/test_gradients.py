"""Every activation × loss × bias on/off: analytic gradients against central
finite differences, relative error below 1e-6 in float64."""

import warnings

import numpy as np
import pytest
from sklearn.base import BaseEstimator

import glassnet
from glassnet.engine.activations import ACTIVATIONS, Activation
from glassnet.glassbox.gradcheck import check_gradients, numerical_gradient, relative_error
from glassnet.engine.learner import Learner
from glassnet.engine.network import Network

HIDDEN = [name for name in ACTIVATIONS.names() if name not in ("softmax", "exp")]
# each loss with the output activations it is defined for
LOSS_OUTPUTS = [
    ("squared_error", "identity"),
    ("squared_error", "logistic"),
    ("squared_error", "softmax"),
    ("absolute_error", "tanh"),
    ("huber", "identity"),
    ("binary_crossentropy", "logistic"),
    ("categorical_crossentropy", "softmax"),
    ("poisson", "exp"),
]


def data(loss, n=7, n_in=4, n_out=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, n_in))
    if loss == "categorical_crossentropy":
        Y = np.eye(n_out)[rng.integers(0, n_out, n)]
    elif loss == "poisson":
        Y = rng.poisson(1.5, size=(n, n_out)).astype(float)
    else:
        Y = rng.random((n, n_out))
    return X, Y


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("loss,output", LOSS_OUTPUTS)
@pytest.mark.parametrize("hidden", HIDDEN)
def test_gradients_match_finite_differences(hidden, loss, output, bias):
    net = Network([4, 5, 3, 3], hidden, output, loss, bias=bias, init="glorot", rng=np.random.default_rng(1))
    X, Y = data(loss)
    assert check_gradients(net, X, Y) < 1e-6


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_l2_penalty_and_sample_weights_gradients(reduction):
    net = Network([3, 4, 2], "tanh", "identity", l2=0.3, reduction=reduction, rng=np.random.default_rng(2))
    X, Y = data("squared_error", n_in=3, n_out=2)
    w = np.random.default_rng(3).uniform(0.1, 3, size=X.shape[0])
    _, analytic = net.loss_and_gradient(X, Y, w)
    analytic = analytic.copy()
    assert relative_error(analytic, numerical_gradient(net, X, Y, w)) < 1e-6


def test_broken_gradient_scores_large():
    net = Network([3, 4, 1], "tanh", "identity", rng=np.random.default_rng(0))
    X, Y = data("squared_error", n_in=3, n_out=1)
    _, analytic = net.loss_and_gradient(X, Y)
    broken = analytic.copy()
    broken[: net.n_weights // 2] *= -1
    assert relative_error(broken, numerical_gradient(net, X, Y)) > 0.1


def test_check_gradients_accepts_neural_network_and_float32():
    nn = glassnet.NeuralNetwork(layers=[3, 4, 2], bias=True, init="glorot", seed=0, dtype="float32")
    X, Y = data("squared_error", n_in=3, n_out=2)
    before = nn.network.params.copy()
    assert check_gradients(nn, X, Y) < 1e-6
    np.testing.assert_array_equal(nn.network.params, before)


def test_check_gradients_rejects_foreign_objects():
    with pytest.raises(ValueError, match="check_gradients needs a glassnet model"):
        check_gradients(object(), np.zeros((1, 1)), np.zeros(1))


def test_check_gradients_catches_a_broken_backward(monkeypatch):
    # logistic with a wrong derivative (a instead of a(1 − a)): the check must see it
    logistic = ACTIVATIONS.get("logistic")
    broken = Activation("broken_logistic", logistic.forward, lambda dA, Z, A, out: np.multiply(dA, A, out=out))
    monkeypatch.setitem(ACTIVATIONS._items, "broken_logistic", broken)
    net = Network([3, 4, 1], "broken_logistic", "identity", rng=np.random.default_rng(0))
    X, Y = data("squared_error", n_in=3, n_out=1)
    assert check_gradients(net, X, Y) > 0.1
    assert check_gradients(Network([3, 4, 1], "logistic", "identity", rng=np.random.default_rng(0)), X, Y) < 1e-6


def test_check_gradients_on_an_unfitted_estimator_is_a_value_error():
    from glassnet import MLPRegressor

    X, Y = data("squared_error", n_in=3, n_out=1)
    with pytest.raises(ValueError, match="this MLPRegressor is not fitted yet: call fit before check_gradients"):
        check_gradients(MLPRegressor(hidden_layer_sizes=(4,)), X, Y)
    fitted = MLPRegressor(hidden_layer_sizes=(4,), activation="tanh", max_iter=5, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted.fit(X, Y.ravel())
    assert check_gradients(fitted, X, Y.ravel()) < 1e-6


def test_check_gradients_refuses_what_is_not_a_glassnet_model():
    class _Lookalike(BaseEstimator):
        """Has a learner_, but no front door registered it."""

        def fit(self, X, y):
            self.learner_ = Learner(Network([X.shape[1], 4, 1], "tanh", "identity", rng=np.random.default_rng(0)))
            return self

    X, Y = data("squared_error", n_in=3, n_out=1)
    with pytest.raises(ValueError, match="check_gradients needs a glassnet model .*got _Lookalike"):
        check_gradients(_Lookalike().fit(X, Y), X, Y)

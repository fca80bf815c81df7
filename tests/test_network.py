import numpy as np
import pytest
import scipy.sparse as sp

from glassnet.engine.network import Network


def test_layers_are_views_into_one_flat_vector():
    net = Network([3, 4, 2], rng=np.random.default_rng(0))
    assert net.params.size == 3 * 4 + 4 * 2 + 4 + 2
    net.weights[0][0, 0] = 7.0
    assert net.params[0] == 7.0
    net.weights[1] = np.full((4, 2), 2.0)  # assignment copies into the view
    np.testing.assert_array_equal(net.params[12:20], 2.0)
    with pytest.raises(ValueError, match=r"weights\[1\] has shape \(4, 2\); got an array of shape \(2, 2\)"):
        net.weights[1] = np.zeros((2, 2))


def test_forward_by_hand():
    net = Network([2, 2, 1], "relu", "identity", rng=np.random.default_rng(0))
    net.weights = [np.array([[1.0, -1.0], [2.0, 0.5]]), np.array([[3.0], [-2.0]])]
    net.biases = [np.array([0.5, 0.0]), np.array([1.0])]
    X = np.array([[1.0, 1.0], [-1.0, 0.0]])
    # row 1: z1 = [1+2+0.5, −1+0.5] = [3.5, −0.5] → a1 = [3.5, 0] → 3·3.5 + 1 = 11.5
    # row 2: z1 = [−1+0.5, 1] = [−0.5, 1] → a1 = [0, 1] → −2 + 1 = −1
    np.testing.assert_allclose(net.forward(X), [[11.5], [-1.0]])
    np.testing.assert_allclose(net.predict(X), [[11.5], [-1.0]])


def test_no_bias_means_fixed_zero_biases():
    net = Network([3, 2, 1], bias=False, rng=np.random.default_rng(0))
    assert net.params.size == 3 * 2 + 2
    assert all(not b.any() for b in net.biases)
    with pytest.raises(ValueError, match="no biases"):
        net.biases[0] = np.ones(2)


@pytest.mark.parametrize("init", ["uniform", "glorot", "he"])
def test_initializers_are_seeded_and_scaled(init):
    a = Network([50, 40, 3], "relu", init=init, rng=np.random.default_rng(5))
    b = Network([50, 40, 3], "relu", init=init, rng=np.random.default_rng(5))
    np.testing.assert_array_equal(a.params, b.params)
    W = a.weights[0]
    if init == "uniform":
        assert W.min() >= 0 and W.max() < 1 and abs(W.mean() - 0.5) < 0.05
    elif init == "glorot":
        bound = np.sqrt(6 / 90)
        assert np.abs(W).max() <= bound and np.abs(W).max() > 0.9 * bound
    else:
        assert abs(W.std() - np.sqrt(2 / 50)) < 0.02 and not a.biases[0].any()


def test_glorot_uses_factor_two_for_logistic():
    W = Network([50, 40, 3], "logistic", init="glorot", rng=np.random.default_rng(0)).weights[0]
    assert np.abs(W).max() <= np.sqrt(2 / 90)


def test_float32_end_to_end():
    net = Network([3, 4, 2], "tanh", dtype="float32", rng=np.random.default_rng(0))
    X = np.ones((5, 3), np.float32)
    Y = np.zeros((5, 2), np.float32)
    loss, grad = net.loss_and_gradient(X, Y)
    assert net.params.dtype == grad.dtype == net.forward(X).dtype == net.predict(X).dtype == np.float32


def test_sparse_input_gives_the_same_gradient_as_dense():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(6, 5)) * (rng.random((6, 5)) < 0.4)
    Y = rng.random((6, 2))
    net = Network([5, 3, 2], "relu", rng=np.random.default_rng(1))
    dense_loss, dense = net.loss_and_gradient(X, Y)
    dense = dense.copy()
    sparse_loss, sparse = net.loss_and_gradient(sp.csr_matrix(X), Y)
    assert sparse_loss == pytest.approx(dense_loss)
    np.testing.assert_allclose(sparse, dense, rtol=1e-12)


def test_config_round_trip_and_copy():
    net = Network([3, 4, 2], "gelu", "softmax", "categorical_crossentropy", l2=0.1, rng=np.random.default_rng(0))
    copy = Network.from_config(net.config(), net.params)
    X = np.random.default_rng(1).normal(size=(4, 3))
    np.testing.assert_array_equal(copy.predict(X), net.predict(X))
    assert net.copy(dtype="float32").params.dtype == np.float32


@pytest.mark.parametrize(
    "kwargs,message",
    [
        (dict(layer_sizes=[3]), "at least two positive integers"),
        (dict(layer_sizes=[3, 0, 1]), "at least two positive integers"),
        (dict(layer_sizes=[3, 1], loss="binary_crossentropy"), "needs output_activation 'logistic'"),
        (dict(layer_sizes=[3, 1], reduction="median"), "unknown reduction 'median'; expected one of: mean, sum"),
        (dict(layer_sizes=[3, 1], l2=-1), "l2 must be a finite number >= 0"),
        (dict(layer_sizes=[3, 1], dtype="float16"), "dtype must be 'float32' or 'float64'"),
        (dict(layer_sizes=[3, 1], init="zeros"), "unknown init 'zeros'; expected one of: uniform, glorot, he"),
    ],
)
def test_bad_configuration(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Network(**kwargs)


def test_repr_names_the_architecture():
    assert repr(Network([3, 4, 1], "relu")) == (
        "Network([3, 4, 1], hidden=relu, output=identity, loss=squared_error, bias=True, dtype=float64)"
    )

"""The per-epoch checks of the training loop, made cheaper, still decide what
the plain tests decide: every weight finite, a layer dead, a gradient zero."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp

from glassnet.engine import health
from glassnet.engine.network import Network
from glassnet.engine.optimizers import SGD
from glassnet.engine.training import StalledTrainingWarning, _all_finite, train


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("size", [1, 12, 5000, 40000])
def test_all_finite_agrees_with_isfinite_all(dtype, size):
    rng = np.random.default_rng(size)
    values = rng.normal(size=size).astype(dtype)
    # the training loop calls it under this errstate
    with np.errstate(over="ignore", invalid="ignore"):
        assert _all_finite(values)
        # finite entries whose squares overflow: the dot product is inf, the vector finite
        values[-1] = np.finfo(dtype).max / 4
        assert _all_finite(values)
        for bad in (np.nan, np.inf, -np.inf):
            broken = values.copy()
            broken[size // 2] = bad
            assert not _all_finite(broken)
        # +inf and −inf together: the sum of squares is inf, not a cancelling nan
        if size > 1:
            both = values.copy()
            both[0], both[1] = np.inf, -np.inf
            assert not _all_finite(both)


@pytest.mark.parametrize("size", [3, health._COUNT_UP_TO, health._COUNT_UP_TO + 1, 50000])
def test_all_zero_on_both_sides_of_the_count_limit(size):
    values = np.zeros(size)
    assert health._all_zero(values)
    values[-1] = -0.0
    assert health._all_zero(values)  # −0 is zero, as for ndarray.any
    values[size // 2] = 1e-300
    assert not health._all_zero(values)
    values[size // 2] = np.nan
    assert not health._all_zero(values)


def _stalled_messages(network, X, Y, epochs=2, batch_size=None):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = train(network, SGD(0.1), X, Y, epochs=epochs, batch_size=batch_size,
                       rng=np.random.default_rng(0))
    return result.stalled


@pytest.mark.parametrize("width", [8, 200])  # 200 units × 40 rows: past the count limit
def test_a_dead_hidden_layer_is_found_on_short_and_long_activations(width):
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(40, 5)), rng.normal(size=(40, 1))
    network = Network([5, width, 1], activation="relu", rng=np.random.default_rng(0))
    network.biases[0] = np.full(width, -1e3)  # every unit off on every row
    message = _stalled_messages(network, X, Y)
    assert message.startswith(f"hidden layer 1 (relu, {width} units) is inactive on every training row")
    # the dying layers passed in give the same message as looking them up
    assert health.stalled_layers(network, X, 0.1, health.dying_layers(network)) == health.stalled_layers(network, X, 0.1)
    assert health.dying_layers(network) == (0,)


@pytest.mark.parametrize("width", [3, 100])  # 100·100 weights: past the count limit
def test_an_exactly_zero_gradient_is_found_on_short_and_long_vectors(width):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(30, 4))
    network = Network([4, width, width, 1], activation="identity", bias=False, rng=np.random.default_rng(0))
    network.params[:] = 0.0
    message = _stalled_messages(network, X, np.zeros((30, 1)))
    assert message.startswith("the whole gradient is exactly zero")


def test_a_healthy_relu_network_on_mini_batches_is_not_stalled():
    rng = np.random.default_rng(2)
    X, Y = rng.normal(size=(300, 5)), rng.normal(size=(300, 1))
    network = Network([5, 64, 64, 1], activation="relu", init="he", rng=np.random.default_rng(0))
    assert _stalled_messages(network, X, Y, epochs=3, batch_size=32) == ""


@pytest.mark.parametrize("make", [np.asarray, sp.csr_matrix], ids=["dense", "sparse"])
def test_a_full_batch_trains_on_the_arrays_themselves_with_the_same_weights_as_a_view(make):
    # the full-batch path hands X itself to the network instead of X[0:n]; a
    # batch as large as the rows, reached through the slicing path of a
    # larger batch size, must give the same weights to the last bit
    rng = np.random.default_rng(3)
    X, Y = rng.normal(size=(20, 3)), rng.normal(size=(20, 1))
    weights = []
    for batch_size in (None, 20, 1000):
        network = Network([3, 4, 1], activation="tanh", rng=np.random.default_rng(0))
        train(network, SGD(0.05), make(X), Y, epochs=5, batch_size=batch_size, shuffle=False,
              rng=np.random.default_rng(0))
        weights.append(network.params.copy())
    np.testing.assert_array_equal(weights[0], weights[1])
    np.testing.assert_array_equal(weights[0], weights[2])


def test_a_weight_that_overflows_at_the_last_step_is_caught_and_rolled_back():
    # a rate that blows the weights up within an epoch: the loop must stop on
    # the non-finite weights (not only on a non-finite loss) and restore the
    # last finite epoch's weights
    rng = np.random.default_rng(4)
    X, Y = rng.normal(size=(10, 2)) * 1e100, rng.normal(size=(10, 1)) * 1e100
    network = Network([2, 1], activation="identity", rng=np.random.default_rng(0))
    before = network.params.copy()
    result = train(network, SGD(1e200), X, Y, epochs=3, rng=np.random.default_rng(0))
    assert result.stop_reason == "diverged" and result.epochs == 0
    assert "the weights stopped being finite" in result.message
    assert np.isfinite(network.params).all()
    np.testing.assert_array_equal(network.params, before)

"""The loss value the training loop records, computed with fewer calls, is the
value of the plain formulas: bit for bit where the arithmetic is the same, and
checked against independent computations (scipy, scikit-learn)."""

import numpy as np
import pytest
from scipy.special import logsumexp, softmax
from sklearn import metrics

from glassnet.engine.activations import get_activation
from glassnet.engine.losses import get_loss, reduce_per_sample, softmax_logsumexp
from glassnet.engine.network import Network


def _logits(rng, rows=40, classes=7):
    """Ordinary logits, and rows no naive formula survives: ±1e4, ±700 (exp
    overflows beyond 709), ties, one class far above the rest."""
    Z = rng.normal(scale=3, size=(rows, classes))
    Z[0] = 1e4
    Z[1] = -1e4
    Z[2] = np.linspace(-700, 700, classes)
    Z[3, 0] = 1e4
    Z[4, -1] = -1e4
    Z[5] = 0.0
    return Z


def _plain_crossentropy(Y, Z):
    """The cross-entropy as first written: −Σ y (z − logsumexp(z)) per row,
    with a fresh max, exp and sum."""
    m = Z.max(axis=1, keepdims=True)
    lse = np.log(np.exp(Z - m).sum(axis=1, keepdims=True)) + m
    return -(Y * (Z - lse)).sum(axis=1)


@pytest.mark.parametrize("seed", range(5))
def test_softmax_logsumexp_gives_the_activations_softmax_and_the_log_sum_exp_bit_for_bit(seed):
    Z = _logits(np.random.default_rng(seed))
    out = np.empty_like(Z)
    lse = softmax_logsumexp(Z, out)
    np.testing.assert_array_equal(out, get_activation("softmax")(Z))
    m = Z.max(axis=1, keepdims=True)
    np.testing.assert_array_equal(lse, np.log(np.exp(Z - m).sum(axis=1, keepdims=True)) + m)
    # and it is the log-sum-exp, by an independent implementation
    np.testing.assert_allclose(lse[:, 0], logsumexp(Z, axis=1), rtol=1e-15)


def test_softmax_logsumexp_of_a_non_finite_logit_is_non_finite():
    Z = np.array([[0.0, np.inf, 1.0], [np.nan, 0.0, 1.0], [0.0, 1.0, 2.0]])
    with np.errstate(invalid="ignore"):  # inf − inf, as the activation's softmax does
        lse = softmax_logsumexp(Z, np.empty_like(Z))
    assert not np.isfinite(lse[0, 0]) and not np.isfinite(lse[1, 0]) and np.isfinite(lse[2, 0])


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("targets", ["indicators", "soft"])
def test_crossentropy_per_sample_is_the_plain_formula_bit_for_bit(seed, targets):
    rng = np.random.default_rng(seed)
    Z = _logits(rng)
    labels = rng.integers(0, Z.shape[1], Z.shape[0])
    Y = np.eye(Z.shape[1], dtype=np.uint8)[labels] if targets == "indicators" else rng.dirichlet(np.ones(Z.shape[1]), Z.shape[0])
    loss = get_loss("categorical_crossentropy")
    expected = _plain_crossentropy(Y.astype(np.float64), Z)
    np.testing.assert_array_equal(loss.per_sample(Y.astype(np.float64), Z, softmax(Z, axis=1)), expected)
    # the path the forward pass feeds: the log-sum-exp it kept, uint8 targets as they are
    lse = softmax_logsumexp(Z, np.empty_like(Z))
    np.testing.assert_array_equal(loss.from_logsumexp(Y, Z, lse), expected)


def test_crossentropy_matches_scikit_learn_on_ordinary_logits():
    rng = np.random.default_rng(3)
    Z = rng.normal(scale=2, size=(50, 5))
    labels = rng.integers(0, 5, 50)
    lse = softmax_logsumexp(Z, np.empty_like(Z))
    per_sample = get_loss("categorical_crossentropy").from_logsumexp(np.eye(5, dtype=np.uint8)[labels], Z, lse)
    assert reduce_per_sample(per_sample, "mean") == pytest.approx(
        metrics.log_loss(labels, softmax(Z, axis=1), labels=range(5)), rel=1e-12)


@pytest.mark.parametrize("outputs", [1, 3])
def test_squared_error_per_sample_is_half_the_row_sum_of_squares_bit_for_bit(outputs):
    rng = np.random.default_rng(outputs)
    A = rng.normal(scale=1e3, size=(30, outputs))
    Y = rng.normal(size=(30, outputs))
    np.testing.assert_array_equal(get_loss("squared_error").per_sample(Y, A, A), 0.5 * ((A - Y) ** 2).sum(axis=1))


def _classifier(dtype, scale=1.0, l2=0.0):
    network = Network([6, 9, 4], activation="relu", output_activation="softmax", loss="categorical_crossentropy",
                      dtype=dtype, l2=l2, rng=np.random.default_rng(0))
    network.params *= scale
    return network


def _value_by_the_plain_formula(network, X, Y, sample_weight=None):
    """The loss value recomputed from the network's outputs, in float64."""
    Z, _ = network.output_values(X)
    per_sample = _plain_crossentropy(Y.astype(np.float64), Z.astype(np.float64))
    return reduce_per_sample(per_sample, network.reduction, sample_weight) + network.penalty(X.shape[0], sample_weight)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("scale", [1.0, 300.0])
@pytest.mark.parametrize("weighted", [False, True])
def test_the_networks_loss_value_is_the_plain_formulas_bit_for_bit(dtype, scale, weighted):
    # scale 300 drives logits into the thousands: the softmax saturates at 0 and 1
    rng = np.random.default_rng(7)
    X = rng.normal(size=(25, 6)).astype(dtype)
    Y = np.eye(4, dtype=np.uint8)[rng.integers(0, 4, 25)]
    sample_weight = rng.uniform(0.5, 2, 25) if weighted else None
    network = _classifier(dtype, scale, l2=0.01)
    assert network._keeps_logsumexp == (dtype == "float64")
    network.forward(X)
    assert network.output_loss(Y, sample_weight) == _value_by_the_plain_formula(network, X, Y, sample_weight)
    # the other ways to the value agree: no cache, and the tracing pass
    assert network.loss_and_output(X, Y, sample_weight)[0] == network.output_loss(Y, sample_weight)
    assert network.backpropagation(X, Y, sample_weight)[0] == network.output_loss(Y, sample_weight)


def test_the_kept_log_sum_exp_belongs_to_the_last_forward_pass_of_each_batch_size():
    # two batch sizes, two workspaces: each loss value must read its own pass
    rng = np.random.default_rng(8)
    network = _classifier("float64")
    X_big, X_small = rng.normal(size=(32, 6)), rng.normal(size=(5, 6))
    Y_big, Y_small = (np.eye(4, dtype=np.uint8)[rng.integers(0, 4, n)] for n in (32, 5))
    network.forward(X_big)
    network.forward(X_small)
    assert network.output_loss(Y_small) == _value_by_the_plain_formula(network, X_small, Y_small)
    # new rows and new weights through the first workspace again
    X_big = rng.normal(size=(32, 6))
    network.params *= 1.5
    network.forward(X_big)
    assert network.output_loss(Y_big) == _value_by_the_plain_formula(network, X_big, Y_big)

"""The per-epoch metrics against sklearn.metrics, with and without sample weights."""

import numpy as np
import pytest
from sklearn import metrics

from glassnet.engine.metrics import get_metric

rng = np.random.default_rng(0)
n = 40
weights = rng.uniform(0.1, 3.0, n)
Y_reg = rng.normal(size=(n, 3))
A_reg = Y_reg + rng.normal(scale=0.5, size=(n, 3))
classes = rng.integers(0, 4, n)
Y_onehot = np.eye(4)[classes]
A_softmax = rng.dirichlet(np.ones(4), n)
Y_labels = rng.integers(0, 2, (n, 3)).astype(float)
A_labels = rng.uniform(size=(n, 3))
Y_binary = rng.integers(0, 2, (n, 1)).astype(float)
A_binary = rng.uniform(0.01, 0.99, (n, 1))


@pytest.mark.parametrize("sample_weight", [None, weights], ids=["unweighted", "weighted"])
def test_metrics_agree_with_sklearn(sample_weight):
    w = {"sample_weight": sample_weight}
    assert get_metric("r2")(Y_reg, A_reg, sample_weight=sample_weight) == pytest.approx(metrics.r2_score(Y_reg, A_reg, **w), rel=1e-12)
    assert get_metric("mae")(Y_reg, A_reg, sample_weight=sample_weight) == pytest.approx(metrics.mean_absolute_error(Y_reg, A_reg, **w), rel=1e-12)
    assert get_metric("mse")(Y_reg, A_reg, sample_weight=sample_weight) == pytest.approx(metrics.mean_squared_error(Y_reg, A_reg, **w), rel=1e-12)
    assert get_metric("accuracy")(Y_onehot, A_softmax, sample_weight=sample_weight) == pytest.approx(
        metrics.accuracy_score(classes, A_softmax.argmax(axis=1), **w), rel=1e-12)
    assert get_metric("accuracy")(Y_binary, A_binary, sample_weight=sample_weight) == pytest.approx(
        metrics.accuracy_score(Y_binary[:, 0], A_binary[:, 0] >= 0.5, **w), rel=1e-12)
    assert get_metric("subset_accuracy")(Y_labels, A_labels, sample_weight=sample_weight) == pytest.approx(
        metrics.accuracy_score(Y_labels, (A_labels > 0.5).astype(float), **w), rel=1e-12)
    assert get_metric("log_loss")(Y_onehot, A_softmax, sample_weight=sample_weight) == pytest.approx(
        metrics.log_loss(classes, A_softmax, labels=range(4), **w), rel=1e-12)
    assert get_metric("log_loss")(Y_binary, A_binary, sample_weight=sample_weight) == pytest.approx(
        metrics.log_loss(Y_binary[:, 0], A_binary[:, 0], **w), rel=1e-12)


def test_r2_of_a_constant_target_is_finite_like_sklearn():
    Y = np.ones((5, 2))
    A = np.ones((5, 2))
    A[:, 1] += 0.1
    assert get_metric("r2")(Y, A) == metrics.r2_score(Y, A) == 0.5
    assert get_metric("r2").greater_is_better and get_metric("subset_accuracy").greater_is_better

import numpy as np
import pytest
from sklearn import metrics

import glassnet
from glassnet import NeuralNetwork


def sigmoid(s):
    return 1 / (1 + np.exp(-s))


@pytest.fixture
def tutorial():
    data = glassnet.load_tutorial()
    X = data.X_train / data.X_train.max(axis=0)
    return X, data.y_train


def test_default_is_the_articles_network():
    nn = NeuralNetwork(seed=0)
    assert nn.layers == [3, 3, 1]
    assert [w.shape for w in nn.weights] == [(3, 3), (3, 1)]
    assert all((w >= 0).all() and (w < 1).all() for w in nn.weights)
    assert not any(b.any() for b in nn.biases)  # no biases
    assert nn.network.reduction == "sum" and nn.optimizer.learning_rate == 1.0
    assert nn.metric == "mae" and nn.limit == 0.5 and nn.error_list == []


def test_forward_is_sigmoid_of_sigmoid(tutorial):
    X, _ = tutorial
    nn = NeuralNetwork(seed=3)
    W1, W2 = (w.copy() for w in nn.weights)
    np.testing.assert_allclose(nn.forward(X), sigmoid(sigmoid(X @ W1) @ W2), rtol=1e-14)


def test_one_backward_is_exactly_the_articles_update(tutorial):
    X, y = tutorial
    y = y[:, None]
    nn = NeuralNetwork(seed=7)
    W1, W2 = (w.copy() for w in nn.weights)
    o = nn.forward(X)
    # the article's backward, on the same forward values
    z2 = nn.network.layer_values(X)[0][1]
    o_error = y - o
    o_delta = o_error * (o * (1 - o))
    z2_error = o_delta.dot(W2.T)
    z2_delta = z2_error * (z2 * (1 - z2))
    W1 += X.T.dot(z2_delta)
    W2 += z2.T.dot(o_delta)
    nn.backward(X, y, o)
    np.testing.assert_array_equal(nn.weights[0], W1)
    np.testing.assert_array_equal(nn.weights[1], W2)


def test_hand_worked_single_weight_step():
    nn = NeuralNetwork(layers=[1, 1], seed=0)
    nn.weights = [np.array([[0.0]])]
    # o = σ(1·0) = 0.5; delta = (y − o)·o(1 − o) = 0.5·0.25 = 0.125; w += x·delta
    nn.backward([[1.0]], [1.0])
    assert nn.weights[0][0, 0] == 0.125


def test_train_records_the_articles_mae_per_epoch(tutorial):
    X, y = tutorial
    nn = NeuralNetwork(seed=1)
    first = nn.forward(X)
    nn.train(X, y, 200)
    assert len(nn.error_list) == 200
    # epoch 1's error is measured on the outputs before its update
    assert nn.error_list[0] == pytest.approx(np.mean(np.abs(y[:, None] - first)))
    assert nn.error_list[-1] < 0.25 * nn.error_list[0]
    assert nn.history["loss"][0] == pytest.approx(0.5 * np.sum((y[:, None] - first) ** 2))


def test_same_seed_bit_identical_different_seed_differs(tutorial):
    X, y = tutorial
    a = NeuralNetwork(seed=11, batch_size=2).train(X, y, 30)
    b = NeuralNetwork(seed=11, batch_size=2).train(X, y, 30)
    c = NeuralNetwork(seed=12, batch_size=2).train(X, y, 30)
    np.testing.assert_array_equal(a.network.params, b.network.params)
    assert a.history.records == b.history.records
    assert not np.array_equal(a.network.params, c.network.params)


def test_any_size_and_depth():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 5))
    Y = np.stack([X[:, 0] > 0, X[:, 1] > 0], axis=1).astype(float)
    nn = NeuralNetwork(layers=[5, 8, 6, 2], activation="tanh", output_activation="logistic", bias=True, init="glorot", learning_rate=0.5, reduction="mean", seed=0)
    nn.train(X, Y, 300)
    assert nn.forward(X).shape == (20, 2)
    assert nn.error_list[-1] < nn.error_list[0]
    assert NeuralNetwork(input_size=4, hidden_size=7, output_size=2).layers == [4, 7, 2]


def test_predict_gives_float_for_one_vector_and_arrays_otherwise(tutorial):
    X, y = tutorial
    nn = NeuralNetwork(seed=0).train(X, y, 10)
    single = nn.predict(X[0])
    assert isinstance(single, float) and single == pytest.approx(nn.forward(X)[0, 0])
    assert nn.predict(X).shape == (6, 1)
    two = NeuralNetwork(layers=[3, 2], seed=0)
    assert two.predict([1, 2, 3]).shape == (2,)


@pytest.mark.parametrize("metric", ["mae", "mse", "rmse", "log_loss", "accuracy"])
def test_metrics_agree_with_sklearn(tutorial, metric):
    X, y = tutorial
    nn = NeuralNetwork(seed=2, metric=metric)
    o = nn.forward(X)[:, 0]
    nn.train(X, y, 1)
    expected = {
        "mae": metrics.mean_absolute_error(y, o),
        "mse": metrics.mean_squared_error(y, o),
        "rmse": np.sqrt(metrics.mean_squared_error(y, o)),
        "log_loss": metrics.log_loss(y, o),
        "accuracy": metrics.accuracy_score(y, o >= 0.5),
    }[metric]
    assert nn.error_list[0] == pytest.approx(expected, rel=1e-12)


def test_loss_and_gradients_shapes_and_values(tutorial):
    X, y = tutorial
    nn = NeuralNetwork(seed=0)
    o = nn.forward(X)
    assert nn.loss(X, y) == pytest.approx(0.5 * np.sum((y[:, None] - o) ** 2))
    weight_grads, bias_grads = nn.gradients(X, y)
    assert [g.shape for g in weight_grads] == [(3, 3), (3, 1)]
    assert [g.shape for g in bias_grads] == [(3,), (1,)]
    # one step of size 1 moves the weights by exactly −gradient
    before = [w.copy() for w in nn.weights]
    nn.backward(X, y, nn.forward(X))
    for w0, g, w1 in zip(before, weight_grads, nn.weights):
        np.testing.assert_allclose(w1, w0 - g, rtol=1e-14)


def test_test_evaluation_counts_fresh_each_call(tutorial, capsys):
    X, y = tutorial
    nn = NeuralNetwork(seed=0).train(X, y, 200)
    first = nn.test_evaluation(X, y)
    second = nn.test_evaluation(X, y)
    assert (second.true_positives, second.true_negatives, second.false_positives, second.false_negatives) == (3, 3, 0, 0)
    assert first == second
    assert second.accuracy == 1.0 and second.precision == 1.0 and second.recall == 1.0 and second.f1 == 1.0
    assert "True positives" in capsys.readouterr().out


def test_output_exactly_at_limit_counts_as_positive():
    nn = NeuralNetwork(layers=[1, 1], seed=0)
    nn.weights = [np.array([[0.0]])]  # σ(0) = 0.5 = limit for every input
    result = nn.test_evaluation([[1.0], [2.0]], [1, 0], verbose=False)
    assert (result.true_positives, result.false_positives) == (1, 1)
    assert result.true_positives + result.true_negatives + result.false_positives + result.false_negatives == 2


def test_several_outputs_report_a_confusion_matrix():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 2))
    labels = (X[:, 0] > 0).astype(int) + (X[:, 1] > 0).astype(int)
    Y = np.eye(3)[labels]
    nn = NeuralNetwork(layers=[2, 8, 3], activation="tanh", loss="categorical_crossentropy", bias=True, init="glorot", optimizer="adam", learning_rate=0.05, reduction="mean", seed=0)
    nn.train(X, Y, 300)
    result = nn.test_evaluation(X, Y, verbose=False)
    predicted = nn.forward(X).argmax(axis=1)
    np.testing.assert_array_equal(result.confusion_matrix, metrics.confusion_matrix(labels, predicted))
    assert result.accuracy == pytest.approx(metrics.accuracy_score(labels, predicted))
    assert result.accuracy > 0.9
    np.testing.assert_array_equal(result.true_positives, np.diag(result.confusion_matrix))


def test_view_error_development_names_the_metric(tutorial, tmp_path):
    X, y = tutorial
    nn = NeuralNetwork(seed=0, metric="rmse").train(X, y, 20)
    path = tmp_path / "error.png"
    figure = nn.view_error_development(path)
    axes = figure.axes[0]
    assert "rmse" in axes.get_title() and "Sum Squared" not in axes.get_title()
    assert axes.get_xlabel() == "Epoch" and axes.get_ylabel() == "Root mean squared error"
    np.testing.assert_allclose(axes.lines[0].get_ydata(), nn.error_list)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_float32_network_trains_in_float32(tutorial):
    X, y = tutorial
    nn = NeuralNetwork(seed=0, dtype="float32").train(X, y, 50)
    assert nn.network.params.dtype == np.float32 and nn.forward(X).dtype == np.float32
    reference = NeuralNetwork(seed=0).train(X, y, 50)
    np.testing.assert_allclose(nn.forward(X), reference.forward(X), atol=1e-4)


def test_repr_is_informative():
    assert repr(NeuralNetwork(seed=0)).startswith("NeuralNetwork(layers=[3, 3, 1], activation='logistic'")

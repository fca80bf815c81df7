"""record_stats: per-layer figures per epoch, checked against an independent
computation; nothing recorded (and the same training) when off; the plot."""

import warnings

import numpy as np
import pytest
from sklearn.datasets import load_iris

import glassnet
import glassnet.plot
from glassnet.engine.stats import FIGURES


@pytest.fixture(scope="module")
def tutorial():
    data = glassnet.load_tutorial()
    return data.X_train / 10, data.y_train


def test_off_records_nothing_and_on_trains_the_same(tutorial):
    X, y = tutorial
    plain = glassnet.NeuralNetwork(seed=0, batch_size=2).train(X, y, 20)
    recorded = glassnet.NeuralNetwork(seed=0, batch_size=2).train(X, y, 20, record_stats=True)
    assert not any(key.startswith("layer_") for key in plain.history.keys())
    assert set(FIGURES) <= set(recorded.history.keys())
    assert np.array_equal(plain.network.params, recorded.network.params)
    assert plain.history["loss"] == recorded.history["loss"]


def test_figures_against_a_step_by_step_computation(tutorial):
    X, y = tutorial
    kwargs = dict(layers=[3, 4, 1], activation="tanh", bias=True, init="glorot", learning_rate=0.5, seed=0)
    recorded = glassnet.NeuralNetwork(**kwargs).train(X, y, 5, record_stats=True)
    # the same full-batch gradient descent, one step (= one epoch) at a time
    manual = glassnet.NeuralNetwork(**kwargs)
    for record in recorded.history.records:
        grads, _ = manual.gradients(X, y)
        before = [W.copy() for W in manual.weights]
        biases_before = manual.biases[0].copy()
        manual.backward(X, y, manual.forward(X))
        after = manual.weights
        assert record["layer_grad_norm"] == pytest.approx([np.linalg.norm(g) for g in grads], rel=1e-12)
        assert record["layer_weight_norm"] == pytest.approx([np.linalg.norm(W) for W in after], rel=1e-12)
        assert record["layer_update_ratio"] == pytest.approx(
            [np.linalg.norm(a - b) / np.linalg.norm(a) for a, b in zip(after, before)], rel=1e-9)
        # tanh units with |z| > 4 on more than 95% of the rows of the step's forward pass
        Z = X @ before[0] + biases_before
        assert record["layer_saturated_fraction"] == [np.mean(np.mean(np.abs(Z) > 4, axis=0) > 0.95), None]
        assert record["layer_dead_fraction"] == [None, None]


def test_dead_and_saturated_shares():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 3))
    y = (X[:, 0] > 0).astype(float)
    relu = glassnet.NeuralNetwork(layers=[3, 5, 1], activation="relu", loss="binary_crossentropy", bias=True,
                                  init="he", learning_rate=0.01, batch_size=16, seed=0)
    biases = relu.biases[0].copy()
    biases[[0, 3]] = -100.0           # two of five units off on every row
    relu.biases[0] = biases
    relu.train(X, y, 3, record_stats=True)
    assert relu.history["layer_dead_fraction"] == [[0.4, None]] * 3
    tanh = glassnet.NeuralNetwork(layers=[3, 4, 1], activation="tanh", loss="binary_crossentropy", bias=True,
                                  init="glorot", learning_rate=0.001, batch_size=16, seed=0)
    weights = tanh.weights[0].copy()
    weights[:, 2] *= 1000             # one of four units at tanh's flat ends on nearly every row
    tanh.weights[0] = weights
    tanh.train(X, y, 2, record_stats=True)
    Z = X @ tanh.weights[0] + tanh.biases[0]
    expected = np.mean(np.mean(np.abs(Z) > 4, axis=0) > 0.95)
    assert expected == 0.25
    assert tanh.history["layer_saturated_fraction"][-1] == [expected, None]
    assert tanh.history["layer_dead_fraction"][-1] == [None, None]


@pytest.mark.parametrize("solver", ["adam", "sgd", "lbfgs"])
def test_estimators_record_and_save_them(solver, tmp_path):
    X, y = load_iris(return_X_y=True)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = glassnet.MLPClassifier((6,), solver=solver, max_iter=15, random_state=0, record_stats=True).fit(X, y)
        plain = glassnet.MLPClassifier((6,), solver=solver, max_iter=15, random_state=0).fit(X, y)
    history = model.learner_.history
    assert len(history["layer_weight_norm"]) == model.n_iter_ == len(model.loss_curve_)
    last = history.records[-1]
    assert last["layer_weight_norm"] == pytest.approx([np.linalg.norm(W) for W in model.coefs_], rel=1e-12)
    assert np.array_equal(model.coefs_[0], plain.coefs_[0])
    assert "layer_weight_norm" not in plain.learner_.history
    path = tmp_path / "model.glassnet"
    glassnet.save(model, path)
    assert glassnet.load(path).learner_.history.records == history.records
    assert "record_stats" in glassnet.estimators.describe()


def test_lbfgs_records_the_gradient_at_each_iterate():
    X, y = load_iris(return_X_y=True)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = glassnet.MLPClassifier((6,), solver="lbfgs", max_iter=10, random_state=0, record_stats=True).fit(X, y)
    # the final iterate is the fitted model: its gradient is the engine's there
    network = model.network_
    network.loss_and_gradient(*model._engine_data(X, y))
    expected = [np.linalg.norm(g) for g in network.weight_grads]
    assert model.learner_.history.records[-1]["layer_grad_norm"] == pytest.approx(expected, rel=1e-9)


def test_the_plot(tutorial, tmp_path):
    X, y = tutorial
    nn = glassnet.NeuralNetwork(layers=[3, 4, 1], activation="relu", bias=True, init="he", learning_rate=0.1,
                                seed=0).train(X, y, 30, record_stats=True)
    path = tmp_path / "dynamics.png"
    figure = glassnet.plot.training_dynamics(nn, path)
    assert path.stat().st_size > 10_000
    titles = [axes.get_title(loc="left") for axes in figure.axes if axes.get_visible()]
    assert titles[:3] == ["Weight norm ‖W‖", "Gradient norm ‖∂L/∂W‖ (mean over steps)",
                          "Update-to-weight ratio ‖ΔW‖/‖W‖ per step"]
    assert any(title.startswith("Dead units") for title in titles)
    assert not any(title.startswith("Saturated") for title in titles)   # no logistic or tanh layer
    line = next(line for axes in figure.axes for line in axes.lines if line.get_gid() == "layer_grad_norm:1")
    assert np.allclose(line.get_ydata(), [record["layer_grad_norm"][0] for record in nn.history.records])
    # the learning curves leave the per-layer lists out
    curves = glassnet.plot.learning_curves(nn)
    assert not any(line.get_gid().startswith("layer_") for axes in curves.axes for line in axes.lines)


def test_the_plot_needs_recorded_figures(tutorial):
    X, y = tutorial
    nn = glassnet.NeuralNetwork(seed=0).train(X, y, 3)
    with pytest.raises(ValueError, match="train with record_stats=True"):
        glassnet.plot.training_dynamics(nn)


def test_a_neural_networks_figures_survive_its_model_file(tutorial, tmp_path):
    X, y = tutorial
    nn = glassnet.NeuralNetwork(layers=[3, 4, 1], activation="relu", bias=True, init="he", learning_rate=0.1,
                                seed=0).train(X, y, 5, record_stats=True)
    glassnet.save(nn, tmp_path / "nn.glassnet")
    loaded = glassnet.load(tmp_path / "nn.glassnet")
    assert loaded.history.records == nn.history.records
    assert loaded.history["layer_saturated_fraction"][0] == [None, None]

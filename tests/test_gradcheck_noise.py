"""check_gradients judges agreement beyond the finite differences' own noise:
no false alarm on a saturated network, and a 1% wrong derivative is caught
on healthy and saturated networks alike."""

import numpy as np
import pytest
from sklearn.preprocessing import MinMaxScaler

import glassnet
from glassnet.glassbox.gradcheck import GradientCheck, numerical_gradient, relative_error
from gradient_helpers import scaled_derivative


@pytest.fixture(scope="module")
def tutorial():
    data = glassnet.load_tutorial()
    return MinMaxScaler().fit_transform(data.X_train), data.y_train


@pytest.fixture(scope="module")
def saturated(tutorial):
    """The article's 3-3-1 with biases and tanh, trained 200 epochs: every
    output is 1 to six decimals and the gradients are 1e-9 and smaller."""
    X, y = tutorial
    return glassnet.NeuralNetwork(bias=True, activation="tanh", seed=0).train(X, y, 200)


@pytest.fixture(scope="module")
def healthy(tutorial):
    X, y = tutorial
    return glassnet.NeuralNetwork(seed=0).train(X, y, 200)


def test_the_saturated_network_is_saturated_and_fooled_the_plain_relative_error(saturated, tutorial):
    X, y = tutorial
    assert np.all(saturated.forward(X) > 0.99999)
    weight_grads, bias_grads = saturated.gradients(X, y)
    largest = max(float(np.abs(g).max()) for g in weight_grads + bias_grads)
    assert largest < 1e-6
    # what a plain elementwise comparison says: a disagreement that is only noise
    probe = saturated.network.copy()
    _, analytic = probe.loss_and_gradient(X, y[:, None].astype(float))
    assert relative_error(analytic.copy(), numerical_gradient(probe, X, y[:, None].astype(float))) > 1e-4


def test_the_saturated_network_agrees(saturated, tutorial):
    X, y = tutorial
    assert glassnet.check_gradients(saturated, X, y) < 1e-6
    check = glassnet.check_gradients(saturated, X, y, detail=True)
    assert isinstance(check, GradientCheck) and check.agree
    assert all(group.agree for group in check.groups)


@pytest.mark.parametrize("network", ["healthy", "saturated"])
def test_a_derivative_one_percent_wrong_is_caught(network, request, tutorial):
    X, y = tutorial
    model = request.getfixturevalue(network)
    name = model.network.activations[0].name
    assert glassnet.check_gradients(model, X, y) < 1e-6
    with scaled_derivative(name, 1.01):
        error = glassnet.check_gradients(model, X, y)
        check = glassnet.check_gradients(model, X, y, detail=True)
    # about 1e-2: the gradient is off by 1% (2% where both layers' derivatives are used)
    assert 5e-3 < error < 3e-2
    assert not check.agree and check.error == error
    assert [group.agree for group in check.groups] == [False] * len(check.groups)


@pytest.mark.parametrize("seed", range(5))
def test_no_false_alarm_across_seeds_and_activations(seed, tutorial):
    X, y = tutorial
    for activation in ("tanh", "logistic", "relu", "elu"):
        nn = glassnet.NeuralNetwork(bias=True, activation=activation, seed=seed, layers=[3, 4, 3, 1])
        nn.train(X, y, 100)
        assert glassnet.check_gradients(nn, X, y) < 1e-6, activation


def test_detail_is_a_per_layer_table_of_independent_figures(healthy, tutorial):
    X, y = tutorial
    check = glassnet.check_gradients(healthy, X, y, detail=True)
    weight_grads, _ = healthy.gradients(X, y)
    assert [(group.layer, group.kind, group.size) for group in check.groups] == [(1, "weights", 9), (2, "weights", 3)]
    for group, grad in zip(check.groups, weight_grads):
        assert group.scale == pytest.approx(np.abs(grad).max(), rel=1e-12)
        # the differences agree with the analytic gradient far beyond 1e-6 of its scale
        assert group.max_abs_error < 1e-8 * group.scale and group.max_abs_error <= group.noise
    assert check.scale == pytest.approx(max(np.abs(g).max() for g in weight_grads), rel=1e-12)
    figures = check.as_dict()
    assert figures["agree"] is True and figures["groups"][0]["kind"] == "weights"
    text = str(check)
    assert "agree" in text and "weights (9)" in text and "fd noise" in text


def test_tolerances_and_step_are_checked(healthy, tutorial):
    X, y = tutorial
    with pytest.raises(ValueError, match="rtol must be a finite number >= 0, got -1"):
        glassnet.check_gradients(healthy, X, y, rtol=-1)
    with pytest.raises(ValueError, match="step must be a number between 0 and 1, got 2"):
        glassnet.check_gradients(healthy, X, y, step=2)
    # one explicit step still gives agreement
    assert glassnet.check_gradients(healthy, X, y, step=1e-5) < 1e-6


def test_a_unit_exactly_at_its_kink_is_left_unjudged_not_flagged():
    from glassnet.engine.network import Network

    rng = np.random.default_rng(0)
    network = Network([2, 3, 1], "relu", "identity", "squared_error", rng=rng)
    network.biases[0] = [0.0, 0.5, 0.5]
    X = np.vstack([[0.0, 0.0], rng.normal(size=(7, 2))])   # row 0: unit 0 sits at z = 0 exactly
    y = rng.normal(size=8)
    check = glassnet.check_gradients(network, X, y, detail=True)
    assert check.agree
    biases = next(group for group in check.groups if (group.layer, group.kind) == (1, "biases"))
    assert biases.unjudged == 1 and "1 at a kink" in str(check)
    assert sum(group.unjudged for group in check.groups) == 1


@pytest.mark.parametrize("seed", range(3))
def test_no_false_alarm_at_kinks(seed):
    import warnings

    from sklearn.datasets import load_iris

    X, y = load_iris(return_X_y=True)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    models = [glassnet.MLPClassifier((8, 6), activation=activation, max_iter=300, random_state=seed)
              for activation in ("relu", "leaky_relu")]
    regressor = glassnet.MLPRegressor(hidden_layer_sizes=(8,), loss="absolute_error", max_iter=300, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence at a fixed budget is not the point here
        for model in models:
            model.fit(X, y)
        regressor.fit(X[:, :3], X[:, 3])
    for model in models:
        assert glassnet.check_gradients(model, X[:40], y[:40]) < 1e-6, model.activation
    assert glassnet.check_gradients(regressor, X[:40, :3], X[:40, 3]) < 1e-6

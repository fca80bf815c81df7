"""The Learner: one owner of the training state under every front door.

Each test here failed before the Learner existed: copies that stopped
learning, a first-epoch divergence returned as fitted, a dead network that
trained on in silence, callbacks that broke a saved estimator, training in
pieces that drifted from training at once, and no L-BFGS for NeuralNetwork.
"""

import copy
import pickle
import warnings
from pathlib import Path

import numpy as np
import pytest
from sklearn.datasets import load_diabetes, load_iris

import glassnet
from glassnet import MLPClassifier, MLPRegressor, NeuralNetwork
from glassnet.engine.learner import NON_FINITE_MESSAGE, Learner
from glassnet.engine.network import Network
from glassnet.engine.optimizers import SGD, Adam
from glassnet.engine.history import EarlyStopping
from glassnet.engine.training import StalledTrainingWarning

LEGACY = Path(__file__).parent / "data" / "legacy"

rng = np.random.default_rng(0)
X = rng.uniform(-1, 1, (60, 3))
y = (X[:, 0] * X[:, 1] > 0).astype(float)
y3 = np.array(["a", "b", "c"])[(X[:, 0] > 0).astype(int) + (X[:, 1] > 0)]


def _copies(model):
    return [pickle.loads(pickle.dumps(model)), copy.deepcopy(model)]


# --- 1. pickle and deepcopy: the copy trains exactly like the original ---------------------
def test_a_pickled_article_network_still_learns():
    data = glassnet.load_tutorial()
    for trained in _copies(NeuralNetwork(seed=0)):
        trained.train(data.X_train / 10, data.y_train, 200)
        # a copy whose weights were no longer views of its parameters stayed at 0.4853
        assert trained.error_list[-1] < 0.1 < trained.error_list[0]


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_copies_of_a_neural_network_train_like_the_original(optimizer):
    reference = NeuralNetwork(layers=[3, 5, 1], activation="tanh", bias=True, init="glorot", optimizer=optimizer,
                              learning_rate=0.05, batch_size=8, seed=1).train(X, y, 5)
    twins = _copies(reference)
    reference.train(X, y, 7)
    for twin in twins:
        twin.train(X, y, 7)
        np.testing.assert_array_equal(twin.network.params, reference.network.params)
        assert twin.error_list == reference.error_list
        assert [w.base is twin.network.params for w in twin.weights] == [True, True]


def test_copies_of_a_network_train_like_the_original():
    from glassnet.engine.training import train

    network = Network([3, 4, 1], "relu", "identity", rng=np.random.default_rng(0))
    Y = y[:, None]
    twins = _copies(network)
    optimizers = [SGD(learning_rate=0.1, momentum=0.9) for _ in range(3)]
    for net, optimizer in zip([network, *twins], optimizers):
        train(net, optimizer, X, Y, epochs=10, batch_size=10, rng=np.random.default_rng(3))
    for twin in twins:
        np.testing.assert_array_equal(twin.params, network.params)
        assert twin.weights[0].base is twin.params


@pytest.mark.parametrize("estimator, target", [
    (MLPClassifier(hidden_layer_sizes=(5,), max_iter=5, random_state=0), y3),
    (MLPRegressor(hidden_layer_sizes=(5,), solver="sgd", momentum=0.9, max_iter=5, random_state=0), y),
])
def test_copies_of_an_estimator_train_like_the_original(estimator, target):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        estimator.fit(X, target)
        twins = _copies(estimator)
        for model in [estimator, *twins]:
            for _ in range(4):
                model.partial_fit(X, target)
    for twin in twins:
        np.testing.assert_array_equal(twin.network_.params, estimator.network_.params)
        assert twin.loss_curve_ == estimator.loss_curve_
        assert twin.coefs_[0].base is twin.network_.params


def test_copies_of_a_tabular_model_train_like_the_original():
    from glassnet.tabular.datasets import load_dataset
    from glassnet.tabular.fitting import Options, fit_table

    frame, target = load_dataset("iris")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model, _, _ = fit_table(frame, Options(target=target, hidden=(4,), epochs=5, seed=0), "iris")
        twins = _copies(model)
        inputs, labels = model.inputs(frame), model.labels(frame)
        for each in [model, *twins]:
            for _ in range(3):
                each.estimator.partial_fit(inputs, labels)
    for twin in twins:
        np.testing.assert_array_equal(twin.estimator.network_.params, model.estimator.network_.params)
        np.testing.assert_array_equal(twin.predict_proba(frame), model.predict_proba(frame))


# --- 2. no finite epoch at all: a ValueError, as scikit-learn raises ------------------------
HUGE = np.finfo(np.float64).max * np.random.default_rng(0).uniform(size=(10, 2))


@pytest.mark.parametrize("solver", ["adam", "sgd", "lbfgs"])
def test_a_regressor_that_never_has_a_finite_epoch_raises(solver):
    target = np.arange(10.0)
    with pytest.raises(ValueError, match=NON_FINITE_MESSAGE.replace(".", r"\.")):
        MLPRegressor(solver=solver, random_state=0).fit(HUGE, target)


@pytest.mark.parametrize("optimizer", ["sgd", "adam", "lbfgs"])
def test_a_neural_network_that_never_has_a_finite_epoch_raises(optimizer):
    nn = NeuralNetwork(layers=[2, 3, 1], activation="relu", output_activation="identity", optimizer=optimizer, seed=0)
    start = nn.network.params.copy()
    with pytest.raises(ValueError, match="Solver produced non-finite parameter weights"):
        nn.train(HUGE, np.ones(10), 5)
    np.testing.assert_array_equal(nn.network.params, start)
    assert nn.error_list == []


def test_after_a_finite_epoch_divergence_still_warns_and_keeps_the_weights():
    nn = NeuralNetwork(layers=[2, 3, 1], activation="identity", seed=0)
    nn.train(HUGE / 1e308, np.ones(10), 3)
    kept = nn.network.params.copy()
    # on other rows, the first loss says nothing about the epoch before: back to epoch 3 only
    with pytest.warns(glassnet.DivergenceWarning, match="diverged at epoch 4.* after epoch 3"):
        nn.train(HUGE, np.ones(10), 5)
    np.testing.assert_array_equal(nn.network.params, kept)
    assert len(nn.error_list) == 3


# --- 3. a dead network says so, once ---------------------------------------------------------
def _diabetes():
    X_d, y_d = load_diabetes(return_X_y=True)
    return X_d, (y_d - y_d.mean()) / y_d.std()


def test_a_network_whose_relus_all_died_warns_once_naming_the_layer_and_the_cause():
    X_d, y_d = _diabetes()
    nn = NeuralNetwork(layers=[10, 8, 1], activation="relu", learning_rate=1e6, seed=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        nn.train(X_d * 1e3, y_d, 50)
    stalled = [w for w in caught if issubclass(w.category, StalledTrainingWarning)]
    assert len(stalled) == 1
    message = str(stalled[0].message)
    # the article's class puts relu on the output too, and that is the layer that died
    assert "the output layer (relu, 1 unit) is inactive on every training row" in message
    assert "learning rate too high (it is 1e+06)" in message and "inputs not scaled" in message
    assert stalled[0].filename == __file__
    # and it really was dead: the loss stopped moving
    assert nn.error_list[-1] == nn.error_list[-10]


def test_an_estimator_whose_relus_died_warns():
    X_d, y_d = _diabetes()
    with pytest.warns(StalledTrainingWarning, match="MLPRegressor: hidden layer 1 .* inactive on every training row"):
        MLPRegressor(hidden_layer_sizes=(8,), solver="sgd", learning_rate_init=1.0, max_iter=20,
                     random_state=0).fit(X_d, y_d)


def test_an_exactly_zero_gradient_warns():
    nn = NeuralNetwork(layers=[2, 1], activation="identity", seed=0)
    nn.weights = [np.zeros((2, 1))]
    with pytest.warns(StalledTrainingWarning, match="the whole gradient is exactly zero"):
        nn.train(X[:, :2], np.zeros(60), 3)


def test_a_healthy_network_does_not_warn():
    X_d, y_d = _diabetes()
    with warnings.catch_warnings():
        warnings.simplefilter("error", StalledTrainingWarning)
        NeuralNetwork(layers=[10, 8, 1], activation="relu", bias=True, init="he", optimizer="adam",
                      learning_rate=0.01, reduction="mean", seed=0).train(X_d / X_d.std(0), y_d, 30)


# --- 4. callbacks are not stored, and say so --------------------------------------------------
def test_callbacks_are_not_saved_and_the_loaded_estimator_trains(tmp_path):
    model = MLPClassifier(hidden_layer_sizes=(4,), max_iter=3, callbacks=[lambda estimator, figures: False],
                          random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=Warning)
        model.fit(X, y3)
    with pytest.warns(UserWarning, match="callbacks are code, which model files never hold") as caught:
        glassnet.save(model, tmp_path / "model.glassnet")
    assert caught[0].filename == __file__
    loaded = glassnet.load(tmp_path / "model.glassnet")
    assert loaded.callbacks is None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=Warning)
        loaded.fit(X, y3)
    assert loaded.n_iter_ == 3


# --- training in pieces is training at once -----------------------------------------------------
OPTIMIZERS = {
    "sgd": lambda: SGD(learning_rate=0.05),
    "momentum": lambda: SGD(learning_rate=0.05, momentum=0.9),
    "nesterov": lambda: SGD(learning_rate=0.05, momentum=0.9, nesterov=True),
    "invscaling": lambda: SGD(learning_rate=0.05, momentum=0.5, schedule="invscaling"),
    "adam": lambda: Adam(learning_rate=0.01),
}


@pytest.mark.parametrize("name", OPTIMIZERS)
@pytest.mark.parametrize("batch_size", [None, 7])
def test_neural_network_in_pieces_equals_at_once(name, batch_size):
    def model():
        return NeuralNetwork(layers=[3, 6, 4, 1], activation="tanh", bias=True, init="glorot",
                             optimizer=OPTIMIZERS[name](), batch_size=batch_size, metric="mse", seed=4)

    whole, pieces = model().train(X, y, 20), model()
    pieces.train(X, y, 10).train(X, y, 10)
    np.testing.assert_array_equal(pieces.network.params, whole.network.params)
    assert pieces.history.records == whole.history.records and pieces.error_list == whole.error_list
    for a, b in zip(pieces.optimizer.state_arrays().values(), whole.optimizer.state_arrays().values()):
        np.testing.assert_array_equal(a, b)
    # one epoch at a time, as the playground trains
    steps = model()
    for _ in range(20):
        steps.train(X, y, 1)
    np.testing.assert_array_equal(steps.network.params, whole.network.params)


def test_a_divergence_at_the_start_of_a_piece_goes_back_as_far_as_in_one_run():
    X_d, y_d = _diabetes()

    def model():
        return NeuralNetwork(layers=[10, 4, 1], activation="identity", bias=True, learning_rate=0.05, seed=0)

    with pytest.warns(glassnet.DivergenceWarning, match="diverged at epoch 5.* after epoch 3"):
        whole = model().train(X_d * 20, y_d, 12)
    pieces = model()
    for _ in range(4):
        pieces.train(X_d * 20, y_d, 1)
    # the fifth epoch's first loss is that of the fourth epoch's weights: both go back to the third
    with pytest.warns(glassnet.DivergenceWarning, match="diverged at epoch 5.* after epoch 3"):
        pieces.train(X_d * 20, y_d, 1)
    np.testing.assert_array_equal(pieces.network.params, whole.network.params)
    assert pieces.error_list == whole.error_list and len(whole.error_list) == 3


def test_the_stopping_rule_carries_across_calls():
    def learner():
        network = Network([3, 5, 1], "tanh", "identity", rng=np.random.default_rng(2))
        return Learner(network, Adam(learning_rate=0.05), rng=np.random.default_rng(3),
                       stopping=EarlyStopping("loss", patience=2, tol=0.05, restore_best=False))

    Y = y[:, None]
    whole = learner()
    result = whole.fit_epochs(X, Y, 200, batch_size=10)
    assert result.stop_reason == "plateau"
    pieces = learner()
    while pieces.fit_epochs(X, Y, 1, batch_size=10).stop_reason != "plateau":
        pass
    assert len(pieces.history) == len(whole.history) < 200
    np.testing.assert_array_equal(pieces.network.params, whole.network.params)


@pytest.mark.parametrize("solver", ["adam", "sgd"])
def test_estimator_partial_fit_calls_equal_one_fit(solver):
    # with shuffle=False; scikit-learn reseeds an integer random_state at every call, so shuffled
    # partial_fit calls visit the rows in another order than one fit (docs/guides/estimators.md, "Continued training")
    settings = dict(hidden_layer_sizes=(5,), solver=solver, shuffle=False, n_iter_no_change=1000, batch_size=16,
                    random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        whole = MLPClassifier(max_iter=12, **settings).fit(X, y3)
        pieces = MLPClassifier(max_iter=12, **settings)
        for _ in range(12):
            pieces.partial_fit(X, y3, classes=["a", "b", "c"])
    np.testing.assert_array_equal(pieces.network_.params, whole.network_.params)
    assert pieces.loss_curve_ == whole.loss_curve_


def test_warm_started_fits_equal_one_fit_where_scikit_learn_keeps_no_optimiser_state():
    # plain sgd has no state to lose when scikit-learn starts a new optimiser at each fit
    settings = dict(hidden_layer_sizes=(5,), solver="sgd", momentum=0.0, shuffle=False, n_iter_no_change=1000,
                    warm_start=True, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        whole = MLPRegressor(max_iter=20, **settings).fit(X, y)
        pieces = MLPRegressor(max_iter=10, **settings).fit(X, y).fit(X, y)
    np.testing.assert_array_equal(pieces.network_.params, whole.network_.params)
    assert pieces.loss_curve_ == whole.loss_curve_ and pieces.t_ == whole.t_


# --- L-BFGS for the article's class --------------------------------------------------------------
def test_neural_network_lbfgs_is_the_estimators_lbfgs():
    X_d, y_d = _diabetes()
    X_d = X_d / X_d.std(0)
    settings = dict(hidden_layer_sizes=(5,), activation="tanh", alpha=0.0, random_state=0)
    start = MLPRegressor(max_iter=1, solver="sgd", learning_rate_init=1e-300, **settings)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start.fit(X_d, y_d)
        regressor = MLPRegressor(solver="lbfgs", max_iter=25, **settings).fit(X_d, y_d)
    nn = NeuralNetwork(layers=[10, 5, 1], activation="tanh", output_activation="identity", bias=True,
                       reduction="mean", optimizer="lbfgs", metric="mse")
    nn.network.params[...] = start.network_.params
    nn.train(X_d, y_d, 25)
    np.testing.assert_array_equal(nn.network.params, regressor.network_.params)
    assert nn.history["loss"] == regressor.loss_curve_
    # the metric is recorded per iteration, at that iteration's weights
    assert len(nn.error_list) == 25 and nn.error_list[-1] < nn.error_list[0]
    np.testing.assert_allclose(nn.error_list[-1], np.mean((nn.predict(X_d)[:, 0] - y_d) ** 2), rtol=1e-12)


def test_neural_network_lbfgs_saves_and_refuses_what_does_not_apply(tmp_path):
    # (early_stopping applies to lbfgs too: see test_learner_rules.py)
    nn = NeuralNetwork(layers=[3, 4, 1], optimizer="lbfgs", seed=0).train(X, y, 10)
    loaded = glassnet.load(glassnet.save(nn, tmp_path / "lbfgs.glassnet"))
    assert loaded.solver == "lbfgs" and loaded.optimizer is None
    np.testing.assert_array_equal(loaded.predict(X), nn.predict(X))
    with pytest.raises(ValueError, match="takes no learning_rate or batch_size"):
        NeuralNetwork(optimizer="lbfgs", learning_rate=0.1)
    with pytest.raises(ValueError, match="optimizer='lbfgs' has none"):
        nn.backward(X, y, nn.forward(X))


def _same_to_rounding(actual, expected):
    np.testing.assert_allclose(actual, expected, rtol=1e-12, atol=1e-15)


# --- model files written before the Learner still load and train on alike ------------------------
def test_files_written_before_the_learner_load_and_continue_exactly():
    # The files hold the old code's numbers; today's NumPy/BLAS may round a product's last bit
    # differently, so the comparison allows a few units in the last place and nothing more.
    expected = np.load(LEGACY / "expected.npz")
    X_i, y_i = load_iris(return_X_y=True)
    X_i = (X_i - X_i.mean(0)) / X_i.std(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        nn = glassnet.load(LEGACY / "neural_network.glassnet")
        _same_to_rounding(nn.predict(X_i), expected["nn_predict"])
        nn.train(X_i, np.eye(3)[y_i], 3)
        _same_to_rounding(nn.network.params, expected["nn_after"])
        _same_to_rounding(nn.error_list, expected["nn_error_list"])
        classifier = glassnet.load(LEGACY / "classifier.glassnet")
        _same_to_rounding(classifier.predict_proba(X_i), expected["clf_proba"])
        for _ in range(2):
            classifier.partial_fit(X_i, np.array(["a", "b", "c"])[y_i])
        _same_to_rounding(classifier.network_.params, expected["clf_after"])
        X_d, _ = load_diabetes(return_X_y=True)
        regressor = glassnet.load(LEGACY / "regressor.glassnet")
        _same_to_rounding(regressor.predict(X_d), expected["reg_predict"])
        assert regressor.learner_.stopping.monitor == "val_r2"
        from glassnet.tabular.datasets import load_dataset

        frame, _ = load_dataset("iris")
        tabular = glassnet.load(LEGACY / "tabular.glassnet")
        _same_to_rounding(tabular.predict_proba(frame), expected["tab_proba"])


def test_the_data_fingerprint_knows_the_same_rows_in_any_layout_and_samples_large_tables():
    from glassnet.engine.training import _fingerprint

    rows = np.random.default_rng(1).normal(size=(5000, 4))
    targets = rows[:, :1] > 0
    digest = _fingerprint(rows, targets)
    assert _fingerprint(rows.copy(), targets) == digest == _fingerprint(np.asfortranarray(rows), targets)
    changed = rows.copy()
    changed[0, 0] += 1.0  # the first row is always in the sample
    assert _fingerprint(changed, targets) != digest
    assert _fingerprint(rows[:4999], targets[:4999]) != digest

"""The Learner owns the rules of training, the same under every front door:
the validation split (scikit-learn's, drawn without scikit-learn), one
stopping rule for every solver (L-BFGS too) restored in one place, the
training range of the rows trained on, n_iter_ and loss_ read from the
history, the current learning rate and rows per step, and data bound once
for many short calls. Each test here fails on the code before these moved
into the Learner."""

import json
import math
import subprocess
import sys
import warnings
import zipfile

import numpy as np
import pytest
from sklearn.datasets import load_diabetes, make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split

import glassnet
from glassnet import MLPClassifier, MLPRegressor, NeuralNetwork
from glassnet.engine.learner import Learner
from glassnet.engine.network import Network
from glassnet.engine.optimizers import SGD, Adam
from glassnet.engine.splitting import SplitError, split_indices
from glassnet.engine.training_range import TrainingRange

rng = np.random.default_rng(0)
X = rng.uniform(-1, 1, (60, 3))
y = (X[:, 0] * X[:, 1] > 0).astype(float)


def _diabetes():
    X_d, y_d = load_diabetes(return_X_y=True)
    return X_d / X_d.std(0), (y_d - y_d.mean()) / y_d.std()


# --- the validation split: scikit-learn's train_test_split, row for row ---------------------------
def _labels(layout, n, seed):
    draw = np.random.default_rng(seed)
    if layout == "none":
        return None
    if layout == "integers":
        return draw.integers(0, draw.integers(2, 6), n)
    if layout == "strings":  # sorted as text: "10" before "2"
        return np.array(["b", "10", "2", "a"])[draw.integers(0, 4, n)]
    if layout == "column":  # (n, 1), as the estimators stratify by their binary targets
        return draw.integers(0, 2, (n, 1)).astype(np.uint8)
    return draw.integers(0, 2, (n, 3))  # multilabel rows, each distinct row a class


@pytest.mark.parametrize("layout", ["none", "integers", "strings", "column", "rows"])
@pytest.mark.parametrize("fraction", [0.1, 0.2, 0.25, 1 / 3, 0.5, 0.77])
def test_the_engine_split_is_scikit_learns_train_test_split(layout, fraction):
    compared = 0
    for seed in range(40):
        n = 8 + (seed * 37) % 150
        labels = _labels(layout, n, seed)
        try:
            expected_train, expected_test = train_test_split(np.arange(n), test_size=fraction, random_state=seed,
                                                             stratify=labels)
        except ValueError as error:
            # the same refusal, in scikit-learn's words where it has them
            with pytest.raises(SplitError) as caught:
                split_indices(n, fraction, np.random.RandomState(seed), stratify=labels)
            assert "train set will be empty" in str(error) or str(caught.value) == str(error)
            continue
        train, test = split_indices(n, fraction, np.random.RandomState(seed), stratify=labels)
        np.testing.assert_array_equal(train, expected_train)
        np.testing.assert_array_equal(test, expected_test)
        # an integer seed is read as scikit-learn reads it
        np.testing.assert_array_equal(split_indices(n, fraction, seed, stratify=labels)[1], expected_test)
        compared += 1
    assert compared >= 25


def test_the_split_refuses_what_cannot_split_with_scikit_learns_message():
    labels = np.array([0, 0, 0, 1, 1, 1, 2])
    with pytest.raises(ValueError) as theirs:
        train_test_split(labels, test_size=0.3, random_state=0, stratify=labels)
    with pytest.raises(SplitError) as ours:
        split_indices(7, 0.3, np.random.RandomState(0), stratify=labels)
    assert str(ours.value) == str(theirs.value) and "Classes with too few members are: [2]" in str(ours.value)
    with pytest.raises(SplitError, match=r"validation_split=0.9 of 4 row\(s\) holds out 4 and leaves 0 training rows"):
        split_indices(4, 0.9, 0, name="validation_split")
    with pytest.raises(ValueError, match=r"test_size must be a real number in \(0, 1\), got 1.5"):
        split_indices(4, 1.5, 0)
    with pytest.raises(TypeError, match="rng must be an integer seed or a random generator"):
        split_indices(4, 0.5, "seed")


@pytest.mark.parametrize("seed", range(4))
def test_early_stopping_holds_out_scikit_learns_rows_for_text_labels(seed):
    # two classes are stratified by their labels, which hold out the rows scikit-learn's 0/1 targets do
    import sklearn.neural_network as sk

    X_c, y_c = make_classification(70 + 9 * seed, 5, weights=[0.8], random_state=seed)
    labels = np.array(["zeta", "alpha"])[y_c]
    settings = dict(hidden_layer_sizes=(5,), early_stopping=True, validation_fraction=0.3, max_iter=5,
                    random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours, theirs = MLPClassifier(**settings).fit(X_c, labels), sk.MLPClassifier(**settings).fit(X_c, labels)
    np.testing.assert_allclose(ours.validation_scores_, theirs.validation_scores_, rtol=1e-12)
    np.testing.assert_allclose(ours.coefs_[0], theirs.coefs_[0], rtol=0, atol=1e-12)


def test_neural_network_validation_split_rounds_up_with_its_generator():
    # 0.25 of 10 rows is 2.5: three validation rows (scikit-learn's ceil), drawn from the network's generator
    X10, y10 = X[:10], y[:10]
    nn = NeuralNetwork(seed=5)
    order = np.random.default_rng()
    order.bit_generator.state = nn.rng.bit_generator.state  # where the generator stands after the weights
    held_out = order.permutation(10)[:3]
    nn.train(X10, y10, 1, validation_split=0.25)
    expected = nn.network.loss_value(X10[held_out], y10[held_out][:, None])
    assert nn.history["val_loss"][-1] == expected
    # and the training range is that of the seven rows trained on
    kept = np.setdiff1d(np.arange(10), held_out)
    np.testing.assert_array_equal(nn.training_range.low, X10[kept].min(0))


# --- one stopping rule for every solver ------------------------------------------------------------
def _overfitting_learner(optimizer):
    X_d, y_d = _diabetes()
    network = Network([10, 40, 1], "tanh", "identity", l2=0.0, rng=np.random.default_rng(0))
    learner = Learner(network, optimizer, rng=np.random.default_rng(1))
    return learner, (X_d[:40], y_d[:40, None]), (X_d[300:], y_d[300:, None])


@pytest.mark.parametrize("solver", ["sgd", "adam", "lbfgs"])
def test_one_rule_puts_back_the_best_weights_for_every_solver(solver):
    optimizer = {"sgd": SGD(0.05, momentum=0.9), "adam": Adam(0.02), "lbfgs": None}[solver]
    learner, (X_t, Y_t), validation = _overfitting_learner(optimizer)
    rule = learner.set_stopping("val_loss", patience=math.inf, restore_best=True)
    kept = []
    callbacks = [lambda record: kept.append((record["val_loss"], learner.network.params.copy()))]
    if solver == "lbfgs":
        result = learner.fit_lbfgs(X_t, Y_t, max_iter=60, validation=validation, callbacks=callbacks)
    else:
        result = learner.fit_epochs(X_t, Y_t, 60, batch_size=10, validation=validation, callbacks=callbacks)
    assert result.stop_reason == "completed" and learner.stopping is rule
    best = int(np.argmin([loss for loss, _ in kept]))
    assert best < len(kept) - 1  # it proves nothing if the last were the best
    assert rule.restored_epoch == best + 1
    np.testing.assert_array_equal(learner.network.params, kept[best][1])


def test_lbfgs_stops_on_a_plateau_and_restores_the_best_iteration():
    learner, (X_t, Y_t), validation = _overfitting_learner(None)
    learner.set_stopping("val_loss", patience=3, tol=0.0, restore_best=True)
    snapshots = []
    result = learner.fit_lbfgs(X_t, Y_t, max_iter=500, validation=validation,
                               callbacks=[lambda record: snapshots.append(learner.network.params.copy())])
    losses = learner.history["val_loss"]
    best = int(np.argmin(losses))
    assert result.stop_reason == "plateau" and "for 4 consecutive iterations" in result.message
    # patience 3: the fourth iteration without improvement stops
    assert len(losses) == best + 1 + 4 < 500
    np.testing.assert_array_equal(learner.network.params, snapshots[best])


def test_neural_network_early_stopping_applies_to_lbfgs():
    X_d, y_d = _diabetes()
    nn = NeuralNetwork(layers=[10, 30, 1], activation="tanh", output_activation="identity", bias=True,
                       reduction="mean", optimizer="lbfgs", metric="mse", seed=0)
    nn.train(X_d[:60], y_d[:60], 500, validation_data=(X_d[300:], y_d[300:]), early_stopping=True, patience=2)
    losses = nn.history["val_loss"]
    best = int(np.argmin(losses))
    assert len(losses) == best + 4 < 500
    assert nn.loss(X_d[300:], y_d[300:]) == losses[best]


def test_the_estimators_two_figures_are_one_rule(tmp_path):
    # scikit-learn's tol rule watches the training loss; restore_best_weights with validation data
    # keeps the epoch of the best validation score: one rule object knows both
    X_d, y_d = _diabetes()
    kept = []
    model = MLPRegressor(hidden_layer_sizes=(40,), alpha=0.0, learning_rate_init=0.05, max_iter=40,
                         restore_best_weights=True, random_state=0,
                         callbacks=[lambda estimator, figures: kept.append(estimator.network_.params.copy())])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X_d[:40], y_d[:40], X_val=X_d[300:], y_val=y_d[300:])
    rule = model.learner_.stopping
    assert (rule.monitor, rule.restore_by, rule.patience, rule.tol) == ("loss", "val_r2", 10, 1e-4)
    best = int(np.argmax(model.validation_scores_))
    assert best < len(kept) - 1 and rule.restored_epoch == best + 1
    np.testing.assert_array_equal(model.network_.params, kept[best])
    # the rule, with both figures, survives the model file
    with pytest.warns(UserWarning, match="callbacks are code"):
        path = glassnet.save(model, tmp_path / "two-figures.glassnet")
    loaded = glassnet.load(path)
    assert (loaded.learner_.stopping.restore_by, loaded.learner_.stopping.kept_epoch) == ("val_r2", best + 1)


def test_the_estimators_lbfgs_never_stops_on_a_plateau():
    X_d, y_d = _diabetes()
    model = MLPRegressor(solver="lbfgs", hidden_layer_sizes=(5,), max_iter=25, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X_d, y_d)
    assert model.learner_.stopping.patience == math.inf and model.n_iter_ == 25


# --- the training range: recorded by the Learner from the rows trained on ---------------------------
def test_the_learner_records_the_training_range_itself():
    network = Network([3, 4, 1], "tanh", "identity", rng=np.random.default_rng(0))
    learner = Learner(network, SGD(0.1), rng=np.random.default_rng(0))
    learner.fit_epochs(X[:30], y[:30, None], 2)
    np.testing.assert_array_equal(learner.training_range.low, X[:30].min(0))
    learner.fit_lbfgs(X[30:], y[30:, None], max_iter=2)
    np.testing.assert_array_equal(learner.training_range.high, X.max(0))
    # one step outside any epoch counts too
    learner.step(X[:1] * 5, y[:1, None])
    np.testing.assert_array_equal(learner.training_range.high, np.maximum(X.max(0), X[0] * 5))


def test_an_estimators_range_leaves_out_the_early_stopping_rows():
    X_c, y_c = make_classification(100, 4, random_state=0)
    model = MLPClassifier(hidden_layer_sizes=(4,), early_stopping=True, max_iter=3, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X_c, y_c)
    random_state = np.random.RandomState(0)
    random_state.uniform(size=4 * 4 + 4 + 4 + 1)  # the initial weights come first, as in scikit-learn
    train, _ = train_test_split(np.arange(100), test_size=0.1, random_state=random_state, stratify=y_c)
    np.testing.assert_array_equal(model.training_range_, TrainingRange.of(X_c[train]).as_array())


# --- n_iter_ and loss_, read from the history --------------------------------------------------------
@pytest.mark.parametrize("solver", ["adam", "sgd", "lbfgs"])
def test_n_iter_and_loss_are_read_from_the_history(solver):
    model = MLPClassifier(hidden_layer_sizes=(5,), solver=solver, warm_start=True, max_iter=6, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y).fit(X, y)
    learner = model.learner_
    assert "n_iter_" not in vars(model) and "loss_" not in vars(model)
    # scikit-learn counts the last call's epochs (iterations)
    assert model.n_iter_ == len(learner.last_call_records) == 6 and len(model.loss_curve_) == 12
    assert model.loss_ == learner.history["loss"][-1]
    del learner.history.records[-4:]
    assert model.n_iter_ == 2 and model.loss_ == learner.history["loss"][-1] == model.loss_curve_[-1]


def test_lbfgs_n_iter_and_loss_are_scipys():
    from glassnet.engine.lbfgs import run_lbfgs

    X_d, y_d = _diabetes()
    for max_iter, max_fun in [(5, 15000), (40, 15000), (100, 30)]:
        network = Network([10, 6, 1], "tanh", "identity", rng=np.random.default_rng(max_iter))
        history = glassnet.History()
        result = run_lbfgs(network, X_d, y_d[:, None], max_iter=max_iter, max_fun=max_fun, history=history)
        assert result.iterations == len(history) > 0
        assert result.final_loss == history["loss"][-1]


def test_a_file_that_stored_n_iter_still_says_where_the_last_call_began(tmp_path):
    model = MLPClassifier(hidden_layer_sizes=(4,), warm_start=True, max_iter=5, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y).fit(X, y)
    path = glassnet.save(model, tmp_path / "m.glassnet")
    with zipfile.ZipFile(path) as zf:
        members = {info.filename: zf.read(info) for info in zf.infolist()}
    document = json.loads(members["glassnet.json"])
    # as files were written before: n_iter_ and loss_ beside the history, no last-call index
    del document["state"]["learner"]["last_call_start"]
    document["state"]["fitted"].update(n_iter_=5, loss_=123.0)
    members["glassnet.json"] = json.dumps(document).encode()
    with zipfile.ZipFile(tmp_path / "old.glassnet", "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    loaded = glassnet.load(tmp_path / "old.glassnet")
    assert loaded.n_iter_ == 5 and len(loaded.loss_curve_) == 10
    assert loaded.loss_ == model.loss_ == model.loss_curve_[-1]  # the stored figure is not trusted


# --- the current learning rate and the rows per step ----------------------------------------------------
def test_the_learner_reports_the_rate_its_schedule_lowered():
    X_c, y_c = make_classification(120, 5, random_state=0)
    model = MLPClassifier(hidden_layer_sizes=(5,), solver="sgd", learning_rate="adaptive", learning_rate_init=0.5,
                          n_iter_no_change=1, tol=10.0, max_iter=30, batch_size=16, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X_c, y_c)
    assert model.learner_.learning_rate == model.learner_.optimizer.learning_rate < 0.5 / 5
    assert model.learner_.rows_per_step == 16
    lbfgs = MLPClassifier(hidden_layer_sizes=(5,), solver="lbfgs", max_iter=3, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        lbfgs.fit(X_c, y_c)
    assert lbfgs.learner_.learning_rate is None and lbfgs.learner_.rows_per_step == 120


def test_rows_per_step_of_the_article_network_and_after_a_model_file(tmp_path):
    nn = NeuralNetwork(seed=0).train(X, y, 2, validation_split=0.25)
    assert nn.learner.rows_per_step == 45  # the full batch of the rows trained on
    nn = NeuralNetwork(batch_size=8, seed=0).train(X, y, 2)
    assert nn.learner.rows_per_step == 8
    assert glassnet.load(glassnet.save(nn, tmp_path / "nn.glassnet")).learner.rows_per_step == 8


# --- bind(X, Y): checked and fingerprinted once ------------------------------------------------------------
def _shuffled_network(seed=4):
    return NeuralNetwork(layers=[3, 6, 1], activation="tanh", bias=True, init="glorot", optimizer="adam",
                         learning_rate=0.02, batch_size=7, metric="mse", seed=seed)


def test_bound_data_trains_to_the_same_bits_as_the_arrays():
    whole = _shuffled_network().train(X, y, 12)
    pieces = _shuffled_network()
    bound = pieces.learner.bind(X, y)
    for _ in range(4):
        pieces.train(bound, epochs=3)
    np.testing.assert_array_equal(pieces.network.params, whole.network.params)
    assert pieces.history.records == whole.history.records
    np.testing.assert_array_equal(pieces.training_range.low, whole.training_range.low)
    np.testing.assert_array_equal(pieces.training_range.high, whole.training_range.high)
    # bound and unbound calls on the same data carry the divergence snapshots alike
    mixed = _shuffled_network()
    mixed.train(bound, epochs=6).train(X, y, 6)
    np.testing.assert_array_equal(mixed.network.params, whole.network.params)
    assert mixed.learner.snapshots.epochs == 12


def test_bound_data_is_checked_and_fingerprinted_once(monkeypatch):
    from glassnet.engine import bound, training

    counts = {"fingerprint": 0, "range": 0}

    def counted(name, function):
        def call(*args, **kwargs):
            counts[name] += 1
            return function(*args, **kwargs)
        return call

    monkeypatch.setattr(bound, "_fingerprint", counted("fingerprint", bound._fingerprint))
    monkeypatch.setattr(training, "_fingerprint", counted("fingerprint", training._fingerprint))
    monkeypatch.setattr(TrainingRange, "of", classmethod(counted("range", TrainingRange.of.__func__)))
    monkeypatch.setattr(TrainingRange, "widened", counted("range", TrainingRange.widened))
    nn = _shuffled_network()
    data = nn.learner.bind(X, y)
    for _ in range(5):
        nn.train(data, epochs=2)
    assert counts == {"fingerprint": 1, "range": 1}
    nn.train(X, y, 2)  # unbound: once per call
    assert counts == {"fingerprint": 2, "range": 2}


def test_bound_data_is_refused_where_it_does_not_belong():
    nn = _shuffled_network()
    data = nn.learner.bind(X, y)
    with pytest.raises(ValueError, match="bound data carries its targets"):
        nn.train(data, y, 2)
    other = NeuralNetwork(layers=[3, 4, 1], dtype="float32", seed=0)
    with pytest.raises(ValueError, match="bound to another network"):
        other.train(data, epochs=1)
    with pytest.raises(ValueError, match="X has 2 features, the network expects 3"):
        nn.learner.bind(X[:, :2], y)
    with pytest.raises(TypeError, match="Y is required unless X is data bound"):
        nn.learner.fit_epochs(X, None, 1)


# --- a lean engine ------------------------------------------------------------------------------------------
def test_the_engine_loads_neither_scikit_learn_pandas_matplotlib_nor_scipy_optimize():
    code = ("import glassnet.engine.learner, sys; print(sorted(m for m in sys.modules "
            "if m.split('.')[0] in ('sklearn', 'pandas', 'matplotlib') or m == 'scipy.optimize'))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


def test_warnings_still_point_past_scikit_learn_and_joblib():
    import os

    import joblib
    import sklearn

    from glassnet._stack import _LIBRARIES

    for module in (sklearn, joblib, glassnet):
        assert os.path.dirname(os.path.abspath(module.__file__)) + os.sep in _LIBRARIES

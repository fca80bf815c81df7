"""glassnet.diagnose: each finding on a model built to have exactly that
problem, and its absence on healthy models."""

import copy
import json
import warnings

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer, load_diabetes, make_classification
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler, StandardScaler

import glassnet
from glassnet.engine.network import Network
from glassnet.glassbox.diagnose import CHECKS, Diagnosis


def checks_found(diagnosis):
    return sorted({finding.check for finding in diagnosis.findings})


@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0, stratify=y)
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test, X_train


@pytest.fixture(scope="module")
def healthy_classifier(cancer):
    X_train, _, y_train, _, _ = cancer
    return glassnet.MLPClassifier((16,), max_iter=1000, random_state=0).fit(X_train, y_train)


@pytest.fixture(scope="module")
def tutorial():
    data = glassnet.load_tutorial()
    scaler = MinMaxScaler(clip=True).fit(data.X_train)
    return data, scaler.transform(data.X_train)


# --- healthy models: no problems found --------------------------------------------------

def test_a_healthy_classifier_has_no_problems(healthy_classifier, cancer):
    X_train, _, y_train, _, _ = cancer
    diagnosis = glassnet.diagnose(healthy_classifier, X_train, y_train)
    assert diagnosis.ok, diagnosis
    assert diagnosis.skipped == {}
    assert sorted(diagnosis.checks) == sorted(CHECKS)
    # the key numbers, each checked against an independent computation
    summary = diagnosis.summary
    assert summary["rows"] == len(X_train) and summary["layers"] == "30-16-1"
    assert summary["epochs"] == healthy_classifier.n_iter_
    assert summary["final_training_loss"] == healthy_classifier.loss_curve_[-1]
    proba = healthy_classifier.predict_proba(X_train)[:, 1]
    log_loss = -np.mean(y_train * np.log(proba) + (1 - y_train) * np.log(1 - proba))
    assert summary["loss_per_row"] == pytest.approx(log_loss, rel=1e-9)
    share = y_train.mean()
    assert summary["constant_guess_per_row"] == pytest.approx(-(share * np.log(share) + (1 - share) * np.log(1 - share)), rel=1e-6)
    assert summary["share_outside_training_range"] == 0.0
    text = str(diagnosis)
    assert text.startswith("no problems found in MLPClassifier (8 checks)") and "loss_per_row 0.0" in text


def test_healthy_models_of_every_kind(tutorial):
    data, X = tutorial
    article = glassnet.NeuralNetwork(seed=0).train(X, data.y_train, 200)
    assert glassnet.diagnose(article, X, data.y_train).ok
    assert glassnet.diagnose(article.network, X, data.y_train).ok
    X_d, y_d = load_diabetes(return_X_y=True)
    X_d = StandardScaler().fit_transform(X_d)
    y_d = (y_d - y_d.mean()) / y_d.std()
    regressor = glassnet.MLPRegressor(hidden_layer_sizes=(10,), solver="lbfgs", alpha=1.0, max_iter=2000,
                                      random_state=0).fit(X_d, y_d)
    diagnosis = glassnet.diagnose(regressor, X_d, y_d)
    assert diagnosis.ok, diagnosis
    assert "class_imbalance" in diagnosis.skipped


def test_without_targets_the_checks_that_need_them_are_skipped(healthy_classifier, cancer):
    X_train = cancer[0]
    diagnosis = glassnet.diagnose(healthy_classifier, X_train)
    assert diagnosis.ok
    assert set(diagnosis.skipped) == {"gradient_flow", "class_imbalance"}
    assert "no targets" in diagnosis.skipped["gradient_flow"]


# --- dead units ----------------------------------------------------------------------------

def test_dead_units(healthy_classifier, cancer):
    X_train, _, y_train, _, _ = cancer
    model = copy.deepcopy(healthy_classifier)
    biases = model.intercepts_[0].copy()
    biases[[1, 4, 9]] = -1e3       # three units switched off for good
    model.intercepts_[0] = biases
    diagnosis = glassnet.diagnose(model, X_train, y_train)
    [finding] = diagnosis.by_check("dead_units")
    Z = X_train @ model.coefs_[0] + model.intercepts_[0]
    assert finding.numbers["which"] == np.flatnonzero((Z <= 0).all(axis=0)).tolist() == [1, 4, 9]
    assert finding.layer == 1 and finding.severity == "medium" and finding.numbers["dead_units"] == 3
    assert "3 of 16 relu units of hidden layer 1" in finding.message
    assert not glassnet.diagnose(healthy_classifier, X_train, y_train).by_check("dead_units")


# --- saturated units -----------------------------------------------------------------------

def test_saturated_hidden_units(cancer):
    X_train, _, y_train, _, _ = cancer
    model = glassnet.MLPClassifier((8,), activation="tanh", max_iter=300, random_state=0).fit(X_train, y_train)
    assert not glassnet.diagnose(model, X_train, y_train).by_check("saturated_units")
    weights = model.coefs_[0].copy()
    weights[:, :5] *= 200          # five units pushed far into tanh's flat ends
    model.coefs_[0] = weights
    [finding] = glassnet.diagnose(model, X_train, y_train).by_check("saturated_units")
    Z = X_train @ model.coefs_[0] + model.intercepts_[0]
    expected = np.flatnonzero(np.mean(np.abs(Z) > 4, axis=0) > 0.95)
    assert finding.numbers["which"] == expected.tolist() and 3 <= len(expected) <= 5
    assert finding.layer == 1 and finding.severity == "high"


def test_a_saturated_output_with_squared_error(tutorial):
    data, _ = tutorial
    # the article's network with a step of 50 on unscaled inputs: the output unit ends at 0 for every row
    nn = glassnet.NeuralNetwork(seed=0, learning_rate=50).train(data.X_train, data.y_train, 200)
    findings = glassnet.diagnose(nn, data.X_train, data.y_train).by_check("saturated_units")
    assert [(f.layer, f.numbers["saturated_units"]) for f in findings] == [(2, 1)]
    assert "cross-entropy" in findings[0].suggestion


# --- gradient flow -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def rows():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 10))
    return X, (X[:, 0] + X[:, 1] > 0).astype(float)


def test_vanishing_gradients(rows):
    X, y = rows
    deep = glassnet.NeuralNetwork(layers=[10] + [16] * 6 + [1], activation="logistic", loss="binary_crossentropy",
                                  bias=True, init="glorot", learning_rate=0.01, seed=0)
    [finding] = glassnet.diagnose(deep, X, y).by_check("gradient_flow")
    weight_grads, _ = deep.gradients(X, y)
    relative = [np.linalg.norm(g) / np.linalg.norm(W) for g, W in zip(weight_grads, deep.weights)]
    assert finding.numbers["ratio_to_output_layer"] == pytest.approx(relative[0] / relative[-1], rel=1e-9)
    assert relative[0] / relative[-1] < 1e-3
    assert finding.layer == 1 and "vanishes" in finding.message
    shallow = glassnet.NeuralNetwork(layers=[10, 16, 1], activation="relu", loss="binary_crossentropy", bias=True,
                                     init="he", learning_rate=0.01, reduction="mean", seed=0)
    assert not glassnet.diagnose(shallow, X, y).by_check("gradient_flow")


def test_exploding_gradients(rows):
    X, y = rows
    deep = glassnet.NeuralNetwork(layers=[10] + [16] * 6 + [1], activation="relu", loss="binary_crossentropy",
                                  bias=True, init="he", optimizer="adam", seed=0)
    deep.weights = [W * 4 for W in deep.weights]   # every layer multiplies the signal by about 4
    findings = glassnet.diagnose(deep, X, y).by_check("gradient_flow")
    assert [f.message.split(":")[0] for f in findings] == ["the gradient explodes"]
    weight_grads, _ = deep.gradients(X, y)
    # the summed loss's gradient per row, against the weights
    relative = [np.linalg.norm(g) / len(X) / np.linalg.norm(W) for g, W in zip(weight_grads, deep.weights)]
    assert findings[0].numbers["gradient_to_weight"] == pytest.approx(relative, rel=1e-9)
    assert findings[0].layer == int(np.argmax(relative)) + 1 and max(relative) > 100


def test_steps_larger_than_the_weights(rows):
    X, y = rows
    nn = glassnet.NeuralNetwork(layers=[10, 4, 1], loss="binary_crossentropy", bias=True, init="glorot",
                                learning_rate=100.0, seed=0)
    [finding] = glassnet.diagnose(nn, X, y).by_check("gradient_flow")
    weight_grads, _ = nn.gradients(X, y)
    # an untrained network steps over all of X's rows at once, with the summed gradient
    expected = [100.0 * np.linalg.norm(g) / np.linalg.norm(W) for g, W in zip(weight_grads, nn.weights)]
    assert finding.numbers["update_to_weight"] == pytest.approx(expected, rel=1e-9)
    assert max(expected) > 1 and "times their own size" in finding.message


# --- learning rate -------------------------------------------------------------------------

def test_a_learning_rate_so_high_the_loss_rises(tutorial):
    data, _ = tutorial
    nn = glassnet.NeuralNetwork(seed=0, learning_rate=50).train(data.X_train, data.y_train, 200)
    [finding] = glassnet.diagnose(nn, data.X_train, data.y_train).by_check("learning_rate")
    losses = nn.history["loss"]
    assert finding.severity == "high" and "rose" in finding.message
    assert finding.numbers["first_loss"] == losses[0] and finding.numbers["final_loss"] == losses[-1] > losses[0]
    # the fix as a setting, in the model's own words: a NeuralNetwork's keyword
    assert finding.advice() == "Lower the learning rate (it is 50) and scale the inputs (learning_rate=5.0)."


def test_a_learning_rate_so_high_the_loss_oscillates():
    X, y = load_diabetes(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    y = (y - y.mean()) / y.std()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = glassnet.MLPRegressor(hidden_layer_sizes=(32,), solver="sgd", learning_rate_init=0.2, momentum=0.9,
                                      batch_size=16, max_iter=60, n_iter_no_change=1000, random_state=0).fit(X, y)
    [finding] = glassnet.diagnose(model, X, y).by_check("learning_rate")
    recent = np.asarray(model.loss_curve_[30:])
    assert finding.numbers["share_of_epochs_up"] == pytest.approx(np.mean(np.diff(recent) > 0))
    assert finding.numbers["swing"] == pytest.approx((recent.max() - recent.min()) / recent.min())
    assert "oscillates" in finding.message and "(learning_rate_init=0.02)" in finding.advice()


@pytest.mark.parametrize("record_stats", [False, True])
def test_a_learning_rate_too_small(tutorial, record_stats):
    data, X = tutorial
    nn = glassnet.NeuralNetwork(seed=0, learning_rate=1e-7).train(X, data.y_train, 20, record_stats=record_stats)
    [finding] = glassnet.diagnose(nn, X, data.y_train).by_check("learning_rate")
    assert finding.severity == "medium" and finding.advice().endswith("(learning_rate=1e-06).")
    if record_stats:
        assert finding.numbers["update_to_weight"] == nn.history.records[-1]["layer_update_ratio"]
        assert max(finding.numbers["update_to_weight"]) < 1e-6
    else:
        losses = nn.history["loss"]
        assert finding.numbers["relative_change"] == pytest.approx(abs(losses[0] - losses[-1]) / losses[0])


# --- input scaling -------------------------------------------------------------------------

@pytest.mark.parametrize("problem, transform, words", [
    ("spread", lambda X: X * np.r_[1e-3, np.ones(X.shape[1] - 1)], "feature scales differ by"),
    ("off_centre", lambda X: X + np.r_[4.0, np.zeros(X.shape[1] - 1)], "far from centred"),
    ("large", lambda X: X * np.r_[10.0, np.ones(X.shape[1] - 1)], "far beyond unit scale"),
])
def test_input_scaling_problems_one_at_a_time(rows, problem, transform, words):
    X, y = rows
    X = transform(X)
    nn = glassnet.NeuralNetwork(layers=[10, 8, 1], activation="relu", loss="binary_crossentropy", bias=True,
                                init="he", optimizer="adam", learning_rate=0.01, seed=0).train(X, y, 5)
    findings = glassnet.diagnose(nn, X, y).by_check("input_scaling")
    assert len(findings) == 1 and words in findings[0].message, [f.message for f in findings]
    if problem == "spread":
        peak = np.abs(X).max(axis=0)
        assert findings[0].numbers["scale_ratio"] == pytest.approx(peak.max() / peak.min())
    rows_X, _ = rows
    assert not glassnet.diagnose(nn, rows_X, y).by_check("input_scaling")


def test_unscaled_real_data(cancer):
    _, _, y_train, _, raw = cancer
    diagnosis = glassnet.diagnose(glassnet.Network([30, 4, 1], "relu", "logistic", "binary_crossentropy",
                                                   rng=np.random.default_rng(0)), raw, y_train)
    [finding] = diagnosis.by_check("input_scaling")
    for words in ("feature scales differ by", "far from centred", "far beyond unit scale"):
        assert words in finding.message
    peak = np.abs(raw).max(axis=0)
    assert finding.numbers["scale_ratio"] == pytest.approx(peak.max() / peak.min())


# --- class imbalance -----------------------------------------------------------------------

def test_class_imbalance():
    X, y = make_classification(400, 5, weights=[0.9, 0.1], random_state=0)
    X = StandardScaler().fit_transform(X)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        plain = glassnet.MLPClassifier((8,), max_iter=300, random_state=0).fit(X, y)
        weighted = glassnet.MLPClassifier((8,), max_iter=300, random_state=0, class_weight="balanced").fit(X, y)
    [finding] = glassnet.diagnose(plain, X, y).by_check("class_imbalance")
    counts = np.bincount(y)
    assert finding.numbers["counts"] == {"0": counts[0], "1": counts[1]}
    assert finding.numbers["ratio"] == pytest.approx(counts.max() / counts.min())
    assert finding.severity == "medium" and "(class_weight='balanced')" in finding.advice()
    [compensated] = glassnet.diagnose(weighted, X, y).by_check("class_imbalance")
    assert compensated.severity == "low"
    balanced_X, balanced_y = make_classification(400, 5, random_state=0)
    model = glassnet.MLPClassifier((8,), max_iter=300, random_state=0).fit(balanced_X, balanced_y)
    assert not glassnet.diagnose(model, balanced_X, balanced_y).by_check("class_imbalance")


# --- fit -----------------------------------------------------------------------------------

def test_overfitting_from_the_validation_curve():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (40, 1))
    y = np.sin(3 * X[:, 0]) + rng.normal(0, 0.3, 40)
    X_val = rng.uniform(-1, 1, (200, 1))
    y_val = np.sin(3 * X_val[:, 0]) + rng.normal(0, 0.3, 200)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = glassnet.MLPRegressor(hidden_layer_sizes=(200, 200), learning_rate_init=0.01, alpha=0.0,
                                      max_iter=600, n_iter_no_change=5000, random_state=0)
        model.fit(X, y, X_val=X_val, y_val=y_val)
    [finding] = glassnet.diagnose(model, X, y).by_check("fit")
    val = np.asarray(model.validation_loss_curve_)
    assert finding.numbers["best_epoch"] == int(val.argmin()) + 1 and finding.numbers["final_val_loss"] == val[-1]
    assert val[-1] > 1.1 * val.min() and "overfitting" in finding.message


def test_underfitting_against_a_constant_guess(cancer):
    X_train, _, y_train, _, _ = cancer
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = glassnet.MLPClassifier((16,), learning_rate_init=1e-6, max_iter=3, random_state=0).fit(X_train, y_train)
    [finding] = glassnet.diagnose(model, X_train, y_train).by_check("fit")
    assert "underfitting" in finding.message
    assert finding.numbers["loss_per_row"] >= 0.9 * finding.numbers["constant_guess_per_row"]


def test_worse_on_other_rows_than_on_training_rows():
    rng = np.random.default_rng(1)
    X = rng.uniform(-1, 1, (30, 3))
    y = 3 * X[:, 0] + rng.normal(0, 0.5, 30)
    model = glassnet.MLPRegressor(hidden_layer_sizes=(100,), solver="lbfgs", alpha=0.0, max_iter=2000,
                                  random_state=0).fit(X, y)
    X_new = rng.uniform(-1, 1, (300, 3))
    y_new = 3 * X_new[:, 0] + rng.normal(0, 0.5, 300)
    [finding] = glassnet.diagnose(model, X_new, y_new).by_check("fit")
    assert "times the final training loss" in finding.message
    assert not glassnet.diagnose(model, X, y).by_check("fit")


def test_training_stopped_while_still_improving(cancer):
    X_train, _, y_train, _, _ = cancer
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = glassnet.MLPClassifier((16,), max_iter=20, random_state=0).fit(X_train, y_train)
    [finding] = glassnet.diagnose(model, X_train, y_train).by_check("fit")
    curve = model.loss_curve_
    assert finding.severity == "low" and "still falling" in finding.message
    assert finding.numbers["share_of_descent"] == pytest.approx((curve[-5] - curve[-1]) / (curve[0] - curve[-1]))


# --- extrapolation -------------------------------------------------------------------------

def test_rows_beyond_the_training_range(healthy_classifier, cancer):
    X_train, X_test, y_train, y_test, _ = cancer
    shifted = X_train.copy()
    shifted[::4, 3] = X_train[:, 3].max() + 5     # every fourth row far beyond on feature 3
    [finding] = glassnet.diagnose(healthy_classifier, shifted, y_train).by_check("extrapolation")
    n_far = len(range(0, len(X_train), 4))
    assert finding.numbers["rows_far_outside"] == n_far
    assert finding.numbers["features"] == {"x[:, 3]": n_far}
    assert finding.severity == "high" and "x[:, 3]" in finding.message
    assert not glassnet.diagnose(healthy_classifier, X_train, y_train).by_check("extrapolation")


# --- the report ----------------------------------------------------------------------------

def test_report_as_dict_and_table(tutorial):
    data, _ = tutorial
    nn = glassnet.NeuralNetwork(seed=0, learning_rate=50).train(data.X_train, data.y_train, 200)
    diagnosis = glassnet.diagnose(nn, data.X_train, data.y_train)
    assert isinstance(diagnosis, Diagnosis) and not diagnosis.ok
    as_dict = json.loads(json.dumps(diagnosis.as_dict()))
    assert as_dict["model"] == "NeuralNetwork" and as_dict["ok"] is False
    severities = [finding["severity"] for finding in as_dict["findings"]]
    assert severities == sorted(severities, key=["high", "medium", "low"].index)
    for finding in as_dict["findings"]:
        assert finding["message"] and finding["suggestion"].endswith(".") and finding["numbers"]
        assert finding["suggestion"].count(". ") == 0   # one sentence
    text = str(diagnosis)
    assert "learning_rate" in text and "Lower the learning rate" in text


def test_bad_input(healthy_classifier, cancer):
    X_train = cancer[0]
    with pytest.raises(ValueError, match="diagnose needs a glassnet model"):
        glassnet.diagnose(object(), X_train)
    with pytest.raises(ValueError, match="not fitted yet: call fit before diagnose"):
        glassnet.diagnose(glassnet.MLPClassifier(), X_train)
    with pytest.raises(ValueError, match="unknown check 'deadunits'; expected one of: "):
        glassnet.diagnose(healthy_classifier, X_train, checks=["deadunits"])
    with pytest.raises(ValueError, match="X has 3 features, the network expects 10|features"):
        glassnet.diagnose(Network([10, 2, 1]), np.zeros((4, 3)))
    only = glassnet.diagnose(healthy_classifier, X_train, checks=["dead_units"])
    assert only.checks == ["dead_units"]


def test_diagnosing_leaves_the_model_untouched(healthy_classifier, cancer):
    X_train, _, y_train, _, _ = cancer
    params = healthy_classifier.network_.params.copy()
    grad = healthy_classifier.network_.grad.copy()
    records = [dict(record) for record in healthy_classifier.learner_.history.records]
    glassnet.diagnose(healthy_classifier, X_train, y_train)
    assert np.array_equal(healthy_classifier.network_.params, params)
    assert np.array_equal(healthy_classifier.network_.grad, grad)
    assert healthy_classifier.learner_.history.records == records


def test_rows_scaled_unlike_the_training_rows(healthy_classifier, cancer):
    X_train, _, y_train, _, raw = cancer
    # the training rows were standardised; these come in the file's own units
    [finding] = glassnet.diagnose(healthy_classifier, raw, y_train).by_check("input_scaling")
    assert "same preprocessing as the training rows" in finding.suggestion
    # a model trained on raw rows is told to scale them
    network = glassnet.NeuralNetwork(layers=[30, 4, 1], loss="binary_crossentropy", bias=True, init="glorot",
                                     optimizer="adam", seed=0).train(raw, y_train, 2)
    [finding] = glassnet.diagnose(network, raw, y_train).by_check("input_scaling")
    assert finding.suggestion == "Fit a scaler on the training rows and use it on every input."
    assert finding.advice() == "Fit a scaler on the training rows and use it on every input (StandardScaler())."
    assert finding.advice("cli").endswith("(--scaler standard).")

"""Extrapolation warnings people keep on: one short line per fitted model, a
switch per model, and the full detail from glassnet.explain_extrapolation."""

import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer, load_diabetes
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import glassnet
from glassnet import ExtrapolationWarning, MLPClassifier, MLPRegressor
from cli_helpers import ENV

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def caught_extrapolations(action):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        action()
    return [record for record in caught if record.category is ExtrapolationWarning]


@pytest.fixture
def diabetes():
    X, y = load_diabetes(return_X_y=True)
    return X[:300], y[:300], X[300:]


def test_an_estimator_warns_once_per_fit_and_again_after_refitting(diabetes):
    X, y, X_new = diabetes
    model = MLPRegressor(hidden_layer_sizes=(5,), solver="lbfgs", max_iter=20, random_state=0).fit(X, y)
    first = caught_extrapolations(lambda: [model.predict(X_new), model.predict(X_new), model.score(X_new, y[:142])])
    assert len(first) == 1
    assert len(caught_extrapolations(lambda: model.predict(X_new * 2))) == 0
    model.fit(X, y)  # a new fitted model
    assert len(caught_extrapolations(lambda: [model.predict(X_new), model.predict(X_new)])) == 1
    model.set_params(solver="adam", max_iter=1).partial_fit(X[:10], y[:10])  # trained again
    assert len(caught_extrapolations(lambda: model.predict(X_new))) == 1


def test_rows_inside_do_not_use_up_the_warning(diabetes):
    X, y, X_new = diabetes
    model = MLPRegressor(hidden_layer_sizes=(5,), solver="lbfgs", max_iter=20, random_state=0).fit(X, y)
    assert caught_extrapolations(lambda: model.predict(X)) == []
    [warning] = caught_extrapolations(lambda: model.predict(X_new))
    report = glassnet.explain_extrapolation(model, X_new)
    assert (warning.message.n_rows, warning.message.n_total) == (report.n_rows, report.n_total) == (
        int(((X_new < X.min(axis=0)) | (X_new > X.max(axis=0))).any(axis=1).sum()), 142)


def test_the_warning_is_one_line_naming_the_worst_feature_and_the_row_count():
    nn = glassnet.NeuralNetwork(layers=[3, 2, 1], seed=0).train(np.array([[0.0, 0, 0], [1, 10, 100]]), [0, 1], 2)
    X = np.array([[0.5, 5, 150], [2.0, 5, 50], [0.5, 5, 50]])
    # x[:, 0] is 1 width above its range, x[:, 2] half a width: x[:, 0] is the worst
    [record] = caught_extrapolations(lambda: nn.predict(X))
    message = str(record.message)
    assert "\n" not in message and len(message) < 160
    assert message == ("2 of 3 rows are outside the training range; worst x[:, 0]: up to 1 above [0, 1]; "
                       "see glassnet.explain_extrapolation(model, X)")
    report = glassnet.explain_extrapolation(nn, X)
    assert report.worst.feature == 0 and [item.feature for item in report.excursions] == [0, 2]
    assert str(report).splitlines()[1:] == [
        "  x[:, 0] leaves its range [0, 1] in 1 row: up to 1 above (1× the range's width)",
        "  x[:, 2] leaves its range [0, 100] in 1 row: up to 50 above (0.5× the range's width)",
    ]
    frame = report.to_frame()
    assert frame["name"].tolist() == ["x[:, 0]", "x[:, 2]"] and frame["most_above"].tolist() == [1.0, 50.0]
    # NeuralNetwork: once per training too
    assert caught_extrapolations(lambda: nn.predict(X)) == []
    nn.train(np.array([[0.0, 0, 0], [1, 10, 100]]), [0, 1], 1)
    assert len(caught_extrapolations(lambda: nn.predict(X))) == 1


def test_extrapolation_ignore_turns_it_off_for_that_model_alone(diabetes):
    X, y, X_new = diabetes
    quiet = MLPRegressor(hidden_layer_sizes=(5,), solver="lbfgs", max_iter=20, random_state=0,
                         extrapolation="ignore").fit(X, y)
    loud = MLPRegressor(hidden_layer_sizes=(5,), solver="lbfgs", max_iter=20, random_state=0).fit(X, y)
    assert caught_extrapolations(lambda: quiet.predict(X_new)) == []
    assert len(caught_extrapolations(lambda: loud.predict(X_new))) == 1
    assert np.array_equal(quiet.predict(X_new), loud.predict(X_new))
    assert glassnet.explain_extrapolation(quiet, X_new).n_rows > 0  # the detail is still there on request
    nn = glassnet.NeuralNetwork(extrapolation="ignore", seed=0).train(np.zeros((2, 3)), [0, 1], 1)
    assert caught_extrapolations(lambda: nn.predict([5.0, 5.0, 5.0])) == []


def test_the_setting_survives_model_files_and_bad_values_are_refused(tmp_path, diabetes):
    X, y, X_new = diabetes
    model = MLPRegressor(hidden_layer_sizes=(3,), max_iter=2, extrapolation="ignore", random_state=0).fit(X, y)
    assert glassnet.load(glassnet.save(model, tmp_path / "m.glassnet")).extrapolation == "ignore"
    nn = glassnet.NeuralNetwork(extrapolation="ignore")
    assert glassnet.load(glassnet.save(nn, tmp_path / "n.glassnet")).extrapolation == "ignore"
    with pytest.raises(ValueError, match="unknown extrapolation 'loud'; expected one of: warn, ignore"):
        MLPClassifier(extrapolation="loud").fit(X[:20], y[:20] > 100)
    with pytest.raises(ValueError, match="unknown extrapolation 'off'; expected one of: warn, ignore"):
        glassnet.NeuralNetwork(extrapolation="off")


def test_explain_extrapolation_on_pipelines_command_line_models_and_untrained_models(diabetes):
    X, y, X_new = diabetes
    pipeline = make_pipeline(StandardScaler(), MLPRegressor(hidden_layer_sizes=(3,), solver="lbfgs", max_iter=5,
                                                             random_state=0)).fit(X, y)
    report = glassnet.explain_extrapolation(pipeline, X_new)
    expected = glassnet.explain_extrapolation(pipeline[-1], pipeline[0].transform(X_new))
    assert report.n_rows == expected.n_rows and report.excursions == expected.excursions
    with pytest.raises(ValueError, match="not fitted yet"):
        glassnet.explain_extrapolation(MLPClassifier(), X)
    with pytest.raises(ValueError, match="has no training range yet: train it first"):
        glassnet.explain_extrapolation(glassnet.NeuralNetwork(), np.ones((2, 3)))
    with pytest.raises(ValueError, match="needs a glassnet model"):
        glassnet.explain_extrapolation(StandardScaler(), X)

    from glassnet.tabular.datasets import load_dataset
    from glassnet.tabular.fitting import Options, fit_table

    frame, target = load_dataset("diabetes")
    model, test, _ = fit_table(frame, Options(target=target, hidden=(3,), solver="lbfgs", epochs=5), "diabetes")
    rows, excursions = model.outside(test)
    report = glassnet.explain_extrapolation(model, test)
    assert (report.n_rows, report.excursions) == (rows, excursions)


def test_cross_validation_prints_at_most_one_short_line_per_fitted_model():
    X, y = load_breast_cancer(return_X_y=True)
    model = make_pipeline(StandardScaler(), MLPClassifier(hidden_layer_sizes=(30,), max_iter=300, random_state=0))
    records = caught_extrapolations(lambda: cross_val_score(model, X, y, cv=5))
    assert 1 <= len(records) <= 5
    assert all("\n" not in str(record.message) and len(str(record.message)) < 160 for record in records)


def test_the_readme_cross_val_score_example_prints_one_warning_line_per_fold_at_most():
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    example = next(block for block in re.findall(r"```python\n(.*?)```", readme, re.S) if "cross_val_score" in block)
    folds = int(re.search(r"cv=(\d+)", example).group(1))
    run = subprocess.run([sys.executable, "-c", example], capture_output=True, text=True, env=ENV, timeout=600)
    assert run.returncode == 0, run.stderr
    warning_lines = [line for line in run.stderr.splitlines() if "ExtrapolationWarning" in line]
    assert len(warning_lines) <= folds
    assert all(len(line) < 250 for line in warning_lines)
    # what Python prints besides is the source line each warning points at, the user's own
    other = [line for line in run.stderr.splitlines() if line.strip() and "ExtrapolationWarning" not in line]
    assert all("cross_val_score(" in line for line in other)


def test_glassnets_own_calls_beyond_the_range_keep_the_users_warning(tmp_path):
    import glassnet.plot

    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (100, 2))
    y = (X[:, 0] * X[:, 1] > 0) * 1.0
    nn = glassnet.NeuralNetwork(layers=[2, 4, 1], activation="tanh", bias=True, init="glorot", seed=0).train(X, y, 5)
    # the boundary's grid reaches past the data on purpose: no warning, and nothing used up
    assert caught_extrapolations(lambda: glassnet.plot.decision_boundary(nn, X, y, tmp_path / "b.png")) == []
    assert len(caught_extrapolations(lambda: nn.predict(X * 3))) == 1

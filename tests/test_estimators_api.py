"""The estimators as scikit-learn users use them: targets of every kind,
sparse input, partial_fit, warm_start, and the ecosystem (Pipeline,
GridSearchCV, cross_val_score, clone, joblib)."""

import io
import warnings

import joblib
import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.datasets import make_classification, make_multilabel_classification, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.neural_network import MLPClassifier as SklearnMLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from glassnet import MLPClassifier, MLPRegressor
from glassnet.engine.network import Network

X, y = make_classification(150, 8, n_informative=5, n_classes=3, random_state=0)
X_reg, y_reg = make_regression(150, 5, n_targets=3, random_state=0)
y_reg = y_reg / 100

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def quick(cls=MLPClassifier, **settings):
    return cls(**{"hidden_layer_sizes": (12,), "random_state": 0, "max_iter": 30, **settings})


def test_string_labels_come_back_as_strings():
    names = np.array(["cat", "dog", "emu"])[y]
    model = quick().fit(X, names)
    assert list(model.classes_) == ["cat", "dog", "emu"]
    predicted = model.predict(X)
    assert predicted.dtype == names.dtype and set(predicted) <= set(names)
    # the labels are the integer model's, renamed: the encoding is the same
    np.testing.assert_array_equal(predicted, np.array(["cat", "dog", "emu"])[quick().fit(X, y).predict(X)])


def test_binary_probabilities_have_two_columns_in_class_order():
    labels = np.where(y == 0, "no", "yes")
    model = quick().fit(X, labels)
    proba = model.predict_proba(X)
    assert proba.shape == (150, 2) and model.n_outputs_ == 1 and model.out_activation_ == "logistic"
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(model.predict(X), model.classes_[(proba[:, 1] > 0.5).astype(int)])
    np.testing.assert_allclose(model.predict_log_proba(X), np.log(proba))


def test_multiclass_uses_softmax_and_scores_accuracy():
    model = quick().fit(X, y)
    assert model.out_activation_ == "softmax" and model.n_outputs_ == 3 and model.n_layers_ == 3
    proba = model.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert model.score(X, y) == np.mean(model.predict(X) == y)


def test_multilabel_indicator_targets():
    X_labels, Y_labels = make_multilabel_classification(100, 6, n_classes=4, random_state=0)
    model = quick(max_iter=200).fit(X_labels, Y_labels)
    assert model.out_activation_ == "logistic" and model.n_outputs_ == 4
    predicted = model.predict(X_labels)
    assert predicted.shape == Y_labels.shape
    np.testing.assert_array_equal(predicted, (model.predict_proba(X_labels) > 0.5).astype(int))
    # score is subset accuracy: every label of a row right
    assert model.score(X_labels, Y_labels) == np.mean((predicted == Y_labels).all(axis=1))


def test_multi_output_regression():
    model = quick(MLPRegressor).fit(X_reg, y_reg)
    assert model.predict(X_reg).shape == (150, 3) and model.n_outputs_ == 3
    assert quick(MLPRegressor).fit(X_reg, y_reg[:, 0]).predict(X_reg).shape == (150,)


@pytest.mark.parametrize("solver", ["adam", "sgd", "lbfgs"])
def test_sparse_input_trains_as_the_dense_matrix(solver):
    dense = np.where(np.abs(X) > 1, X, 0.0)
    on_sparse = quick(solver=solver).fit(sp.csr_matrix(dense), y)
    on_dense = quick(solver=solver).fit(dense, y)
    for a, b in zip(on_sparse.coefs_, on_dense.coefs_):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-10)
    np.testing.assert_array_equal(on_sparse.predict(sp.csc_matrix(dense)), on_dense.predict(dense))


def test_coefs_are_views_of_the_engine_network():
    model = quick().fit(X, y)
    assert isinstance(model.network_, Network)
    assert model.network_.layer_sizes == [8, 12, 3]
    assert [c.shape for c in model.coefs_] == [(8, 12), (12, 3)]
    assert [b.shape for b in model.intercepts_] == [(12,), (3,)]
    assert np.shares_memory(model.coefs_[0], model.network_.params)
    model.coefs_[1] = np.zeros((12, 3))
    model.intercepts_ = [model.intercepts_[0], np.array([0.0, 5.0, 0.0])]
    assert (model.predict(X) == 1).all()


def test_partial_fit_learns_epoch_by_epoch():
    model = quick(solver="sgd", learning_rate_init=0.05)
    for _ in range(20):
        model.partial_fit(X, y, classes=np.array([0, 1, 2]))
    assert model.n_iter_ == 1 and model.t_ == 20 * 150 and len(model.loss_curve_) == 20
    assert model.loss_curve_[-1] < model.loss_curve_[0]
    # a batch may hold only some of the classes
    model.partial_fit(X[y == 0], y[y == 0])
    assert len(model.loss_curve_) == 21


def test_partial_fit_is_not_offered_by_lbfgs():
    assert not hasattr(MLPClassifier(solver="lbfgs"), "partial_fit")
    assert not hasattr(MLPRegressor(solver="lbfgs"), "partial_fit")
    assert hasattr(MLPRegressor(solver="sgd"), "partial_fit")


def test_warm_start_continues_from_the_previous_weights():
    model = quick(warm_start=True, max_iter=5)
    model.fit(X, y)
    first = model.coefs_[0].copy()
    model.fit(X, y)
    assert len(model.loss_curve_) == 10 and model.n_iter_ == 5 and model.t_ == 1500
    cold = quick(max_iter=5).fit(X, y)
    cold.fit(X, y)
    # without warm_start the second fit starts again from the same weights
    np.testing.assert_array_equal(cold.coefs_[0], first)
    assert not np.array_equal(model.coefs_[0], first)


def test_pipeline_grid_search_and_cross_validation():
    pipeline = make_pipeline(StandardScaler(), quick(learning_rate_init=0.01))
    scores = cross_val_score(pipeline, X, y, cv=3)
    shared = SklearnMLPClassifier().get_params()
    settings = {key: value for key, value in quick(learning_rate_init=0.01).get_params().items() if key in shared}
    same = make_pipeline(StandardScaler(), SklearnMLPClassifier(**settings))
    # glassnet's extra parameters keep scikit-learn's behaviour by default,
    # so the scores agree
    assert scores.min() > 0.5  # chance is 1/3
    np.testing.assert_allclose(scores, cross_val_score(same, X, y, cv=3))
    search = GridSearchCV(pipeline, {"mlpclassifier__alpha": [1e-4, 1.0]}, cv=3, n_jobs=2).fit(X, y)
    assert search.best_params_["mlpclassifier__alpha"] in (1e-4, 1.0)
    assert set(search.predict(X)) <= {0, 1, 2}
    # the search's refit model is the one a direct fit gives
    direct = clone(pipeline).set_params(**search.best_params_).fit(X, y)
    np.testing.assert_array_equal(search.predict_proba(X), direct.predict_proba(X))


def test_clone_keeps_parameters_and_drops_the_fit():
    model = quick(activation="gelu", class_weight="balanced").fit(X, y)
    copy = clone(model)
    assert copy.get_params() == model.get_params()
    assert not hasattr(copy, "network_")


def test_joblib_round_trip_and_training_continues():
    model = quick(solver="sgd", warm_start=True).fit(X, y)
    buffer = io.BytesIO()
    joblib.dump(model, buffer)
    buffer.seek(0)
    loaded = joblib.load(buffer)
    np.testing.assert_array_equal(loaded.predict_proba(X), model.predict_proba(X))
    # the rebuilt network's weight views are live again: training moves them
    loaded.partial_fit(X, y)
    assert np.shares_memory(loaded.coefs_[0], loaded.network_.params)
    assert not np.array_equal(loaded.predict_proba(X), model.predict_proba(X))


def test_pandas_feature_names_are_kept_and_checked():
    import pandas
    frame = pandas.DataFrame(X, columns=[f"f{i}" for i in range(8)])
    model = quick().fit(frame, y)
    assert list(model.feature_names_in_) == list(frame.columns)
    with pytest.warns(UserWarning, match="feature names"):
        model.predict(X)


def test_verbose_prints_scikit_learns_lines(capsys):
    quick(max_iter=3, verbose=True, early_stopping=True, n_iter_no_change=50).fit(X, y)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Iteration 1, loss = ") and lines[1].startswith("Validation score: ")
    assert len(lines) == 6


def test_convergence_warning_at_max_iter_for_every_solver():
    for solver in ("adam", "sgd"):
        with pytest.warns(ConvergenceWarning, match=r"Maximum iterations \(3\) reached"):
            quick(solver=solver, max_iter=3).fit(X, y)
    with pytest.warns(ConvergenceWarning, match="lbfgs failed to converge after 3 iteration"):
        quick(solver="lbfgs", max_iter=3).fit(X, y)
    # stopping on the tol rule is convergence: no warning
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        model = quick(max_iter=500, tol=0.1).fit(X, y)
    assert model.n_iter_ < 500

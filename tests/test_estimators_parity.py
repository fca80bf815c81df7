"""glassnet's estimators against scikit-learn's at the same settings.

With the same random_state both start from the same weights, split off the
same validation rows, visit the rows in the same order and apply the same
update rules, so the whole training trajectory agrees to rounding."""

import inspect
import warnings

import numpy as np
import pytest
import sklearn.neural_network as sk
from sklearn.datasets import make_classification, make_multilabel_classification, make_regression
from sklearn.exceptions import ConvergenceWarning

import glassnet
from glassnet.estimators import PARAMETERS

X_multi, y_multi = make_classification(120, 6, n_informative=4, n_classes=3, random_state=0)
X_binary, y_binary = make_classification(120, 6, random_state=1)
X_labels, y_labels = make_multilabel_classification(120, 6, n_classes=3, random_state=0)
X_reg, y_reg = make_regression(120, 6, n_targets=2, random_state=0)
y_reg = y_reg / 100
weights = np.random.RandomState(0).randint(1, 4, 120).astype(float)

CASES = {
    "multiclass adam": ("classifier", X_multi, y_multi, {}, None),
    "binary sgd adaptive": ("classifier", X_binary, y_binary, dict(solver="sgd", learning_rate="adaptive", batch_size=16), None),
    "binary sgd invscaling": (
        "classifier", X_binary, y_binary,
        dict(solver="sgd", learning_rate="invscaling", learning_rate_init=0.1, batch_size=32, nesterovs_momentum=False), None,
    ),
    "multilabel logistic": ("classifier", X_labels, y_labels, dict(activation="logistic", batch_size=20), None),
    "multiclass early stopping": (
        "classifier", X_multi, y_multi, dict(early_stopping=True, batch_size=10, learning_rate_init=0.01), None,
    ),
    "multiclass weighted": ("classifier", X_multi, y_multi, dict(batch_size=30), weights),
    "binary lbfgs": ("classifier", X_binary, y_binary, dict(solver="lbfgs"), None),
    "regression tanh": ("regressor", X_reg, y_reg[:, 0], dict(activation="tanh", batch_size=25), None),
    "regression weighted early stopping": (
        "regressor", X_reg, y_reg[:, 0], dict(early_stopping=True, batch_size=25), weights,
    ),
    "poisson": ("regressor", X_reg, np.exp(y_reg[:, 0]), dict(loss="poisson", batch_size=30), None),
    "regression lbfgs": ("regressor", X_reg, y_reg[:, 0], dict(solver="lbfgs"), None),
}


def _pair(kind):
    if kind == "classifier":
        return sk.MLPClassifier, glassnet.MLPClassifier
    return sk.MLPRegressor, glassnet.MLPRegressor


def _parameters(estimator):
    return list(estimator.coefs_) + list(estimator.intercepts_)


@pytest.mark.parametrize("case", CASES)
def test_same_settings_give_the_same_training(case):
    kind, X, y, settings, sample_weight = CASES[case]
    settings = {"hidden_layer_sizes": (8, 5), "random_state": 3, "max_iter": 40, **settings}
    sklearn_class, glassnet_class = _pair(kind)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours = glassnet_class(**settings).fit(X, y, sample_weight=sample_weight)
        theirs = sklearn_class(**settings).fit(X, y, sample_weight=sample_weight)
    assert ours.n_iter_ == theirs.n_iter_
    assert ours.t_ == theirs.t_
    assert ours.out_activation_ == theirs.out_activation_
    assert ours.n_layers_ == theirs.n_layers_ and ours.n_outputs_ == theirs.n_outputs_
    # L-BFGS amplifies rounding differences more than plain steps do
    tolerance = 1e-8 if settings.get("solver") == "lbfgs" else 1e-12
    for a, b in zip(_parameters(ours), _parameters(theirs), strict=True):
        assert a.shape == b.shape
        np.testing.assert_allclose(a, b, rtol=0, atol=tolerance)
    assert ours.loss_ == pytest.approx(theirs.loss_, rel=1e-9)
    if hasattr(theirs, "loss_curve_"):
        np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=1e-12)
        assert ours.best_loss_ == theirs.best_loss_ or ours.best_loss_ == pytest.approx(theirs.best_loss_, rel=1e-12)
        if theirs.validation_scores_ is None:
            assert ours.validation_scores_ is None
        else:
            np.testing.assert_allclose(ours.validation_scores_, theirs.validation_scores_, rtol=1e-12)
            assert ours.best_validation_score_ == pytest.approx(theirs.best_validation_score_, rel=1e-12)
    if kind == "classifier":
        np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))
        np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), rtol=0, atol=1e-9)
    else:
        np.testing.assert_allclose(ours.predict(X), theirs.predict(X), rtol=1e-7, atol=1e-9)


def test_warm_start_and_partial_fit_continue_like_scikit_learn():
    settings = dict(hidden_layer_sizes=(10,), random_state=1, batch_size=32)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        # after converging, a warm-started fit stops after one epoch in both,
        # because the no-improvement count carries over
        ours = glassnet.MLPClassifier(warm_start=True, max_iter=500, tol=1e-2, **settings)
        theirs = sk.MLPClassifier(warm_start=True, max_iter=500, tol=1e-2, **settings)
        for _ in range(2):
            ours.fit(X_multi, y_multi)
            theirs.fit(X_multi, y_multi)
            assert ours.n_iter_ == theirs.n_iter_
        assert ours.n_iter_ == 1
        assert len(ours.loss_curve_) == len(theirs.loss_curve_)
    ours = glassnet.MLPClassifier(solver="sgd", learning_rate="adaptive", n_iter_no_change=1, tol=10.0, **settings)
    theirs = sk.MLPClassifier(solver="sgd", learning_rate="adaptive", n_iter_no_change=1, tol=10.0, **settings)
    for _ in range(5):
        ours.partial_fit(X_multi, y_multi, classes=[0, 1, 2])
        theirs.partial_fit(X_multi, y_multi, classes=[0, 1, 2])
    # the adaptive schedule divided the rate by 5 on each stalled call: 0.001 / 5**2
    assert ours.learner_.optimizer.learning_rate == theirs._optimizer.learning_rate == pytest.approx(4e-5)
    assert ours.n_iter_ == theirs.n_iter_ == 1 and ours.t_ == theirs.t_ == 600
    for a, b in zip(_parameters(ours), _parameters(theirs)):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)


def test_float32_input_trains_in_float32_like_scikit_learn():
    X32 = X_multi.astype(np.float32)
    settings = dict(hidden_layer_sizes=(10,), random_state=1, max_iter=10, batch_size=32)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours = glassnet.MLPClassifier(**settings).fit(X32, y_multi)
        theirs = sk.MLPClassifier(**settings).fit(X32, y_multi)
    assert ours.network_.dtype == np.float32
    assert all(c.dtype == np.float32 for c in _parameters(ours))
    assert ours.predict_proba(X32).dtype == np.float32
    for a, b in zip(_parameters(ours), _parameters(theirs)):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-5)


def test_multi_output_squared_error_reports_the_loss_it_trains_on():
    # glassnet's choice (see glassnet.estimators.regressor): ½·Σ_outputs (y−ŷ)²
    # averaged over samples. scikit-learn also averages over the 2 outputs,
    # so with no L2 term its figures are exactly half of glassnet's, while the
    # weights (trained on the same gradient) agree.
    settings = dict(hidden_layer_sizes=(8,), random_state=0, max_iter=20, alpha=0.0, batch_size=40)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours = glassnet.MLPRegressor(**settings).fit(X_reg, y_reg)
        theirs = sk.MLPRegressor(**settings).fit(X_reg, y_reg)
    np.testing.assert_allclose(ours.loss_curve_, 2 * np.asarray(theirs.loss_curve_), rtol=1e-12)
    np.testing.assert_allclose(ours.coefs_[0], theirs.coefs_[0], rtol=0, atol=1e-12)
    # and the figure is the engine's objective: at the final weights, with
    # lbfgs (whose loss_ is the objective at its last iterate)
    lbfgs = glassnet.MLPRegressor(solver="lbfgs", hidden_layer_sizes=(8,), random_state=0, max_iter=30, alpha=0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        lbfgs.fit(X_reg, y_reg)
    residual = y_reg - lbfgs.predict(X_reg)
    assert lbfgs.loss_ == pytest.approx(0.5 * np.mean(np.sum(residual**2, axis=1)), rel=1e-12)


@pytest.mark.parametrize("name", ["MLPClassifier", "MLPRegressor"])
def test_constructor_defaults_are_scikit_learns_and_the_tables(name):
    ours = getattr(glassnet, name)().get_params()
    theirs = getattr(sk, name)().get_params()
    extras = {"restore_best_weights", "callbacks", "progress", "extrapolation", "record_stats", "dtype", "dropout",
              "normalization", "weight_decay", "clip_grad_norm", "warmup_epochs"} | (
        {"class_weight", "label_smoothing"} if name == "MLPClassifier" else set())
    assert set(ours) == set(theirs) | extras
    assert {key: ours[key] for key in theirs} == theirs
    table = {p.name: p.default for p in PARAMETERS}
    assert ours == {key: table[key] for key in ours}
    # scikit-learn's positional parameters stay positional, in its order
    def positional(cls):
        kinds = inspect.signature(cls.__init__).parameters.values()
        return [p.name for p in kinds if p.kind == p.POSITIONAL_OR_KEYWORD][1:]

    assert positional(getattr(glassnet, name)) == positional(getattr(sk, name))


def test_the_parameter_table_describes_each_estimators_parameters():
    from glassnet.estimators import describe

    for name, text in (("MLPClassifier", describe()), ("MLPRegressor", describe(regressor=True))):
        documented = [line.split("=")[0] for line in text.splitlines() if not line.startswith(" ")]
        assert sorted(documented) == sorted(getattr(glassnet, name)().get_params())
    assert "class_weight=None [glassnet]" in describe() and "loss='squared_error'" in describe(regressor=True)


def test_parameters_changed_between_warm_starts_take_effect_as_in_scikit_learn():
    settings = dict(hidden_layer_sizes=(6,), random_state=0, max_iter=5, warm_start=True, batch_size=40)
    models = [glassnet.MLPRegressor(**settings), sk.MLPRegressor(**settings)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for model in models:
            model.fit(X_reg, y_reg[:, 0])
            model.set_params(alpha=5.0)
            model.fit(X_reg, y_reg[:, 0])
    ours, theirs = models
    np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=1e-12)
    np.testing.assert_allclose(ours.coefs_[0], theirs.coefs_[0], rtol=0, atol=1e-12)

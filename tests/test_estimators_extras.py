"""glassnet's extra keywords: class_weight, more activations, regression
losses, dtype. Each default is scikit-learn's behaviour (tested in
test_estimators_parity); here, what each extra does."""

import numpy as np
import pytest
from sklearn.datasets import make_classification, make_regression
from sklearn.utils.class_weight import compute_sample_weight

from glassnet import MLPClassifier, MLPRegressor, check_gradients

X, y = make_classification(200, 6, n_informative=4, n_classes=3, weights=[0.6, 0.3, 0.1], random_state=0)
X_reg, y_reg = make_regression(120, 4, noise=5.0, random_state=0)
y_reg = y_reg / 100

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def quick(cls=MLPClassifier, **settings):
    return cls(**{"hidden_layer_sizes": (10,), "random_state": 0, "max_iter": 20, **settings})


def _params(model):
    return model.network_.params


@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
def test_balanced_class_weight_is_the_balanced_sample_weight(solver):
    balanced = quick(solver=solver, class_weight="balanced").fit(X, y)
    weighted = quick(solver=solver).fit(X, y, sample_weight=compute_sample_weight("balanced", y))
    np.testing.assert_array_equal(_params(balanced), _params(weighted))
    assert not np.array_equal(_params(balanced), _params(quick(solver=solver).fit(X, y)))


def test_dict_class_weight_multiplies_the_sample_weight():
    sample_weight = np.random.RandomState(1).rand(200) + 0.5
    model = quick(class_weight={2: 5.0}).fit(X, y, sample_weight=sample_weight)
    same = quick().fit(X, y, sample_weight=sample_weight * np.where(y == 2, 5.0, 1.0))
    np.testing.assert_array_equal(_params(model), _params(same))


def test_balanced_class_weight_finds_more_of_the_rare_class():
    plain = quick(max_iter=200).fit(X, y)
    balanced = quick(max_iter=200, class_weight="balanced").fit(X, y)
    rare = y == 2
    assert np.mean(balanced.predict(X[rare]) == 2) > np.mean(plain.predict(X[rare]) == 2)


@pytest.mark.parametrize("activation", ["leaky_relu", "elu", "gelu", "swish"])
def test_more_hidden_activations(activation):
    model = quick(activation=activation, hidden_layer_sizes=(8, 6), max_iter=300).fit(X, y)
    assert [a.name for a in model.network_.activations] == [activation, activation, "softmax"]
    assert model.score(X, y) > 0.8
    # the engine's gradients for this network agree with finite differences
    Y = np.eye(3)[y[:30]]
    assert check_gradients(model.network_, X[:30], Y) < 1e-6


@pytest.mark.parametrize("loss", ["absolute_error", "huber"])
def test_robust_regression_losses_report_their_objective(loss):
    alpha = 0.01
    model = quick(MLPRegressor, loss=loss, solver="lbfgs", alpha=alpha, max_iter=50).fit(X_reg, y_reg)
    assert model.out_activation_ == "identity"
    r = np.abs(y_reg - model.predict(X_reg))
    # |r|, or Huber with δ = 1: ½r² within 1 of the target, |r| − ½ beyond
    per_sample = r if loss == "absolute_error" else np.where(r <= 1, 0.5 * r**2, r - 0.5)
    penalty = 0.5 * alpha * sum(np.sum(W * W) for W in model.coefs_) / len(y_reg)
    assert model.loss_ == pytest.approx(np.mean(per_sample) + penalty, rel=1e-10)


def test_absolute_error_shrugs_off_outliers():
    y_outliers = y_reg.copy()
    y_outliers[:6] += 30.0  # six wild targets
    clean = np.arange(6, len(y_reg))
    errors = {}
    for loss in ("squared_error", "absolute_error"):
        model = quick(MLPRegressor, loss=loss, solver="lbfgs", max_iter=300).fit(X_reg, y_outliers)
        errors[loss] = np.median(np.abs(model.predict(X_reg[clean]) - y_reg[clean]))
    assert errors["absolute_error"] < errors["squared_error"]


@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
def test_dtype_chooses_the_arithmetic(solver):
    narrow = quick(solver=solver, dtype="float32").fit(X, y)
    assert narrow.network_.dtype == np.float32 and narrow.coefs_[0].dtype == np.float32
    assert narrow.predict_proba(X).dtype == np.float32
    wide = quick(solver=solver, dtype="float64").fit(X.astype(np.float32), y)
    assert wide.network_.dtype == np.float64 and wide.predict_proba(X).dtype == np.float64
    # float32 follows the float64 run closely
    np.testing.assert_allclose(narrow.predict_proba(X), wide.predict_proba(X), atol=2e-3)

"""Bad input gets a ValueError that names the problem, as scikit-learn gives."""

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from glassnet import MLPClassifier, MLPRegressor

rng = np.random.RandomState(0)
X = rng.rand(20, 3)
y = np.arange(20) % 2

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def with_value(array, row, column, value):
    array = array.copy()
    array[row, column] = value
    return array


@pytest.mark.parametrize(
    "X_bad, message",
    [(with_value(X, 2, 1, np.nan), "Input X contains NaN"), (with_value(X, 3, 0, np.inf), "Input X contains infinity")],
)
def test_nan_or_inf_in_X(X_bad, message):
    with pytest.raises(ValueError, match=message):
        MLPClassifier(max_iter=2).fit(X_bad, y)
    fitted = MLPClassifier(max_iter=2).fit(X, y)
    with pytest.raises(ValueError, match=message):
        fitted.predict(X_bad)


@pytest.mark.parametrize("value, message", [(np.nan, "Input y contains NaN"), (np.inf, "Input y contains infinity")])
def test_nan_or_inf_in_y(value, message):
    with pytest.raises(ValueError, match=message):
        MLPRegressor(max_iter=2).fit(X, np.where(y == 1, value, 1.0))


def test_wrong_number_of_features_at_predict_time():
    model = MLPClassifier(max_iter=2).fit(X, y)
    for method in (model.predict, model.predict_proba, model.score):
        with pytest.raises(ValueError, match="X has 2 features, but MLPClassifier is expecting 3 features"):
            method(X[:, :2], *([y] if method == model.score else []))


def test_partial_fit_needs_classes_on_the_first_call():
    with pytest.raises(ValueError, match="classes must be passed on the first call to partial_fit"):
        MLPClassifier().partial_fit(X, y)


def test_a_class_that_is_not_in_classes():
    with pytest.raises(ValueError, match=r"`y` has classes not in `self.classes_`.*'y' has \[5 6\]"):
        MLPClassifier().partial_fit(X, y + 5, classes=[0, 1])
    model = MLPClassifier().partial_fit(X, y, classes=[0, 1])
    with pytest.raises(ValueError, match="`y` has classes not in `self.classes_`"):
        model.partial_fit(X, y + 1)
    with pytest.raises(ValueError, match="`y_val` has classes not in"):
        MLPClassifier(max_iter=2).fit(X, y, X_val=X, y_val=y + 3)
    with pytest.raises(ValueError, match="warm_start can only be used where `y` has the same classes"):
        MLPClassifier(warm_start=True, max_iter=2).fit(X, y).fit(X, y + 1)


@pytest.mark.parametrize(
    "settings, message",
    [
        (dict(solver="newton"), "unknown solver 'newton'; expected one of: lbfgs, sgd, adam"),
        (dict(activation="sigmod"), "unknown activation 'sigmod'; expected one of: identity, logistic, tanh, relu, leaky_relu"),
        (dict(activation="softmax"), "activation 'softmax' is for the output layer only; expected one of: identity"),
        (dict(hidden_layer_sizes=(5, 0)), r"hidden_layer_sizes must be a sequence of integers >= 1, got \[5, 0\]"),
        (dict(hidden_layer_sizes=-3), r"hidden_layer_sizes must be an integer >= 1, got -3"),
        (dict(hidden_layer_sizes=(2.5,)), r"hidden_layer_sizes must be a sequence of integers >= 1, got \[2.5\]"),
        (dict(learning_rate="sometimes"), "unknown learning_rate 'sometimes'; expected one of: constant"),
        (dict(learning_rate_init=0.0), r"learning_rate_init must be a real number in \(0, inf\), got 0.0"),
        (dict(alpha=-1.0), r"alpha must be a real number in \[0, inf\), got -1.0"),
        (dict(batch_size=0), "batch_size must be an integer >= 1, got 0"),
        (dict(batch_size="all"), "batch_size must be 'auto' or an integer >= 1, got 'all'"),
        (dict(momentum=1.5), r"momentum must be a real number in \[0, 1\], got 1.5"),
        (dict(beta_2=1.0), r"beta_2 must be a real number in \[0, 1\), got 1.0"),
        (dict(max_iter=0), "max_iter must be an integer >= 1, got 0"),
        (dict(n_iter_no_change=0), "n_iter_no_change must be an integer >= 1 or numpy.inf, got 0"),
        (dict(class_weight="auto"), "unknown class_weight 'auto'; expected one of: balanced"),
        (dict(class_weight=2), r"class_weight must be 'balanced', a dict \{class: weight\} or None, got 2"),
        (dict(restore_best_weights="yes"), "restore_best_weights must be True, False or None, got 'yes'"),
        (dict(callbacks=print), "callbacks must be a list of callables, got <built-in function print>"),
        (dict(dtype="float16"), "dtype must be 'float32' or 'float64', got 'float16'"),
    ],
)
def test_bad_parameters_are_named_when_fit_starts(settings, message):
    model = MLPClassifier(**settings)  # __init__ only stores
    with pytest.raises(ValueError, match=message):
        model.fit(X, y)


def test_bad_regressor_loss_and_targets():
    with pytest.raises(ValueError, match="unknown loss 'mae'; expected one of: squared_error, poisson, absolute_error, huber"):
        MLPRegressor(loss="mae").fit(X, y)
    with pytest.raises(ValueError, match="loss='poisson' needs y >= 0"):
        MLPRegressor(loss="poisson").fit(X, y - 1.0)
    with pytest.raises(ValueError, match="Unknown label type: continuous"):
        MLPClassifier().fit(X, X[:, 0])


def test_misused_options():
    with pytest.raises(ValueError, match="partial_fit does not support early_stopping=True"):
        MLPClassifier(early_stopping=True).partial_fit(X, y, classes=[0, 1])
    with pytest.raises(ValueError, match="class_weight='balanced' needs every label at once"):
        MLPClassifier(class_weight="balanced").partial_fit(X, y, classes=[0, 1])
    with pytest.raises(ValueError, match="validation data needs both X_val and y_val"):
        MLPClassifier(max_iter=2).fit(X, y, X_val=X)
    with pytest.raises(ValueError, match="Sample weights must contain at least one non-zero number"):
        MLPClassifier().fit(X, y, sample_weight=np.zeros(20))
    with pytest.raises(NotFittedError):
        MLPClassifier().predict(X)

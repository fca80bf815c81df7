"""``_glassnet_state`` / ``_from_glassnet_state``: JSON metadata plus numeric
arrays rebuild an estimator that predicts bit-identically."""

import json

import numpy as np
import pytest
from sklearn.datasets import make_classification, make_multilabel_classification, make_regression

from glassnet import MLPClassifier, MLPRegressor

X, y = make_classification(80, 5, n_informative=3, n_classes=3, random_state=0)
X_labels, Y_labels = make_multilabel_classification(80, 5, n_classes=3, random_state=0)
X_reg, y_reg = make_regression(80, 5, n_targets=2, random_state=0)

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def round_trip(model):
    meta, arrays = model._glassnet_state()
    assert all(isinstance(a, np.ndarray) and a.dtype.kind in "biuf" for a in arrays.values())
    # strict JSON: no NumPy scalars, no NaN or infinity
    meta = json.loads(json.dumps(meta, allow_nan=False))
    arrays = {name: array.copy() for name, array in arrays.items()}
    return type(model)._from_glassnet_state(meta, arrays)


LABELS = {
    "integers": y,
    "strings": np.array(["ant", "bee", "cricket"])[y],
    "object strings": np.array(["ant", "bee", "cricket"], dtype=object)[y],
    "floats": y * 2.0 + 1.0,  # labels given as whole floats
    "booleans": y == 1,
}


@pytest.mark.parametrize("labels", LABELS)
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_classifier_round_trip_is_bit_identical(labels, dtype):
    target = LABELS[labels]
    model = MLPClassifier(hidden_layer_sizes=(7, 4), activation="swish", max_iter=15, random_state=0, dtype=dtype,
                          class_weight="balanced", n_iter_no_change=np.inf)
    model.fit(X, target)
    loaded = round_trip(model)
    np.testing.assert_array_equal(loaded.predict_proba(X), model.predict_proba(X))
    predicted, expected = loaded.predict(X), model.predict(X)
    assert predicted.dtype == expected.dtype
    np.testing.assert_array_equal(predicted, expected)
    np.testing.assert_array_equal(loaded.classes_, model.classes_)
    assert loaded.get_params() == model.get_params()
    assert loaded.loss_curve_ == model.loss_curve_ and loaded.n_iter_ == model.n_iter_ and loaded.t_ == model.t_


def test_multilabel_and_regressor_round_trips():
    model = MLPClassifier(max_iter=10, random_state=0).fit(X_labels, Y_labels)
    loaded = round_trip(model)
    np.testing.assert_array_equal(loaded.predict(X_labels), model.predict(X_labels))
    np.testing.assert_array_equal(loaded.predict_proba(X_labels), model.predict_proba(X_labels))
    regressor = MLPRegressor(loss="huber", solver="lbfgs", max_iter=20, random_state=0).fit(X_reg, y_reg, X_val=X_reg, y_val=y_reg)
    loaded = round_trip(regressor)
    np.testing.assert_array_equal(loaded.predict(X_reg), regressor.predict(X_reg))
    assert loaded.validation_scores_ == regressor.validation_scores_
    assert loaded.score(X_reg, y_reg) == regressor.score(X_reg, y_reg)


def test_loaded_estimator_keeps_feature_names_and_can_train_on():
    import pandas
    frame = pandas.DataFrame(X, columns=list("abcde"))
    model = MLPClassifier(solver="sgd", max_iter=5, random_state=0).fit(frame, y)
    loaded = round_trip(model)
    assert list(loaded.feature_names_in_) == list("abcde")
    loaded.partial_fit(frame, y)
    assert len(loaded.loss_curve_) == 6


def test_a_state_for_another_estimator_is_refused():
    meta, arrays = MLPRegressor(max_iter=2).fit(X_reg, y_reg)._glassnet_state()
    with pytest.raises(ValueError, match="this state holds 'MLPRegressor'.*expected a MLPClassifier"):
        MLPClassifier._from_glassnet_state(meta, arrays)

"""scikit-learn's own estimator checks, run on glassnet's estimators."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from glassnet import MLPClassifier, MLPRegressor


@parametrize_with_checks([MLPClassifier(), MLPRegressor()])
def test_scikit_learn_estimator_checks(estimator, check):
    check(estimator)

"""scikit-learn's own estimator checks, run on glassnet's estimators.

Every check runs and passes; none is marked as an expected failure. Three
report themselves as skipped inside scikit-learn, as they do for
scikit-learn's own MLP: the two array-API checks (scikit-learn runs them only
when SCIPY_ARRAY_API is set; the estimators take NumPy and scipy.sparse
input) and the decision_function consistency check (scikit-learn's MLP has no
decision_function, so neither has glassnet's).
"""

from sklearn.utils.estimator_checks import parametrize_with_checks

from glassnet import MLPClassifier, MLPRegressor


@parametrize_with_checks([MLPClassifier(), MLPRegressor()])
def test_scikit_learn_estimator_checks(estimator, check):
    check(estimator)

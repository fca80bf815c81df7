"""lbfgs: scikit-learn's options translated into the engine's L-BFGS
(:meth:`glassnet.engine.learner.Learner.fit_lbfgs`).

scikit-learn's options carry over: ``maxiter=max_iter``, ``maxfun=max_fun``,
``gtol=tol``. Each iteration records the loss and, when validation data is
given, the validation loss and score (``validation_loss_curve_``,
``validation_scores_``), and feeds ``callbacks``/``progress``.

One deliberate difference: for a multi-output squared-error regressor
scikit-learn hands L-BFGS a loss averaged over the outputs but a gradient
that is not, so the two do not belong together. glassnet hands it the
engine's loss, whose gradient is exactly the one returned (see
``glassnet.estimators.regressor`` for what this means for ``loss_``).
"""

from __future__ import annotations

import warnings

from sklearn.exceptions import ConvergenceWarning

from ..engine.lbfgs import STOPPED_BY_CALLBACK
from ..engine.stats import DynamicsRecorder
from ._callbacks import epoch_callbacks

__all__ = ["fit_lbfgs"]


def _convergence_message(result, n_iter, max_iter):
    message = f"lbfgs failed to converge after {n_iter} iteration(s) (status={result.status}):\n{result.solver_message}\n"
    if n_iter == max_iter:
        message += f"\nIncrease the number of iterations to improve the convergence (max_iter={max_iter})."
    return message + "\nYou might also want to scale the data, e.g. with sklearn.preprocessing.StandardScaler."


def fit_lbfgs(estimator, X, Y, sample_weight, validation, incremental, random_state):
    learner = estimator.learner_
    learner.remember_range(X)
    metric = estimator._score_metric() if validation is not None else None
    with epoch_callbacks(estimator, estimator.max_iter) as callbacks:
        result = learner.fit_lbfgs(
            X, Y, max_iter=estimator.max_iter, max_fun=estimator.max_fun, tol=estimator.tol,
            sample_weight=sample_weight, validation=validation, validation_metric=metric,
            callbacks=callbacks, restore_best=bool(estimator.restore_best_weights),
            stats=DynamicsRecorder() if estimator.record_stats else None,
        )
    if result.stop_reason == "interrupted":
        estimator.n_iter_ = result.epochs
        if result.epochs:
            estimator.loss_ = result.final_loss
    else:
        estimator.n_iter_ = result.iterations
        estimator.loss_ = result.final_loss
        if result.stop_reason == "diverged":
            result.message += " Or train with solver='adam' and a lower learning_rate_init."
            # the loss of the weights kept, not the non-finite one scipy reached
            estimator.loss_ = learner.history.records[-1]["loss"] if result.epochs else None
        elif result.status not in (0, STOPPED_BY_CALLBACK):
            warnings.warn(
                _convergence_message(result, estimator.n_iter_, estimator.max_iter),
                ConvergenceWarning,
                stacklevel=4,
            )
    estimator._report(result)

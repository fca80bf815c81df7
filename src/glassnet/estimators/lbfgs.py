"""lbfgs: scikit-learn's options translated into the engine's L-BFGS
(:meth:`glassnet.engine.learner.Learner.fit_lbfgs`).

scikit-learn's options carry over: ``maxiter=max_iter``, ``maxfun=max_fun``,
``gtol=tol``. Each iteration records the loss and, when validation data is
given, the validation loss and score (``validation_loss_curve_``,
``validation_scores_``), and feeds ``callbacks``/``progress``.

The Learner's one stopping rule never stops L-BFGS here (infinite patience:
scikit-learn's lbfgs has no plateau rule); with ``restore_best_weights`` it
keeps the weights of the best iteration, by the validation score when there
is validation data, else by the loss, and puts them back. ``n_iter_`` and
``loss_`` are the iterations recorded by the call and the last one's loss,
which are scipy's ``nit`` and ``fun``.

One deliberate difference: for a multi-output squared-error regressor
scikit-learn hands L-BFGS a loss averaged over the outputs but a gradient
that is not, so the two do not belong together. glassnet hands it the
engine's loss, whose gradient is exactly the one returned (see
``glassnet.estimators.regressor`` for what this means for ``loss_``).
"""

from __future__ import annotations

import math
import warnings

import numpy as np

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


# glassnet's training rules that shape the steps of sgd and adam, and so mean nothing to L-BFGS
_STEP_RULES = ("dropout", "weight_decay", "clip_grad_norm", "warmup_epochs")


def fit_lbfgs(estimator, X, Y, sample_weight, validation, incremental, random_state):
    given = [name for name in _STEP_RULES if np.any(np.asarray(getattr(estimator, name) or 0, dtype=float))]
    if estimator.learning_rate in ("cosine", "one_cycle"):
        given.append(f"learning_rate={estimator.learning_rate!r}")
    if given:
        raise ValueError(f"solver='lbfgs' takes no {', '.join(given)}: L-BFGS chooses its own steps on the full "
                         "batch (and dropout would make its loss random); use solver='sgd' or 'adam'")
    learner = estimator.learner_
    metric = estimator._score_metric() if validation is not None else None
    learner.set_stopping("loss", patience=math.inf, tol=estimator.tol,
                         restore_best=bool(estimator.restore_best_weights),
                         restore_by=f"val_{metric}" if validation is not None else "loss")
    with epoch_callbacks(estimator, estimator.max_iter) as callbacks:
        result = learner.fit_lbfgs(
            X, Y, max_iter=estimator.max_iter, max_fun=estimator.max_fun, tol=estimator.tol,
            sample_weight=sample_weight, validation=validation, validation_metric=metric,
            callbacks=callbacks, stats=DynamicsRecorder() if estimator.record_stats else None,
        )
    if result.stop_reason == "diverged":
        result.message += " Or train with solver='adam' and a lower learning_rate_init."
    elif result.stop_reason != "interrupted" and result.status not in (0, STOPPED_BY_CALLBACK):
        warnings.warn(
            _convergence_message(result, estimator.n_iter_, estimator.max_iter),
            ConvergenceWarning,
            stacklevel=4,
        )
    estimator._report(result)

"""lbfgs: scipy's L-BFGS-B on the engine's flat loss and gradient.

The engine keeps every weight and bias in one vector ``network.params``, so
the objective handed to ``scipy.optimize.minimize`` is just "copy x into the
parameters, return ``network.loss_and_gradient``". scikit-learn's options
carry over: ``maxiter=max_iter``, ``maxfun=max_fun``, ``gtol=tol``.

One deliberate difference: for a multi-output squared-error regressor
scikit-learn hands L-BFGS a loss averaged over the outputs but a gradient
that is not, so the two do not belong together. glassnet hands it the
engine's loss, whose gradient is exactly the one returned (see
``glassnet.estimators.regressor`` for what this means for ``loss_``).

Per iteration, scipy's callback records the loss and, when validation data
is given, the validation loss and score (``validation_loss_curve_``,
``validation_scores_``), feeds ``callbacks``/``progress``, and keeps the
iterate so that Ctrl-C leaves the weights of the last completed iteration.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import scipy.optimize
from sklearn.exceptions import ConvergenceWarning

from ..engine.metrics import get_metric
from ..engine.stats import DynamicsRecorder
from ..engine.training import TrainingResult, _validate
from ._base import SOLVER_FUNCTIONS
from ._callbacks import best_weights_tracker, epoch_callbacks

__all__ = ["fit_lbfgs"]

# scipy's status when a callback raised StopIteration
_STOPPED_BY_CALLBACK = 99


class _Iterations:
    """The bookkeeping of one L-BFGS-B run, called back once per iteration."""

    def __init__(self, estimator, X, Y, sample_weight, validation, callbacks):
        network = estimator.network_
        self.X, self.Y, self.sample_weight = X, Y, sample_weight
        self.network = network
        self.history = estimator._history
        self.validation = validation
        self.metric = get_metric(estimator._score_metric()) if validation is not None else None
        self.callbacks = callbacks
        self.recorded = len(self.history)
        # the iterate of the last completed iteration, where Ctrl-C goes back to
        self.last_x = network.params.astype(np.float64)
        monitor = f"val_{self.metric.name}" if validation is not None else "loss"
        # scikit-learn's lbfgs never stops on a plateau (early_stopping applies
        # to sgd and adam only), so the rule only tracks the best weights
        self.stopping = best_weights_tracker(monitor, bool(estimator.restore_best_weights))
        self.stats = DynamicsRecorder() if estimator.record_stats else None

    @property
    def count(self) -> int:
        return len(self.history) - self.recorded

    def objective(self, x):
        params = self.network.params
        params[...] = x
        loss, grad = self.network.loss_and_gradient(self.X, self.Y, self.sample_weight)
        # a float64 copy: the engine reuses its gradient buffer
        return loss, grad.astype(np.float64)

    def __call__(self, intermediate_result):
        x = intermediate_result.x
        previous = self.last_x.copy() if self.stats is not None else None
        np.copyto(self.last_x, x)
        params = self.network.params
        params[...] = x
        record = {"epoch": len(self.history) + 1, "loss": float(intermediate_result.fun)}
        if self.stats is not None:
            self.stats.observe(self.network, self.X, self.Y, self.sample_weight, previous, record)
        if self.validation is not None:
            record.update(_validate(self.network, self.validation, self.metric, 0.5))
        self.history.append(record)
        self.stopping.update(record, params)
        if any(callback(record) for callback in self.callbacks):
            raise StopIteration


def _convergence_message(result, n_iter, max_iter):
    message = f"lbfgs failed to converge after {n_iter} iteration(s) (status={result.status}):\n{result.message}\n"
    if n_iter == max_iter:
        message += f"\nIncrease the number of iterations to improve the convergence (max_iter={max_iter})."
    return message + "\nYou might also want to scale the data, e.g. with sklearn.preprocessing.StandardScaler."


def fit_lbfgs(estimator, X, Y, sample_weight, validation, incremental, random_state):
    estimator._remember_range(X)
    network = estimator.network_
    params = network.params
    with epoch_callbacks(estimator, estimator.max_iter) as callbacks:
        run = _Iterations(estimator, X, Y, sample_weight, validation, callbacks)
        outcome = TrainingResult(epochs=0, samples_seen=estimator.t_)
        try:
            # a diverging line search may try steps whose loss overflows; the
            # finiteness check below reports divergence once, clearly
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                result = scipy.optimize.minimize(
                    run.objective,
                    run.last_x.copy(),
                    method="L-BFGS-B",
                    jac=True,
                    callback=run,
                    options={"maxfun": estimator.max_fun, "maxiter": estimator.max_iter, "gtol": estimator.tol},
                )
        except KeyboardInterrupt:
            params[...] = run.last_x
            outcome.stop_reason = "interrupted"
            estimator.n_iter_ = run.count
            estimator.loss_ = run.history.records[-1]["loss"] if run.count else estimator.loss_
        else:
            params[...] = result.x
            estimator.n_iter_ = min(result.nit, estimator.max_iter)
            estimator.loss_ = float(result.fun)
            if not (np.isfinite(params).all() and math.isfinite(result.fun)):
                params[...] = run.last_x
                outcome.stop_reason = "diverged"
                outcome.message = (
                    f"training diverged: L-BFGS reached non-finite values; the weights of iteration "
                    f"{run.count}, the last finite one, were kept. Scale the inputs and targets, or "
                    "train with solver='adam' and a lower learning_rate_init."
                )
            elif result.status not in (0, _STOPPED_BY_CALLBACK):
                warnings.warn(
                    _convergence_message(result, estimator.n_iter_, estimator.max_iter),
                    ConvergenceWarning,
                    stacklevel=4,
                )
    run.stopping.restore(params)
    outcome.epochs = run.count
    estimator._report(outcome)


SOLVER_FUNCTIONS.register("lbfgs", fit_lbfgs)

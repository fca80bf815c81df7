"""L-BFGS: scipy's L-BFGS-B on the engine's flat loss and gradient.

The engine keeps every weight and bias in one vector ``network.params``, so
the objective handed to ``scipy.optimize.minimize`` is just "copy x into the
parameters, return ``network.loss_and_gradient``". Each iteration becomes
one record of the history (``epoch`` counts iterations), with the training
metric and the validation figures when asked for, feeds the callbacks, and
keeps the iterate so that Ctrl-C leaves the weights of the last completed
iteration.

The stopping rule is the Learner's one :class:`~glassnet.engine.history.EarlyStopping`,
the same as for the mini-batch solvers: each iteration updates it, it ends
the run on a plateau when its patience runs out (never, with
``patience=math.inf``), and the Learner puts back the best weights after
the call.

L-BFGS keeps a memory of recent curvature pairs inside scipy, which a new
call starts without: training in pieces does not follow the path of one run
(the mini-batch solvers do).

``scipy.optimize`` is imported when L-BFGS first runs: loading it takes
longer than the rest of the engine, which the mini-batch solvers never need.

With batch normalisation the whole training set is the one batch: the loss
normalises by its moments, and after every iteration the running moments
(which prediction uses) are set to them, so the model predicts its
training rows as the loss saw them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .metrics import Metric
from .history import EarlyStopping, History
from .training import TrainingResult, validation_figures

__all__ = ["LbfgsResult", "run_lbfgs", "STOPPED_BY_CALLBACK"]

# scipy's status when a callback raised StopIteration
STOPPED_BY_CALLBACK = 99


@dataclass
class LbfgsResult(TrainingResult):
    """A :class:`TrainingResult` with scipy's own account of the run."""

    iterations: int = 0
    final_loss: float = math.nan
    status: int = 0
    solver_message: str = ""


class _Iterations:
    """The bookkeeping of one L-BFGS-B run, called back once per iteration."""

    def __init__(self, network, X, Y, sample_weight, validation, metric, validation_metric, limit,
                 callbacks, history, stopping, stats):
        self.network = network
        self.X, self.Y, self.sample_weight = X, Y, sample_weight
        self.validation = validation
        self.metric, self.validation_metric, self.limit = metric, validation_metric, limit
        self.callbacks = callbacks
        self.history = history
        self.recorded = len(history)
        self.stopping = stopping
        self.plateau = False
        self.stats = stats
        # the iterate of the last completed iteration, where Ctrl-C goes back to
        self.last_x = network.params.astype(np.float64)

    @property
    def count(self) -> int:
        return len(self.history) - self.recorded

    def objective(self, x):
        self.network.params[...] = x
        loss, grad = self.network.loss_and_gradient(self.X, self.Y, self.sample_weight)
        # a float64 copy: the engine reuses its gradient buffer
        return loss, grad.astype(np.float64)

    def __call__(self, intermediate_result):
        x = intermediate_result.x
        previous = self.last_x.copy() if self.stats is not None else None
        np.copyto(self.last_x, x)
        params = self.network.params
        params[...] = x
        self.network.set_running_statistics(self.X, self.sample_weight)
        record = {"epoch": len(self.history) + 1, "loss": float(intermediate_result.fun)}
        if self.stats is not None:
            self.stats.observe(self.network, self.X, self.Y, self.sample_weight, previous, record)
        if self.metric is not None:
            outputs = self.network.predict(self.X)
            record[self.metric.name] = self.metric(self.Y, outputs, self.limit, self.sample_weight)
        if self.validation is not None:
            record.update(validation_figures(self.network, self.validation, self.validation_metric, self.limit))
        self.history.append(record)
        self.plateau = self.stopping is not None and self.stopping.update(record, self.network.variables)
        # every recorded iteration reaches the callbacks, the last one too
        stop_requested = any([callback(record) for callback in self.callbacks])
        if self.plateau or stop_requested:
            raise StopIteration


def run_lbfgs(
    network,
    X,
    Y,
    *,
    max_iter: int,
    max_fun: int = 15000,
    tol: float = 1e-4,
    sample_weight=None,
    validation=None,
    metric: Metric | None = None,
    validation_metric: Metric | None = None,
    limit: float = 0.5,
    callbacks=(),
    history: History | None = None,
    stopping: EarlyStopping | None = None,
    stats=None,
) -> LbfgsResult:
    """Minimise the network's loss on ``(X, Y)`` with L-BFGS-B, in place.

    X : array or sparse matrix of shape (n_samples, n_inputs)
    Y : array of shape (n_samples, n_outputs)
    max_iter, max_fun, tol : scipy's ``maxiter``, ``maxfun`` and ``gtol``.
    stopping : the stopping rule, updated with every iteration's record; it
        ends the run when its patience runs out. Putting back its best
        weights is the caller's (the Learner's) last step.
    stats : a :class:`~glassnet.engine.stats.DynamicsRecorder` whose
        ``observe`` adds per-layer figures to each iteration's record.
    """
    import scipy.optimize

    history = history if history is not None else History()
    run = _Iterations(network, X, Y, sample_weight, validation, metric, validation_metric, limit,
                      list(callbacks), history, stopping, stats)
    params = network.params
    outcome = LbfgsResult(epochs=0, samples_seen=0)
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
                options={"maxfun": max_fun, "maxiter": max_iter, "gtol": tol},
            )
    except KeyboardInterrupt:
        params[...] = run.last_x
        network.set_running_statistics(X, sample_weight)
        outcome.stop_reason = "interrupted"
        outcome.message = f"training interrupted after {run.count} completed iteration(s)"
        outcome.iterations = run.count
        outcome.final_loss = history.records[-1]["loss"] if run.count else math.nan
    else:
        params[...] = result.x
        outcome.iterations = min(result.nit, max_iter)
        outcome.final_loss = float(result.fun)
        outcome.status = int(result.status)
        outcome.solver_message = str(result.message)
        diverged = not (np.isfinite(params).all() and math.isfinite(result.fun))
        if diverged:
            params[...] = run.last_x
        network.set_running_statistics(X, sample_weight)
        if diverged:
            outcome.stop_reason = "diverged"
            outcome.message = (
                f"training diverged: L-BFGS reached non-finite values; the weights of iteration "
                f"{run.count}, the last finite one, were kept. Scale the inputs and targets."
            )
        elif result.status == STOPPED_BY_CALLBACK and run.plateau:
            outcome.stop_reason = "plateau"
            outcome.message = (
                f"{stopping.monitor} did not improve by more than tol={stopping.tol} "
                f"for {stopping.patience + 1} consecutive iterations"
            )
        elif result.status == STOPPED_BY_CALLBACK:
            outcome.stop_reason = "callback"
    outcome.epochs = run.count
    return outcome

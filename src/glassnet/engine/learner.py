"""The Learner: everything a training run is, owned in one place.

A :class:`Learner` holds

* the :class:`~glassnet.engine.network.Network` being trained;
* the optimiser and its state (step count, current rate, moments);
* the :class:`~glassnet.engine.training.History`, one record per epoch;
* the early-stopping rule, whose best figure and count carry from one call
  to the next;
* the :class:`~glassnet.engine.training_range.TrainingRange` of the inputs
  trained on;
* the samples seen, the row-order generator, and the weights of the last
  finite epochs (where a diverging run goes back to).

Every front door (``NeuralNetwork``, the estimators, the command line's
``TabularModel`` through its estimator) keeps one and only translates its
own API into :meth:`fit_epochs` or :meth:`fit_lbfgs`; model files read and
write it through :meth:`state` and :meth:`from_state`. Because nothing of a
run lives outside it, training in pieces is training at once:
``fit_epochs(X, Y, 10)`` twice gives the weights, history and optimiser
state of ``fit_epochs(X, Y, 20)``, bit for bit, for every mini-batch
optimiser (L-BFGS restarts its curvature memory with each call).
"""

from __future__ import annotations

import numpy as np

from .._json import number_from_json, number_to_json, records_from_json, records_to_json
from .lbfgs import LbfgsResult, run_lbfgs
from .metrics import get_metric
from .network import Network
from .optimizer_state import optimizer_from_state, optimizer_state
from .optimizers import OPTIMIZERS
from .solvers import SOLVERS
from .history import EarlyStopping, History
from .training import Snapshots, TrainingResult, train
from .state_arrays import StateArrays
from .training_range import TrainingRange

__all__ = ["Learner", "SOLVERS", "NON_FINITE_MESSAGE"]

# what a run says when not one epoch ended with a finite loss (the sentence
# scikit-learn raises with, so code that catches it keeps working)
NON_FINITE_MESSAGE = (
    "Solver produced non-finite parameter weights. The input data may contain large values and need to be "
    "preprocessed."
)


class Learner:
    """A network and the state of its training; see the module docstring.

    Parameters
    ----------
    network : Network
    optimizer : Optimizer, optional
        The step optimiser for :meth:`fit_epochs` (None for L-BFGS only).
    rng : numpy.random.Generator, optional
        Draws the row order of each epoch, continuing across calls.
    """

    def __init__(self, network: Network, optimizer=None, *, rng=None, history: History | None = None,
                 stopping: EarlyStopping | None = None, training_range: TrainingRange | None = None,
                 samples_seen: int = 0):
        self.network = network
        self.optimizer = optimizer
        self.rng = rng
        self.history = history if history is not None else History()
        self.stopping = stopping
        self.training_range = training_range
        self.samples_seen = int(samples_seen)
        self.snapshots: Snapshots | None = None

    # --- bookkeeping -----------------------------------------------------------------
    def remember_range(self, X, names=None) -> None:
        """Widen the training range to the rows of ``X`` (n_samples, n_inputs):
        the weights are fitted to everything trained on."""
        if self.training_range is None:
            self.training_range = TrainingRange.of(X, names)
        else:
            self.training_range = self.training_range.widened(X)

    def _check_finite(self, result: TrainingResult) -> TrainingResult:
        """Raise when the run diverged before any epoch ended with a finite loss."""
        if result.stop_reason == "diverged" and not len(self.history):
            raise ValueError(f"{NON_FINITE_MESSAGE} ({result.message})")
        return result

    # --- training ----------------------------------------------------------------------
    def fit_epochs(self, X, Y, epochs: int, *, batch_size=None, shuffle: bool = True, order=None,
                   sample_weight=None, validation=None, metric=None, validation_metric=None,
                   limit: float = 0.5, callbacks=(), stats=None) -> TrainingResult:
        """Up to ``epochs`` epochs of mini-batch steps with the optimiser.

        X : array or sparse matrix of shape (n_samples, n_inputs)
        Y : array of shape (n_samples, n_outputs)
        order : an object with ``permutation(n)`` drawing each epoch's row
            order (default: the Learner's generator).
        stats : a :class:`~glassnet.engine.stats.DynamicsRecorder` adding
            per-layer figures to each record (None: none).
        The other arguments are :func:`~glassnet.engine.training.train`'s.
        Raises ValueError when no epoch ended with a finite loss.
        """
        if self.optimizer is None:
            raise ValueError("this Learner has no step optimiser; expected one of: " + ", ".join(OPTIMIZERS))
        result = train(
            self.network, self.optimizer, X, Y,
            epochs=epochs, batch_size=batch_size, shuffle=shuffle,
            rng=order if order is not None else self.rng,
            sample_weight=sample_weight, validation=validation, metric=metric,
            validation_metric=validation_metric, limit=limit, stopping=self.stopping,
            callbacks=callbacks, history=self.history, samples_seen=self.samples_seen,
            snapshots=self.snapshots, stats=stats,
        )
        self.samples_seen = result.samples_seen
        self.snapshots = result.snapshots
        return self._check_finite(result)

    def fit_lbfgs(self, X, Y, *, max_iter: int, max_fun: int = 15000, tol: float = 1e-4, sample_weight=None,
                  validation=None, metric=None, validation_metric=None, limit: float = 0.5, callbacks=(),
                  restore_best: bool = False, stats=None) -> LbfgsResult:
        """Minimise the loss with L-BFGS-B for up to ``max_iter`` iterations,
        one history record each. Raises ValueError when no iteration ended
        with a finite loss."""
        result = run_lbfgs(
            self.network, X, Y, max_iter=max_iter, max_fun=max_fun, tol=tol, sample_weight=sample_weight,
            validation=validation, metric=get_metric(metric) if metric is not None else None,
            validation_metric=get_metric(validation_metric) if validation_metric is not None else None,
            limit=limit, callbacks=callbacks, history=self.history, restore_best=restore_best, stats=stats,
        )
        result.samples_seen = self.samples_seen
        return self._check_finite(result)

    # --- model files -------------------------------------------------------------------
    def state(self) -> tuple[dict, dict]:
        """``(meta, arrays)``: JSON-ready metadata and numeric arrays from which
        :meth:`from_state` rebuilds this Learner, optimiser moments included,
        so that training after a save and load continues exactly."""
        meta = {
            "network": self.network.config(),
            "optimizer": None,
            "history": records_to_json(self.history.records),
            "samples_seen": self.samples_seen,
            "training_range": None,
            # the generator's position, so shuffles after loading continue the sequence
            "rng": None if self.rng is None else self.rng.bit_generator.state,
            "stopping": None,
        }
        arrays = {"params": self.network.params.copy()}
        if self.optimizer is not None:
            meta["optimizer"], optimizer_arrays = optimizer_state(self.optimizer)
            arrays.update(optimizer_arrays)
        if self.training_range is not None:
            names = self.training_range.names
            meta["training_range"] = {"names": None if names is None else [str(name) for name in names]}
            arrays["training_low"] = np.asarray(self.training_range.low, np.float64).copy()
            arrays["training_high"] = np.asarray(self.training_range.high, np.float64).copy()
        stopping = self.stopping
        if stopping is not None and stopping.best == stopping.best:  # a rule that has seen an epoch
            meta["stopping"] = {"monitor": stopping.monitor, "patience": number_to_json(stopping.patience),
                                "tol": number_to_json(stopping.tol), "restore_best": bool(stopping.restore_best),
                                "best": number_to_json(stopping.best), "best_epoch": int(stopping.best_epoch),
                                "wait": int(stopping.wait)}
        return meta, arrays

    @classmethod
    def from_state(cls, meta: dict, arrays: dict) -> "Learner":
        """The Learner that :meth:`state` described; ValueError (or KeyError
        for a missing entry) when malformed."""
        # a missing entry raises KeyError, which the model-file loader reports
        # as a malformed state of the file's kind
        network_config, records = meta["network"], meta["history"]
        samples_seen, range_meta = meta["samples_seen"], meta["training_range"]
        arrays = StateArrays.of(arrays)
        network = Network._from_glassnet_state({"config": network_config}, arrays)
        optimizer = None
        if meta.get("optimizer") is not None:
            optimizer = optimizer_from_state(meta["optimizer"], arrays, network.params)
        history = History()
        for record in records_from_json(records):
            history.append(record)
        if not isinstance(samples_seen, int) or isinstance(samples_seen, bool) or samples_seen < 0:
            raise ValueError(f"the count of samples seen must be an integer >= 0, got {samples_seen!r}")
        training_range = None
        if range_meta is not None:
            names = range_meta.get("names") if isinstance(range_meta, dict) else None
            if "training_low" not in arrays or "training_high" not in arrays:
                raise ValueError(f"the training range must hold {network.n_inputs} lows and highs")
            low, high = (arrays.take(name, shape=(network.n_inputs,), kind="f")
                         for name in ("training_low", "training_high"))
            training_range = TrainingRange(low, high, None if names is None else tuple(map(str, names)))
        rng = None
        if meta.get("rng") is not None:
            rng = np.random.default_rng()
            try:
                rng.bit_generator.state = meta["rng"]
            except (TypeError, ValueError, KeyError) as error:
                raise ValueError(f"the random generator's state is malformed ({error})") from None
        learner = cls(network, optimizer, rng=rng, history=history, training_range=training_range,
                      samples_seen=samples_seen)
        if meta.get("stopping") is not None:
            learner.stopping = _stopping_from_state(meta["stopping"])
        return learner

    def __repr__(self) -> str:
        return (f"Learner({self.network!r}, optimizer={self.optimizer!r}, epochs={len(self.history)}, "
                f"samples_seen={self.samples_seen})")


def _stopping_from_state(meta: dict) -> EarlyStopping:
    try:
        stopping = EarlyStopping(str(meta["monitor"]), patience=number_from_json(meta.get("patience", 10)),
                                 tol=float(number_from_json(meta.get("tol", 1e-4))),
                                 restore_best=bool(meta.get("restore_best", False)))
        stopping.best = float(number_from_json(meta["best"]))
        stopping.best_epoch, stopping.wait = int(meta["best_epoch"]), int(meta["wait"])
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"the early-stopping state is malformed ({type(error).__name__}: {error})") from None
    return stopping

"""The Learner: everything a training run is, and its rules, owned in one place.

A :class:`Learner` holds

* the :class:`~glassnet.engine.network.Network` being trained;
* the optimiser and its state (step count, current rate, moments);
* the :class:`~glassnet.engine.training.History`, one record per epoch, and
  where the last call's records start (so the iteration count and the last
  loss are read from it, never kept beside it);
* the one stopping rule (:class:`~glassnet.engine.history.EarlyStopping`)
  for every solver, L-BFGS included, whose best figures, count and best
  weights carry from one call to the next;
* the :class:`~glassnet.engine.training_range.TrainingRange` of the inputs
  trained on, which every training call widens by the rows it trains on;
* the samples seen, the rows per step of the last call, the row-order
  generator, and the weights of the last finite epochs (where a diverging
  run goes back to).

And the rules around them, the same for every front door:

* :meth:`validation_split` holds out validation rows exactly as
  scikit-learn's ``train_test_split`` does (see :mod:`.splitting`);
* :meth:`set_stopping` keeps or replaces the stopping rule, and each call
  ends by putting back the best weights the rule kept;
* :meth:`bind` checks and fingerprints data once for many short calls.

Every front door (``NeuralNetwork``, the estimators, the command line's
``TabularModel`` through its estimator) keeps one and only translates its
own API into :meth:`fit_epochs`, :meth:`fit_lbfgs` or :meth:`step`; model
files read and write it through :meth:`state` and :meth:`from_state`.
Because nothing of a run lives outside it, training in pieces is training
at once: ``fit_epochs(X, Y, 10)`` twice gives the weights, history and
optimiser state of ``fit_epochs(X, Y, 20)``, bit for bit, for every
mini-batch optimiser (L-BFGS restarts its curvature memory with each call).
"""

from __future__ import annotations

import numpy as np

from .._json import number_from_json, number_to_json, records_from_json, records_to_json
from .bound import BoundData, bind_data
from .lbfgs import LbfgsResult, run_lbfgs
from .metrics import get_metric
from .network import Network
from .optimizer_state import optimizer_from_state, optimizer_state
from .optimizers import OPTIMIZERS
from .solvers import SOLVERS
from .splitting import split_indices
from .history import EarlyStopping, History
from .training import Snapshots, TrainingResult, train
from .state_arrays import StateArrays
from .training_range import TrainingRange

__all__ = ["Learner", "BoundData", "SOLVERS", "NON_FINITE_MESSAGE"]

# what a run says when not one epoch ended with a finite loss (the sentence
# scikit-learn raises with, so code that catches it keeps working)
NON_FINITE_MESSAGE = (
    "Solver produced non-finite parameter weights. The input data may contain large values and need to be "
    "preprocessed."
)


def _rows(array, index):
    return None if array is None else array[index]


class Learner:
    """A network, the state of its training and the rules of training; see
    the module docstring.

    Parameters
    ----------
    network : Network
    optimizer : Optimizer, optional
        The step optimiser for :meth:`fit_epochs` (None for L-BFGS only).
    rng : numpy.random.Generator, optional
        Draws the row order of each epoch, continuing across calls, and the
        validation rows of :meth:`validation_split`.
    """

    def __init__(self, network: Network, optimizer=None, *, rng=None, history: History | None = None,
                 stopping: EarlyStopping | None = None, training_range: TrainingRange | None = None,
                 samples_seen: int = 0, last_call_start: int = 0, rows_per_step: int | None = None):
        self.network = network
        self.optimizer = optimizer
        self.rng = rng
        self.history = history if history is not None else History()
        self.stopping = stopping
        self.training_range = training_range
        self.samples_seen = int(samples_seen)
        # the index in the history of the last training call's first record
        self.last_call_start = int(last_call_start)
        # the rows one optimiser step of the last call summed over
        self.rows_per_step = rows_per_step
        # the inputs' names, when the data came with them (a DataFrame's columns): the training range takes them
        self.input_names: tuple[str, ...] | None = None
        self.snapshots: Snapshots | None = None

    # --- what the run says about itself ----------------------------------------------
    @property
    def learning_rate(self) -> float | None:
        """The optimiser's current step size, after its schedule lowered it
        (``invscaling``, ``adaptive``); None for L-BFGS, which chooses its own."""
        return None if self.optimizer is None else float(self.optimizer.learning_rate)

    @property
    def last_call_records(self) -> list[dict]:
        """The history records of the last training call."""
        return self.history.records[min(self.last_call_start, len(self.history)):]

    @property
    def last_call_epochs(self) -> int:
        """Epochs (L-BFGS: iterations) recorded by the last training call
        (scikit-learn's ``n_iter_``)."""
        return max(len(self.history) - self.last_call_start, 0)

    @property
    def last_loss(self) -> float | None:
        """The training loss of the last recorded epoch or iteration
        (scikit-learn's ``loss_``), None before any."""
        return self.history.records[-1]["loss"] if len(self.history) else None

    # --- the rules ---------------------------------------------------------------------
    def set_stopping(self, monitor: str | None, *, patience: float = 10, tol: float = 1e-4,
                     restore_best: bool = True, restore_by: str | None = None) -> EarlyStopping | None:
        """The stopping rule of the next calls, for every solver; None: none.

        monitor : the figure that must improve (``"loss"``, ``"val_loss"``,
            ``"val_<metric>"``); ``patience=math.inf`` never stops.
        restore_best, restore_by : put back, at the end of each call, the
            weights of the best ``restore_by`` figure (default: ``monitor``).

        The current rule is kept while it watches the same figures, so that
        its best figures, count and best weights carry over (scikit-learn's
        counter carries over warm starts and ``partial_fit`` calls); its
        patience, tol and ``restore_best`` take the new values.
        """
        if monitor is None:
            self.stopping = None
            return None
        rule = self.stopping
        if rule is None or rule.monitor != monitor:
            rule = self.stopping = EarlyStopping(monitor, patience=patience, tol=tol, restore_best=restore_best,
                                                 restore_by=restore_by)
            return rule
        if rule.restore_figure != (restore_by if restore_by is not None else monitor):
            rule.restore_by = restore_by
            rule.forget_best_weights()
        rule.patience, rule.tol, rule.restore_best = patience, tol, restore_best
        return rule

    def validation_split(self, X, Y, fraction: float, *, sample_weight=None, stratify=None, rng=None,
                         name: str = "validation_split"):
        """Hold out ``fraction`` of the rows for validation, as scikit-learn's
        ``train_test_split(test_size=fraction, stratify=stratify)`` does with
        the same generator (see :func:`~glassnet.engine.splitting.split_indices`).

        X : array, sparse matrix or :class:`BoundData` (whose arrays are split)
        rng : a ``RandomState``, ``Generator`` or seed (default: the Learner's
            generator, whose draws continue).
        Returns ``(X_train, Y_train, sample_weight_train, (X_val, Y_val,
        sample_weight_val))``.
        """
        if isinstance(X, BoundData):
            X, Y, sample_weight = X.X, X.Y, X.sample_weight
        rng = rng if rng is not None else self.rng
        if rng is None:
            raise ValueError("this Learner has no random generator to split with; pass rng")
        train_rows, test_rows = split_indices(X.shape[0], fraction, rng, stratify=stratify, name=name)
        validation = (X[test_rows], Y[test_rows], _rows(sample_weight, test_rows))
        return X[train_rows], Y[train_rows], _rows(sample_weight, train_rows), validation

    def bind(self, X, Y, sample_weight=None) -> BoundData:
        """Check ``X`` (n_samples, n_inputs) and ``Y`` (n_samples,) or
        (n_samples, n_outputs) against the network once, fingerprint them
        and measure their training range: :meth:`fit_epochs` and
        :meth:`fit_lbfgs` take the result in place of ``X, Y`` and skip all
        three, with the same numbers as the arrays would give. For repeated
        short calls on the same data."""
        return bind_data(self.network, X, Y, sample_weight)

    def _data(self, X, Y, sample_weight):
        """``(X, Y, sample_weight, fingerprint)`` of a call, its rows' range now
        part of the training range."""
        if isinstance(X, BoundData):
            if Y is not None:
                raise TypeError("bound data carries its own targets; expected Y=None with BoundData")
            if sample_weight is not None and X.sample_weight is not None:
                raise TypeError("bound data carries its own sample weights; bind them or pass them, not both")
            if X.X.shape[1] != self.network.n_inputs or X.X.dtype != self.network.dtype:
                raise ValueError(f"this data was bound to another network ({X.X.shape[1]} inputs, {X.X.dtype}); "
                                 f"expected {self.network.n_inputs} inputs in {np.dtype(self.network.dtype)}")
            bound = X
            self.training_range = bound.training_range if self.training_range is None \
                else self.training_range.union(bound.training_range)
            weights = bound.sample_weight if sample_weight is None else sample_weight
            self._name_range()
            return bound.X, bound.Y, weights, bound.fingerprint
        if Y is None:
            raise TypeError("Y is required unless X is data bound with Learner.bind")
        self.training_range = TrainingRange.of(X) if self.training_range is None else self.training_range.widened(X)
        self._name_range()
        return X, Y, sample_weight, None

    def _name_range(self) -> None:
        """Name the training range's features after :attr:`input_names`, when a door knows them."""
        training_range = self.training_range
        if self.input_names is not None and training_range is not None and training_range.names is None \
                and len(self.input_names) == training_range.low.shape[0]:
            self.training_range = TrainingRange(training_range.low, training_range.high, tuple(self.input_names))

    def _finish(self, result: TrainingResult) -> TrainingResult:
        """End a call: put back the best weights the stopping rule kept (the
        one place that restores), then raise when the run diverged before any
        epoch ended with a finite loss."""
        if self.stopping is not None:
            self.stopping.restore(self.network.params)
        if result.stop_reason == "diverged" and not len(self.history):
            raise ValueError(f"{NON_FINITE_MESSAGE} ({result.message})")
        return result

    # --- training ----------------------------------------------------------------------
    def step(self, X, Y, sample_weight=None, *, forward_done: bool = False) -> None:
        """One optimiser step on the batch ``(X, Y)``, outside any epoch (no
        record): the gradient of the loss on these rows, then the update.
        ``forward_done`` : the network's cached forward pass is that of
        ``X``, so it is reused. The rows join the training range."""
        if self.optimizer is None:
            raise ValueError("this Learner has no step optimiser; expected one of: " + ", ".join(OPTIMIZERS))
        X, Y, sample_weight, _ = self._data(X, Y, sample_weight)
        network = self.network
        if not forward_done:
            network.forward(X)
        network.backward(Y, sample_weight)
        self.optimizer.step(network.params, network.grad)
        self.rows_per_step = X.shape[0]

    def fit_epochs(self, X, Y=None, epochs: int = 1, *, batch_size=None, shuffle: bool = True, order=None,
                   sample_weight=None, validation=None, metric=None, validation_metric=None,
                   limit: float = 0.5, callbacks=(), stats=None) -> TrainingResult:
        """Up to ``epochs`` epochs of mini-batch steps with the optimiser.

        X : array or sparse matrix of shape (n_samples, n_inputs), or
            :class:`BoundData` from :meth:`bind` (then ``Y`` is None)
        Y : array of shape (n_samples, n_outputs)
        order : an object with ``permutation(n)`` drawing each epoch's row
            order (default: the Learner's generator).
        stats : a :class:`~glassnet.engine.stats.DynamicsRecorder` adding
            per-layer figures to each record (None: none).
        The other arguments are :func:`~glassnet.engine.training.train`'s.
        The rows of ``X`` join the training range; the stopping rule (see
        :meth:`set_stopping`) is updated every epoch and its best weights put
        back at the end. Raises ValueError when no epoch ended with a finite
        loss.
        """
        if self.optimizer is None:
            raise ValueError("this Learner has no step optimiser; expected one of: " + ", ".join(OPTIMIZERS))
        X, Y, sample_weight, fingerprint = self._data(X, Y, sample_weight)
        n = X.shape[0]
        self.last_call_start = len(self.history)
        self.rows_per_step = n if batch_size is None else max(1, min(int(batch_size), n))
        result = train(
            self.network, self.optimizer, X, Y,
            epochs=epochs, batch_size=batch_size, shuffle=shuffle,
            rng=order if order is not None else self.rng,
            sample_weight=sample_weight, validation=validation, metric=metric,
            validation_metric=validation_metric, limit=limit, stopping=self.stopping,
            callbacks=callbacks, history=self.history, samples_seen=self.samples_seen,
            snapshots=self.snapshots, stats=stats, fingerprint=fingerprint,
        )
        self.samples_seen = result.samples_seen
        self.snapshots = result.snapshots
        return self._finish(result)

    def fit_lbfgs(self, X, Y=None, *, max_iter: int, max_fun: int = 15000, tol: float = 1e-4, sample_weight=None,
                  validation=None, metric=None, validation_metric=None, limit: float = 0.5, callbacks=(),
                  stats=None) -> LbfgsResult:
        """Minimise the loss with L-BFGS-B for up to ``max_iter`` iterations,
        one history record each (``X`` may be :class:`BoundData`). The
        stopping rule (see :meth:`set_stopping`) is updated every iteration,
        ends the run on a plateau when its patience runs out, and its best
        weights are put back at the end. Raises ValueError when no iteration
        ended with a finite loss."""
        X, Y, sample_weight, _ = self._data(X, Y, sample_weight)
        self.last_call_start = len(self.history)
        self.rows_per_step = X.shape[0]
        result = run_lbfgs(
            self.network, X, Y, max_iter=max_iter, max_fun=max_fun, tol=tol, sample_weight=sample_weight,
            validation=validation, metric=get_metric(metric) if metric is not None else None,
            validation_metric=get_metric(validation_metric) if validation_metric is not None else None,
            limit=limit, callbacks=callbacks, history=self.history, stopping=self.stopping, stats=stats,
        )
        result.samples_seen = self.samples_seen
        return self._finish(result)

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
            "last_call_start": self.last_call_start,
            "rows_per_step": self.rows_per_step,
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
            if stopping.restore_by is not None:
                meta["stopping"].update(restore_by=stopping.restore_by, kept=number_to_json(stopping.kept),
                                        kept_epoch=int(stopping.kept_epoch))
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
        # files written before these were kept: the whole history is the last call
        last_call_start = _count(meta.get("last_call_start", 0), "the last call's first record")
        rows_per_step = meta.get("rows_per_step")
        rows_per_step = None if rows_per_step is None else _count(rows_per_step, "the rows per step")
        learner = cls(network, optimizer, rng=rng, history=history, training_range=training_range,
                      samples_seen=samples_seen, last_call_start=min(last_call_start, len(history)),
                      rows_per_step=rows_per_step)
        if meta.get("stopping") is not None:
            learner.stopping = _stopping_from_state(meta["stopping"])
        return learner

    def __repr__(self) -> str:
        return (f"Learner({self.network!r}, optimizer={self.optimizer!r}, epochs={len(self.history)}, "
                f"samples_seen={self.samples_seen})")


def _count(value, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{what} must be an integer >= 0, got {value!r}")
    return value


def _stopping_from_state(meta: dict) -> EarlyStopping:
    try:
        restore_by = meta.get("restore_by")
        stopping = EarlyStopping(str(meta["monitor"]), patience=number_from_json(meta.get("patience", 10)),
                                 tol=float(number_from_json(meta.get("tol", 1e-4))),
                                 restore_best=bool(meta.get("restore_best", False)),
                                 restore_by=None if restore_by is None else str(restore_by))
        stopping.best = float(number_from_json(meta["best"]))
        stopping.best_epoch, stopping.wait = int(meta["best_epoch"]), int(meta["wait"])
        if restore_by is not None:
            stopping.kept = float(number_from_json(meta["kept"]))
            stopping.kept_epoch = int(meta["kept_epoch"])
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"the early-stopping state is malformed ({type(error).__name__}: {error})") from None
    return stopping

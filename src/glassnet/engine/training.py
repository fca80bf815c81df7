"""The training loop shared by every front door.

:func:`train` runs epochs of (mini-)batch gradient steps on a
:class:`~glassnet.engine.network.Network` and keeps the bookkeeping apart from the
maths: shuffling, batching, the per-epoch history, validation, early stopping,
callbacks, divergence and Ctrl-C.

Guarantees, whatever ends the run:

* the history holds one record per completed epoch, and the weights are those
  at the end of the last recorded epoch (or the best ones, with
  ``restore_best``);
* a non-finite loss or weight stops training at once and the weights go back
  to the end of the last finite epoch: no NaN is ever left behind;
* Ctrl-C (KeyboardInterrupt) is caught, the same consistency is restored, and
  the result says ``stop_reason == "interrupted"``; the caller decides whether
  to re-raise it (:meth:`TrainingResult.raise_if_interrupted`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Iterable

import numpy as np
import scipy.sparse as sp

from . import kernels
from .metrics import METRICS, Metric, get_metric

__all__ = ["History", "EarlyStopping", "TrainingResult", "train", "DivergenceWarning"]


class DivergenceWarning(UserWarning):
    """Training stopped because the loss or the weights stopped being finite."""


class History:
    """One record (a dict of figures) per completed epoch.

    ``history["loss"]`` is the column of one figure across epochs. Records are
    appended whole, so an interrupt never leaves the columns out of step.
    """

    def __init__(self):
        self.records: list[dict] = []

    def append(self, record: dict) -> None:
        self.records.append(record)

    def __getitem__(self, key: str) -> list[float]:
        return [record[key] for record in self.records if key in record]

    def __contains__(self, key: str) -> bool:
        return bool(self.records) and key in self.records[-1]

    def __len__(self) -> int:
        return len(self.records)

    def keys(self) -> list[str]:
        return list(self.records[-1]) if self.records else []

    def as_dict(self) -> dict[str, list[float]]:
        return {key: self[key] for key in self.keys()}

    def __repr__(self) -> str:
        return f"History({len(self)} epochs, keys={self.keys()})"


@dataclass
class EarlyStopping:
    """Stop when ``monitor`` has not improved by more than ``tol`` for more
    than ``patience`` epochs in a row (scikit-learn's ``n_iter_no_change``
    rule), then optionally put back the best weights.

    ``monitor`` is a history key: ``"loss"``, ``"val_loss"`` or
    ``"val_<metric>"``. Whether larger is better follows the metric.
    """

    monitor: str = "val_loss"
    patience: int = 10
    tol: float = 1e-4
    restore_best: bool = True
    best: float = field(default=math.nan, init=False)
    best_epoch: int = field(default=0, init=False)
    wait: int = field(default=0, init=False)
    _snapshot: np.ndarray | None = field(default=None, init=False, repr=False)

    @property
    def greater_is_better(self) -> bool:
        name = self.monitor.removeprefix("val_")
        return name in METRICS and METRICS.get(name).greater_is_better

    def reset(self) -> None:
        self.best = -math.inf if self.greater_is_better else math.inf
        self.best_epoch = 0
        self.wait = 0
        self._snapshot = None

    def update(self, record: dict, params: np.ndarray) -> bool:
        """Count this epoch; True when patience has run out."""
        if math.isnan(self.best):
            self.reset()
        if self.monitor not in record:
            raise ValueError(
                f"early stopping monitors {self.monitor!r}, which training does not record; "
                f"recorded: {', '.join(record)}"
            )
        value = record[self.monitor]
        sign = 1.0 if self.greater_is_better else -1.0
        # improvement must beat the best by more than tol to reset the count
        if sign * (value - self.best) <= self.tol:
            self.wait += 1
        else:
            self.wait = 0
        if sign * (value - self.best) > 0:
            self.best = value
            self.best_epoch = record["epoch"]
            if self.restore_best:
                if self._snapshot is None:
                    self._snapshot = params.copy()
                else:
                    np.copyto(self._snapshot, params)
        return self.wait > self.patience

    def restore(self, params: np.ndarray) -> bool:
        """Put the best weights back; False when there are none to restore."""
        if not self.restore_best or self._snapshot is None:
            return False
        np.copyto(params, self._snapshot)
        return True


@dataclass
class TrainingResult:
    epochs: int
    samples_seen: int
    stop_reason: str = "completed"  # completed, plateau, callback, diverged, interrupted
    message: str = ""

    def raise_if_interrupted(self) -> None:
        if self.stop_reason == "interrupted":
            raise KeyboardInterrupt(self.message)


def _rows(array, index):
    """Rows of a dense array, a sparse matrix or a 1-D weight vector."""
    if array is None:
        return None
    if isinstance(index, slice) or sp.issparse(array):
        return array[index]  # a slice of a dense array is a view, no copy
    return np.take(array, index, axis=0)


def train(
    network,
    optimizer,
    X,
    Y,
    *,
    epochs: int,
    batch_size: int | None = None,
    shuffle: bool = True,
    rng: np.random.Generator | None = None,
    sample_weight=None,
    validation=None,
    metric: str | Metric | None = None,
    validation_metric: str | Metric | None = None,
    limit: float = 0.5,
    stopping: EarlyStopping | None = None,
    callbacks: Iterable[Callable[[dict], object]] = (),
    history: History | None = None,
    samples_seen: int = 0,
    stats=None,
) -> TrainingResult:
    """Train ``network`` in place for up to ``epochs`` epochs.

    X : array or sparse matrix of shape (n_samples, n_inputs)
    Y : array of shape (n_samples, n_outputs)
    batch_size : rows per step; None means the full batch.
    shuffle : reshuffle the rows every epoch (skipped for a full batch, where
        the order changes nothing but rounding).
    validation : ``(X_val, Y_val)`` or ``(X_val, Y_val, sample_weight_val)``,
        evaluated after every epoch into ``val_loss`` and ``val_<metric>``.
    metric : figure recorded on the training rows each epoch, computed from
        the outputs of that epoch's forward passes (before its updates, as the
        article does).
    validation_metric : figure recorded on the validation rows (default:
        ``metric``).
    stopping : an :class:`EarlyStopping` rule; on a plateau the optimiser's
        schedule decides between stopping and lowering the learning rate.
    callbacks : called with each epoch's record; a truthy return stops training.
    history : records are appended here (a new History by default).
    samples_seen : samples trained on before this call (for ``invscaling``).
    stats : a :class:`~glassnet.engine.stats.DynamicsRecorder` (or anything with
        its ``epoch_start(network)``, ``after_step(network)`` and
        ``epoch_end(record)``), which adds per-layer figures to each record.
    """
    metric = get_metric(metric) if metric is not None else None
    loop = _Loop(
        network=network,
        optimizer=optimizer,
        X=X,
        Y=Y,
        sample_weight=sample_weight,
        batch=X.shape[0] if batch_size is None else max(1, min(int(batch_size), X.shape[0])),
        shuffle=shuffle,
        rng=rng if rng is not None else np.random.default_rng(),
        validation=validation,
        metric=metric,
        validation_metric=get_metric(validation_metric) if validation_metric is not None else metric,
        limit=limit,
        stopping=stopping,
        callbacks=list(callbacks),
        history=history if history is not None else History(),
        result=TrainingResult(epochs=0, samples_seen=samples_seen),
        stats=stats,
    )
    if stopping is not None:
        stopping.reset()
    # overflow in a diverging run is detected by the loop (a non-finite loss
    # or weight) and reported once, clearly, instead of as NumPy warnings
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        loop.run(epochs)
    if stopping is not None:
        stopping.restore(network.params)
    return loop.result


@dataclass
class _Loop:
    """The state of one :func:`train` call; :meth:`run` is the epoch loop."""

    network: object
    optimizer: object
    X: object
    Y: np.ndarray
    sample_weight: np.ndarray | None
    batch: int
    shuffle: bool
    rng: np.random.Generator
    validation: tuple | None
    metric: Metric | None
    validation_metric: Metric | None
    limit: float
    stopping: EarlyStopping | None
    callbacks: list
    history: History
    result: TrainingResult
    stats: object = None

    def run(self, epochs: int) -> None:
        n = self.X.shape[0]
        params = self.network.params
        # the weights at the end of the last recorded epoch, and of the one
        # before (whose loss was the last one seen to be finite)
        self.last_good = params.copy()
        self.previous_good = params.copy()
        self.recorded = len(self.history)
        self.start_seen = self.result.samples_seen
        # collecting every row's output costs a copy per batch, so only when a
        # training metric asks for it; a full batch already has them all
        self.outputs = np.empty(self.Y.shape, self.network.dtype) if self.metric is not None and self.batch < n else None
        kernels.plan(params.size * epochs * -(-n // self.batch))
        try:
            for _ in range(epochs):
                record = self._epoch(n, params)
                if record is None or self._finish_epoch(record, n, params):
                    break
        except KeyboardInterrupt:
            self._interrupted(params, n)

    def _epoch(self, n, params) -> dict | None:
        """One pass over the rows; the epoch's record, or None if it diverged."""
        epoch = len(self.history) + 1
        # a shuffled epoch gathers each batch's rows as it goes, rather than a
        # shuffled copy of all of X: the same rows in the same order, without
        # a second copy of the data in memory
        order = self.rng.permutation(n) if self.shuffle and self.batch < n else None
        # the targets in epoch order are needed whole only by a training
        # metric; otherwise each batch gathers its own, like X
        gather_targets = order is not None and self.outputs is None
        Y = self.Y if order is None or gather_targets else _rows(self.Y, order)
        mean = self.network.reduction == "mean"
        total = 0.0
        if self.stats is not None:
            self.stats.epoch_start(self.network)
        for start in range(0, n, self.batch):
            stop = min(start + self.batch, n)
            rows = slice(start, stop) if order is None else order[start:stop]
            Yb = _rows(Y, rows) if gather_targets else Y[start:stop]
            wb = None if self.sample_weight is None else _rows(self.sample_weight, rows)
            output = self.network.forward(_rows(self.X, rows))
            loss = self.network.output_loss(Yb, wb)
            if not math.isfinite(loss):
                return self._diverged(epoch, loss, params, at_epoch_start=start == 0)
            total += loss * (stop - start) if mean else loss
            if self.outputs is not None:
                self.outputs[start:stop] = output
            self.network.backward(Yb, wb)
            self.optimizer.step(params, self.network.grad)
            if self.stats is not None:
                self.stats.after_step(self.network)
        if not np.isfinite(params).all():
            return self._diverged(epoch, None, params)
        record = {"epoch": epoch, "loss": total / n if mean else total}
        if self.metric is not None:
            outputs = output if self.outputs is None else self.outputs
            record[self.metric.name] = self.metric(Y, outputs, self.limit)
        if self.validation is not None:
            record.update(_validate(self.network, self.validation, self.validation_metric, self.limit))
        record["learning_rate"] = self.optimizer.learning_rate
        if self.stats is not None:
            self.stats.epoch_end(record)
        return record

    def _finish_epoch(self, record, n, params) -> bool:
        """Book the epoch; True when training should stop."""
        result = self.result
        plateau = self.stopping.update(record, params) if self.stopping is not None else False
        self.optimizer.epoch_end(result.samples_seen + n)
        self.history.append(record)
        result.epochs += 1
        result.samples_seen += n
        self.previous_good, self.last_good = self.last_good, self.previous_good
        np.copyto(self.last_good, params)
        # every recorded epoch reaches the callbacks, the last one too
        stop_requested = any([callback(record) for callback in self.callbacks]) if self.callbacks else False
        if plateau:
            if self.optimizer.on_plateau():
                result.stop_reason = "plateau"
                result.message = (
                    f"{self.stopping.monitor} did not improve by more than tol={self.stopping.tol} "
                    f"for {self.stopping.patience + 1} consecutive epochs"
                )
                return True
            self.stopping.wait = 0
        if stop_requested:
            result.stop_reason = "callback"
            result.message = f"a callback stopped training after epoch {record['epoch']}"
            return True
        return False

    def _interrupted(self, params, n) -> None:
        # Back to the end of the last recorded epoch. Once its record is
        # appended nothing touches the weights until the next epoch's first
        # step, and by then last_good holds them, so restoring is right except
        # in the instant between the append and the copy, when the weights
        # already are that state.
        completed = len(self.history) - self.recorded
        if completed == self.result.epochs:
            np.copyto(params, self.last_good)
        self.result.epochs = completed
        self.result.samples_seen = self.start_seen + completed * n
        self.result.stop_reason = "interrupted"
        self.result.message = f"training interrupted after {len(self.history)} completed epoch(s)"

    def _diverged(self, epoch, loss: float | None, params, at_epoch_start=False) -> None:
        """Stop with the last weights known to give a finite loss."""
        restored = epoch - 1
        if at_epoch_start and len(self.history) > self.recorded:
            # the loss at the end-of-epoch weights is the one that overflowed,
            # so go one epoch further back, to weights whose loss was finite
            np.copyto(params, self.previous_good)
            self.history.records.pop()
            self.result.epochs -= 1
            self.result.samples_seen -= self.X.shape[0]
            restored -= 1
        else:
            np.copyto(params, self.last_good)
        cause = "the weights stopped being finite" if loss is None else f"the loss became {loss}"
        self.result.stop_reason = "diverged"
        self.result.message = (
            f"training diverged at epoch {epoch}: {cause}. The weights were restored to those "
            f"after epoch {restored}, the last with a finite loss. Try a lower learning rate "
            f"(it was {self.optimizer.learning_rate:g}) or scale the inputs."
        )
        return None


def _validate(network, validation, metric, limit) -> dict:
    X_val, Y_val, *rest = validation
    sample_weight = rest[0] if rest else None
    loss, A = network.loss_and_output(X_val, Y_val, sample_weight)
    figures = {"val_loss": loss}
    if metric is not None:
        figures[f"val_{metric.name}"] = metric(Y_val, A, limit, sample_weight)
    return figures

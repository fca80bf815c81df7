"""The training loop shared by every front door.

:func:`train` runs epochs of (mini-)batch gradient steps on a
:class:`~glassnet.engine.network.Network` and keeps the bookkeeping apart from the
maths: shuffling, batching, the per-epoch history, validation, early stopping,
callbacks, divergence and Ctrl-C.

Guarantees, whatever ends the run:

* the history holds one record per completed epoch, and the weights are those
  at the end of the last recorded epoch (the
  :class:`~glassnet.engine.learner.Learner` then puts back the best ones
  when its stopping rule keeps them);
* a non-finite loss or weight stops training at once and the weights go back
  to the end of the last finite epoch: no NaN is ever left behind;
* Ctrl-C (KeyboardInterrupt) is caught, the same consistency is restored, and
  the result says ``stop_reason == "interrupted"``; the caller decides whether
  to re-raise it (:meth:`TrainingResult.raise_if_interrupted`).

"The weights" are the network's ``variables``: its parameters and, with
batch normalisation, the running moments that go with them. Each step's
forward pass is the network's :meth:`~glassnet.engine.network.Network.train_forward`,
which draws the dropout masks from ``noise`` (by default the row-order
generator) after that epoch's row order.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from functools import partial
from typing import Callable, Iterable

import numpy as np
import scipy.sparse as sp

from . import kernels
from .health import dying_layers, stalled_layers
from .history import EarlyStopping, History
from .metrics import Metric, get_metric

__all__ = ["TrainingResult", "Snapshots", "train", "DivergenceWarning", "StalledTrainingWarning",
           "validation_figures", "grad_norm_figures"]


class DivergenceWarning(UserWarning):
    """Training stopped because the loss or the weights stopped being finite."""


class StalledTrainingWarning(UserWarning):
    """Training can no longer change the weights: a hidden layer is inactive
    on every row, or the whole gradient is exactly zero."""


@dataclass
class TrainingResult:
    epochs: int
    samples_seen: int
    stop_reason: str = "completed"  # completed, plateau, callback, diverged, interrupted
    message: str = ""
    # set when training stalled (see glassnet.engine.health); said once per call
    stalled: str = ""
    snapshots: "Snapshots | None" = field(default=None, repr=False)

    def raise_if_interrupted(self) -> None:
        if self.stop_reason == "interrupted":
            raise KeyboardInterrupt(self.message)


class Snapshots:
    """The weights after the last two finite epochs, where a diverging run
    goes back to. A :class:`~glassnet.engine.learner.Learner` keeps them from
    one training call to the next, so that training in pieces restores the
    same weights as training at once.

    They carry over only to a call on the same data that starts from the
    weights they last saw: an epoch's loss on other rows says nothing about
    the epoch before, and weights set by hand in between are a new start.
    """

    def __init__(self, params: np.ndarray, data: bytes = b""):
        self.last = params.copy()
        self.previous = params.copy()
        self.data = data
        # epochs recorded since tracking began: ``previous`` is an epoch's
        # weights only once there are two
        self.epochs = 0

    @classmethod
    def carried(cls, snapshots: "Snapshots | None", params: np.ndarray, X, Y,
                fingerprint: bytes | None = None) -> "Snapshots":
        """``snapshots`` when they continue into this call, else a fresh set.
        ``fingerprint`` is the data's :func:`_fingerprint` when already taken
        (bound data, see :meth:`Learner.bind <glassnet.engine.learner.Learner.bind>`)."""
        data = fingerprint if fingerprint is not None else _fingerprint(X, Y)
        if (snapshots is not None and snapshots.data == data and snapshots.last.shape == params.shape
                and snapshots.last.dtype == params.dtype and np.array_equal(snapshots.last, params)):
            return snapshots
        return cls(params, data)

    def record(self, params: np.ndarray) -> None:
        self.previous, self.last = self.last, self.previous
        np.copyto(self.last, params)
        self.epochs += 1

    def drop_last(self) -> None:
        """Forget the last epoch: its weights gave a non-finite loss."""
        self.last, self.previous = self.previous, self.last
        np.copyto(self.previous, self.last)
        self.epochs -= 1


# rows a fingerprint reads: all of a small table, an even sample of a large one
_FINGERPRINT_ROWS = 1024


def _fingerprint(X, Y) -> bytes:
    """A digest of the training rows and targets, telling whether the next
    call trains on the same data. A large table is sampled, so that this
    costs next to nothing per call (the playground trains in calls of a few
    epochs): a change to rows outside the sample goes unseen, which at worst
    lets a divergence at the start of the next call roll back one epoch
    further than needed, to weights that were still finite."""
    n = X.shape[0]
    rows = slice(None) if n <= _FINGERPRINT_ROWS else np.linspace(0, n - 1, _FINGERPRINT_ROWS).astype(np.intp)
    digest = hashlib.blake2b(f"{X.shape}{Y.shape}".encode(), digest_size=16)
    sample = X[rows]
    arrays = (sample.data, sample.indices, sample.indptr, Y[rows]) if sp.issparse(sample) else (sample, Y[rows])
    for array in arrays:
        array = np.ascontiguousarray(array)
        digest.update(array.dtype.str.encode())
        digest.update(memoryview(array).cast("B"))
    return digest.digest()


def _gatherer(array):
    """``index -> array[index]`` for an index array, chosen once per call so
    that each batch skips the type and layout tests of :func:`_rows` (the
    same gather, so the same rows)."""
    if array is None:
        return lambda index: None
    if not sp.issparse(array) and array.flags.c_contiguous and array.flags.aligned:
        return partial(array.take, axis=0)
    return array.__getitem__


def _rows(array, index):
    """Rows of a dense array, a sparse matrix or a 1-D weight vector."""
    if array is None:
        return None
    if isinstance(index, slice) or sp.issparse(array):
        return array[index]  # a slice of a dense array is a view, no copy
    if array.flags.c_contiguous and array.flags.aligned:
        # the fastest gather on this layout; the method skips np.take's two
        # Python wrappers (a microsecond a batch)
        return array.take(index, axis=0)
    # np.take copies a Fortran-ordered or misaligned array whole before
    # gathering (hundreds of times slower per batch); fancy indexing does not
    return array[index]


def _all_finite(values: np.ndarray) -> bool:
    """Whether every entry is finite. A finite dot product of the vector
    with itself proves it in one BLAS call (an inf or NaN entry makes the sum
    inf or NaN); only when the squares overflow, or there is a non-finite
    entry, is every entry looked at. Called inside :func:`train`'s
    ``np.errstate``, which silences the overflow of the squares."""
    return math.isfinite(np.dot(values, values)) or bool(np.isfinite(values).all())


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
    snapshots: Snapshots | None = None,
    stats=None,
    fingerprint: bytes | None = None,
    noise=None,
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
    stopping : an :class:`EarlyStopping` rule, updated after every epoch; on
        a plateau the optimiser's schedule decides between stopping and
        lowering the learning rate. A rule used before carries its best
        figure and count into this call. It only keeps the best weights:
        putting them back is the caller's (:meth:`Learner.fit_epochs
        <glassnet.engine.learner.Learner.fit_epochs>` does it once, at the
        end of the call).
    callbacks : called with each epoch's record; a truthy return stops training.
    history : records are appended here (a new History by default).
    samples_seen : samples trained on before this call (for ``invscaling``).
    snapshots : the weights of the last finite epochs from earlier calls
        (see :class:`Snapshots`); a fresh set by default. The set in use is
        ``result.snapshots``.
    stats : a :class:`~glassnet.engine.stats.DynamicsRecorder` (or anything with
        its ``epoch_start(network)``, ``after_step(network)`` and
        ``epoch_end(record)``), which adds per-layer figures to each record.
    fingerprint : the data's fingerprint when the caller already took it
        (bound data); otherwise it is taken here, once per call.
    noise : the generator of the dropout masks (a numpy Generator or
        RandomState); default: ``rng``.
    """
    metric = get_metric(metric) if metric is not None else None
    rng = rng if rng is not None else np.random.default_rng()
    loop = _Loop(
        network=network,
        optimizer=optimizer,
        X=X,
        Y=Y,
        sample_weight=sample_weight,
        batch=X.shape[0] if batch_size is None else max(1, min(int(batch_size), X.shape[0])),
        shuffle=shuffle,
        rng=rng,
        noise=noise if noise is not None else rng,
        validation=validation,
        metric=metric,
        validation_metric=get_metric(validation_metric) if validation_metric is not None else metric,
        limit=limit,
        stopping=stopping,
        callbacks=list(callbacks),
        history=history if history is not None else History(),
        result=TrainingResult(epochs=0, samples_seen=samples_seen),
        snapshots=Snapshots.carried(snapshots, network.variables, X, Y, fingerprint),
        stats=stats,
    )
    # overflow in a diverging run is detected by the loop (a non-finite loss
    # or weight) and reported once, clearly, instead of as NumPy warnings
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        loop.run(epochs)
    loop.result.snapshots = loop.snapshots
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
    snapshots: Snapshots
    stats: object = None
    noise: object = None

    def run(self, epochs: int) -> None:
        n = self.X.shape[0]
        # the parameters and, with batch normalisation, its running moments:
        # what a snapshot keeps and a rollback puts back
        params = self.network.variables
        self.recorded = len(self.history)
        self.start_seen = self.result.samples_seen
        # collecting every row's output costs a copy per batch, so only when a
        # training metric asks for it; a full batch already has them all
        self.outputs = np.empty(self.Y.shape, self.network.dtype) if self.metric is not None and self.batch < n else None
        self.dying = dying_layers(self.network)
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
        network, optimizer, stats, outputs = self.network, self.optimizer, self.stats, self.outputs
        # looked up once per epoch: a digits epoch is 45 steps, the article's
        # one step of a few microseconds
        forward, output_loss, backward, step = network.forward, network.output_loss, network.backward, optimizer.step
        plain = network.plain
        if not plain:  # dropout masks drawn, running moments kept, batch moments weighted
            forward = partial(network.train_forward, rng=self.noise)
        if getattr(optimizer, "weight_decay", 0.0):  # the weights shrink, not the biases
            step = partial(step, decayed=network.decayed)
        grad = network.grad
        trained = network.params
        X, sample_weight, batch = self.X, self.sample_weight, self.batch
        # a shuffled epoch gathers each batch's rows as it goes, rather than a
        # shuffled copy of all of X: the same rows in the same order, without
        # a second copy of the data in memory
        order = self.rng.permutation(n) if self.shuffle and batch < n else None
        # the targets in epoch order are needed whole only by a training
        # metric; otherwise each batch gathers its own, like X
        gather_targets = order is not None and outputs is None
        Y = self.Y if order is None or gather_targets else _rows(self.Y, order)
        if order is not None:
            X_rows, Y_rows, weight_rows = _gatherer(X), _gatherer(Y), _gatherer(sample_weight)
        mean = network.reduction == "mean"
        total = 0.0
        if stats is not None:
            stats.epoch_start(network)
        for start in range(0, n, batch):
            stop = min(start + batch, n)
            if order is None:
                # a full batch is the arrays themselves, a slice of them a view
                whole = start == 0 and stop == n
                Xb = X if whole else X[start:stop]
                Yb = Y if whole else Y[start:stop]
                wb = None if sample_weight is None else sample_weight[start:stop]
            else:
                rows = order[start:stop]
                Xb = X_rows(rows)
                Yb = Y_rows(rows) if gather_targets else Y[start:stop]
                wb = weight_rows(rows)
            output = forward(Xb) if plain else forward(Xb, sample_weight=wb)
            loss = output_loss(Yb, wb)
            if not math.isfinite(loss):
                return self._diverged(epoch, loss, params, at_epoch_start=start == 0)
            total += loss * (stop - start) if mean else loss
            if outputs is not None:
                outputs[start:stop] = output
            backward(Yb, wb)
            step(trained, grad)
            if stats is not None:
                stats.after_step(network)
        if not _all_finite(params):
            return self._diverged(epoch, None, params)
        if not self.result.stalled:
            self.result.stalled = stalled_layers(network, X, optimizer.learning_rate, self.dying)
        record = {"epoch": epoch, "loss": total / n if mean else total}
        if self.metric is not None:
            record[self.metric.name] = self.metric(Y, output if outputs is None else outputs, self.limit)
        if self.validation is not None:
            record.update(validation_figures(network, self.validation, self.validation_metric, self.limit))
        record["learning_rate"] = optimizer.learning_rate
        if getattr(optimizer, "clip_grad_norm", None) is not None:
            record.update(grad_norm_figures(optimizer.take_grad_norms(), optimizer.clip_grad_norm))
        if stats is not None:
            stats.epoch_end(record)
        return record

    def _finish_epoch(self, record, n, params) -> bool:
        """Book the epoch; True when training should stop."""
        result = self.result
        plateau = self.stopping.update(record, params) if self.stopping is not None else False
        self.optimizer.epoch_end(result.samples_seen + n)
        self.history.append(record)
        result.epochs += 1
        result.samples_seen += n
        self.snapshots.record(params)
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
            np.copyto(params, self.snapshots.last)
        self.result.epochs = completed
        self.result.samples_seen = self.start_seen + completed * n
        self.result.stop_reason = "interrupted"
        self.result.message = f"training interrupted after {len(self.history)} completed epoch(s)"

    def _diverged(self, epoch, loss: float | None, params, at_epoch_start=False) -> None:
        """Stop with the last weights known to give a finite loss."""
        restored = epoch - 1
        if at_epoch_start and self.snapshots.epochs > 0 and self.history.records:
            # the loss at the end-of-epoch weights is the one that overflowed,
            # so go one epoch further back, to weights whose loss was finite
            self.snapshots.drop_last()
            np.copyto(params, self.snapshots.last)
            self.history.records.pop()
            self.result.epochs -= 1
            self.result.samples_seen -= self.X.shape[0]
            restored -= 1
        else:
            np.copyto(params, self.snapshots.last)
        cause = "the weights stopped being finite" if loss is None else f"the loss became {loss}"
        self.result.stop_reason = "diverged"
        self.result.message = (
            f"training diverged at epoch {epoch}: {cause}. The weights were restored to those "
            f"after epoch {restored}, the last with a finite loss. Try a lower learning rate "
            f"(it was {self.optimizer.learning_rate:g}) or scale the inputs."
        )
        return None


def grad_norm_figures(norms: list[float], threshold: float) -> dict:
    """An epoch's gradient norms before clipping: their mean (``grad_norm``),
    their largest (``grad_norm_max``) and the share of steps clipped."""
    if not norms:
        return {}
    return {"grad_norm": float(np.mean(norms)), "grad_norm_max": float(max(norms)),
            "clipped_share": float(np.mean(np.asarray(norms) > threshold))}


def validation_figures(network, validation, metric, limit) -> dict:
    """``val_loss`` and ``val_<metric>`` of ``validation = (X, Y[, sample_weight])``."""
    X_val, Y_val, *rest = validation
    sample_weight = rest[0] if rest else None
    loss, A = network.loss_and_output(X_val, Y_val, sample_weight)
    figures = {"val_loss": loss}
    if metric is not None:
        figures[f"val_{metric.name}"] = metric(Y_val, A, limit, sample_weight)
    return figures

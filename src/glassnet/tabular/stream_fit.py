"""``glassnet train --chunk-rows``: a table larger than memory, trained pass
by pass.

The preprocessing is fitted in two passes (:mod:`.streamed`); then each
epoch is one more pass: every chunk's training rows are encoded and scaled,
join a shuffle buffer, and the estimator (the same
:class:`~glassnet.MLPClassifier`/:class:`~glassnet.MLPRegressor` as
``glassnet train`` fits in memory) takes one ``partial_fit`` step of
mini-batches on them, as dask-ml's ``Incremental`` does with a Dask array's
blocks. The buffer shuffles across chunks in bounded memory: each chunk
joins the rows held back so far, the mix is shuffled, and half of it (at
most one chunk's rows) is held back for the next, the rest trained on; so a
row may train next to rows from anywhere before it in the file.

The estimator's history holds one record per ``partial_fit`` call. After
each pass the mean training loss of the pass goes through the engine's one
stopping rule (:class:`~glassnet.engine.history.EarlyStopping`, patience
``n_iter_no_change`` = 10 and tol 1e-4 as in memory): on a plateau adam
stops, and sgd's adaptive schedule lowers its rate instead. Then one last
pass tallies the test report over the held-out rows (:mod:`.stream_report`).
"""

from __future__ import annotations

import warnings
from dataclasses import replace

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from ..engine.history import EarlyStopping
from . import fitting
from .fitting import Options
from .pipeline import target_labels, training_targets
from .sources import TableSource
from .stream_report import streamed_report
from .streamed import StreamedTable, prepare_stream

__all__ = ["fit_stream", "StreamedRun", "check_streamable"]


class StreamedRun:
    """What :func:`fit_stream` did: the passes over the training part, the
    rows trained per pass, and whether Ctrl-C ended it."""

    def __init__(self):
        self.passes = 0
        self.rows_trained = 0
        self.losses: list[float] = []
        self.interrupted = False
        self.plateau = False


def check_streamable(options: Options) -> None:
    """ValueError for a setting that needs every row at once."""
    from ..estimators import MLPRegressor

    # the estimators know which solvers learn batch by batch: those have partial_fit
    if not hasattr(MLPRegressor(solver=options.solver), "partial_fit"):
        raise ValueError(f"--solver {options.solver} takes its steps on the whole training part at once, so it "
                         "cannot stream with --chunk-rows; use sgd or adam")
    if options.early_stopping:
        raise ValueError("--early-stopping holds out a validation part of the rows in memory, so it cannot stream "
                         "with --chunk-rows; the pass's training loss decides when to stop instead")


def _blocks(table: StreamedTable, parts):
    """``(X, y)`` of each chunk's training rows: scaled inputs and the estimator's targets."""
    for train, _ in parts:
        if not len(train):
            continue
        X = table.inputs(train)
        labels = target_labels(train, table.target, table.task)
        yield X, training_targets(table.task, table.target_encoding, labels)


def _shuffled(blocks, rng: np.random.Generator, held_rows: int):
    """The rows of ``blocks`` in shuffled blocks, through a buffer that holds
    back at most ``held_rows`` rows (see the module docstring)."""
    held = None
    for X, y in blocks:
        if held is not None:
            X, y = np.concatenate([held[0], X]), np.concatenate([held[1], y])
        order = rng.permutation(X.shape[0])
        keep = min(X.shape[0] // 2, held_rows)
        cut = X.shape[0] - keep
        # one gather per block; the held-back rows are copied out of it, so no view pins the mix
        trained, kept = order[:cut], order[cut:]
        held = (X[kept], y[kept]) if keep else None
        yield X[trained], y[trained]
    if held is not None:
        yield held


def _balanced(counts: dict) -> dict:
    """scikit-learn's class_weight='balanced', n_samples / (n_classes · count), from the training counts."""
    total = sum(counts.values())
    return {label: total / (len(counts) * count) for label, count in counts.items()}


def fit_stream(table: TableSource, options: Options, progress=None, stop_requested=lambda: False):
    """``(model, run)``: a :class:`~.model.TabularModel` trained on the table
    ``table`` reads, chunk by chunk (see the module docstring), with its test
    report on the held-out rows, and the :class:`StreamedRun`.
    ``options.task`` is set to the task inferred when it was None.
    ``stop_requested()`` is asked after every step (Ctrl-C); when true,
    training ends with the weights of the last whole step."""
    check_streamable(options)
    prepared = prepare_stream(table, options, progress)
    options.task = prepared.task
    # the estimator an in-memory run fits (fitting's one place that makes it)
    estimator = fitting._estimator(replace(options, progress=False))
    if options.task == "classify" and options.class_weight == "balanced":
        estimator.set_params(class_weight=_balanced(prepared.class_counts))
    extra = {"classes": prepared.classes} if options.task == "classify" else {}
    rng = np.random.default_rng(options.seed)
    stopping = EarlyStopping("loss", patience=estimator.n_iter_no_change, tol=estimator.tol, restore_best=False)
    run = StreamedRun()
    try:
        for epoch in range(1, options.epochs + 1):
            chunks = _described(progress, table, f"training, pass {epoch} of {options.epochs}", prepared.rows_read)
            total, rows = 0.0, 0
            for X, y in _shuffled(_blocks(prepared, prepared.parts(chunks)), rng, table.chunk_rows):
                estimator.partial_fit(X, y, **extra)
                total += estimator.loss_curve_[-1] * X.shape[0]
                rows += X.shape[0]
                if stop_requested():
                    run.interrupted = True
                    break
            run.passes, run.rows_trained = epoch, rows
            if run.interrupted:
                break
            run.losses.append(total / rows)
            if stopping.update({"epoch": epoch, "loss": total / rows}, estimator.learner_.network.params):
                if estimator.learner_.optimizer.on_plateau():
                    run.plateau = True
                    break
                stopping.wait = 0
    except KeyboardInterrupt:
        if not hasattr(estimator, "learner_"):
            raise
        run.interrupted = True
    if run.passes == options.epochs and not run.interrupted and not run.plateau:
        warnings.warn(f"Stochastic Optimizer: Maximum passes ({options.epochs}) reached and the optimization "
                      "hasn't converged yet.", ConvergenceWarning)
    settings = {**options.settings(), "source": table.name, "rows_train": prepared.rows_train,
                "rows_test": prepared.rows_test, "rows_dropped": prepared.dropped, "chunk_rows": table.chunk_rows,
                "passes": run.passes, "pass_losses": run.losses}
    model = prepared.model(estimator, settings)
    if not run.interrupted:
        chunks = _described(progress, table, "testing", prepared.rows_read)
        model.report = streamed_report(model, (test for _, test in prepared.parts(chunks) if len(test)),
                                       f"the test part of {table.name}")
    return model, run


def _described(progress, table: TableSource, description: str, total: int):
    """The table's chunks, counted on the progress line (when there is one) under ``description``."""
    return table.chunks() if progress is None else progress.rows(table.chunks(), description, total)

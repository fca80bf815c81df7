"""``glassnet train``'s work without the terminal: prepare the table with the
one pipeline every door shares (:mod:`.pipeline`), then fit an
:class:`~glassnet.MLPClassifier` on the labels or an
:class:`~glassnet.MLPRegressor` on the standardised target.

Nothing fitted ever sees the test rows (see :mod:`.pipeline`). What a user
should know about the data is said with warnings: :class:`~.notes.DataNote` for
notes, :class:`ImbalanceWarning` for a model that ignores a class.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..engine.splitting import SplitError
from ..parameters import Fix, Fixes, Message
from .notes import ImbalanceWarning
from .pipeline import MAX_CLASSES_INFERRED, TableOptions, infer_task, prepare_table, training_targets

__all__ = ["Options", "fit_table", "infer_task", "MAX_CLASSES_INFERRED"]


@dataclass
class Options(TableOptions):
    """The settings of one training run (``glassnet train``'s options): how the
    table is prepared (:class:`~.pipeline.TableOptions`) and how the estimator trains."""

    hidden: tuple = (64, 32)
    activation: str = "relu"
    solver: str = "adam"
    epochs: int = 200
    batch_size: int | None = None
    learning_rate: float = 0.001
    early_stopping: bool = False
    class_weight: str | None = None
    progress: bool = False
    record_stats: bool = False
    dropout: float | list = 0.0
    normalization: str | None = None
    weight_decay: float = 0.0
    clip_grad_norm: float | None = None
    schedule: str = "constant"
    warmup_epochs: int = 0
    label_smoothing: float = 0.0

    def settings(self) -> dict:
        """The JSON-ready settings a model file keeps."""
        keep = ("target", "task", "activation", "solver", "epochs", "batch_size", "learning_rate", "scaler",
                "test_size", "seed", "early_stopping", "class_weight", "drop_missing", "impute", "dropout",
                "normalization", "weight_decay", "clip_grad_norm", "schedule", "warmup_epochs", "label_smoothing")
        return {"hidden": list(self.hidden), **{name: getattr(self, name) for name in keep},
                "ignore": list(self.ignore), "keep": list(self.keep), "id": self.id_column}


def _estimator(options: Options):
    from ..estimators import MLPClassifier, MLPRegressor

    common = dict(hidden_layer_sizes=tuple(options.hidden), activation=options.activation, solver=options.solver,
                  max_iter=options.epochs, batch_size=options.batch_size or "auto",
                  learning_rate_init=options.learning_rate, early_stopping=options.early_stopping,
                  random_state=options.seed, progress=options.progress, record_stats=options.record_stats,
                  dropout=options.dropout, normalization=options.normalization, weight_decay=options.weight_decay,
                  clip_grad_norm=options.clip_grad_norm, learning_rate=options.schedule,
                  warmup_epochs=options.warmup_epochs)
    if options.early_stopping:
        # the estimator holds out --test-size of the training part (stratified
        # for two classes, as scikit-learn's early stopping does), weighing its
        # rows by --class-weight as the training rows are
        common["validation_fraction"] = options.test_size
    if options.task == "classify":
        return MLPClassifier(class_weight=options.class_weight, label_smoothing=options.label_smoothing, **common)
    if options.class_weight is not None:
        raise ValueError("--class-weight applies to classification only; this target is regressed")
    if options.label_smoothing:
        raise ValueError("--label-smoothing applies to classification only; this target is regressed")
    return MLPRegressor(**common)


def _warn_unrecognised_classes(estimator, X, labels, options: Options) -> None:
    """An ImbalanceWarning when the trained network predicts none of the
    training rows of some class correctly (recall 0), e.g. a rare class it never predicts."""
    predicted = estimator.predict(X)
    never = [str(label) for label in estimator.classes_ if not np.any(predicted[labels == label] == label)]
    if not never:
        return
    counts = ", ".join(f"{label!r} ({int(np.sum(labels == label))} of {len(labels)} rows)" for label in never)
    stopped = f"; early stopping ended training at epoch {estimator.n_iter_}" if options.early_stopping else ""
    fixes = [] if options.class_weight is not None else [Fix("class weight", "balanced")]
    if options.early_stopping:  # the test size also sizes the early-stopping validation split
        fixes.append(Fix("test size", verb="raise"))
    else:
        fixes.append(Fix("epochs", 2 * options.epochs, verb="raise"))
    warnings.warn(ImbalanceWarning(Message(f"the trained model predicts no training row of class {counts} correctly"
                                           f"{stopped}", Fixes(*fixes, before="; try ", after="", joiner=", or "))))


def fit_table(frame: pd.DataFrame, options: Options, source: str):
    """``(model, test_frame, dropped)``: a trained :class:`~.model.TabularModel`, the
    held-out rows it has not seen, and how many rows --drop-missing dropped.
    ``options.task`` is set to the task inferred when it was None."""
    prepared = prepare_table(frame, options, source)
    options.task = prepared.task
    estimator = _estimator(options)
    X_train = prepared.X_train
    y_train = training_targets(prepared.task, prepared.target_encoding, prepared.labels_train)
    try:
        estimator.fit(X_train, y_train)
    except SplitError as error:
        # e.g. a class with one row, or fewer validation rows than classes
        raise ValueError(f"too few rows for the early-stopping validation split (--test-size "
                         f"{options.test_size} of the training part): {error}") from None
    if options.task == "classify":
        _warn_unrecognised_classes(estimator, X_train, y_train, options)
    settings = {**options.settings(), "source": source, "rows_train": len(prepared.train),
                "rows_test": len(prepared.test), "rows_dropped": prepared.dropped}
    return prepared.model(estimator, settings), prepared.test, prepared.dropped

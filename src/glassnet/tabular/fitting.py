"""``glassnet train``'s work without the terminal: choose the task, split,
fit the preprocessing on the training part only, train the network.

Nothing fitted ever sees the test rows: the column types, the text
categories, the scaler and the training range all come from the training
part, as they would for data that arrives after training.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..engine.training_range import TrainingRange
from ..preprocessing import make_scaler
from .columns import Columns, check_has_columns, drop_empty_rows, empty_cells, parse_numbers, row_number
from .model import TabularModel, scaled

__all__ = ["Options", "fit_table", "infer_task", "MAX_CLASSES_INFERRED"]

# a numeric target with at most this many distinct whole numbers is taken for
# class labels (0/1, grades 1-5, ...); anything else numeric is regressed
MAX_CLASSES_INFERRED = 20
# the fewest rows that split into a training and a test part worth having
MIN_ROWS = 5


@dataclass
class Options:
    """The settings of one training run (``glassnet train``'s options)."""

    target: str
    task: str | None = None
    hidden: tuple = (64, 32)
    activation: str = "relu"
    solver: str = "adam"
    epochs: int = 200
    batch_size: int | None = None
    learning_rate: float = 0.001
    scaler: str = "standard"
    test_size: float = 0.2
    seed: int = 0
    early_stopping: bool = False
    class_weight: str | None = None
    drop_missing: bool = False
    progress: bool = False
    record_stats: bool = False

    def settings(self) -> dict:
        """The JSON-ready settings a model file keeps."""
        keep = ("target", "task", "activation", "solver", "epochs", "batch_size", "learning_rate", "scaler",
                "test_size", "seed", "early_stopping", "class_weight", "drop_missing")
        return {"hidden": list(self.hidden), **{name: getattr(self, name) for name in keep}}


def infer_task(column: pd.Series) -> str:
    """"classify" for text labels or a few whole numbers, else "regress"."""
    cells = column.str.strip()
    values = pd.to_numeric(cells, errors="coerce")
    if values.isna().any():
        return "classify"
    whole = bool(np.all(np.mod(values, 1) == 0))
    return "classify" if whole and values.nunique() <= MAX_CLASSES_INFERRED else "regress"


def _split(frame: pd.DataFrame, labels, options: Options, source: str):
    from sklearn.model_selection import train_test_split

    if len(frame) < MIN_ROWS:
        raise ValueError(f"{source} has {len(frame)} usable row(s); splitting off a test part needs at least {MIN_ROWS}")
    stratify = labels if options.task == "classify" else None
    try:
        return train_test_split(frame, test_size=options.test_size, random_state=options.seed, stratify=stratify)
    except ValueError as error:
        # e.g. a class with one row, or fewer test rows than classes
        raise ValueError(f"too few rows for a stratified split with --test-size {options.test_size}: {error}") from None


def _labels(frame: pd.DataFrame, options: Options):
    column = frame[options.target]
    if options.task == "classify":
        labels = column.str.strip().to_numpy(dtype=object).astype(str)
        classes = np.unique(labels)
        if classes.size < 2:
            raise ValueError(
                f"the target column {options.target!r} has a single class {str(classes[0])!r}; "
                "classification needs at least two (or use --task regress for numbers)"
            )
        return labels
    return parse_numbers(column, options.target, frame)


def _estimator(options: Options):
    from ..estimators import MLPClassifier, MLPRegressor

    common = dict(hidden_layer_sizes=tuple(options.hidden), activation=options.activation, solver=options.solver,
                  max_iter=options.epochs, batch_size=options.batch_size or "auto",
                  learning_rate_init=options.learning_rate, early_stopping=options.early_stopping,
                  random_state=options.seed, progress=options.progress, record_stats=options.record_stats)
    if options.task == "classify":
        return MLPClassifier(class_weight=options.class_weight, **common)
    if options.class_weight is not None:
        raise ValueError("--class-weight applies to classification only; this target is regressed")
    return MLPRegressor(**common)


def prepare(frame: pd.DataFrame, options: Options, source: str):
    """Check the target, drop or refuse empty cells; ``(frame, dropped rows)``."""
    check_has_columns(frame, [options.target], source, what="the --target")
    features = [name for name in frame.columns if name != options.target]
    if not features:
        raise ValueError(f"{source} has no column besides the target {options.target!r}; a model needs inputs")
    dropped = 0
    if options.drop_missing:
        frame, dropped = drop_empty_rows(frame, frame.columns)
        if frame.empty:
            raise ValueError(f"every row of {source} has an empty cell; nothing is left to train on")
    else:
        empty = empty_cells(frame, [options.target])
        if empty.any():
            row = row_number(frame, int(np.flatnonzero(empty)[0]))
            raise ValueError(f"empty cell in row {row}, column {options.target!r}; fill it in or pass --drop-missing")
    if options.task is None:
        options.task = infer_task(frame[options.target])
    return frame, dropped


def fit_table(frame: pd.DataFrame, options: Options, source: str):
    """``(model, test_frame, dropped)``: a trained :class:`TabularModel`, the
    held-out rows it has not seen, and how many rows --drop-missing dropped."""
    frame, dropped = prepare(frame, options, source)
    labels = _labels(frame, options)
    train, test = _split(frame, labels, options, source)
    features = [name for name in frame.columns if name != options.target]
    columns = Columns.infer(train, features)
    X_train = columns.encode(train, source)
    columns.encode(test, source)  # a bad cell in the test part stops us before training, not after
    scaler = make_scaler(options.scaler)
    if scaler is not None:
        X_train = scaled(scaler, "fit_transform", X_train, columns, source)
    training_range = None
    if columns.numeric:
        training_range = TrainingRange.of(columns.numbers(train, source), names=columns.numeric)
    estimator = _estimator(options)
    estimator.fit(X_train, _labels(train, options))
    model = TabularModel(target=options.target, task=options.task, columns=columns, scaler_name=options.scaler,
                         scaler=scaler, estimator=estimator, training_range=training_range,
                         settings={**options.settings(), "source": source, "rows_train": len(train),
                                   "rows_test": len(test), "rows_dropped": dropped})
    return model, test, dropped

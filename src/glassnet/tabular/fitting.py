"""``glassnet train``'s work without the terminal: choose the task, split,
fit the preprocessing on the training part only, train the network.

Nothing fitted ever sees the test rows: which columns are left out, the
column types, the text categories, the fill values of empty cells, the
scaler and the training range all come from the training part, as they
would for data that arrives after training. What a user should know about
the data (columns left out, cells filled, rows without a target, classes
the network never predicts) is said with warnings: :class:`DataNote` for
notes, :class:`ImbalanceWarning` for a model that ignores a class.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..engine.splitting import SplitError
from ..engine.training_range import TrainingRange
from ..preprocessing import make_scaler
from .columns import Columns, check_has_columns, drop_missing_rows, identifier_like, left_out_columns, missing_cells
from .encoding import encode, parse, parse_numbers
from .imputing import Imputation
from .model import TabularModel, scaled
from .notes import DataNote, ImbalanceWarning, imputed_note, rows, unseen_note

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
    impute: str = "median"
    ignore: list = field(default_factory=list)
    id_column: str | None = None
    record_stats: bool = False

    def settings(self) -> dict:
        """The JSON-ready settings a model file keeps."""
        keep = ("target", "task", "activation", "solver", "epochs", "batch_size", "learning_rate", "scaler",
                "test_size", "seed", "early_stopping", "class_weight", "drop_missing", "impute")
        return {"hidden": list(self.hidden), **{name: getattr(self, name) for name in keep},
                "ignore": list(self.ignore), "id": self.id_column}


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
    values, _, bad = parse_numbers(column)
    if bad.any():
        position = int(np.flatnonzero(bad)[0])
        raise ValueError(f"row {int(frame.index[position]) + 1}, column {options.target!r}: "
                         f"{column.iloc[position].strip()!r} is not a finite number, and the target is regressed")
    return values


def _estimator(options: Options):
    from ..estimators import MLPClassifier, MLPRegressor

    common = dict(hidden_layer_sizes=tuple(options.hidden), activation=options.activation, solver=options.solver,
                  max_iter=options.epochs, batch_size=options.batch_size or "auto",
                  learning_rate_init=options.learning_rate, early_stopping=options.early_stopping,
                  random_state=options.seed, progress=options.progress, record_stats=options.record_stats)
    if options.early_stopping:
        # the estimator holds out --test-size of the training part (stratified
        # for two classes, as scikit-learn's early stopping does), weighing its
        # rows by --class-weight as the training rows are
        common["validation_fraction"] = options.test_size
    if options.task == "classify":
        return MLPClassifier(class_weight=options.class_weight, **common)
    if options.class_weight is not None:
        raise ValueError("--class-weight applies to classification only; this target is regressed")
    return MLPRegressor(**common)


def _features(frame: pd.DataFrame, options: Options, source: str) -> list[str]:
    """Every column but the target, --ignore'd ones and the --id column."""
    check_has_columns(frame, [options.target], source, what="the --target")
    check_has_columns(frame, options.ignore, source, what="the --ignore")
    if options.id_column is not None:
        check_has_columns(frame, [options.id_column], source, what="the --id")
    for option, names in (("--ignore", options.ignore), ("--id", [options.id_column])):
        if options.target in names:
            raise ValueError(f"{option} names the target {options.target!r}; the target cannot be left out")
    kept_out = {options.target, options.id_column, *options.ignore}
    features = [name for name in frame.columns if name not in kept_out]
    if not features:
        raise ValueError(f"{source} has no column besides the target {options.target!r} (and those left out); "
                         "a model needs inputs")
    return features


def prepare(frame: pd.DataFrame, options: Options, source: str):
    """Check the columns, leave out the rows without a target; ``(frame, features)``."""
    features = _features(frame, options, source)
    no_target = missing_cells(frame, [options.target])[:, 0]
    if no_target.all():
        raise ValueError(f"the target column {options.target!r} of {source} is entirely empty; nothing to learn")
    if no_target.any():
        warnings.warn(DataNote(f"{rows(int(no_target.sum()))} with an empty target {options.target!r} "
                               f"left out of training and testing"))
        frame = frame[~no_target]
    if options.task is None:
        options.task = infer_task(frame[options.target])
    return frame, features


def _columns(names) -> str:
    return ("column " if len(names) == 1 else "columns ") + ", ".join(map(repr, names))


def kept_features(train: pd.DataFrame, features: list[str]) -> list[str]:
    """``features`` without the columns the training part makes useless (noted)."""
    reasons = left_out_columns(train, features)
    empty = [name for name, value in reasons.items() if value is None]
    constant = {name: value for name, value in reasons.items() if value is not None}
    if empty:
        warnings.warn(DataNote(f"{_columns(empty)} left out: entirely empty in the training part"))
    if len(constant) == 1:
        (name, value), = constant.items()
        warnings.warn(DataNote(f"column {name!r} left out: the same value {value!r} in every filled cell in the "
                               "training part"))
    elif constant:
        shown = ", ".join(f"{name!r} ({value!r})" for name, value in constant.items())
        warnings.warn(DataNote(f"columns {shown} left out: one value in every filled cell in the training part"))
    kept = [name for name in features if name not in reasons]
    if not kept:
        raise ValueError("every feature column is empty or constant in the training part; a model needs inputs")
    return kept


def fit_preprocessing(train: pd.DataFrame, columns: Columns, options: Options, source: str):
    """``(imputation, scaler, X_train, numbers)``, all fitted on the training part;
    ``numbers`` are its numeric columns in the file's units, empty cells filled."""
    parsed = parse(columns, train, source)  # raises for the first cell that is not a number
    imputation = Imputation.fit(options.impute, parsed.numbers, parsed.texts)
    encoded = encode(columns, imputation, train, source)  # with --impute none, raises for an empty cell
    if encoded.imputed:
        warnings.warn(DataNote(imputed_note(encoded.imputed, imputation, columns, "the training part")))
    scaler = make_scaler(options.scaler)
    X_train = encoded.X if scaler is None else scaled(scaler, "fit_transform", encoded.X, columns, source)
    return imputation, scaler, X_train, encoded.numbers


def _warn_unrecognised_classes(estimator, X, labels, options: Options) -> None:
    """An ImbalanceWarning when the trained network predicts none of the
    training rows of some class correctly (recall 0), e.g. a rare class it never predicts."""
    predicted = estimator.predict(X)
    never = [str(label) for label in estimator.classes_ if not np.any(predicted[labels == label] == label)]
    if not never:
        return
    counts = ", ".join(f"{label!r} ({int(np.sum(labels == label))} of {len(labels)} rows)" for label in never)
    stopped = f"; early stopping ended training at epoch {estimator.n_iter_}" if options.early_stopping else ""
    advice = "a larger --test-size (it also sizes the early-stopping validation split)" if options.early_stopping \
        else "more --epochs"
    if options.class_weight is None:
        advice = f"--class-weight balanced, or {advice}"
    warnings.warn(ImbalanceWarning(f"the trained model predicts no training row of class {counts} correctly"
                                   f"{stopped}; try {advice}"))


def fit_table(frame: pd.DataFrame, options: Options, source: str):
    """``(model, test_frame, dropped)``: a trained :class:`TabularModel`, the
    held-out rows it has not seen, and how many rows --drop-missing dropped."""
    frame, features = prepare(frame, options, source)
    train, test = _split(frame, _labels(frame, options), options, source)
    features = kept_features(train, features)
    dropped = 0
    if options.drop_missing:
        train, dropped_train = drop_missing_rows(train, features)
        test, dropped_test = drop_missing_rows(test, features)
        dropped = dropped_train + dropped_test
        if train.empty or test.empty:
            raise ValueError(f"every row of the {'training' if train.empty else 'test'} part of {source} has an "
                             "empty cell; nothing is left (leave out --drop-missing to fill empty cells instead)")
    columns = Columns.infer(train, features)
    for name in identifier_like(train, columns):
        warnings.warn(DataNote(f"column {name!r} has a different value in every row, like an identifier; "
                               f"one-hot encoded it teaches nothing (--id {name} or --ignore {name} leaves it out)"))
    imputation, scaler, X_train, numbers = fit_preprocessing(train, columns, options, source)
    # a bad cell in the test part stops us before training, not after
    test_encoded = encode(columns, imputation, test, source)
    if test_encoded.unseen:
        warnings.warn(DataNote(unseen_note(test_encoded.unseen, f"the test part of {source}")))
    training_range = TrainingRange.of(numbers, names=columns.numeric) if columns.numeric else None
    estimator = _estimator(options)
    y_train = _labels(train, options)
    try:
        estimator.fit(X_train, y_train)
    except SplitError as error:
        # e.g. a class with one row, or fewer validation rows than classes
        raise ValueError(f"too few rows for the early-stopping validation split (--test-size "
                         f"{options.test_size} of the training part): {error}") from None
    if options.task == "classify":
        _warn_unrecognised_classes(estimator, X_train, y_train, options)
    model = TabularModel(target=options.target, task=options.task, columns=columns, scaler_name=options.scaler,
                         scaler=scaler, estimator=estimator, training_range=training_range,
                         imputation=imputation, id_column=options.id_column,
                         settings={**options.settings(), "source": source, "rows_train": len(train),
                                   "rows_test": len(test), "rows_dropped": dropped})
    return model, test, dropped

"""The one table pipeline: a table of text cells in, the network's inputs
and targets out, for every door (``glassnet train`` and the playground).

:func:`prepare_table` reads the target and checks the columns, leaves out
the rows without a target, infers the task, splits off the test rows
(stratified for classes), leaves out the columns that are empty or constant
in the training part and the text columns like identifiers (unless kept),
checks the encoded table's size against its limits, and fits on the
training part only the column types, the text categories, the fill values
of empty cells (the imputer), the scaler, the target encoding
(:mod:`.target`) and the training range. Then it encodes both parts. Nothing fitted ever sees the test rows, as for data that
arrives after training.

What a user should know about the data (columns left out, cells filled,
rows without a target, identifiers left out, categories only the test part
has) is said with :class:`~.notes.DataNote` warnings, and what stops it with
a ValueError; both hold their fixes as settings of the parameter table
(:class:`glassnet.parameters.Message`), which the command line says as flags
(``note:`` and ``error:`` lines) and the playground as its page's controls.

What comes out, a :class:`PreparedTable`, is trained by each door its own
way (an estimator, or a :class:`~glassnet.NeuralNetwork` in ticks) and
becomes a :class:`~.model.TabularModel` with :meth:`PreparedTable.model`.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..engine.training_range import TrainingRange
from ..parameters import Fix, FixableError, Fixes, Named
from ..preprocessing import make_scaler
from .columns import (MAX_CELLS, MAX_INPUTS, ColumnSurvey, Columns, check_has_columns, check_size, drop_missing_rows,
                      identifiers_of, left_out_reasons, missing_cells, survey)
from .encoding import encode, parse, parse_numbers
from .imputing import Imputation
from .model import TabularModel, scaled
from .notes import DataNote, identifiers_note, imputed_note, rows, unseen_note
from .target import ClassTarget, ValueTarget, fit_target_encoding

__all__ = ["TableOptions", "Preprocessing", "PreparedTable", "prepare_table", "infer_task", "TaskEvidence",
           "target_labels", "kept_features", "kept_of", "table_features", "check_classes", "no_target_note",
           "leave_out_identifiers", "training_targets", "MAX_CLASSES_INFERRED", "MIN_ROWS"]

# a numeric target with at most this many distinct whole numbers is taken for
# class labels (0/1, grades 1-5, ...); anything else numeric is regressed
MAX_CLASSES_INFERRED = 20
# the fewest rows that split into a training and a test part worth having
MIN_ROWS = 5


@dataclass
class TableOptions:
    """How a table is prepared (``glassnet train``'s options of the same names).

    target : the column to predict; task : "classify", "regress" or None
    (inferred); scaler : a name of :data:`glassnet.preprocessing.SCALERS`;
    test_size : the share of rows held out; seed : the split's random state;
    impute : "median", "mean", "most_frequent" or "none"; drop_missing :
    drop rows with an empty feature cell instead of filling them; ignore :
    columns left out; id_column : a column left out and copied into predictions;
    keep : text columns kept even when they look like identifiers
    (:func:`~.columns.identifier_like`); max_inputs and max_cells : the limits
    of the encoded table's width and size (:func:`~.columns.check_size`).
    """

    target: str
    task: str | None = None
    scaler: str = "standard"
    test_size: float = 0.2
    seed: int = 0
    impute: str = "median"
    drop_missing: bool = False
    ignore: list = field(default_factory=list)
    id_column: str | None = None
    keep: list = field(default_factory=list)
    max_inputs: int = MAX_INPUTS
    max_cells: int = MAX_CELLS


@dataclass
class TaskEvidence:
    """What :func:`infer_task` reads of a target column, gathered from one
    table or chunk by chunk (:meth:`add`, on filled cells): whether every
    cell is a number, whether all are whole, and up to
    ``MAX_CLASSES_INFERRED + 1`` distinct values."""

    not_numbers: bool = False
    whole: bool = True
    values: set = field(default_factory=set)

    def add(self, column: pd.Series) -> "TaskEvidence":
        if self.not_numbers or column.empty:
            return self
        values = pd.to_numeric(column.str.strip(), errors="coerce")
        if values.isna().any():
            self.not_numbers = True
            return self
        self.whole = self.whole and bool(np.all(np.mod(values, 1) == 0))
        if len(self.values) <= MAX_CLASSES_INFERRED:
            self.values.update(values.unique()[:MAX_CLASSES_INFERRED + 1].tolist())
        return self

    @property
    def task(self) -> str:
        """"classify" for text labels or a few whole numbers, else "regress"."""
        if self.not_numbers:
            return "classify"
        return "classify" if self.whole and len(self.values) <= MAX_CLASSES_INFERRED else "regress"


def infer_task(column: pd.Series) -> str:
    """"classify" for text labels or a few whole numbers, else "regress"."""
    return TaskEvidence().add(column).task


def target_labels(frame: pd.DataFrame, target: str, task: str) -> np.ndarray:
    """The filled target cells: text labels (str) to classify, float64 values to
    regress; ValueError for a value that is not a number."""
    column = frame[target]
    if task == "classify":
        return column.str.strip().to_numpy(dtype=object).astype(str)
    values, _, bad = parse_numbers(column)
    if bad.any():
        position = int(np.flatnonzero(bad)[0])
        raise FixableError(f"row {int(frame.index[position]) + 1}, column {target!r}: "
                           f"{column.iloc[position].strip()!r} is not a finite number, and the target is regressed",
                           Fixes(Fix("task", "classify")))
    return values


def check_classes(classes, target: str) -> None:
    """ValueError for a target of fewer than two classes (``classes``: the distinct labels)."""
    classes = np.unique(np.asarray(list(classes), dtype=object).astype(str))
    if classes.size < 2:
        raise FixableError(f"the target column {target!r} has a single class {str(classes[0])!r}; "
                           "classification needs at least two",
                           Fixes(Fix("task", "regress"), Fix("target", verb="change"), joiner=", or "))


def table_features(frame: pd.DataFrame, options: TableOptions, source: str) -> list[str]:
    """Every column but the target, --ignore'd ones and the --id column."""
    check_has_columns(frame, [options.target], source, setting="target")
    check_has_columns(frame, options.ignore, source, setting="ignore")
    check_has_columns(frame, options.keep, source, setting="keep")
    if options.id_column is not None:
        check_has_columns(frame, [options.id_column], source, setting="id column")
    for setting, names in (("ignore", options.ignore), ("id column", [options.id_column])):
        if options.target in names:
            raise FixableError(Named(setting), f" names the target {options.target!r}; the target cannot be left out")
    both = [name for name in options.keep if name in options.ignore or name == options.id_column]
    if both:
        raise FixableError(Named("keep"), " and ", Named("ignore" if both[0] in options.ignore else "id column"),
                           f" both name {both[0]!r}; a column is either kept or left out")
    kept_out = {options.target, options.id_column, *options.ignore}
    features = [name for name in frame.columns if name not in kept_out]
    if not features:
        raise ValueError(f"{source} has no column besides the target {options.target!r} (and those left out); "
                         "a model needs inputs")
    if len(features) > options.max_inputs:
        # every column is one input at least: refused before any work per column
        raise ValueError(f"the table would be encoded {len(features)} inputs wide at least (one per feature column of "
                         f"{source}), more than the limit of {options.max_inputs}")
    return features


def no_target_note(count: int, target: str, rows_left: int, source: str) -> None:
    """ValueError when no row has a target; a note counting the rows without one."""
    if not rows_left:
        raise FixableError(f"the target column {target!r} of {source} is entirely empty; nothing to learn",
                           Fixes(Fix("target", verb="change")))
    if count:
        warnings.warn(DataNote(f"{rows(count)} with an empty target {target!r} left out of training and testing"))


def _with_target(frame: pd.DataFrame, target: str, source: str) -> pd.DataFrame:
    """``frame`` without the rows whose target is empty (noted)."""
    no_target = missing_cells(frame, [target])[:, 0]
    no_target_note(int(no_target.sum()), target, int((~no_target).sum()), source)
    return frame[~no_target] if no_target.any() else frame


def _split(frame: pd.DataFrame, labels, task: str, options: TableOptions, source: str):
    from sklearn.model_selection import train_test_split

    if len(frame) < MIN_ROWS:
        raise ValueError(f"{source} has {len(frame)} usable row(s); splitting off a test part needs at least {MIN_ROWS}")
    stratify = labels if task == "classify" else None
    if stratify is not None:
        _check_stratifiable(labels, len(frame), options)
    try:
        return train_test_split(frame, test_size=options.test_size, random_state=options.seed, stratify=stratify)
    except ValueError as error:
        raise FixableError("too few rows for a stratified split with ", Named("test size"),
                           f" {options.test_size}: {error}") from None


def _check_stratifiable(labels, n_rows: int, options: TableOptions) -> None:
    """A stratified split puts rows of every class in each part (in the
    pipeline's words rather than scikit-learn's): a class of one row cannot
    be split, nor can more classes share fewer rows of a part."""
    classes, counts = np.unique(labels, return_counts=True)
    if counts.min() < 2:
        rare = [str(label) for label in classes[counts < 2]]
        raise FixableError(f"too few rows for a stratified split: class(es) {', '.join(map(repr, rare[:5]))}"
                           f"{' and more' if len(rare) > 5 else ''} of the target have a single row, and each "
                           "part needs one of every class; leave such rows out or label more of them")
    # train_test_split's sizes: the test part rounded up, the training part the rest
    n_test = math.ceil(options.test_size * n_rows)
    n_train = n_rows - n_test
    if n_test < classes.size or n_train < classes.size:
        part, count = ("test", n_test) if n_test < classes.size else ("training", n_train)
        raise FixableError(f"too few rows for a stratified split: a {part} part of {count} row(s) cannot hold one "
                           f"of each of the {classes.size} classes",
                           Fixes(Fix("test size", verb="raise" if part == "test" else "lower")))


def _columns(names) -> str:
    return ("column " if len(names) == 1 else "columns ") + ", ".join(map(repr, names))


def kept_of(surveys: dict[str, ColumnSurvey]) -> list[str]:
    """The surveyed features without the columns the training part makes useless (noted)."""
    reasons = left_out_reasons(surveys)
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
    kept = [name for name in surveys if name not in reasons]
    if not kept:
        raise ValueError("every feature column is empty or constant in the training part; a model needs inputs")
    return kept


def kept_features(train: pd.DataFrame, features: list[str]) -> list[str]:
    """``features`` without the columns the training part makes useless (noted)."""
    return kept_of(survey(train, features))


def leave_out_identifiers(surveys: dict[str, ColumnSurvey], columns: Columns, keep=()) -> Columns:
    """``columns`` without the text columns that look like identifiers
    (:func:`~.columns.identifiers_of`, but those in ``keep``), noted;
    ValueError when no column is left."""
    identifiers = identifiers_of(surveys, columns, keep)
    if not identifiers:
        return columns
    warnings.warn(DataNote(identifiers_note(identifiers)))
    columns = columns.without(identifier.name for identifier in identifiers)
    if not columns.features:
        raise FixableError("every feature column looks like an identifier; a model needs inputs",
                           Fixes(Fix("keep", [identifier.name for identifier in identifiers]), after=" keeps them)"))
    return columns


def check_parts_left(rows_train: int, rows_test: int, source: str) -> None:
    """--drop-missing: ValueError when it left a part without rows."""
    if not rows_train or not rows_test:
        raise ValueError(f"every row of the {'training' if not rows_train else 'test'} part of {source} has an "
                         "empty cell; nothing is left (leave out --drop-missing to fill empty cells instead)")


def _drop_missing(train, test, features, source):
    """--drop-missing: both parts without their rows with an empty feature cell; ``(train, test, dropped)``."""
    train, dropped_train = drop_missing_rows(train, features)
    test, dropped_test = drop_missing_rows(test, features)
    check_parts_left(len(train), len(test), source)
    return train, test, dropped_train + dropped_test


@dataclass
class Preprocessing:
    """Everything fitted on a table's training part: the column kinds and
    categories, the imputer, the scaler, the training range and the target
    encoding; what a :class:`~.model.TabularModel` keeps besides its network.
    ``dropped`` counts the rows ``drop_missing`` dropped; ``filled`` the
    empty cells filled per part ("train", "test"), per column."""

    source: str
    target: str
    task: str
    columns: Columns
    imputation: Imputation | None
    scaler_name: str
    scaler: object
    training_range: TrainingRange | None
    target_encoding: ClassTarget | ValueTarget
    id_column: str | None = None
    dropped: int = 0
    filled: dict = field(default_factory=dict)

    @property
    def input_names(self) -> list[str]:
        return self.columns.input_names

    @property
    def classes(self) -> np.ndarray | None:
        """The sorted class labels, or None for a regression."""
        return getattr(self.target_encoding, "classes", None)

    def model(self, trained, settings: dict, report: dict | None = None) -> TabularModel:
        """The :class:`TabularModel` of this preprocessing with ``trained``, a
        glassnet estimator or a :class:`~glassnet.NeuralNetwork` trained on
        the scaled inputs (an estimator on the labels, or on the standardised
        values of a regression; a NeuralNetwork on the encoded targets)."""
        return TabularModel(target=self.target, task=self.task, columns=self.columns, scaler_name=self.scaler_name,
                            scaler=self.scaler, trained=trained, target_encoding=self.target_encoding,
                            training_range=self.training_range, settings=settings, report=report,
                            imputation=self.imputation, id_column=self.id_column)


@dataclass(kw_only=True)
class PreparedTable(Preprocessing):
    """A table split, with everything fitted on its training part
    (:class:`Preprocessing`), and both parts encoded for the network.

    ``train`` and ``test`` are the rows as read (their index is the file's
    row number minus one); ``X_train`` (n_train, n_inputs) and ``X_test`` the
    network inputs, scaled; ``labels_train`` and ``labels_test`` the target as
    the file gives it (str labels, or float64 values).
    """

    train: pd.DataFrame
    test: pd.DataFrame
    X_train: np.ndarray
    X_test: np.ndarray
    labels_train: np.ndarray
    labels_test: np.ndarray

    @property
    def rows_train(self) -> np.ndarray:
        """Each training row's number in the file (1-based, as ``glassnet trace --row`` counts)."""
        return self.train.index.to_numpy() + 1

    @property
    def rows_test(self) -> np.ndarray:
        return self.test.index.to_numpy() + 1


def training_targets(task: str, target_encoding, labels: np.ndarray) -> np.ndarray:
    """What an estimator fits, shape (n,): the labels of a classifier (its
    LabelBinarizer encodes them as the pipeline's class encoding does), the
    standardised values of a regressor."""
    if task == "classify":
        return labels
    return target_encoding.encode(labels)[:, 0]


def _fit_preprocessing(train: pd.DataFrame, columns: Columns, options: TableOptions, source: str):
    """``(imputation, scaler, X_train, encoded)``, all fitted on the training part."""
    parsed = parse(columns, train, source)  # raises for the first cell that is not a number
    imputation = Imputation.fit(options.impute, parsed.numbers, parsed.texts)
    encoded = encode(columns, imputation, train, source)  # with --impute none, raises for an empty cell
    if encoded.imputed:
        warnings.warn(DataNote(imputed_note(encoded.imputed, imputation, columns, "the training part")))
    scaler = make_scaler(options.scaler)
    X_train = encoded.X if scaler is None else scaled(scaler, "fit_transform", encoded.X, columns, source)
    return imputation, scaler, X_train, encoded


def prepare_table(frame: pd.DataFrame, options: TableOptions, source: str) -> PreparedTable:
    """Split ``frame`` (a table of text cells, "" for empty) and prepare it for
    the network as the module docstring says; ValueError, naming the row or
    column, for a table that cannot be learnt."""
    features = table_features(frame, options, source)
    frame = _with_target(frame, options.target, source)
    task = options.task or infer_task(frame[options.target])
    labels = target_labels(frame, options.target, task)
    if task == "classify":
        check_classes(labels, options.target)
    train, test = _split(frame, labels, task, options, source)
    surveys = survey(train, features)
    features = kept_of(surveys)
    dropped = 0
    if options.drop_missing:
        train, test, dropped = _drop_missing(train, test, features, source)
        surveys = survey(train, features)
    surveys = {name: surveys[name] for name in features}
    columns = leave_out_identifiers(surveys, Columns.of(surveys), options.keep)
    check_size(columns, len(train) + len(test), options.max_inputs, options.max_cells)
    imputation, scaler, X_train, encoded = _fit_preprocessing(train, columns, options, source)
    # a bad cell in the test part stops us before training, not after
    test_encoded = encode(columns, imputation, test, source)
    if test_encoded.unseen:
        warnings.warn(DataNote(unseen_note(test_encoded.unseen, f"the test part of {source}")))
    X_test = test_encoded.X if scaler is None else scaled(scaler, "transform", test_encoded.X, columns, source)
    training_range = TrainingRange.of(encoded.numbers, names=columns.numeric) if columns.numeric else None
    labels_train = target_labels(train, options.target, task)
    return PreparedTable(
        source=source, target=options.target, task=task, columns=columns, imputation=imputation,
        scaler_name=options.scaler, scaler=scaler, training_range=training_range,
        target_encoding=fit_target_encoding(task, labels_train), train=train, test=test, X_train=X_train,
        X_test=X_test, labels_train=labels_train, labels_test=target_labels(test, options.target, task),
        id_column=options.id_column, dropped=dropped,
        filled={"train": encoded.imputed, "test": test_encoded.imputed},
    )


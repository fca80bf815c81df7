"""The table pipeline for a table read in chunks (``glassnet train
--chunk-rows``): the same rules as :func:`~.pipeline.prepare_table`, with
statistics gathered pass by pass instead of from a table in memory.

* **Pass 1, survey.** Rows without a target are left out (noted); the task
  is inferred from every target cell (:class:`~.pipeline.TaskEvidence`); the
  held-out rows are those :class:`~.rowhash.RowHash` picks by row number;
  each feature column of the training part is surveyed
  (:class:`~.columns.ColumnSurvey`: its kind, categories, whether it is
  empty, constant or an identifier), the class labels are counted, and a
  uniform sample of up to :data:`SAMPLE_ROWS` training rows is kept. With
  ``drop_missing`` a second survey reads the training rows left once the rows
  with an empty cell in a kept column are dropped.
* **Fill values.** The imputer (:class:`~.imputing.Imputation`, the same
  SimpleImputers) is fitted on that sample: medians, means and most frequent
  values of up to 20,000 rows drawn uniformly from the training part, exact
  for a smaller training part. (A median from 20,000 rows is within about
  0.01 standard deviations of the whole column's.)
* **Pass 2, scaling.** Each chunk of the training part is encoded and fed to
  the scaler's ``partial_fit`` (scikit-learn's standard, min-max and max-abs
  scalers; the robust scaler, which needs quantiles, is fitted on the sample),
  the training range is widened, the target's mean and variance gathered
  with ``StandardScaler.partial_fit`` (a regression), and the test part is
  encoded too, so that a bad cell there stops the run before training.

Nothing is ever held but a chunk, the sample, and per column at most
:data:`COUNTED_VALUES` distinct values (or the table's ``max_inputs``, if
larger): peak memory is set by the chunk size, not by the file. A text
column with more values is one that could never be encoded (wider than the
widest table allowed): it is left out as too many values, as in memory
(:func:`~.columns.identifiers_of`), and refused if ``keep`` names it. The
encoded table's width is checked as in memory (:func:`~.columns.check_size`),
its size per chunk, the most rows ever encoded at once. What comes out, a :class:`StreamedTable`, is a
:class:`~.pipeline.Preprocessing` like the in-memory pipeline's, so the
trained model is the same :class:`~.model.TabularModel`, and its file the same.
"""

from __future__ import annotations

import math
import warnings
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..engine.training_range import TrainingRange
from ..parameters import Fix, FixableError, Fixes, Named
from ..preprocessing import make_scaler
from .columns import MAX_CATEGORIES, ColumnSurvey, Columns, check_size, missing_cells
from .encoding import encode, parse
from .imputing import Imputation
from .model import scaled
from .notes import DataNote, imputed_note, unseen_note
from .pipeline import (MIN_ROWS, Preprocessing, TableOptions, TaskEvidence, check_classes, check_parts_left, kept_of,
                       leave_out_identifiers, no_target_note, table_features, target_labels)
from .rowhash import RowHash
from .sources import TableSource
from .target import ClassTarget, ValueTarget

__all__ = ["StreamedTable", "prepare_stream", "SAMPLE_ROWS", "COUNTED_VALUES", "MAX_CLASSES"]

# training rows kept for the fill values (and the robust scaler)
SAMPLE_ROWS = 20_000
# distinct values counted per column (at least): a text column with more is
# wider than the widest table allowed (columns.MAX_INPUTS), so it could not
# be one-hot encoded anyway, and its counts would grow with the file
COUNTED_VALUES = 10_000
# distinct labels counted for a class target
MAX_CLASSES = 10_000


class _Sample:
    """The ``size`` rows with the smallest keys among those added: a uniform sample, the same in every pass."""

    def __init__(self, size: int, keys):
        self.size, self.keys = size, keys
        self.frame: pd.DataFrame | None = None
        self._keys = np.empty(0)

    def add(self, rows: pd.DataFrame) -> None:
        keys = self.keys(rows.index.to_numpy())
        if self.frame is not None and len(self.frame) >= self.size:
            wanted = keys < self._keys.max()
            rows, keys = rows[wanted], keys[wanted]
        if rows.empty:
            return
        frame = rows if self.frame is None else pd.concat([self.frame, rows])
        keys = np.concatenate([self._keys, keys])
        if len(frame) > self.size:
            kept = np.sort(np.argpartition(keys, self.size)[:self.size])
            frame, keys = frame.iloc[kept], keys[kept]
        self.frame, self._keys = frame, keys


@dataclass
class _Survey:
    """One survey pass's findings about the training part."""

    features: list
    keys: object
    limit: int
    columns: dict = field(init=False)
    sample: _Sample = field(init=False)
    rows_train: int = 0
    rows_test: int = 0

    def __post_init__(self):
        self.columns = {name: ColumnSurvey(self.limit) for name in self.features}
        self.sample = _Sample(SAMPLE_ROWS, self.keys)

    def add(self, train: pd.DataFrame, test: pd.DataFrame) -> None:
        for name, column in self.columns.items():
            column.add(train[name])
        self.sample.add(train)
        self.rows_train += len(train)
        self.rows_test += len(test)


@dataclass(kw_only=True)
class StreamedTable(Preprocessing):
    """The preprocessing of a streamed table (:class:`~.pipeline.Preprocessing`)
    and how to read its parts again: :meth:`parts` yields each chunk's
    training and test rows, as the survey split them."""

    table: TableSource
    split: RowHash
    drop_features: list | None
    rows_train: int
    rows_test: int
    rows_read: int
    class_counts: dict

    def inputs(self, frame: pd.DataFrame) -> np.ndarray:
        """The network's inputs for the rows of ``frame``, encoded and scaled (ValueError for a bad cell)."""
        X = encode(self.columns, self.imputation, frame, self.source).X
        return X if self.scaler is None else scaled(self.scaler, "transform", X, self.columns, self.source)

    def parts(self, chunks=None):
        """``(train, test)`` DataFrames of each chunk: rows with a target, split
        by row number, without the rows ``drop_missing`` drops."""
        return _parts(self.table.chunks() if chunks is None else chunks, self.target, self.split, self.drop_features)


def _parts(chunks, target: str, split: RowHash, drop_features=None, counts: dict | None = None):
    for chunk in chunks:
        no_target = missing_cells(chunk, [target])[:, 0]
        if counts is not None:
            counts["no_target"] += int(no_target.sum())
        if no_target.any():
            chunk = chunk[~no_target]
        if drop_features is not None:
            empty = missing_cells(chunk, drop_features).any(axis=1)
            if counts is not None:
                counts["dropped"] += int(empty.sum())
            chunk = chunk[~empty]
        held = split.held_out(chunk.index.to_numpy())
        yield chunk[~held], chunk[held]


def _passes(table: TableSource, progress, description: str, total: int | None = None):
    chunks = table.chunks()
    return chunks if progress is None else progress.rows(chunks, description, total)


def _survey(table, options, split, features, progress, drop_features=None):
    """A survey pass; ``(survey, evidence, labels, counts)``."""
    counts = Counter()
    evidence, labels = TaskEvidence(), {"train": Counter(), "test": Counter()}
    found = None
    described = "surveying" if drop_features is None else "surveying the rows --drop-missing keeps"
    for chunk in _passes(table, progress, described):
        if features is None:
            features = table_features(chunk, options, table.name)
        if found is None:
            found = _Survey(features, split.sample_keys, max(COUNTED_VALUES, options.max_inputs, MAX_CATEGORIES))
        for train, test in _parts([chunk], options.target, split, drop_features, counts):
            found.add(train, test)
            for part, rows in (("train", train), ("test", test)):
                if drop_features is None:
                    evidence.add(rows[options.target])
                if len(labels[part]) <= MAX_CLASSES:
                    labels[part].update(rows[options.target].str.strip().value_counts().to_dict())
    return found, evidence, labels, counts


def _check_rows(found: _Survey, options: TableOptions, source: str) -> None:
    rows = found.rows_train + found.rows_test
    if rows < MIN_ROWS:
        raise ValueError(f"{source} has {rows} usable row(s); splitting off a test part needs at least {MIN_ROWS}")
    if not found.rows_train or not found.rows_test:
        raise FixableError("too few rows for ", Named("test size"), f" {options.test_size}: the row numbers' hash put "
                           f"every one of the {rows} rows of {source} in the "
                           f"{'test' if not found.rows_train else 'training'} part")


def _check_kept(surveys: dict, columns: Columns, source: str) -> None:
    """A kept text column whose values were too many to count: wider than any table allowed."""
    for name in columns.text:
        if surveys[name].overflow:
            raise FixableError(f"column {name!r} of {source} has more than {surveys[name].limit:,} distinct values "
                               "in the training part, too many to one-hot encode",
                               Fixes(Fix("ignore", [name]), before=" (", after=" leaves it out)"))


def _check_labels(task, labels, source, target) -> None:
    """A class target: at most :data:`MAX_CLASSES` labels, at least two (in the whole table, as in memory)."""
    if task == "classify":
        if len(labels["train"]) > MAX_CLASSES:
            raise FixableError(f"the target {target!r} of {source} has more than {MAX_CLASSES:,} classes; is it "
                               "a number to regress?", Fixes(Fix("task", "regress"), before=" (", after=")"))
        check_classes(set(labels["train"]) | set(labels["test"]), target)


def _target_encoding(task, labels, moments, source, target):
    """The target encoding of the training part's labels (after --drop-missing) or values."""
    if task == "classify":
        return ClassTarget(sorted(labels["train"]))
    return ValueTarget.of_moments(float(moments.mean_[0]), math.sqrt(float(moments.var_[0])),
                                  lambda: max(abs(moments.mean_[0]), math.sqrt(moments.var_[0])))


def _ordered(counts: Counter, names) -> dict:
    return {name: counts[name] for name in names if counts[name]}


def prepare_stream(table: TableSource, options: TableOptions, progress=None) -> StreamedTable:
    """The preprocessing of the table ``table`` reads, fitted in two passes
    (see the module docstring); the same ValueErrors and notes as
    :func:`~.pipeline.prepare_table` for the same problems."""
    from sklearn.preprocessing import StandardScaler

    source = table.name
    split = RowHash(options.test_size, options.seed)
    found, evidence, labels, counts = _survey(table, options, split, None, progress)
    no_target_note(counts["no_target"], options.target, found.rows_train + found.rows_test, source)
    task = options.task or evidence.task
    _check_rows(found, options, source)
    _check_labels(task, labels, source, options.target)
    features = kept_of(found.columns)
    drop_features, dropped = None, 0
    if options.drop_missing:
        drop_features = features
        found, _, labels, drops = _survey(table, options, split, features, progress, drop_features)
        dropped = drops["dropped"]
        check_parts_left(found.rows_train, found.rows_test, source)
    surveys = {name: found.columns[name] for name in features}
    columns = leave_out_identifiers(surveys, Columns.of(surveys), options.keep)
    _check_kept(surveys, columns, source)
    # the most rows encoded at once: a chunk (the shuffle buffer adds at most as many again)
    check_size(columns, table.chunk_rows, options.max_inputs, options.max_cells)
    sample = found.sample.frame
    parsed = parse(columns, sample, source)
    imputation = Imputation.fit(options.impute, parsed.numbers, parsed.texts)
    scaler = make_scaler(options.scaler)
    incremental = scaler is not None and hasattr(scaler, "partial_fit")
    if scaler is not None and not incremental:
        scaled(scaler, "fit_transform", encode(columns, imputation, sample, source).X, columns, source)
    moments = StandardScaler() if task == "regress" else None
    filled, unseen, training_range = {"train": Counter(), "test": Counter()}, {}, None
    rows_read = found.rows_train + found.rows_test + dropped + counts["no_target"]
    for train, test in _parts(_passes(table, progress, "fitting the scaler", rows_read),
                              options.target, split, drop_features):
        if len(train):
            encoded = encode(columns, imputation, train, source)
            filled["train"].update(encoded.imputed)
            if incremental:
                with np.errstate(over="ignore", invalid="ignore"):
                    scaler.partial_fit(encoded.X)
            if columns.numeric:
                training_range = TrainingRange.of(encoded.numbers, names=columns.numeric) if training_range is None \
                    else training_range.widened(encoded.numbers)
            values = target_labels(train, options.target, task)
            if moments is not None:
                moments.partial_fit(values.reshape(-1, 1))
        # a bad cell in the test part stops us before training, not after
        test_encoded = encode(columns, imputation, test, source)
        target_labels(test, options.target, task)
        filled["test"].update(test_encoded.imputed)
        for name, values in test_encoded.unseen.items():
            unseen.setdefault(name, Counter()).update(values)
    filled = {part: _ordered(tally, columns.numeric + columns.text) for part, tally in filled.items()}
    if filled["train"]:
        warnings.warn(DataNote(imputed_note(filled["train"], imputation, columns, "the training part")))
    if unseen:
        shown = {name: dict(sorted(unseen[name].items(), key=lambda item: (-item[1], item[0])))
                 for name in columns.text if name in unseen}
        warnings.warn(DataNote(unseen_note(shown, f"the test part of {source}")))
    return StreamedTable(
        source=source, target=options.target, task=task, columns=columns, imputation=imputation,
        scaler_name=options.scaler, scaler=scaler, training_range=training_range,
        target_encoding=_target_encoding(task, labels, moments, source, options.target),
        id_column=options.id_column, dropped=dropped, filled=filled, table=table, split=split,
        drop_features=drop_features, rows_train=found.rows_train, rows_test=found.rows_test, rows_read=rows_read,
        class_counts=dict(labels["train"]) if task == "classify" else {},
    )

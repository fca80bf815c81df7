"""Which columns are numbers and which are text, which are left out, and
finding columns by name.

A column is numeric when at least half of its filled cells parse as
numbers; its other filled cells are then errors that name their row and
column. Any other column is text and is one-hot encoded: one 0/1 input per
category seen in training (a category first seen later gives all zeros).
A column that is entirely empty, or holds one value, in the training part
teaches the network nothing and is left out.
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .reading import separator_hint

__all__ = ["Columns", "ColumnSurvey", "survey", "row_number", "check_has_columns", "close_names", "missing_cells",
           "drop_missing_rows", "left_out_columns", "left_out_reasons", "identifier_like", "identifier_columns"]

# how alike two column names must be (difflib's ratio, case ignored) for
# one to be offered as "did you mean": 'fruits' for 'fruit' (0.91), not
# 'bill_length_mm' for 'bill_depth_mm' (0.81)
CLOSE_NAME_CUTOFF = 0.85
# a text column with this many rows or more and a different value in each
# is probably an identifier, which one-hot encoding turns into noise
IDENTIFIER_MIN_ROWS = 20


def row_number(frame: pd.DataFrame, position: int) -> int:
    """The 1-based data row (as in the file) of the row at ``position``."""
    return int(frame.index[position]) + 1


def close_names(name: str, names) -> list[str]:
    """The names in ``names`` close to ``name`` (case ignored), closest first."""
    by_lower = {str(candidate).lower(): str(candidate) for candidate in names}
    matches = difflib.get_close_matches(name.lower(), list(by_lower), n=3, cutoff=CLOSE_NAME_CUTOFF)
    return [by_lower[match] for match in matches]


def check_has_columns(frame: pd.DataFrame, needed, source: str, what: str = "the model's") -> None:
    """ValueError naming the columns of ``needed`` that ``frame`` lacks, with
    close names as suggestions, and every column it has."""
    missing = [name for name in needed if name not in frame.columns]
    if not missing:
        return
    hints = list(dict.fromkeys(close for name in missing for close in close_names(name, frame.columns)))
    hint = f" (did you mean {', '.join(map(repr, hints))}?)" if hints else ""
    raise ValueError(
        f"{source} lacks {what} column(s) {', '.join(map(repr, missing))}{hint}; it has: "
        f"{', '.join(map(repr, frame.columns))}{separator_hint(frame.columns)}"
    )


def missing_cells(frame: pd.DataFrame, columns) -> np.ndarray:
    """Boolean mask (n_rows, len(columns)): cells that are empty (or only spaces)."""
    columns = list(columns)
    if not columns:
        return np.zeros((len(frame), 0), dtype=bool)
    return np.column_stack([(frame[name].str.strip() == "").to_numpy() for name in columns])


def drop_missing_rows(frame: pd.DataFrame, columns) -> tuple[pd.DataFrame, int]:
    """``frame`` without the rows that have an empty cell in ``columns``, and how many went."""
    empty = missing_cells(frame, columns).any(axis=1)
    return frame[~empty], int(empty.sum())


def _filled(column: pd.Series) -> pd.Series:
    cells = column.str.strip()
    return cells[cells != ""]


@dataclass
class ColumnSurvey:
    """What the column rules read of one feature column, gathered from one
    table or chunk by chunk (:meth:`add`): both give the same answers, so a
    file read whole and a file streamed follow one set of rules.

    limit : the most distinct filled values counted (None: all). Beyond it
        the counts stop (``overflow``): a column of numbers has as many
        values as rows, and only a text column's categories are wanted.
    """

    limit: int | None = None
    rows: int = 0
    filled: int = 0
    finite: int = 0
    # every filled cell parses as a number (inf included), and up to two of those numbers
    all_numbers: bool = True
    numbers: set = field(default_factory=set)
    first: str | None = None
    counts: Counter = field(default_factory=Counter)
    overflow: bool = False

    def add(self, column: pd.Series) -> "ColumnSurvey":
        """Count the cells of ``column`` (text cells, "" for empty)."""
        self.rows += len(column)
        filled = _filled(column)
        if filled.empty:
            return self
        if self.first is None:
            self.first = str(filled.iloc[0])
        values = pd.to_numeric(filled, errors="coerce")
        self.filled += len(filled)
        self.finite += int(np.isfinite(values).sum())
        self.all_numbers = self.all_numbers and bool(values.notna().all())
        if self.all_numbers and len(self.numbers) < 2:
            # '1' and '1.0' are one number
            self.numbers.update(values.drop_duplicates().head(2).tolist())
        if not self.overflow:
            self.counts.update(filled.value_counts().to_dict())
            if self.limit is not None and len(self.counts) > self.limit:
                self.overflow, self.counts = True, Counter()
        return self

    @property
    def numeric(self) -> bool:
        """At least half of the filled cells are finite numbers (an empty column counts as numeric)."""
        return self.filled == 0 or self.finite / self.filled >= 0.5

    @property
    def empty(self) -> bool:
        return self.filled == 0

    @property
    def constant(self) -> bool:
        """One value in every filled cell: numbers compared as numbers, text as written."""
        if self.all_numbers:
            return len(self.numbers) == 1
        return not self.overflow and len(self.counts) == 1

    @property
    def categories(self) -> list[str]:
        """The distinct filled values, sorted (a text column's one-hot categories)."""
        return sorted(self.counts)

    @property
    def distinct_in_every_row(self) -> bool:
        """A different value in every row, in at least :data:`IDENTIFIER_MIN_ROWS` rows."""
        return self.rows >= IDENTIFIER_MIN_ROWS and not self.overflow and len(self.counts) == self.rows


def survey(frame: pd.DataFrame, features, limit: int | None = None) -> dict[str, ColumnSurvey]:
    """A :class:`ColumnSurvey` of each feature column of ``frame``."""
    return {name: ColumnSurvey(limit).add(frame[name]) for name in features}


def left_out_reasons(surveys: dict[str, ColumnSurvey]) -> dict[str, str | None]:
    """Columns that carry nothing to learn: name -> None when entirely
    empty, or the one value of every filled cell."""
    reasons = {}
    for name, column in surveys.items():
        if column.empty:
            reasons[name] = None
        elif column.constant:
            reasons[name] = column.first
    return reasons


def left_out_columns(frame: pd.DataFrame, features) -> dict[str, str | None]:
    """Columns of ``frame`` among ``features`` that carry nothing to learn:
    name -> None when entirely empty, or the one value of every filled cell."""
    return left_out_reasons(survey(frame, features))


def identifier_columns(surveys: dict[str, ColumnSurvey], columns: "Columns") -> list[str]:
    """Text columns with a different value in every one of at least
    :data:`IDENTIFIER_MIN_ROWS` rows: identifiers, most likely."""
    return [name for name in columns.categories if surveys[name].distinct_in_every_row]


def identifier_like(frame: pd.DataFrame, columns: "Columns") -> list[str]:
    """Text columns of ``frame`` with a different value in every one of at least
    :data:`IDENTIFIER_MIN_ROWS` rows: identifiers, most likely."""
    return identifier_columns(survey(frame, columns.text), columns)


@dataclass
class Columns:
    """The feature columns in file order, which are numeric, and the text
    columns' categories (sorted) as seen in training."""

    features: list[str]
    numeric: list[str]
    categories: dict[str, list[str]]

    @classmethod
    def infer(cls, frame: pd.DataFrame, features) -> "Columns":
        return cls.of(survey(frame, features))

    @classmethod
    def of(cls, surveys: dict[str, ColumnSurvey]) -> "Columns":
        """The columns' kinds and categories from their surveys (in their order)."""
        features = list(surveys)
        numeric = [name for name in features if surveys[name].numeric]
        return cls(features, numeric, {name: surveys[name].categories for name in features if name not in numeric})

    @property
    def text(self) -> list[str]:
        return list(self.categories)

    @property
    def input_names(self) -> list[str]:
        """The network's inputs: numeric columns, then ``column=category`` per category."""
        return self.numeric + [f"{name}={value}" for name, values in self.categories.items() for value in values]

"""Which columns are numbers and which are text, which are left out, how
wide the encoded table is, and finding columns by name.

A column is numeric when at least half of its filled cells parse as
numbers; its other filled cells are then errors that name their row and
column. Any other column is text and is one-hot encoded: one 0/1 input per
category seen in training (a category first seen later gives all zeros).
A column that is entirely empty, or holds one value, in the training part
teaches the network nothing and is left out. So is a text column like an
identifier (:func:`identifier_like`: most of its cells hold a value no other
row has, or it has more than :data:`MAX_CATEGORIES` values), which one-hot
encoding would turn into many inputs the network learns the training rows
by, unless the user keeps it. The encoded table is at most
:data:`MAX_INPUTS` inputs wide and :data:`MAX_CELLS` cells large
(:func:`check_size`).
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import parameters
from ..parameters import Each, Fix, FixableError, Fixes, Named
from .reading import separator_hint

__all__ = ["Columns", "ColumnSurvey", "survey", "row_number", "check_has_columns", "close_names", "missing_cells",
           "drop_missing_rows", "left_out_columns", "left_out_reasons", "identifier_like", "identifiers_of", "Identifier",
           "check_size", "MAX_CATEGORIES", "MAX_INPUTS", "MAX_CELLS"]

# how alike two column names must be (difflib's ratio, case ignored) for
# one to be offered as "did you mean": 'fruits' for 'fruit' (0.91), not
# 'bill_length_mm' for 'bill_depth_mm' (0.81)
CLOSE_NAME_CUTOFF = 0.85
# a text column with this many filled cells or more, more than IDENTIFIER_SHARE
# of them holding a value no other row has, is probably an identifier (a
# name, a code): one-hot encoded, each of its inputs is one row's own, which
# the network learns by heart and which tells nothing about a new row
IDENTIFIER_MIN_ROWS = 20
IDENTIFIER_SHARE = 0.5
# a text column with more categories than this is left out as well (unless
# kept): each category is an input, and they crowd out the other columns
MAX_CATEGORIES = 100
# the widest encoded table (inputs), and the most cells (rows x inputs) the
# encoded table may hold: 100 million float64 cells are 800 MB per copy
MAX_INPUTS = 5000
MAX_CELLS = 100_000_000


def row_number(frame: pd.DataFrame, position: int) -> int:
    """The 1-based data row (as in the file) of the row at ``position``."""
    return int(frame.index[position]) + 1


def _one_edit_apart(a: str, b: str) -> bool:
    """Whether ``b`` is ``a`` with one letter changed, added or dropped, or two
    neighbours swapped ('Slaes' for 'Sales', a slip difflib's ratio ranks low: 0.8)."""
    if a == b or abs(len(a) - len(b)) > 1 or min(len(a), len(b)) < 3:
        return False
    if len(a) == len(b):
        differ = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        return len(differ) == 1 or (len(differ) == 2 and differ[1] == differ[0] + 1
                                    and a[differ[0]] == b[differ[1]] and a[differ[1]] == b[differ[0]])
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def close_names(name: str, names) -> list[str]:
    """The names in ``names`` close to ``name`` (case ignored), closest first:
    one slip of the keyboard away, or alike by difflib's measure."""
    by_lower = {str(candidate).lower(): str(candidate) for candidate in names}
    typed = name.lower()
    slips = [candidate for candidate in by_lower if _one_edit_apart(typed, candidate)]
    alike = difflib.get_close_matches(typed, list(by_lower), n=3, cutoff=CLOSE_NAME_CUTOFF)
    return [by_lower[match] for match in dict.fromkeys([*alike, *slips])][:3]


def check_has_columns(frame: pd.DataFrame, needed, source: str, what: str = "the model's",
                      setting: str | None = None) -> None:
    """ValueError naming the columns of ``needed`` that ``frame`` lacks, with
    close names as suggestions ("did you mean 'Sales'?"), and every column it has.

    ``setting`` is the key of the parameter table that named them (``"target"``):
    the message then names it in each door's words (``--target``, the page's
    Target) and offers the close name as a fix of that setting.
    """
    missing = [name for name in needed if name not in frame.columns]
    if not missing:
        return
    closest = {name: close_names(name, frame.columns) for name in missing}
    hints = list(dict.fromkeys(close for names in closest.values() for close in names))
    named = ("the ", Named(setting)) if setting else (what,)
    fixes = ()
    if setting is not None and all(closest.values()):
        fixed = [closest.get(name, [name])[0] for name in needed]
        # a setting of a list of columns (--ignore) takes them all, corrected; one of a single column, that one
        value = fixed if isinstance(parameters.setting(setting).constraint, Each) else fixed[0]
        fixes = (Fixes(Fix(setting, value), before=" ", after=""),)
    hint = (f" (did you mean {', '.join(map(repr, hints))}?", *fixes, ")") if hints else ()
    raise FixableError(
        f"{source} lacks ", *named, f" column(s) {', '.join(map(repr, missing))}", *hint,
        f"; it has: {', '.join(map(repr, frame.columns))}", *separator_hint(frame.columns))


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
    def single(self) -> int:
        """How many values fill one cell only (0 once the counts stopped)."""
        return sum(1 for count in self.counts.values() if count == 1)


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


@dataclass(frozen=True)
class Identifier:
    """A text column that looks like an identifier: its ``distinct`` values
    over ``filled`` cells of the training part, ``single`` of which hold a
    value no other row has. ``exact`` is False for a column whose values
    were counted only up to a limit (a table read in chunks): it has more
    than ``distinct`` values, and ``single`` is unknown."""

    name: str
    distinct: int
    single: int
    filled: int
    exact: bool = True

    @property
    def unique_per_row(self) -> bool:
        """Whether most of its rows hold a value of their own (else: it has too many values)."""
        return self.exact and self.filled >= IDENTIFIER_MIN_ROWS and self.single > IDENTIFIER_SHARE * self.filled

    def describe(self) -> str:
        if self.unique_per_row:
            return (f"{self.name!r} ({self.distinct} distinct values in {self.filled} rows, {self.single} of them in "
                    "one row only, like an identifier)")
        if not self.exact:
            return f"{self.name!r} (more than {self.distinct} distinct values in {self.filled} rows)"
        return f"{self.name!r} ({self.distinct} distinct values, more than {MAX_CATEGORIES})"


def identifiers_of(surveys: dict[str, ColumnSurvey], columns: "Columns", keep=()) -> list[Identifier]:
    """The text columns of ``columns`` (but those in ``keep``) that look like
    identifiers by their surveys of the training part: more than
    :data:`IDENTIFIER_SHARE` of at least :data:`IDENTIFIER_MIN_ROWS` filled
    cells hold a value no other row has, or more than :data:`MAX_CATEGORIES`
    values (a survey that stopped counting has more than its limit)."""
    found = []
    for name in columns.categories:
        if name in keep:
            continue
        column = surveys[name]
        if column.overflow:
            identifier = Identifier(name, column.limit, 0, column.filled, exact=False)
        else:
            identifier = Identifier(name, len(column.counts), column.single, column.filled)
        if identifier.unique_per_row or identifier.distinct > MAX_CATEGORIES:
            found.append(identifier)
    return found


def identifier_like(frame: pd.DataFrame, columns: "Columns", keep=()) -> list[Identifier]:
    """The text columns of ``columns`` (but those in ``keep``) that look like
    identifiers in ``frame`` (the training part), by :func:`identifiers_of`."""
    return identifiers_of(survey(frame, columns.text), columns, keep)


def check_size(columns: "Columns", rows: int, max_inputs: int = MAX_INPUTS, max_cells: int = MAX_CELLS) -> None:
    """ValueError when ``rows`` rows of ``columns`` would encode wider than
    ``max_inputs`` inputs or into more than ``max_cells`` cells, naming the
    widest columns (before anything that large is made)."""
    width = len(columns.input_names)
    cells = width * rows
    if width <= max_inputs and cells <= max_cells:
        return
    widths = {name: len(values) for name, values in columns.categories.items()}
    widest = sorted(widths, key=lambda name: -widths[name])[:5]
    parts = [f"{name!r} {widths[name]}" for name in widest]
    if columns.numeric:
        parts.append(f"{len(columns.numeric)} numeric column(s) 1 each")
    if width > max_inputs:
        what = f"{width} inputs wide, more than the limit of {max_inputs}"
    else:
        what = f"{cells} cells ({rows} rows x {width} inputs), more than the limit of {max_cells}"
    raise FixableError(
        f"the table would be encoded {what}; inputs per column: {', '.join(parts)}",
        Fixes(Fix("ignore", widest), before=" (leave columns out: ", after=")") if widest else "")


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

    def without(self, names) -> "Columns":
        """These columns but ``names``."""
        names = set(names)
        return Columns([name for name in self.features if name not in names],
                       [name for name in self.numeric if name not in names],
                       {name: values for name, values in self.categories.items() if name not in names})

    @property
    def text(self) -> list[str]:
        return list(self.categories)

    @property
    def input_names(self) -> list[str]:
        """The network's inputs: numeric columns, then ``column=category`` per category."""
        return self.numeric + [f"{name}={value}" for name, values in self.categories.items() for value in values]

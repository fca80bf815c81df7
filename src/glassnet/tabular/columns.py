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
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .reading import separator_hint

__all__ = ["Columns", "row_number", "check_has_columns", "close_names", "missing_cells", "drop_missing_rows",
           "left_out_columns", "identifier_like"]

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


def left_out_columns(frame: pd.DataFrame, features) -> dict[str, str | None]:
    """Columns of ``frame`` among ``features`` that carry nothing to learn:
    name -> None when entirely empty, or the one value of every filled cell."""
    reasons = {}
    for name in features:
        filled = _filled(frame[name])
        if filled.empty:
            reasons[name] = None
            continue
        values = pd.to_numeric(filled, errors="coerce")
        # '1' and '1.0' are one number; text compares as written
        distinct = values.nunique() if values.notna().all() else filled.nunique()
        if distinct == 1:
            reasons[name] = str(filled.iloc[0])
    return reasons


def identifier_like(frame: pd.DataFrame, columns: "Columns") -> list[str]:
    """Text columns with a different value in every one of at least
    :data:`IDENTIFIER_MIN_ROWS` rows: identifiers, most likely."""
    if len(frame) < IDENTIFIER_MIN_ROWS:
        return []
    return [name for name in columns.categories if _filled(frame[name]).nunique() == len(frame)]


def _is_numeric(column: pd.Series) -> bool:
    filled = _filled(column)
    if filled.empty:
        return True
    return bool(np.isfinite(pd.to_numeric(filled, errors="coerce")).mean() >= 0.5)


@dataclass
class Columns:
    """The feature columns in file order, which are numeric, and the text
    columns' categories (sorted) as seen in training."""

    features: list[str]
    numeric: list[str]
    categories: dict[str, list[str]]

    @classmethod
    def infer(cls, frame: pd.DataFrame, features) -> "Columns":
        features = list(features)
        numeric = [name for name in features if _is_numeric(frame[name])]
        categories = {name: sorted(set(_filled(frame[name]))) for name in features if name not in numeric}
        return cls(features, numeric, categories)

    @property
    def text(self) -> list[str]:
        return list(self.categories)

    @property
    def input_names(self) -> list[str]:
        """The network's inputs: numeric columns, then ``column=category`` per category."""
        return self.numeric + [f"{name}={value}" for name, values in self.categories.items() for value in values]

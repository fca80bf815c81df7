"""Which columns are numbers and which are text, and turning rows into the
numeric matrix a network takes.

A column is numeric when at least half of its non-empty cells parse as
numbers; its other cells are then errors that name their row and column.
Any other column is text and is one-hot encoded: one 0/1 input per
category seen in training (a category first seen later gives all zeros).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["Columns", "parse_numbers", "empty_cells", "drop_empty_rows", "row_number", "check_has_columns"]


def row_number(frame: pd.DataFrame, position: int) -> int:
    """The 1-based data row (as in the file) of the row at ``position``."""
    return int(frame.index[position]) + 1


def parse_numbers(column: pd.Series, name: str, frame: pd.DataFrame) -> np.ndarray:
    """The float64 values of a numeric column; ValueError naming the first bad cell."""
    values = pd.to_numeric(column, errors="coerce").to_numpy(dtype=np.float64)
    bad = ~np.isfinite(values)
    if bad.any():
        position = int(np.flatnonzero(bad)[0])
        cell = column.iloc[position]
        row = row_number(frame, position)
        if cell.strip() == "":
            raise ValueError(
                f"empty cell in row {row}, column {name!r}; fill it in or pass --drop-missing to drop such rows"
            )
        raise ValueError(f"row {row}, column {name!r}: {cell!r} is not a finite number, and the column is numeric")
    return values


def empty_cells(frame: pd.DataFrame, columns) -> np.ndarray:
    """A boolean mask of the rows with an empty cell in any of ``columns``."""
    return (frame[list(columns)].apply(lambda column: column.str.strip() == "")).any(axis=1).to_numpy()


def drop_empty_rows(frame: pd.DataFrame, columns) -> tuple[pd.DataFrame, int]:
    """``frame`` without the rows that have an empty cell in ``columns``, and how many went."""
    empty = empty_cells(frame, columns)
    return frame[~empty], int(empty.sum())


def check_has_columns(frame: pd.DataFrame, needed, source: str, what: str = "the model's") -> None:
    missing = [name for name in needed if name not in frame.columns]
    if missing:
        hints = [close for name in missing for close in difflib.get_close_matches(name, frame.columns, n=1)]
        hint = f" (did you mean {', '.join(map(repr, hints))}?)" if hints else ""
        raise ValueError(
            f"{source} lacks {what} column(s) {', '.join(map(repr, missing))}{hint}; it has: "
            f"{', '.join(map(repr, frame.columns))}"
        )


def _is_numeric(column: pd.Series) -> bool:
    filled = column[column.str.strip() != ""]
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
        categories = {
            name: sorted(set(frame[name].str.strip()) - {""}) for name in features if name not in numeric
        }
        return cls(features, numeric, categories)

    @property
    def input_names(self) -> list[str]:
        """The network's inputs: numeric columns, then ``column=category`` per category."""
        return self.numeric + [f"{name}={value}" for name, values in self.categories.items() for value in values]

    def numbers(self, frame: pd.DataFrame, source: str) -> np.ndarray:
        """The numeric columns as a float64 matrix (n_rows, len(numeric))."""
        check_has_columns(frame, self.features, source)
        if not self.numeric:
            return np.empty((len(frame), 0))
        return np.column_stack([parse_numbers(frame[name], name, frame) for name in self.numeric])

    def encode(self, frame: pd.DataFrame, source: str) -> np.ndarray:
        """All inputs: the numeric columns, then the one-hot text columns."""
        blocks = [self.numbers(frame, source)]
        for name, values in self.categories.items():
            cells = frame[name].str.strip().to_numpy()
            empty = cells == ""
            if empty.any():
                row = row_number(frame, int(np.flatnonzero(empty)[0]))
                raise ValueError(
                    f"empty cell in row {row}, column {name!r}; fill it in or pass --drop-missing to drop such rows"
                )
            blocks.append((cells[:, None] == np.array(values, dtype=object)[None, :]).astype(np.float64))
        return np.hstack(blocks)

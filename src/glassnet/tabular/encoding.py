"""From a table's text cells to the network's numeric inputs, row by row:
parse the numbers, fill the empty cells, one-hot encode the text.

Strictly (training, evaluating) the first cell that cannot be used stops
everything with a ValueError naming its row and column. Leniently
(predicting) such a row is marked unusable with the reason, and every
other row is encoded: a prediction file never loses a row.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..parameters import Fix, FixableError, Fixes
from .columns import Columns, check_has_columns, row_number
from .imputing import Imputation

__all__ = ["Encoded", "Parsed", "encode", "parse", "parse_numbers", "texts_of"]


@dataclass
class Encoded:
    """One table, encoded.

    X : (n_rows, n_inputs) the network's inputs before scaling; rows that
        cannot be used are zeros
    numbers : (n_rows, n_numeric) the numeric columns in the file's units,
        empty cells filled (NaN in unusable rows)
    problems : row position -> why that row cannot be used
    imputed : column -> how many empty cells were filled
    unseen : column -> {category not seen in training: rows}
    """

    X: np.ndarray
    numbers: np.ndarray
    problems: dict[int, list[str]] = field(default_factory=dict)
    imputed: dict[str, int] = field(default_factory=dict)
    unseen: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def usable(self) -> np.ndarray:
        """Boolean mask of the rows that can be predicted, shape (n_rows,)."""
        mask = np.ones(self.X.shape[0], dtype=bool)
        mask[list(self.problems)] = False
        return mask


def parse_numbers(column: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(values, empty, bad)`` of a numeric column: float64 values (NaN
    where not a number), the empty cells, and the filled cells that are not
    finite numbers."""
    cells = column.str.strip()
    # a copy: pandas may hand out a read-only view
    values = pd.to_numeric(cells, errors="coerce").to_numpy(dtype=np.float64, copy=True)
    empty = (cells == "").to_numpy()
    with np.errstate(invalid="ignore"):
        bad = ~empty & ~np.isfinite(values)
    values[bad] = np.nan
    return values, empty, bad


def texts_of(frame: pd.DataFrame, names) -> np.ndarray:
    """The text columns ``names`` as an object array (n_rows, len(names)), cells stripped."""
    if not names:
        return np.empty((len(frame), 0), dtype=object)
    return np.column_stack([frame[name].str.strip().to_numpy(dtype=object) for name in names])


def _empty_cell(row: int, name: str) -> FixableError:
    return FixableError(f"empty cell in row {row}, column {name!r}; fill it in",
                        Fixes(Fix("drop missing", True), before=" or pass ", after=" to drop such rows"),
                        " (empty cells are not imputed", Fixes(Fix("impute", "none"), before=": ", after=""), ")")


def _missing(frame, names, empty_masks, imputation, empty_columns, strict) -> dict[str, int]:
    """Count the empty cells per column; without imputation they make their
    rows unusable (``empty_columns``: row position -> columns) or raise."""
    counts = {}
    for name, empty in zip(names, empty_masks):
        positions = np.flatnonzero(empty)
        if positions.size == 0:
            continue
        if imputation is not None:
            counts[name] = int(positions.size)
            continue
        if strict:
            raise _empty_cell(row_number(frame, int(positions[0])), name)
        for position in positions:
            empty_columns[int(position)].append(name)
    return counts


def _one_hot(texts: np.ndarray, columns: Columns, empty: np.ndarray) -> tuple[list[np.ndarray], dict]:
    blocks, unseen = [], {}
    for j, (name, values) in enumerate(columns.categories.items()):
        cells = texts[:, j]
        known = np.array(values, dtype=object)
        block = (cells[:, None] == known[None, :]).astype(np.float64)
        new = ~block.any(axis=1) & ~empty[:, j]
        if new.any():
            unseen[name] = dict(sorted(Counter(cells[new]).items(), key=lambda item: (-item[1], item[0])))
        blocks.append(block)
    return blocks, unseen


@dataclass
class Parsed:
    """The feature cells as values: ``numbers`` (n_rows, n_numeric) float with
    NaN where empty or bad, ``texts`` (n_rows, n_text) object with "" where
    empty, their empty masks, and the rows with bad cells."""

    numbers: np.ndarray
    numbers_empty: np.ndarray
    texts: np.ndarray
    texts_empty: np.ndarray
    problems: dict[int, list[str]]


def parse(columns: Columns, frame: pd.DataFrame, source: str, *, strict: bool = True) -> Parsed:
    """Parse the feature columns; a filled numeric cell that is not a finite
    number raises (``strict``) or marks its row."""
    check_has_columns(frame, columns.features, source)
    n = len(frame)
    problems: dict[int, list[str]] = defaultdict(list)
    numbers = np.empty((n, len(columns.numeric)))
    numbers_empty = np.zeros((n, len(columns.numeric)), dtype=bool)
    for j, name in enumerate(columns.numeric):
        values, empty, bad = parse_numbers(frame[name])
        for position in np.flatnonzero(bad):
            cell = frame[name].iloc[position].strip()
            if strict:
                raise ValueError(f"row {row_number(frame, int(position))}, column {name!r}: {cell!r} is not a "
                                 "finite number, and the column is numeric")
            problems[int(position)].append(f"{name!r} is {cell!r}, not a finite number")
        numbers[:, j] = values
        numbers_empty[:, j] = empty
    texts = texts_of(frame, columns.text)
    texts_empty = np.zeros(texts.shape, dtype=bool) if texts.size == 0 else (texts == "")
    return Parsed(numbers, numbers_empty, texts, texts_empty, problems)


def encode(columns: Columns, imputation: Imputation | None, frame: pd.DataFrame, source: str, *,
           strict: bool = True) -> Encoded:
    """``frame``'s feature columns as network inputs (see the module docstring)."""
    parsed = parse(columns, frame, source, strict=strict)
    problems = parsed.problems
    empty_columns: dict[int, list[str]] = defaultdict(list)
    imputed = _missing(frame, columns.numeric, parsed.numbers_empty.T, imputation, empty_columns, strict)
    imputed.update(_missing(frame, columns.text, parsed.texts_empty.T, imputation, empty_columns, strict))
    for position, names in empty_columns.items():
        cells = "an empty cell" if len(names) == 1 else "empty cells"
        problems[position].append(f"{cells} in {', '.join(map(repr, names))} (the model does not impute)")
    numbers, texts = parsed.numbers, parsed.texts
    if imputation is not None and imputed:
        numbers, texts = imputation.fill(numbers, texts)
    blocks, unseen = _one_hot(texts, columns, parsed.texts_empty)
    X = np.hstack([numbers, *blocks]) if blocks else numbers.copy()
    if problems:
        unusable = list(problems)
        X[unusable] = 0.0
        numbers[unusable] = np.nan
    return Encoded(X=X, numbers=numbers, problems=dict(problems), imputed=imputed, unseen=unseen)

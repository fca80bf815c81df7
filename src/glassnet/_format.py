"""Numbers and arrays as short, aligned text for tables on the terminal.

Small arrays are shown in full (a vector on one line, a matrix one row per
line, columns aligned); large ones as their size and a few figures, so a
table stays readable whatever the size of the network.
"""

from __future__ import annotations

import numpy as np

__all__ = ["number", "array_text", "FULL_ROWS", "FULL_COLUMNS"]

# arrays up to this size are printed in full: 6 columns of 8 characters fit
# beside two label columns on an 80-column terminal
FULL_ROWS = 8
FULL_COLUMNS = 6


def number(value: float) -> str:
    """Four decimals for everyday magnitudes, scientific notation otherwise.

    Positive numbers get a leading space so that signs line up in a column.
    """
    value = float(value)
    if value == 0.0 or 1e-4 <= abs(value) < 1e5:
        return f"{value: .4f}"
    return f"{value: .3e}"


def _lines(matrix: np.ndarray) -> list[str]:
    cells = [[number(v) for v in row] for row in matrix]
    widths = [max(len(row[j]) for row in cells) for j in range(matrix.shape[1])]
    return [" ".join(cell.rjust(width) for cell, width in zip(row, widths)) for row in cells]


def _summary(array: np.ndarray) -> str:
    size = f"{array.size} values" + (f" ({'×'.join(str(s) for s in array.shape)})" if array.ndim > 1 else "")
    text = f"{size}: min {number(array.min()).strip()}, mean {number(array.mean()).strip()}, max {number(array.max()).strip()}"
    zeros = int(np.count_nonzero(array == 0))
    return text + (f"; {zeros} exactly zero" if zeros else "")


def array_text(array) -> str:
    """A number, vector (one line) or matrix (one line per row) as text.

    Arrays with more than :data:`FULL_ROWS` rows or :data:`FULL_COLUMNS`
    columns are summarized by their size, min, mean, max and zero count.
    """
    array = np.asarray(array, dtype=np.float64)
    if array.ndim == 0:
        return number(array)
    matrix = array[None, :] if array.ndim == 1 else array
    if matrix.shape[0] > FULL_ROWS or matrix.shape[1] > FULL_COLUMNS:
        return _summary(array)
    return "\n".join(_lines(matrix))

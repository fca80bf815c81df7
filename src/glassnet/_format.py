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
# vectors up to this long are printed in full over lines of WRAP values, each
# line led by its slice ([0:5], [5:10], ...) so it is not mistaken for a matrix row
LONG_VECTOR = 20
WRAP = 5


def _fixed(values) -> bool:
    """Whether four decimals show every value: none below 1e-4 (but zero) or from 1e5 up."""
    magnitudes = np.abs(np.asarray(values, dtype=np.float64))
    nonzero = magnitudes[magnitudes > 0]
    return nonzero.size == 0 or (nonzero.min() >= 1e-4 and nonzero.max() < 1e5)


def number(value: float, fixed: bool | None = None) -> str:
    """Four decimals for everyday magnitudes, scientific notation otherwise.

    ``fixed`` forces one style (so a whole array can share it). Positive
    numbers get a leading space so that signs line up in a column.
    """
    value = float(value)
    if fixed is None:
        fixed = _fixed(value)
    return f"{value: .4f}" if fixed else f"{value: .3e}"


def _lines(matrix: np.ndarray) -> list[str]:
    # one style for the whole array, so that columns line up and a tiny value
    # is not shown as 0.0000 next to larger ones
    fixed = _fixed(matrix)
    cells = [[number(v, fixed) for v in row] for row in matrix]
    widths = [max(len(row[j]) for row in cells) for j in range(matrix.shape[1])]
    return [" ".join(cell.rjust(width) for cell, width in zip(row, widths)) for row in cells]


def _wrapped(vector: np.ndarray) -> str:
    """A vector over several lines of about :data:`WRAP` values, each led by its slice."""
    fixed = _fixed(vector)
    # scientific notation is wider: one value fewer per line keeps the width
    per_line = WRAP if fixed else WRAP - 1
    lines = []
    for start in range(0, vector.size, per_line):
        stop = min(start + per_line, vector.size)
        values = " ".join(number(v, fixed) for v in vector[start:stop])
        lines.append(f"[{start}:{stop}]".ljust(8) + values)
    return "\n".join(lines)


def _summary(array: np.ndarray) -> str:
    size = f"{array.size} values" + (f" ({'×'.join(str(s) for s in array.shape)})" if array.ndim > 1 else "")
    text = f"{size}: min {number(array.min()).strip()}, mean {number(array.mean()).strip()}, max {number(array.max()).strip()}"
    zeros = int(np.count_nonzero(array == 0))
    return text + (f"; {zeros} exactly zero" if zeros else "")


def array_text(array) -> str:
    """A number, vector (one line) or matrix (one line per row) as text.

    Vectors up to :data:`LONG_VECTOR` values are shown in full, over several
    lines when longer than :data:`FULL_COLUMNS`. Larger vectors, and
    matrices with more than :data:`FULL_ROWS` rows or :data:`FULL_COLUMNS`
    columns, are summarized by their size, min, mean, max and zero count.
    """
    array = np.asarray(array, dtype=np.float64)
    if array.ndim == 0:
        return number(array)
    if array.ndim == 1 and FULL_COLUMNS < array.size <= LONG_VECTOR:
        return _wrapped(array)
    matrix = array[None, :] if array.ndim == 1 else array
    if matrix.shape[0] > FULL_ROWS or matrix.shape[1] > FULL_COLUMNS:
        return _summary(array)
    return "\n".join(_lines(matrix))

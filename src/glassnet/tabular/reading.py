"""Reading a user's table: CSV with pandas (Parquet when pyarrow is there).

Every cell is read as text, so that glassnet, not the parser, decides what
is a number and can name the row and column of a cell that is not one.
Rows are numbered from 1, the first data row under the header; in a CSV
file row ``r`` is line ``r + 1``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .._registry import Registry

__all__ = ["read_table", "READERS"]

# how much of a file is sniffed for NUL bytes, the mark of binary data
_SNIFF_BYTES = 8192


def _read_csv(path: Path) -> pd.DataFrame:
    with open(path, "rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    if not head.strip():
        raise ValueError(f"{str(path)!r} is empty; expected a header line and rows of data")
    if b"\0" in head:
        raise ValueError(f"{str(path)!r} is not a text CSV file (it holds binary data)")
    try:
        # dtype=str and no NA guessing: cells stay as written, "" when empty
        return pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True,
                           encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(f"{str(path)!r} is not UTF-8 text (byte {error.start} cannot be decoded)") from None
    except pd.errors.EmptyDataError:
        raise ValueError(f"{str(path)!r} is empty; expected a header line and rows of data") from None
    except pd.errors.ParserError as error:
        reason = str(error).strip().splitlines()[-1]
        raise ValueError(f"{str(path)!r} is not a well-formed CSV file: {reason}") from None


def _read_parquet(path: Path) -> pd.DataFrame:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise ValueError("reading Parquet needs pyarrow: pip install 'glassnet[parquet]'") from None
    try:
        frame = pd.read_parquet(path)
    except Exception as error:  # pyarrow raises its own ArrowInvalid and OSError types
        raise ValueError(f"{str(path)!r} is not a readable Parquet file: {error}") from None
    # the same view as a CSV: text cells, "" for missing
    return frame.astype(object).where(frame.notna(), "").astype(str)


READERS: Registry = Registry("table format")
READERS.register(".csv", _read_csv)
READERS.register(".parquet", _read_parquet)
READERS.alias(".pq", ".parquet")


def read_table(path) -> pd.DataFrame:
    """The table at ``path`` as a DataFrame of strings ("" for empty cells).

    ``FileNotFoundError``/``IsADirectoryError`` for a path that is not a file;
    ``ValueError`` for an empty, binary or malformed file or one without rows.
    Files not ending in .parquet/.pq are read as CSV.
    """
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(21, "Is a directory", str(path))
    if not path.exists():
        raise FileNotFoundError(2, "No such file or directory", str(path))
    suffix = path.suffix.lower()
    reader = READERS.get(suffix) if suffix in READERS else _read_csv
    frame = reader(path)
    if frame.columns.size == 0:
        raise ValueError(f"{str(path)!r} has no columns; expected a header line")
    if len(frame) == 0:
        raise ValueError(f"{str(path)!r} has a header but no rows of data")
    frame.columns = [str(column).strip() for column in frame.columns]
    return frame

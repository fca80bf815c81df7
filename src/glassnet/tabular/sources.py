"""A table too large to read at once: one file, a glob or a folder of CSV
or Parquet files, read in chunks of rows (``glassnet train --chunk-rows``).

:class:`TableSource` names the files (a folder's table files and a glob's
matches in name order) and reads them with :func:`~.reading.read_chunks`,
one chunk at a time, as often as asked: each pass over the table opens the
files again, so nothing but one chunk is ever held. Rows are numbered on
across the files, in that order, so that every row of the table has one
number (its index plus one) in every pass; every file must have the first
file's columns.
"""

from __future__ import annotations

import functools
import glob
from dataclasses import dataclass
from pathlib import Path

from .reading import READERS, read_chunks

__all__ = ["TableSource", "table_paths"]

_GLOB_CHARACTERS = set("*?[")


def table_paths(data: str) -> list[Path]:
    """The files of ``data``: itself, the table files in a folder (by their
    suffixes: .csv, .tsv, .parquet, ...) or the files a glob matches, in name
    order. ValueError when there are none."""
    path = Path(data)
    if path.is_dir():
        found = sorted(item for item in path.iterdir() if item.is_file() and item.suffix.lower() in READERS)
        if not found:
            raise ValueError(f"the folder {data!r} holds no table file (one ending in {', '.join(READERS.names())})")
        return found
    if _GLOB_CHARACTERS & set(data) and not path.exists():
        found = sorted(Path(item) for item in glob.glob(data) if Path(item).is_file())
        if not found:
            raise ValueError(f"no file matches {data!r}")
        return found
    return [path]


@dataclass(frozen=True)
class TableSource:
    """The table at ``data`` read in chunks of up to ``chunk_rows`` rows,
    with a command's --sep and --encoding."""

    data: str
    chunk_rows: int
    sep: str | None = None
    encoding: str | None = None

    @functools.cached_property
    def paths(self) -> list[Path]:
        """The table's files, found once: every pass reads the same files, even
        if one appears meanwhile (say, an output written next to them)."""
        return table_paths(self.data)

    @property
    def name(self) -> str:
        """What messages call it: ``'big.csv'``, or ``'parts/' (3 files)``."""
        paths = self.paths
        return repr(self.data) if len(paths) == 1 else f"{self.data!r} ({len(paths)} files)"

    def chunks(self):
        """Every row of every file, in chunks (DataFrames of text cells
        indexed by row number minus one)."""
        start, columns, first = 0, None, None
        for path in self.paths:
            for frame in read_chunks(path, self.chunk_rows, sep=self.sep, encoding=self.encoding, start=start):
                if columns is None:
                    columns, first = list(frame.columns), path
                elif list(frame.columns) != columns:
                    raise ValueError(f"{str(path)!r} has the columns {', '.join(map(repr, frame.columns))}, but "
                                     f"{str(first)!r} has {', '.join(map(repr, columns))}; the files of one table "
                                     "need the same columns in the same order")
                start = int(frame.index[-1]) + 1
                yield frame

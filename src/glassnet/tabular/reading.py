"""Reading a user's table: CSV/TSV with pandas' reader (Parquet when pyarrow
is there).

Every cell is read as text, so that glassnet, not the parser, decides what
is a number and can name the row and column of a cell that is not one.
Missing cells are the empty string: empty fields and every token pandas
reads as missing by default (``NA``, ``N/A``, ``NaN``, ``null``, ``None``,
``#N/A``, ...). The separator is sniffed among comma, semicolon, tab and
pipe unless one is given; the encoding is UTF-8 (with or without a byte
order mark, UTF-16 with one) unless one is given. Rows are numbered from 1,
the first data row under the header; in a file without multi-line cells,
row ``r`` is line ``r + 1``.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .._registry import Registry
from ..parameters import ANY, Fix, FixableError, Fixes

__all__ = ["read_table", "read_bytes", "read_chunks", "text_cells", "READERS", "SEPARATORS", "separator",
           "sniff_separator", "separator_hint"]

# how much of a file is sniffed for NUL bytes (binary data) and for its separator
_SNIFF_BYTES = 65536
# the separators sniffed, in order of preference when the sniffer cannot tell
SEPARATORS = (",", ";", "\t", "|")
# names a user may give --sep instead of the character
_SEPARATOR_NAMES = {"comma": ",", "semicolon": ";", "tab": "\t", "\\t": "\t", "pipe": "|", "space": " "}
_DEFAULT_ENCODING = "utf-8-sig"
# how much of a file that is not UTF-8 is read to guess its encoding
_GUESS_BYTES = 1 << 22  # UTF-8, skipping a byte order mark if there is one


def separator(text: str) -> str:
    """``--sep``'s value as one character: a character, or comma, semicolon, tab, pipe, space."""
    value = _SEPARATOR_NAMES.get(text.lower(), text)
    if len(value) != 1 or value in "\"\r\n":
        raise ValueError(
            f"--sep {text!r} is not a separator; expected one character such as ',' ';' '|', or one of: "
            f"{', '.join(_SEPARATOR_NAMES)}"
        )
    return value


def _shown(sep: str) -> str:
    return {"\t": "tab", " ": "space"}.get(sep, repr(sep))


def sniff_separator(sample: str) -> str:
    """The likeliest of :data:`SEPARATORS` in ``sample`` (whole lines of a file).

    ``csv.Sniffer`` looks for a character that occurs equally often on every
    line (quotes understood); when it cannot tell, the candidate found most
    often in the header wins, and a header with none of them is one column
    separated by commas.
    """
    try:
        return csv.Sniffer().sniff(sample, delimiters="".join(SEPARATORS)).delimiter
    except csv.Error:
        header = sample.split("\n", 1)[0]
        counts = [(header.count(candidate), -index) for index, candidate in enumerate(SEPARATORS)]
        best = max(counts)
        return SEPARATORS[-best[1]] if best[0] > 0 else ","


def separator_hint(columns) -> tuple:
    """The parts of a message (see :class:`glassnet.parameters.Message`) for a
    table read as one column whose name holds another separator
    (``'species;island;...'``): the separator as a fix; () otherwise."""
    if len(columns) != 1:
        return ()
    name = str(columns[0])
    found = [candidate for candidate in SEPARATORS if candidate in name]
    if not found:
        return ()
    likely = max(found, key=name.count)
    return (f"; the header was read as one column {name[:60]!r}{'...' if len(name) > 60 else ''}, so the separator "
            f"looks like {_shown(likely)}",
            Fixes(Fix("separator", "tab" if likely == "\t" else likely), before=": pass ", after="",
                  otherwise=": save the file with commas between its cells"))


@dataclass(frozen=True)
class _Format:
    """How a text table is read: its default separator (None: sniffed)."""

    separator: str | None = None


def _check_encoding(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise ValueError(
            f"--encoding {encoding!r} is not an encoding Python knows; expected a name such as utf-8, latin-1, "
            "cp1252, utf-16"
        ) from None


_ENCODING_NAMES = {"cp1252": "Windows-1252", "latin-1": "Latin-1"}


def _likely_encoding(data: bytes) -> str:
    """An 8-bit encoding that decodes ``data``: Windows-1252 when it does
    (its curly quotes, dashes and euro sign live in 0x80-0x9f), else Latin-1."""
    try:
        data.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


@dataclass(frozen=True)
class _Source:
    """A table's bytes: a file on disk, or an upload held in memory (never
    written anywhere). ``name`` is what messages call it."""

    name: str
    path: Path | None = None
    data: bytes | None = None

    def open(self):
        return open(self.path, "rb") if self.path is not None else io.BytesIO(self.data)


def _decode_error(path: _Source, encoding: str, error: UnicodeDecodeError) -> ValueError:
    with path.open() as handle:
        data = handle.read(_GUESS_BYTES)
    bad = error.object[error.start:error.start + 1] if isinstance(error.object, bytes) else b""
    seen = f"byte 0x{bad.hex()} " if bad else ""
    likely = _likely_encoding(data)
    shown = "UTF-8" if codecs.lookup(encoding).name == "utf-8" or encoding == _DEFAULT_ENCODING else encoding
    return FixableError(
        f"{path.name!r} is not {shown} text ({seen}at position {error.start} cannot be decoded); it looks like "
        f"{_ENCODING_NAMES[likely]} text",
        Fixes(Fix("encoding", likely), before=": pass ", after="", otherwise=": save it as UTF-8 text"))


def _text_head(path: _Source, encoding: str) -> str:
    """The first whole lines of the file, decoded (for sniffing the separator)."""
    with path.open() as handle:
        head = handle.read(_SNIFF_BYTES)
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        text = decoder.decode(head, final=False)
    except UnicodeDecodeError as error:
        raise _decode_error(path, encoding, error) from None
    last_line = max(text.rfind("\n"), 0)
    return text[:last_line] if last_line else text


def _text_options(path: _Source, table_format: _Format, sep: str | None, encoding: str | None) -> tuple[str, str]:
    """``(separator, encoding)`` of a text table: the given ones, else sniffed
    (ValueError for an empty or binary file, or one that does not decode)."""
    with path.open() as handle:
        head = handle.read(_SNIFF_BYTES)
    if encoding is None and head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        encoding = "utf-16"  # unambiguous: a UTF-16 byte order mark
    if not head.strip():
        raise ValueError(f"{path.name!r} is empty; expected a header line and rows of data")
    if encoding is None and b"\0" in head:
        raise ValueError(f"{path.name!r} is not a text CSV file (it holds binary data)")
    encoding = _check_encoding(encoding) if encoding is not None else _DEFAULT_ENCODING
    if sep is None:
        sep = table_format.separator or sniff_separator(_text_head(path, encoding))
    return sep, encoding


@contextlib.contextmanager
def _parse_errors(path: _Source, sep: str, encoding: str):
    """pandas' reading errors as ValueErrors that name the file and what to do."""
    try:
        yield
    except UnicodeDecodeError as error:
        raise _decode_error(path, encoding, error) from None
    except pd.errors.EmptyDataError:
        raise ValueError(f"{path.name!r} is empty; expected a header line and rows of data") from None
    except pd.errors.ParserError as error:
        raise FixableError(
            f"{path.name!r} is not a well-formed table with separator {_shown(sep)}: {_parser_reason(error)}",
            Fixes(Fix("separator", ANY), before=" (pass ", after=" to choose the separator)",
                  otherwise=" (a quoted cell may lack its closing quote, or the separator is another)")
        ) from None


def _csv_options(sep: str, encoding: str) -> dict:
    # every cell as text; pandas' default missing-value tokens become NaN, then ""
    return dict(sep=sep, dtype=str, keep_default_na=True, skipinitialspace=True, encoding=encoding)


def _read_text(path: _Source, table_format: _Format, sep: str | None, encoding: str | None) -> pd.DataFrame:
    sep, encoding = _text_options(path, table_format, sep, encoding)
    with path.open() as handle, _parse_errors(path, sep, encoding):
        frame = pd.read_csv(handle, **_csv_options(sep, encoding))
    return frame.fillna("")


# pandas' C parser: "Error tokenizing data. C error: Expected 3 fields in line 4, saw 4"
_FIELDS = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def _parser_reason(error: Exception) -> str:
    """pandas' reason a table does not parse, in the reader's words (its line, its cells)."""
    text = str(error).strip().splitlines()[-1]
    counted = _FIELDS.search(text)
    if counted:
        expected, line, saw = counted.groups()
        return f"line {line} has {saw} cells where the header has {expected}"
    return re.sub(r"^(Error tokenizing data\. )?C error: ", "", text)


def _text_chunks(path: _Source, table_format: _Format, sep, encoding, rows: int):
    """The text table in frames of up to ``rows`` rows, read by pandas' reader as it goes."""
    sep, encoding = _text_options(path, table_format, sep, encoding)
    with path.open() as handle, _parse_errors(path, sep, encoding):
        with pd.read_csv(handle, chunksize=rows, **_csv_options(sep, encoding)) as reader:
            for frame in reader:
                yield frame.fillna("")


def _needs_pyarrow() -> None:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise ValueError("reading Parquet needs pyarrow: pip install 'glassnet[parquet]'") from None


def _read_parquet(path: _Source, table_format: _Format, sep, encoding) -> pd.DataFrame:
    _needs_pyarrow()
    try:
        with path.open() as handle:
            frame = pd.read_parquet(handle)
    except Exception as error:  # pyarrow raises its own ArrowInvalid and OSError types
        raise ValueError(f"{path.name!r} is not a readable Parquet file: {error}") from None
    return text_cells(frame)


def text_cells(frame: pd.DataFrame, *, renumber: bool = True) -> pd.DataFrame:
    """``frame`` as a CSV file reads: text cells ("" for missing), column
    names as text, rows numbered 0, 1, 2, ... (a number's text is its
    shortest round-trip form, so nothing is lost). ``renumber=False`` keeps
    the frame's own row numbers (a chunk's, counted on from the rows before
    it). A frame that already is text cells is not copied; ``frame`` itself
    is never changed."""
    # infer_dtype scans in C: "string" only for a column of str values with no missing ones
    text = all(pd.api.types.infer_dtype(frame.iloc[:, i], skipna=False) == "string" for i in range(frame.shape[1]))
    cells = frame if text else frame.astype(object).where(frame.notna(), "").astype(str)
    names = [str(column).strip() for column in cells.columns]
    index = pd.RangeIndex(len(cells)) if renumber else cells.index
    if names != list(cells.columns) or not cells.index.equals(index):
        cells = cells.set_axis(names, axis=1).set_axis(index, axis=0)  # a new frame: the caller's is untouched
    return cells


def _parquet_chunks(path: _Source, table_format: _Format, sep, encoding, rows: int):
    """The Parquet table in frames of up to ``rows`` rows, read by pyarrow batch by batch."""
    _needs_pyarrow()
    import pyarrow.parquet as parquet

    with path.open() as handle:
        try:
            batches = parquet.ParquetFile(handle).iter_batches(batch_size=rows)
            for batch in batches:
                yield text_cells(batch.to_pandas(), renumber=False)
        except Exception as error:  # pyarrow raises its own ArrowInvalid and OSError types
            raise ValueError(f"{path.name!r} is not a readable Parquet file: {error}") from None


# suffix -> (reader, format); any other suffix is read as a text table with a sniffed separator
READERS: Registry = Registry("table format")
READERS.register(".csv", (_read_text, _Format()))
READERS.register(".txt", (_read_text, _Format()))
READERS.register(".tsv", (_read_text, _Format(separator="\t")))
READERS.alias(".tab", ".tsv")
READERS.register(".parquet", (_read_parquet, _Format()))
READERS.alias(".pq", ".parquet")
# the same formats read in chunks (glassnet train --chunk-rows)
_CHUNK_READERS = {_read_text: _text_chunks, _read_parquet: _parquet_chunks}


def read_table(path, *, sep: str | None = None, encoding: str | None = None) -> pd.DataFrame:
    """The table at ``path`` as a DataFrame of strings ("" for missing cells).

    sep : the separator character; None sniffs comma, semicolon, tab or
        pipe (a .tsv file: tab).
    encoding : the text encoding; None reads UTF-8 (or UTF-16 with a byte
        order mark). A file that does not decode raises a ValueError naming
        the likely encoding and ``--encoding``.

    ``FileNotFoundError``/``IsADirectoryError`` for a path that is not a file;
    ``ValueError`` for an empty, binary or malformed file or one without rows.
    The index is 0, 1, 2, ...: the file's row number minus one.
    """
    path = _checked_path(path)
    return _read(_Source(str(path), path=path), path.suffix, sep, encoding)


def read_bytes(data: bytes, name: str, *, sep: str | None = None, encoding: str | None = None) -> pd.DataFrame:
    """The table in ``data``, the bytes of a file called ``name`` (an upload),
    read from memory exactly as :func:`read_table` reads a file."""
    return _read(_Source(name, data=bytes(data)), Path(name).suffix, sep, encoding)


def read_chunks(path, rows: int, *, sep: str | None = None, encoding: str | None = None, start: int = 0):
    """The table at ``path`` in DataFrames of up to ``rows`` rows each, read
    as it goes, each as :func:`read_table` reads a whole file: strings, ""
    for missing, stripped column names. The index counts rows from
    ``start``: the row number minus one for the first file of a table, so
    that a table in several files numbers its rows on across them.
    Errors as :func:`read_table`'s."""
    path = _checked_path(path)
    source = _Source(str(path), path=path)
    suffix = path.suffix.lower()
    reader, table_format = READERS.get(suffix) if suffix in READERS else (_read_text, _Format())
    seen = 0
    for frame in _CHUNK_READERS[reader](source, table_format, sep, encoding, rows):
        if frame.columns.size == 0:
            raise ValueError(f"{source.name!r} has no columns; expected a header line")
        frame.columns = [str(column).strip() for column in frame.columns]
        frame.index = pd.RangeIndex(start + seen, start + seen + len(frame))
        seen += len(frame)
        yield frame
    if not seen:
        raise ValueError(f"{source.name!r} has a header but no rows of data")


def _checked_path(path) -> Path:
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(21, "Is a directory", str(path))
    if not path.exists():
        raise FileNotFoundError(2, "No such file or directory", str(path))
    return path


def _read(source: _Source, suffix: str, sep, encoding) -> pd.DataFrame:
    suffix = suffix.lower()
    reader, table_format = READERS.get(suffix) if suffix in READERS else (_read_text, _Format())
    frame = reader(source, table_format, sep, encoding)
    if frame.columns.size == 0:
        raise ValueError(f"{source.name!r} has no columns; expected a header line")
    if len(frame) == 0:
        raise ValueError(f"{source.name!r} has a header but no rows of data")
    frame.columns = [str(column).strip() for column in frame.columns]
    frame.index = pd.RangeIndex(len(frame))
    return frame

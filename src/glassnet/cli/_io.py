"""What the data-handling commands share: reading a table or a model with
the command line's errors, and turning warnings into ``note:`` lines."""

from __future__ import annotations

import contextlib
import sys
import warnings

from . import CliError

__all__ = ["read_data", "read_model", "notes_on_stderr", "note", "PLOT_SUFFIXES", "note_extrapolation",
           "note_outside", "table_source", "data_inputs"]


PLOT_SUFFIXES = (".png", ".svg", ".pdf")


def note(message: str) -> None:
    print(f"note: {message}", file=sys.stderr)


def read_data(path: str, args=None):
    """The table at ``path``, read with the command's --sep and --encoding."""
    from ..tabular.reading import read_table

    return read_table(path, sep=getattr(args, "sep", None), encoding=getattr(args, "encoding", None))


def read_model(path: str):
    """The TabularModel in ``path``; CliError for any other kind of file."""
    from ..persistence import load
    from ..tabular import TabularModel

    model = load(path)
    if not isinstance(model, TabularModel):
        raise CliError(
            f"{path!r} holds a glassnet {type(model).__name__}, not a model written by 'glassnet train'",
            hint="load it in Python with glassnet.load",
        )
    return model


@contextlib.contextmanager
def notes_on_stderr(ignore=(), show: bool = True):
    """Show each distinct warning raised inside as one ``note:`` line
    (or none with ``show=False``)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    seen = set()
    for warning in caught:
        message = str(warning.message).strip()
        if not show or message in seen or any(text in message for text in ignore):
            continue
        seen.add(message)
        # a category may ask to be shown as a warning rather than a note
        print(f"{getattr(warning.category, 'shown_as', 'note')}: {message}", file=sys.stderr)


def note_extrapolation(model, frame, source, encoded=None) -> None:
    """A ``note:`` counting the rows beyond the training range, and naming the features."""
    rows, excursions = model.outside(frame if encoded is None else encoded, source)
    note_outside(rows, len(frame), {item.name: item.rows for item in excursions})


def note_outside(rows: int, total: int, by_feature: dict) -> None:
    """The ``note:`` of :func:`note_extrapolation` from its counts: ``rows`` of
    ``total`` outside, and how many rows each feature took outside."""
    if rows:
        features = ", ".join(f"{name} ({count} row{'s' if count != 1 else ''})" for name, count in by_feature.items())
        note(f"{rows} of {total} rows lie outside the training range of some feature, so their "
             f"predictions are extrapolations: {features}")


def data_inputs(args) -> list[tuple[str, str]]:
    """The command's DATA as inputs no output may be (``_outputs.check_outputs``):
    with --chunk-rows every file of the folder or glob, else the one file."""
    if getattr(args, "chunk_rows", None) and args.data:
        from ..tabular.sources import table_paths

        return [("DATA", str(path)) for path in table_paths(args.data)]
    return [("DATA", args.data)]


def table_source(args):
    """The --chunk-rows reader of a command's DATA (a file, a folder or a glob)."""
    from ..tabular.sources import TableSource

    return TableSource(args.data, args.chunk_rows, sep=getattr(args, "sep", None),
                       encoding=getattr(args, "encoding", None))

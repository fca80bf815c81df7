"""A table on its way to the page: ``glassnet train``'s own pipeline.

An uploaded CSV is read from memory (it is never written to disk) by
:func:`glassnet.tabular.reading.read_bytes`, with the rules of ``glassnet
train``'s reader. :func:`page_table` then prepares it with
:func:`glassnet.tabular.pipeline.prepare_table`, the function ``glassnet
train`` prepares its tables with, and the same options it defaults to
(empty cells filled with the training part's median or most frequent
category, the standard scaler), with the page's test share and seed. What
is the page's own: a limit on the classes its colours can show, and the
pipeline's notes collected as words for the page (its controls named where
the command line names its flags) rather than printed (any other warning
goes to the server's log, in words).
"""

from __future__ import annotations

import pandas as pd

from ..parameters import PLAYGROUND, Fix, FixableError, Fixes
from ..tabular.notes import DataNote
from .messages import page_text
from ..tabular.pipeline import PreparedTable, TableOptions, infer_task, prepare_table
from .caught import LOG, collected

__all__ = ["page_table", "SCALER", "MAX_CLASSES"]

SCALER = "standard"
# more classes than this would not fit the page's colours and output column
MAX_CLASSES = 50


def page_table(frame: pd.DataFrame, target: str, test_ratio: float = 0.5, seed: int = 0,
               source: str = "the data", ignore=()) -> tuple[PreparedTable, list[str]]:
    """``(prepared table, notes)``: ``frame`` split and encoded to predict
    ``target`` from every column but those in ``ignore`` (the pipeline's
    ``ignore``), and what the pipeline said about it; ValueError for a table
    that cannot be learnt (or shown)."""
    _check_classes(frame, target)
    options = TableOptions(target=target, test_size=test_ratio, seed=seed, scaler=SCALER, ignore=list(ignore))
    with collected() as caught:
        prepared = prepare_table(frame, options, source)
    notes = []
    for warning in caught:
        if issubclass(warning.category, DataNote):
            notes.append(page_text(warning.message))
        else:
            LOG.warning("%s", warning.message)
    return prepared, list(dict.fromkeys(notes))


def _check_classes(frame: pd.DataFrame, target: str) -> None:
    """Before any work: a target of more classes than the page can colour is refused."""
    if target not in frame.columns:
        return  # the pipeline names the columns there are
    cells = frame[target].str.strip()
    cells = cells[cells != ""]
    if cells.empty or infer_task(cells) != "classify":
        return
    count = cells.nunique()
    if count > MAX_CLASSES:
        raise FixableError(f"the target column {target!r} has {count} classes; the playground shows at "
                           f"most {MAX_CLASSES}", Fixes(Fix("target", verb="change"), before=": ", after=""),
                           " (or train it with glassnet train)", door=PLAYGROUND)

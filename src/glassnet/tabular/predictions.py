"""``glassnet predict``'s table: exactly one row out per row in, in order.

Each output row starts with the row's identifier (the ``--id`` column, or
the row number counted from 1 under the header), then the prediction and,
for a classifier, one probability column per class, then a ``note``. A row
that cannot be predicted (a cell that is not a number, an empty cell in a
model that does not impute, numbers too large to scale) keeps its place
with empty prediction cells, and its note says why. Nothing is dropped.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .columns import check_has_columns
from .encoding import Encoded
from .tally import EncodedTally

__all__ = ["prediction_table", "prediction_rows", "identifier_column", "ROW_COLUMN", "NOTE_COLUMN"]

ROW_COLUMN = "row"
NOTE_COLUMN = "note"


def identifier_column(model, frame: pd.DataFrame, id_column: str | None, source: str) -> str | None:
    """The column that identifies rows: ``id_column`` (which must exist), else
    the model's own ``--id`` column when the file has it, else None."""
    if id_column is not None:
        check_has_columns(frame, [id_column], source, what="the --id")
        return id_column
    if model.id_column is not None and model.id_column in frame.columns:
        return model.id_column
    return None


def _outputs(model, encoded: Encoded, source: str) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """``(usable rows, predictions, probabilities)`` for the rows that can be predicted."""
    usable = encoded.usable
    X = encoded.X[usable]
    if model.scaler is not None and X.shape[0]:
        with np.errstate(over="ignore", invalid="ignore"):
            X = model.scaler.transform(X)
    finite = np.isfinite(X).all(axis=1)
    positions = np.flatnonzero(usable)
    for position in positions[~finite]:
        encoded.problems[int(position)] = ["numbers too large to scale"]
    positions, X = positions[finite], X[finite]
    if not X.shape[0]:
        return positions, np.empty(0), None
    outputs = model.outputs(X)
    with np.errstate(over="ignore", invalid="ignore"):
        predicted = model.decode(outputs)
    finite = np.isfinite(outputs).all(axis=1)
    if model.task != "classify":
        finite &= np.isfinite(predicted)
    for position in positions[~finite]:
        encoded.problems[int(position)] = ["the network's output is not a finite number"]
    positions, outputs, predicted = positions[finite], outputs[finite], predicted[finite]
    proba = model.probabilities(outputs) if model.task == "classify" else None
    return positions, predicted, proba


def prediction_table(model, frame: pd.DataFrame, source: str = "the data", id_column: str | None = None):
    """``(table, encoded)``: the predictions, one row per row of ``frame``,
    and the encoded rows (for the extrapolation note). Notes (as
    :class:`~.notes.DataNote` warnings) say which cells were filled, which
    categories are new and how many rows could not be predicted."""
    identifier = identifier_column(model, frame, id_column, source)
    table, encoded = prediction_rows(model, frame, source, identifier)
    tally = EncodedTally(model)
    tally.add(encoded, frame, source)
    tally.warn_filled(source)
    tally.warn_problems(NOTE_COLUMN)
    return table, encoded


def prediction_rows(model, frame: pd.DataFrame, source: str, identifier: str | None):
    """``(table, encoded)`` of :func:`prediction_table` without its notes
    (for a table read in chunks, whose notes are added up);
    ``identifier`` : the column that identifies rows (see :func:`identifier_column`)."""
    encoded = model.encode(frame, source, strict=False)
    positions, predicted, proba = _outputs(model, encoded, source)
    n = len(frame)
    table = pd.DataFrame(index=range(n))
    if identifier is not None:
        table[identifier] = frame[identifier].to_numpy()
    else:
        table[ROW_COLUMN] = frame.index.to_numpy() + 1
    name = f"predicted_{model.target}"
    if model.task == "classify":
        labels = np.full(n, None, dtype=object)
        labels[positions] = predicted
        table[name] = labels
        for index, label in enumerate(model.classes_):
            column = np.full(n, np.nan)
            if proba is not None:
                column[positions] = proba[:, index]
            table[f"probability_{label}"] = column
    else:
        values = np.full(n, np.nan)
        values[positions] = predicted
        table[name] = values
    notes = np.full(n, "", dtype=object)
    for position, reasons in encoded.problems.items():
        notes[position] = "not predicted: " + "; ".join(reasons)
    table[NOTE_COLUMN] = notes
    return table, encoded

"""What the notes about a table say, added up over its chunks: the cells
filled, the categories not seen in training, the rows that could not be
predicted, the rows beyond the training range. A table read whole is one
chunk, so both say the same notes, once."""

from __future__ import annotations

import warnings
from collections import Counter
from dataclasses import dataclass, field

from .encoding import Encoded
from .notes import DataNote, imputed_note, rows, unseen_note

__all__ = ["EncodedTally"]


@dataclass
class EncodedTally:
    """The notes of encoded chunks of one table (``model``'s columns)."""

    model: object
    rows: int = 0
    imputed: Counter = field(default_factory=Counter)
    unseen: dict = field(default_factory=dict)
    problems: int = 0
    first_problem: tuple | None = None  # (row number, reasons)
    outside: int = 0
    outside_by_feature: Counter = field(default_factory=Counter)

    def add(self, encoded: Encoded, frame, source: str, *, extrapolation: bool = False) -> None:
        """Count ``encoded``, the encoding of ``frame`` (whose index is the row number minus one)."""
        self.rows += len(frame)
        self.imputed.update(encoded.imputed)
        for name, counts in encoded.unseen.items():
            self.unseen.setdefault(name, Counter()).update(counts)
        if encoded.problems:
            self.problems += len(encoded.problems)
            if self.first_problem is None:
                first = min(encoded.problems)
                self.first_problem = (int(frame.index[first]) + 1, encoded.problems[first])
        if extrapolation:
            outside, excursions = self.model.outside(encoded, source)
            self.outside += outside
            self.outside_by_feature.update({item.name: item.rows for item in excursions})

    def warn_filled(self, source: str) -> None:
        """Notes of the cells filled and the categories not seen in training."""
        columns = self.model.columns
        if self.imputed:
            counts = {name: self.imputed[name] for name in columns.numeric + columns.text if self.imputed[name]}
            warnings.warn(DataNote(imputed_note(counts, self.model.imputation, columns, source)))
        if self.unseen:
            # most frequent first, as each chunk lists them
            shown = {name: dict(sorted(self.unseen[name].items(), key=lambda item: (-item[1], item[0])))
                     for name in columns.text if name in self.unseen}
            warnings.warn(DataNote(unseen_note(shown, source)))

    def warn_problems(self, note_column: str) -> None:
        """A note counting the rows that could not be predicted, and why the first could not."""
        if self.problems:
            row, reasons = self.first_problem
            warnings.warn(DataNote(
                f"{rows(self.problems)} of {self.rows} could not be predicted; their prediction cells are empty and "
                f"their {note_column!r} says why (first: row {row}, {'; '.join(reasons)})"))

    def extrapolation(self) -> tuple[int, dict[str, int]]:
        """``(rows outside the training range, rows outside per feature in the range's order)``."""
        training_range = self.model.training_range
        names = [] if training_range is None else [training_range.name(j) for j in range(training_range.low.shape[0])]
        return self.outside, {name: self.outside_by_feature[name] for name in names if self.outside_by_feature[name]}

"""Remembering the training range of each input feature, and warning when a
prediction is asked for outside it.

A network is fitted to the inputs it was trained on; beyond their range its
output is an extrapolation that nothing in training supported (the article's
test row [0, 1, 10] lies ten times beyond the training range of its third
feature). Models record a :class:`TrainingRange` when they train, and their
``predict`` calls :meth:`TrainingRange.warn`, which issues an
:class:`ExtrapolationWarning` naming the features, the number of rows and
how far outside the range they go.

Repeated training widens the range to the union of everything trained on,
since the weights have been fitted to all of it.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .._stack import user_stacklevel

__all__ = ["ExtrapolationWarning", "TrainingRange", "Excursion"]

# how many features a warning names before summing up the rest
_NAMED_FEATURES = 5


@dataclass(frozen=True)
class Excursion:
    """How the rows of one feature left its training range ``[low, high]``."""

    feature: int
    name: str
    low: float
    high: float
    rows_below: int
    rows_above: int
    most_below: float
    most_above: float

    @property
    def rows(self) -> int:
        """Rows outside the range on this feature (a value is below or above, not both)."""
        return self.rows_below + self.rows_above

    def describe(self) -> str:
        """E.g. ``x[:, 2] leaves its range [0, 1] in 2 rows: up to 9 above (9× the range's width)``."""
        sides = [
            f"up to {distance:.4g} {side}"
            for side, count, distance in (("below", self.rows_below, self.most_below), ("above", self.rows_above, self.most_above))
            if count
        ]
        width = self.high - self.low
        scale = f" ({max(self.most_below, self.most_above) / width:.3g}× the range's width)" if width > 0 else ""
        return f"{self.name} leaves its range [{self.low:g}, {self.high:g}] in {_rows(self.rows)}: {', '.join(sides)}{scale}"


class ExtrapolationWarning(UserWarning):
    """Some rows given to ``predict`` lie outside the training range.

    ``n_rows`` and ``n_total`` count the rows outside and all rows;
    ``excursions`` lists an :class:`Excursion` per feature outside.
    """

    def __init__(self, message: str, n_rows: int = 0, n_total: int = 0, excursions=()):
        super().__init__(message)
        self.n_rows = n_rows
        self.n_total = n_total
        self.excursions = list(excursions)


def _rows(n: int) -> str:
    return f"{n} row" + ("" if n == 1 else "s")


def _column_extremes(X):
    """Per-column min and max of a dense array or sparse matrix, shape (n_features,)."""
    low, high = X.min(axis=0), X.max(axis=0)
    if sp.issparse(X):
        low, high = low.toarray(), high.toarray()
    return np.ravel(low), np.ravel(high)


@dataclass(frozen=True, eq=False)
class TrainingRange:
    """The smallest and largest training value of each feature.

    ``low`` and ``high`` have shape (n_features,); ``names`` are the
    features' names (default ``x[:, j]``, as a NumPy user indexes them).
    """

    low: np.ndarray
    high: np.ndarray
    names: tuple[str, ...] | None = None

    @classmethod
    def from_array(cls, bounds, names=None) -> "TrainingRange":
        """The range held as an estimator's ``training_range_``: shape (2, n_features), lows then highs."""
        bounds = np.asarray(bounds, dtype=np.float64)
        return cls(bounds[0], bounds[1], None if names is None else tuple(map(str, names)))

    def as_array(self) -> np.ndarray:
        """Lows and highs stacked, shape (2, n_features), as estimators keep them."""
        return np.vstack([self.low, self.high])

    @classmethod
    def of(cls, X, names=None) -> "TrainingRange":
        """The range of ``X`` (n_samples, n_features), dense or sparse."""
        low, high = _column_extremes(X)
        return cls(low.astype(np.float64), high.astype(np.float64), None if names is None else tuple(map(str, names)))

    def widened(self, X) -> "TrainingRange":
        """The union of this range and the range of ``X``."""
        low, high = _column_extremes(X)
        return TrainingRange(np.minimum(self.low, low), np.maximum(self.high, high), self.names)

    def union(self, other: "TrainingRange") -> "TrainingRange":
        """The union of two ranges of the same features: two vector min/max,
        no pass over any data."""
        if other.low.shape != self.low.shape:
            raise ValueError(f"the ranges cover {self.low.shape[0]} and {other.low.shape[0]} features; "
                             "expected the same features")
        return TrainingRange(np.minimum(self.low, other.low), np.maximum(self.high, other.high),
                             self.names if self.names is not None else other.names)

    def name(self, feature: int) -> str:
        return self.names[feature] if self.names is not None else f"x[:, {feature}]"

    def excursions(self, X) -> tuple[int, list[Excursion]]:
        """``(rows outside, one Excursion per feature outside)`` for ``X``.

        Column extremes decide first which features left the range, so data
        inside it costs one pass; only the offending columns are examined row
        by row (densified when ``X`` is sparse).
        """
        if X.shape[0] == 0:  # no row, so none outside (and no extremes to take)
            return 0, []
        col_low, col_high = _column_extremes(X)
        features = np.flatnonzero((col_low < self.low) | (col_high > self.high))
        if features.size == 0:
            return 0, []
        columns = X[:, features]
        columns = columns.toarray() if sp.issparse(columns) else np.asarray(columns, dtype=np.float64)
        below = np.maximum(self.low[features] - columns, 0.0)
        above = np.maximum(columns - self.high[features], 0.0)
        n_rows = int(np.count_nonzero((below > 0).any(axis=1) | (above > 0).any(axis=1)))
        found = [
            Excursion(
                int(j),
                self.name(int(j)),
                float(self.low[j]),
                float(self.high[j]),
                int(np.count_nonzero(below[:, k])),
                int(np.count_nonzero(above[:, k])),
                float(below[:, k].max()),
                float(above[:, k].max()),
            )
            for k, j in enumerate(features)
        ]
        return n_rows, found

    def warn(self, X, stacklevel: int | None = None) -> ExtrapolationWarning | None:
        """Warn (and return the warning) when rows of ``X`` leave the range.

        ``stacklevel`` counts from the caller of ``warn``, as in
        :func:`warnings.warn`; by default the warning names the first line
        outside glassnet and scikit-learn, the user's call.
        """
        n_rows, found = self.excursions(X)
        if not found:
            return None
        n_total = X.shape[0]
        named = "; ".join(excursion.describe() for excursion in found[:_NAMED_FEATURES])
        if len(found) > _NAMED_FEATURES:
            named += f"; and {len(found) - _NAMED_FEATURES} more feature(s)"
        verb = "is" if n_rows == 1 else "are"
        message = (
            f"{n_rows} of {_rows(n_total)} {verb} outside the training range, so the predictions there "
            f"are extrapolations: {named}"
        )
        warning = ExtrapolationWarning(message, n_rows, n_total, found)
        level = user_stacklevel() if stacklevel is None else stacklevel + 1
        warnings.warn(warning, stacklevel=level)
        return warning

    def as_dict(self) -> dict:
        """Plain lists, ready for JSON (model files)."""
        return {"low": self.low.tolist(), "high": self.high.tolist(), "names": None if self.names is None else list(self.names)}

    @classmethod
    def from_dict(cls, data: dict) -> "TrainingRange":
        names = data.get("names")
        return cls(np.asarray(data["low"], np.float64), np.asarray(data["high"], np.float64), None if names is None else tuple(names))

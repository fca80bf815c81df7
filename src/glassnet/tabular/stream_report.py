"""The figures of :mod:`.report` on a table read in chunks: each chunk's
rows are tallied, nothing else is kept, so memory does not grow with the
table.

* Classification: the (true, predicted) label pairs are counted, and the
  figures are scikit-learn's on those distinct pairs weighted by their
  counts (:func:`~.report.class_figures`): the same confusion matrix,
  accuracy, precision, recall and F1 as on every row. ROC AUC is computed
  from each class's scores in :data:`BINS` equal bins of [0, 1] (with
  ``sklearn.metrics.roc_auc_score`` on the bins weighted by their counts; a
  positive and a negative row in one bin count as a tie), so it may differ
  from the exact figure by at most the share of such pairs, for a model
  worth the name well under 0.001. Several classes: the mean of each
  class's one-against-the-rest AUC, scikit-learn's ``ovr`` macro average.
* Regression: the sums of absolute and squared errors, and the mean and
  spread of the target merged chunk by chunk (Chan's parallel formula), give
  MAE, MSE, RMSE and R² as ``sklearn.metrics`` defines them.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
from sklearn import metrics

from .._registry import Registry
from .notes import DataNote
from .report import class_figures, roc_auc_notes
from .tally import EncodedTally

__all__ = ["TALLIES", "streamed_report", "BINS"]

# score bins per class for ROC AUC
BINS = 1 << 16


class _ClassTally:
    def __init__(self, model):
        self.model = model
        self.classes = model.classes_
        self.pairs = pd.Series(dtype=np.int64)
        scored = [1] if len(self.classes) == 2 else range(len(self.classes))
        # class index -> (bins of its rows' scores, bins of the other known rows' scores)
        self.bins = {index: (np.zeros(BINS, np.int64), np.zeros(BINS, np.int64)) for index in scored}
        self.unknown = 0

    def add(self, y_true: np.ndarray, outputs: np.ndarray) -> None:
        proba = self.model.probabilities(outputs)
        y_pred = self.classes[np.argmax(proba, axis=1)]
        pairs = pd.DataFrame({"true": y_true, "predicted": y_pred}).value_counts()
        self.pairs = pairs if self.pairs.empty else self.pairs.add(pairs, fill_value=0).astype(np.int64)
        known = np.isin(y_true, self.classes)
        self.unknown += int((~known).sum())
        y_known, proba = y_true[known], proba[known]
        for index, (positive, negative) in self.bins.items():
            where = np.minimum((proba[:, index] * BINS).astype(np.intp), BINS - 1)
            mine = y_known == self.classes[index]
            positive += np.bincount(where[mine], minlength=BINS)
            negative += np.bincount(where[~mine], minlength=BINS)

    def _roc_auc(self, source: str) -> float | None:
        present = [label for index, label in enumerate(self.classes)
                   if (self.bins[index][0].sum() if index in self.bins else 0) > 0]
        if len(self.classes) == 2:
            negatives = int(self.bins[1][1].sum())
            present = ([self.classes[0]] if negatives else []) + present
        if not roc_auc_notes(len(present), self.unknown, source, present[0] if present else None):
            return None
        if len(present) < len(self.classes):
            missing = [str(label) for label in self.classes if label not in present]
            warnings.warn(DataNote(f"roc_auc is not defined on {source}: one-against-the-rest needs rows of every "
                                   f"class of the model, and there are none of {', '.join(map(repr, missing))}"))
            return None
        centres = (np.arange(BINS) + 0.5) / BINS
        scores = []
        for positive, negative in self.bins.values():
            filled = (positive > 0) | (negative > 0)
            y = np.concatenate([np.ones(filled.sum()), np.zeros(filled.sum())])
            weights = np.concatenate([positive[filled], negative[filled]])
            scores.append(metrics.roc_auc_score(y, np.tile(centres[filled], 2), sample_weight=weights))
        return float(np.mean(scores))

    def figures(self, source: str) -> dict:
        true = self.pairs.index.get_level_values("true").to_numpy(dtype=object).astype(str)
        predicted = self.pairs.index.get_level_values("predicted").to_numpy(dtype=object).astype(str)
        weights = self.pairs.to_numpy(dtype=np.int64)
        return class_figures(self.model, true, predicted, lambda: self._roc_auc(source), source, sample_weight=weights)


class _ValueTally:
    def __init__(self, model):
        self.model = model
        self.n, self.absolute, self.squared = 0, 0.0, 0.0
        self.mean, self.spread = 0.0, 0.0  # of the target: its mean and sum of squared deviations

    def add(self, y_true: np.ndarray, outputs: np.ndarray) -> None:
        errors = y_true - self.model.decode(outputs)
        n, mean = y_true.size, float(np.mean(y_true))
        spread = float(np.sum((y_true - mean) ** 2))
        total = self.n + n
        # Chan et al.'s update of the mean and spread by a chunk's own
        delta = mean - self.mean
        self.spread += spread + delta**2 * self.n * n / total
        self.mean += delta * n / total
        self.n = total
        self.absolute += float(np.sum(np.abs(errors)))
        self.squared += float(np.sum(errors**2))

    def figures(self, source: str) -> dict:
        mse = self.squared / self.n
        r2 = None
        if self.n > 1:
            # scikit-learn's r2_score for a constant target: 1 when predicted exactly, else 0
            r2 = 1.0 - self.squared / self.spread if self.spread > 0 else float(self.squared == 0)
        return {"mae": self.absolute / self.n, "mse": mse, "rmse": math.sqrt(mse), "r2": r2}


# task -> its tally of label/value rows and network outputs
TALLIES: Registry = Registry("task")
TALLIES.register("classify", _ClassTally)
TALLIES.register("regress", _ValueTally)


def streamed_report(model, frames, source: str = "the data", notes: EncodedTally | None = None) -> dict:
    """:func:`~.report.report`'s figures for the rows of ``frames`` (tables
    holding the target column), one at a time; the notes are said once for
    all of them; None when there are no rows. ``notes`` : a tally to count
    the rows' notes in (say, to note the rows beyond the training range afterwards)."""
    tally = TALLIES.get(model.task)(model)
    notes = notes if notes is not None else EncodedTally(model)
    for frame in frames:
        y_true = model.labels(frame, source)
        encoded = model.encode(frame, source)
        notes.add(encoded, frame, source, extrapolation=True)
        tally.add(y_true, model.outputs(model.scale(encoded.X, source)))
    if not notes.rows:
        return None
    notes.warn_filled(source)
    return tally.figures(source)

"""The figures of ``glassnet evaluate`` (and of ``train``'s test report),
all computed by ``sklearn.metrics``, one function per task.

Labels the model never saw in training keep their rows: they get a row of
their own in the confusion matrix (the model cannot predict them, so their
column is zeros), count as errors in accuracy, and are named in a note.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from sklearn import metrics

from .._registry import Registry
from .notes import DataNote, imputed_note, rows, unseen_labels_note, unseen_note

__all__ = ["REPORTS", "report", "format_report", "predictions", "class_figures", "roc_auc_notes"]


def roc_auc_notes(present: int, unknown_rows: int, source: str, single=None) -> bool:
    """The notes of ROC AUC on rows of ``present`` of the model's classes,
    ``unknown_rows`` of them with labels the model never saw; False when it is undefined."""
    if present < 2:
        warnings.warn(DataNote(
            f"roc_auc is not defined on {source}: it needs rows of at least two of the model's classes, and "
            f"{'there are none' if present == 0 else f'all are {str(single)!r}'}"))
        return False
    if unknown_rows:
        warnings.warn(DataNote(f"roc_auc leaves out the {rows(unknown_rows)} whose label the model never "
                               "saw; every other figure counts them"))
    return True


def _roc_auc(y_true, proba, classes, source) -> float | None:
    """ROC AUC on the rows whose label the model knows; None (with a note) when undefined."""
    known = np.isin(y_true, classes)
    present = np.unique(y_true[known])
    if not roc_auc_notes(present.size, int((~known).sum()), source, present[0] if present.size else None):
        return None
    y_known, proba_known = y_true[known], proba[known]
    try:
        if len(classes) == 2:
            return float(metrics.roc_auc_score(y_known == classes[1], proba_known[:, 1]))
        return float(metrics.roc_auc_score(y_known, proba_known, multi_class="ovr", average="macro", labels=classes))
    except ValueError as error:
        # one-vs-rest needs every class of the model among the rows
        warnings.warn(DataNote(f"roc_auc is not defined on {source}: {error}"))
        return None


def _classification(model, y_true, outputs, source) -> dict:
    classes = model.classes_
    y_pred = classes[np.argmax(outputs, axis=1)]
    return class_figures(model, y_true, y_pred, lambda: _roc_auc(y_true, outputs, classes, source), source)


def class_figures(model, y_true, y_pred, roc_auc, source, sample_weight=None) -> dict:
    """The classification figures of true and predicted labels (each row
    counted ``sample_weight`` times: a table's rows tallied as distinct
    pairs give its figures); ``roc_auc()`` gives that figure."""
    classes = model.classes_
    weights = np.ones(len(y_true), dtype=np.int64) if sample_weight is None else sample_weight
    unseen = sorted(set(y_true) - set(classes))
    labels = list(classes) + unseen
    matrix = metrics.confusion_matrix(y_true, y_pred, labels=labels, sample_weight=sample_weight)
    figures = {"labels": [str(label) for label in labels], "confusion_matrix": matrix.tolist()}
    if unseen:
        counts = {str(label): int(np.sum(weights[y_true == label])) for label in unseen}
        figures["unseen_labels"] = counts
        warnings.warn(DataNote(unseen_labels_note(counts, model.target, source)))
    binary = len(classes) == 2
    if binary:
        # the positive class is the second label in sorted order ("1", "yes", ...)
        tn, fp, fn, tp = (int(count) for count in matrix[:2, :2].ravel())
        figures.update(positive_label=str(classes[1]), tp=tp, tn=tn, fp=fp, fn=fn)
    # binary: the positive class's figures; else macro averages over the model's classes
    average, scored = ("micro", [classes[1]]) if binary else ("macro", list(classes))
    figures["accuracy"] = float(metrics.accuracy_score(y_true, y_pred, sample_weight=sample_weight))
    for name, score in (("precision", metrics.precision_score), ("recall", metrics.recall_score), ("f1", metrics.f1_score)):
        figures[name] = float(score(y_true, y_pred, average=average, zero_division=0, labels=scored,
                                    sample_weight=sample_weight))
    figures["roc_auc"] = roc_auc()
    return figures


def _regression(model, y_true, outputs, source) -> dict:
    y_pred = outputs
    mse = float(metrics.mean_squared_error(y_true, y_pred))
    r2 = float(metrics.r2_score(y_true, y_pred)) if len(y_true) > 1 else None
    return {"mae": float(metrics.mean_absolute_error(y_true, y_pred)), "mse": mse, "rmse": math.sqrt(mse), "r2": r2}


# task -> (figures from (model, y_true, outputs, source), the TabularModel method decoding the network's outputs)
REPORTS: Registry = Registry("task")
REPORTS.register("classify", (_classification, "probabilities"))
REPORTS.register("regress", (_regression, "decode"))


def predictions(model, frame, source: str = "the data", method: str = "decode") -> np.ndarray:
    """``model.<method>`` of the network's outputs on every row of ``frame``:
    predictions in the target's own units ("decode") or class probabilities
    ("probabilities"), noting the cells filled and the categories not seen in
    training (ValueError for a bad cell)."""
    encoded = model.encode(frame, source)
    if encoded.imputed:
        warnings.warn(DataNote(imputed_note(encoded.imputed, model.imputation, model.columns, source)))
    if encoded.unseen:
        warnings.warn(DataNote(unseen_note(encoded.unseen, source)))
    return getattr(model, method)(model.outputs(model.scale(encoded.X, source)))


def report(model, frame, source: str = "the data") -> dict:
    """The metrics of ``model`` on ``frame`` (which holds the target column)."""
    y_true = model.labels(frame, source)
    figures_of, method = REPORTS.get(model.task)
    return figures_of(model, y_true, predictions(model, frame, source, method), source)


# a class name longer than this heads its column by its number, so that the matrix fits a terminal
LONG_LABEL = 12


def _confusion_lines(figures: dict) -> list[str]:
    """The confusion matrix as lines: short class names head their columns;
    long ones (more than LONG_LABEL characters) are numbered, each named once
    at the start of its row, and the columns headed by the numbers."""
    labels = [str(label) for label in figures["labels"]]
    unseen = figures.get("unseen_labels", {})
    names = [f"{label} (unseen)" if label in unseen else label for label in labels]
    matrix = figures["confusion_matrix"]
    lines = ["confusion matrix (rows: true, columns: predicted)"]
    if all(len(label) <= LONG_LABEL for label in labels):
        width = max(8, *(len(name) for name in names)) + 2
        lines.append(" " * width + "".join(f"{label:>{width}}" for label in labels))
        lines += [f"{name:>{width}}" + "".join(f"{count:>{width}}" for count in row) for name, row in zip(names, matrix)]
        return lines
    numbered = [f"{k + 1}. {name}" for k, name in enumerate(names)]
    name_width = max(len(name) for name in numbered) + 2
    width = max(len(str(len(labels))), *(len(str(count)) for row in matrix for count in row)) + 3
    lines.append(" " * name_width + "".join(f"{k + 1:>{width}}" for k in range(len(labels))))
    lines += [f"  {name:<{name_width - 2}}" + "".join(f"{count:>{width}}" for count in row)
              for name, row in zip(numbered, matrix)]
    return lines


def format_report(figures: dict) -> list[str]:
    """The report as lines of text for a terminal."""
    lines = []
    if "confusion_matrix" in figures:
        lines += _confusion_lines(figures)
        if "tp" in figures:
            lines.append(f"positive class {figures['positive_label']!r}: TP {figures['tp']}  TN {figures['tn']}  "
                         f"FP {figures['fp']}  FN {figures['fn']}")
    names = [name for name in ("accuracy", "precision", "recall", "f1", "roc_auc", "mae", "mse", "rmse", "r2") if name in figures]
    lines.append("  ".join(f"{name} {'n/a' if figures[name] is None else format(figures[name], '.4f')}" for name in names))
    return lines

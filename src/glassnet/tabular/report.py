"""The figures of ``glassnet evaluate`` (and of ``train``'s test report),
all computed by ``sklearn.metrics``, one function per task."""

from __future__ import annotations

import math

import numpy as np
from sklearn import metrics

from .._registry import Registry

__all__ = ["REPORTS", "report", "format_report"]


def _classification(model, y_true, frame, source) -> dict:
    classes = model.classes_
    proba = model.predict_proba(frame, source)
    y_pred = classes[np.argmax(proba, axis=1)] if proba.ndim == 2 and proba.shape[1] == len(classes) else model.predict(frame, source)
    matrix = metrics.confusion_matrix(y_true, y_pred, labels=classes)
    figures = {"labels": [str(label) for label in classes], "confusion_matrix": matrix.tolist()}
    binary = len(classes) == 2
    if binary:
        # the positive class is the second label in sorted order ("1", "yes", ...)
        tn, fp, fn, tp = (int(count) for count in matrix.ravel())
        figures.update(positive_label=str(classes[1]), tp=tp, tn=tn, fp=fp, fn=fn)
    average = "binary" if binary else "macro"
    options = {"pos_label": classes[1]} if binary else {}
    figures["accuracy"] = float(metrics.accuracy_score(y_true, y_pred))
    for name, score in (("precision", metrics.precision_score), ("recall", metrics.recall_score), ("f1", metrics.f1_score)):
        figures[name] = float(score(y_true, y_pred, average=average, zero_division=0, labels=classes, **options))
    try:
        if binary:
            auc = metrics.roc_auc_score(y_true == classes[1], proba[:, 1])
        else:
            auc = metrics.roc_auc_score(y_true, proba, multi_class="ovr", average="macro", labels=classes)
        figures["roc_auc"] = float(auc)
    except ValueError:
        # a single class in y_true, or classes the model never saw: undefined
        figures["roc_auc"] = None
    return figures


def _regression(model, y_true, frame, source) -> dict:
    y_pred = model.predict(frame, source)
    mse = float(metrics.mean_squared_error(y_true, y_pred))
    r2 = float(metrics.r2_score(y_true, y_pred)) if len(y_true) > 1 else None
    return {"mae": float(metrics.mean_absolute_error(y_true, y_pred)), "mse": mse, "rmse": math.sqrt(mse), "r2": r2}


REPORTS: Registry = Registry("task")
REPORTS.register("classify", _classification)
REPORTS.register("regress", _regression)


def report(model, frame, source: str = "the data") -> dict:
    """The metrics of ``model`` on ``frame`` (which holds the target column)."""
    y_true = model.labels(frame, source)
    return REPORTS.get(model.task)(model, y_true, frame, source)


def format_report(figures: dict) -> list[str]:
    """The report as lines of text for a terminal."""
    lines = []
    if "confusion_matrix" in figures:
        labels = figures["labels"]
        width = max(8, *(len(label) for label in labels)) + 2
        lines.append("confusion matrix (rows: true, columns: predicted)")
        lines.append(" " * width + "".join(f"{label:>{width}}" for label in labels))
        for label, row in zip(labels, figures["confusion_matrix"]):
            lines.append(f"{label:>{width}}" + "".join(f"{count:>{width}}" for count in row))
        if "tp" in figures:
            lines.append(f"positive class {figures['positive_label']!r}: TP {figures['tp']}  TN {figures['tn']}  "
                         f"FP {figures['fp']}  FN {figures['fn']}")
    names = [name for name in ("accuracy", "precision", "recall", "f1", "roc_auc", "mae", "mse", "rmse", "r2") if name in figures]
    lines.append("  ".join(f"{name} {'n/a' if figures[name] is None else format(figures[name], '.4f')}" for name in names))
    return lines

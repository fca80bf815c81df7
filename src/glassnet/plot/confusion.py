"""The confusion matrix of a classifier on labelled data."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ..protocol import adapt
from ._common import save_figure

__all__ = ["confusion_matrix"]


def confusion_matrix(model, X, y=None, path=None, *, normalize: str | None = None) -> Figure:
    """Counts of (true class, predicted class) pairs, drawn as a heat map.

    ``model`` is a fitted classifier (an MLPClassifier, a Pipeline ending in
    one, or a model from ``glassnet train``, whose own target column is used
    when ``y`` is None).
    ``normalize`` is passed to ``sklearn.metrics.confusion_matrix`` ("true",
    "pred", "all" or None for counts). Saves to ``path`` (.png, .svg or .pdf)
    when given; returns the Figure.
    """
    from sklearn.metrics import ConfusionMatrixDisplay
    from sklearn.metrics import confusion_matrix as counts

    adapter = adapt(model, "plot.confusion_matrix")
    classes = adapter.classes
    if classes is None:
        raise ValueError(f"plot.confusion_matrix needs a fitted classifier, got a {adapter.kind}")
    rows = adapter.encode(X, y)
    if rows.y is None:
        raise ValueError("plot.confusion_matrix needs the true labels y for this model")
    y = rows.y
    predicted = adapter.decode(adapter.forward(rows))
    # labels the model never saw keep their own row (their column stays empty)
    labels = list(classes) + sorted(set(np.asarray(y).tolist()) - set(np.asarray(classes).tolist()))
    matrix = counts(np.asarray(y), predicted, labels=labels, normalize=normalize)
    size = max(4.0, 0.6 * len(labels) + 2.5)
    figure = Figure(figsize=(size + 1, size))
    axes = figure.subplots()
    display = ConfusionMatrixDisplay(matrix, display_labels=[str(label) for label in labels])
    display.plot(ax=axes, cmap="Blues", colorbar=True, values_format=None if normalize else "d",
                 xticks_rotation=45 if len(labels) > 4 else "horizontal")
    axes.set_title(f"Confusion matrix ({len(y)} rows)", loc="left")
    return save_figure(figure, path)

"""The decision boundary of a model on two-feature data.

The model is evaluated on a grid covering the data (with a margin); its
output is drawn as a heat map and the data points on top, coloured by their
class. For one output (or a binary classifier's probabilities) the map is
the output itself, with the decision boundary drawn at the model's
threshold; for several classes each region takes its class's colour, paler
where the model is less sure. A dashed rectangle shows the training range:
outside it, the map is extrapolation.
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from ..engine.validation import check_X
from ..protocol import adapt
from ._common import save_figure

__all__ = ["decision_boundary", "CLASS_COLOURS"]

CLASS_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
_MARGIN = 0.1


def _scores(adapter, grid: np.ndarray) -> np.ndarray:
    """The model's outputs on the grid, shape (n_points, n_outputs): a
    classifier's probabilities (a binary one's as one column, P(second
    class)), otherwise its predictions.

    The grid reaches past the data on purpose (the rectangle shows where); it
    goes straight to the network, so no extrapolation warning is spent on it.
    """
    names = adapter.feature_names
    if names is not None and len(names) == grid.shape[1]:
        # a model fitted on a DataFrame takes its columns by name
        import pandas as pd

        grid = pd.DataFrame(grid, columns=list(names))
    outputs = adapter.outputs(grid)
    if adapter.is_classifier:
        scores = np.asarray(adapter.probabilities(outputs), dtype=np.float64)
        return scores[:, 1:] if scores.shape[1] == 2 else scores
    return np.asarray(adapter.decode(outputs), dtype=np.float64).reshape(outputs.shape[0], -1)


def _class_indices(y, n_rows: int):
    """``(index per row, class labels)`` from labels or one-hot rows."""
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] > 1:
        return y.argmax(axis=1), list(range(y.shape[1]))
    y = y.reshape(-1)
    if y.shape[0] != n_rows:
        raise ValueError(f"X has {n_rows} rows but y has {y.shape[0]}; expected the same number")
    labels, indices = np.unique(y, return_inverse=True)
    return indices, [label.item() if hasattr(label, "item") else label for label in labels]


def _grid(X: np.ndarray, resolution: int):
    low, high = X.min(axis=0), X.max(axis=0)
    pad = np.where(high > low, (high - low) * _MARGIN, 0.5)
    axes = [np.linspace(low[k] - pad[k], high[k] + pad[k], resolution) for k in range(2)]
    xx, yy = np.meshgrid(*axes)
    return xx, yy, np.column_stack([xx.ravel(), yy.ravel()])


def _regions(scores: np.ndarray, shape) -> np.ndarray:
    """RGB image of the winning class, paler where its probability is lower."""
    k = scores.shape[1]
    winner = scores.argmax(axis=1)
    # 1/k (a tie) maps to white, certainty to the full class colour
    sureness = np.clip((scores.max(axis=1) - 1 / k) / (1 - 1 / k), 0, 1)[:, None]
    colours = np.array([to_rgb(CLASS_COLOURS[c % len(CLASS_COLOURS)]) for c in winner])
    # pale enough that the points, drawn in the full colours, stand out
    image = 1 - (0.12 + 0.5 * sureness) * (1 - colours)
    return image.reshape(*shape, 3)


def decision_boundary(model, X, y, path=None, *, resolution: int = 200, feature_names=("x[:, 0]", "x[:, 1]")) -> Figure:
    """Heat map of ``model``'s output over 2-feature data, with the points.

    ``X`` : array of shape (n_samples, 2); ``y`` : class labels (n_samples,)
    or one-hot rows (n_samples, n_classes). ``model`` is any glassnet model
    taking two features (a NeuralNetwork, an estimator, a Pipeline ending in
    one, a Network): a classifier's probabilities are drawn, otherwise its
    output.
    Saves to ``path`` (.png, .svg or .pdf) when given; returns the Figure.
    """
    X = check_X(X, None, np.float64)
    if X.shape[1] != 2:
        raise ValueError(f"decision_boundary needs data with exactly 2 features, got {X.shape[1]}")
    classes, labels = _class_indices(y, X.shape[0])
    xx, yy, grid = _grid(X, resolution)
    adapter = adapt(model, "plot.decision_boundary")
    scores = _scores(adapter, grid)
    extent = (xx.min(), xx.max(), yy.min(), yy.max())

    figure = Figure(figsize=(6.4, 5.2))
    axes = figure.add_subplot()
    handles = []
    if scores.shape[1] == 1:
        values = scores[:, 0].reshape(xx.shape)
        probability = values.min() >= 0 and values.max() <= 1
        image = axes.imshow(
            values, origin="lower", extent=extent, aspect="auto", interpolation="bilinear", gid="scores", alpha=0.75,
            cmap="RdBu_r" if probability else "viridis", vmin=0 if probability else None, vmax=1 if probability else None,
        )
        figure.colorbar(image, ax=axes, pad=0.02, label="model output")
        if probability:
            limit = float(getattr(model, "limit", 0.5))
            if values.min() < limit < values.max():
                axes.contour(xx, yy, values, levels=[limit], colors="black", linewidths=1.4)
                handles.append(Line2D([], [], color="black", lw=1.4, label=f"boundary (output = {limit:g})"))
    else:
        image = _regions(scores, xx.shape)
        axes.imshow(image, origin="lower", extent=extent, aspect="auto", interpolation="nearest", gid="scores")
        # each class's margin over its best rival is 0 exactly on its boundary; contouring
        # the margins (smooth) instead of the winner (a step) gives smooth lines
        for c in range(scores.shape[1]):
            margin = scores[:, c] - np.delete(scores, c, axis=1).max(axis=1)
            if margin.min() < 0 < margin.max():
                axes.contour(xx, yy, margin.reshape(xx.shape), levels=[0], colors="black", linewidths=0.8)
        handles.append(Line2D([], [], color="black", lw=0.8, label="boundary"))
    point_colours = [CLASS_COLOURS[c % len(CLASS_COLOURS)] for c in classes]
    axes.scatter(X[:, 0], X[:, 1], c=point_colours, s=34, edgecolor="#222222", linewidth=0.6, zorder=3, gid="points")
    for index, label in enumerate(labels):
        name = f"{label:g}" if isinstance(label, (int, float)) else str(label)
        handles.append(Line2D([], [], marker="o", ls="", markersize=7, markeredgecolor="#222222",
                              color=CLASS_COLOURS[index % len(CLASS_COLOURS)], label=f"class {name}"))

    training_range = adapter.raw_range
    if training_range is not None and len(training_range.low) == 2:
        low, high = training_range.low, training_range.high
        axes.add_patch(Rectangle(low, *(high - low), fill=False, ls="--", lw=1.2, ec="#444444", zorder=2))
        handles.append(Line2D([], [], color="#444444", ls="--", lw=1.2, label="training range"))

    axes.set_xlabel(feature_names[0])
    axes.set_ylabel(feature_names[1])
    axes.set_title("Decision boundary", loc="left")
    axes.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=min(len(handles), 5),
                fontsize=8, frameon=False)
    return save_figure(figure, path)

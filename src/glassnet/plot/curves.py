"""Curves over training epochs."""

from __future__ import annotations

from matplotlib.figure import Figure

from ._common import save_figure

__all__ = ["error_development"]

_METRIC_TITLES = {
    "mae": "Mean absolute error",
    "mse": "Mean squared error",
    "rmse": "Root mean squared error",
    "log_loss": "Log loss",
    "accuracy": "Accuracy",
}


def error_development(values, metric: str, path=None) -> Figure:
    """The per-epoch curve of ``metric`` (the article's "error development").

    The title names the metric actually plotted; the article titled its MAE
    curve "Mean Sum Squared Loss".
    """
    values = list(values)
    if not values:
        raise ValueError("there is nothing to plot: train the network for at least one epoch first")
    label = _METRIC_TITLES.get(metric, metric)
    figure = Figure(figsize=(6, 4))
    axes = figure.add_subplot()
    axes.plot(range(1, len(values) + 1), values, color="tab:blue")
    axes.set_title(f"{label} ({metric}) on the training data per epoch")
    axes.set_xlabel("Epoch")
    axes.set_ylabel(label)
    axes.grid(alpha=0.3)
    return save_figure(figure, path)

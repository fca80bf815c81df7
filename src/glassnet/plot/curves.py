"""Curves over training epochs."""

from __future__ import annotations

from matplotlib.figure import Figure

from ..protocol import adapt
from ._common import save_figure

__all__ = ["error_development", "learning_curves"]

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


# history keys that are bookkeeping or drawn in the loss panel
_NOT_METRICS = ("epoch", "loss", "val_loss", "learning_rate")


def learning_curves(model, path=None) -> Figure:
    """Training loss per epoch, with the validation loss and the metrics.

    ``model`` is a :class:`~glassnet.NeuralNetwork`, a fitted estimator, a
    Pipeline ending in one or a table model (any glassnet model that trained).
    The left panel shows the training loss (and ``val_loss`` when validation
    data was used); the right panel, when there is one, each recorded metric
    (e.g. ``mae`` and ``val_mae``, or an estimator's ``val_accuracy``).
    Saves to ``path`` (.png, .svg or .pdf) when given; returns the Figure.
    """
    history = adapt(model, "plot.learning_curves").learner.history
    if not len(history):
        raise ValueError("there is nothing to plot: train the model for at least one epoch first")
    keys = history.keys()
    losses = [key for key in ("loss", "val_loss") if key in keys]
    # per-layer lists (record_stats) are drawn by plot.training_dynamics
    metrics = [key for key in keys if key not in _NOT_METRICS and not key.startswith("layer_")]
    figure = Figure(figsize=(11 if metrics else 6, 4))
    panels = figure.subplots(1, 2 if metrics else 1, squeeze=False)[0]
    for axes, names, label in ((panels[0], losses, "loss"), (panels[-1], metrics, "metric")):
        if not names:
            continue
        for name in names:
            values = history[name]
            axes.plot(range(1, len(values) + 1), values, label=name, gid=name,
                      ls="--" if name.startswith("val_") else "-")
        axes.set_xlabel("Epoch")
        axes.set_ylabel(label)
        axes.grid(alpha=0.3)
        axes.legend(fontsize=8)
    panels[0].set_title("Loss per epoch" + (" (training and validation)" if "val_loss" in losses else ""), loc="left")
    if metrics:
        panels[-1].set_title("Metrics per epoch", loc="left")
    return save_figure(figure, path)

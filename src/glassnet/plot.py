"""Pictures, drawn with matplotlib.

Figures are built with ``matplotlib.figure.Figure`` directly rather than
``pyplot``, so they need no display and leave pyplot's global state alone.
Each function returns the Figure and, given a path, saves it (PNG or SVG by
the file's extension).
"""

from __future__ import annotations

from pathlib import Path

from matplotlib.figure import Figure

__all__ = ["error_development", "save_figure"]

_METRIC_TITLES = {
    "mae": "Mean absolute error",
    "mse": "Mean squared error",
    "rmse": "Root mean squared error",
    "log_loss": "Log loss",
    "accuracy": "Accuracy",
}


def save_figure(figure: Figure, path) -> Figure:
    """Save ``figure`` to ``path`` (format from the extension) when a path is given."""
    if path is not None:
        path = Path(path)
        if path.suffix.lower() not in (".png", ".svg", ".pdf"):
            raise ValueError(f"plot path must end in .png, .svg or .pdf, got {str(path)!r}")
        figure.savefig(path, dpi=120, bbox_inches="tight")
    return figure


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

"""A regressor's predictions against the true values, and its residuals."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ..protocol import adapt
from ._common import save_figure

__all__ = ["predicted_vs_actual"]


def predicted_vs_actual(model, X, y=None, path=None) -> Figure:
    """Two panels: predicted against actual values (with the diagonal of
    perfect predictions), and a histogram of the residuals (predicted minus
    actual).

    ``model`` is a fitted regressor with one output (an MLPRegressor, a
    Pipeline or TransformedTargetRegressor around one, or a model from
    ``glassnet train``, whose own target column is used when ``y`` is None). Saves to ``path`` (.png, .svg or .pdf) when given;
    returns the Figure.
    """
    adapter = adapt(model, "plot.predicted_vs_actual")
    if adapter.classes is not None:
        raise ValueError("plot.predicted_vs_actual needs a regressor; for a classifier draw plot.confusion_matrix")
    rows = adapter.encode(X, y)
    if rows.y is None:
        raise ValueError("plot.predicted_vs_actual needs the true values y for this model")
    actual = np.asarray(rows.y, dtype=np.float64)
    predicted = np.asarray(adapter.decode(adapter.forward(rows)), dtype=np.float64)
    if actual.ndim != 1 or predicted.shape != actual.shape:
        raise ValueError(f"plot.predicted_vs_actual draws one output; got y of shape {actual.shape} and "
                         f"predictions of shape {predicted.shape}")
    residuals = predicted - actual
    figure = Figure(figsize=(10, 4.2))
    scatter, histogram = figure.subplots(1, 2)
    scatter.scatter(actual, predicted, s=14, alpha=0.7, color="tab:blue")
    low, high = float(min(actual.min(), predicted.min())), float(max(actual.max(), predicted.max()))
    scatter.plot([low, high], [low, high], color="tab:gray", linestyle="--", linewidth=1, label="predicted = actual")
    scatter.set_xlabel("Actual")
    scatter.set_ylabel("Predicted")
    scatter.set_title(f"Predicted against actual ({len(actual)} rows)", loc="left")
    scatter.legend(loc="upper left")
    scatter.grid(alpha=0.3)
    histogram.hist(residuals, bins=min(30, max(5, len(residuals) // 5)), color="tab:blue", alpha=0.8)
    histogram.axvline(0.0, color="tab:gray", linestyle="--", linewidth=1)
    histogram.set_xlabel("Residual (predicted − actual)")
    histogram.set_ylabel("Rows")
    histogram.set_title(f"Residuals: mean {residuals.mean():.3g}, std {residuals.std():.3g}", loc="left")
    figure.tight_layout()
    return save_figure(figure, path)

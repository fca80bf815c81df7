"""Per-layer training dynamics over the epochs (``record_stats=True``)."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ..engine.stats import FIGURES, RULE_FIGURES
from ._common import save_figure
from ..protocol import adapt

__all__ = ["training_dynamics"]

# record key -> (panel title, y label, log scale); the shares (not log) run from 0 to 1
_PANELS = {
    "layer_weight_norm": ("Weight norm ‖W‖", "‖W‖", False),
    "layer_grad_norm": ("Gradient norm ‖∂L/∂W‖ (mean over steps)", "‖∂L/∂W‖", True),
    "layer_update_ratio": ("Update-to-weight ratio ‖ΔW‖/‖W‖ per step", "‖ΔW‖ / ‖W‖", True),
    "layer_dead_fraction": ("Dead units (ReLU-like, never active in the epoch)", "share of units", False),
    "layer_saturated_fraction": ("Saturated units (|z| > 4 on > 95% of rows)", "share of units", False),
    "layer_dropped_fraction": ("Outputs dropped by dropout in the epoch", "share of outputs", False),
    "layer_scale_norm": ("Normalisation scale ‖γ‖", "‖γ‖", False),
    "layer_shift_norm": ("Normalisation shift ‖β‖", "‖β‖", False),
}


def _columns(history, key) -> np.ndarray:
    """The figure per epoch and layer, shape (n_epochs, n_layers); NaN where it does not apply."""
    rows = [[np.nan if value is None else float(value) for value in record[key]]
            for record in history.records if key in record]
    return np.asarray(rows, dtype=np.float64)


def training_dynamics(model, path=None) -> Figure:
    """Each layer's weight norm, gradient norm, update-to-weight ratio and
    dead or saturated share, per epoch, one panel per figure.

    ``model`` is a :class:`~glassnet.NeuralNetwork` trained with
    ``record_stats=True`` or an estimator fitted with ``record_stats=True``.
    The update ratio's healthy band (1e-4 to 1e-2, around the usual 1e-3) is
    shaded. Saves to ``path`` (.png, .svg or .pdf) when given; returns the
    Figure.
    """
    history = adapt(model, "plot.training_dynamics").learner.history
    if not len(history) or "layer_weight_norm" not in history:
        raise ValueError(
            "there are no per-layer figures to plot: train with record_stats=True "
            "(NeuralNetwork.train(..., record_stats=True) or MLPClassifier(record_stats=True))"
        )
    epochs = np.asarray([record["epoch"] for record in history.records if "layer_weight_norm" in record])
    panels = [key for key in (*FIGURES, *RULE_FIGURES) if key in history and not np.isnan(_columns(history, key)).all()]
    columns = 3 if len(panels) > 4 else 2
    rows = -(-len(panels) // columns)
    figure = Figure(figsize=(5.2 * columns, 3.4 * rows), layout="constrained")
    grid = figure.subplots(rows, columns, squeeze=False)
    for axes, key in zip(grid.flat, panels):
        title, label, log = _PANELS[key]
        values = _columns(history, key)
        n_layers = values.shape[1]
        for layer in range(n_layers):
            if np.isnan(values[:, layer]).all():
                continue
            name = "output" if layer == n_layers - 1 else f"hidden {layer + 1}"
            axes.plot(epochs, values[:, layer], label=f"layer {layer + 1} ({name})", gid=f"{key}:{layer + 1}")
        if log and np.nanmax(values) > 0:
            axes.set_yscale("log")
        if key == "layer_update_ratio":
            axes.axhspan(1e-4, 1e-2, color="tab:green", alpha=0.08, lw=0)
        if key in ("layer_dead_fraction", "layer_saturated_fraction", "layer_dropped_fraction"):
            axes.set_ylim(-0.03, 1.03)
        axes.set_title(title, fontsize=10, loc="left")
        axes.set_xlabel("Epoch")
        axes.set_ylabel(label)
        axes.grid(alpha=0.3)
        axes.legend(fontsize=7)
    for axes in grid.flat[len(panels):]:
        axes.set_visible(False)
    figure.suptitle(f"Training dynamics per layer over {len(epochs)} epoch{'s' if len(epochs) != 1 else ''}",
                    x=0.01, ha="left", fontsize=11)
    return save_figure(figure, path)

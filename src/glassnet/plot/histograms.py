"""Histograms of every layer's activations over a data set.

They show at a glance whether units are doing anything: a relu unit that is
zero for every row is dead (no gradient reaches its weights), and a sigmoid
or tanh whose outputs pile up at its ends is saturated (its slope, and so
its gradient, is nearly zero). :func:`activation_health` computes those
figures; :func:`activations` draws them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure

from ..protocol import adapt
from ._common import save_figure

__all__ = ["activations", "activation_health", "LayerHealth", "SATURATION"]

# a logistic output within 0.01 of 0 or 1 has slope a(1 − a) < 0.01, a
# twenty-fifth of its largest; a tanh output within 0.01 of ±1 has slope
# 1 − a² < 0.02, a fiftieth of its largest
SATURATION = 0.01
_ENDS = {"logistic": (0.0, 1.0), "tanh": (-1.0, 1.0)}
_WARN = "#d62728"


@dataclass(frozen=True, eq=False)
class LayerHealth:
    """One layer's activations over the rows of X, and what they say.

    ``values`` has shape (n_samples, width). ``dead_units`` counts relu units
    that are zero for every row (None for other activations);
    ``saturated`` is the fraction of logistic/tanh values within
    :data:`SATURATION` of the function's ends (None for others).
    """

    layer: int
    activation: str
    values: np.ndarray
    dead_units: int | None = None
    saturated: float | None = None

    @property
    def width(self) -> int:
        return self.values.shape[1]

    @property
    def flagged(self) -> bool:
        return bool(self.dead_units) or (self.saturated is not None and self.saturated > 0.5)

    def describe(self) -> str:
        if self.dead_units is not None:
            return f"{self.dead_units} of {self.width} units dead (zero for every row)"
        if self.saturated is not None:
            return f"{self.saturated:.0%} of values saturated (within {SATURATION:g} of an end)"
        return f"mean {self.values.mean():.3g}, std {self.values.std():.3g}"


def _dead_units(A: np.ndarray) -> int:
    return int(np.count_nonzero((A <= 0).all(axis=0)))


def _saturated(A: np.ndarray, ends) -> float:
    low, high = ends
    return float(np.mean((A <= low + SATURATION) | (A >= high - SATURATION)))


def activation_health(model, X) -> list[LayerHealth]:
    """Each layer's activations for ``X`` (the rows ``model`` takes), with dead and saturated counts."""
    adapter = adapt(model, "plot.activations")
    net = adapter.network
    X = adapter.encode(X).X.astype(net.dtype, copy=False)
    health = []
    for l, ((_, A), act) in enumerate(zip(net.layer_values(X), net.activations)):
        dead = _dead_units(A) if act.name == "relu" else None
        saturated = _saturated(A, _ENDS[act.name]) if act.name in _ENDS else None
        health.append(LayerHealth(l + 1, act.name, A, dead, saturated))
    return health


def activations(model, X, path=None, *, bins: int = 40) -> Figure:
    """A histogram of each layer's activations over ``X``, one panel per layer.

    ``X`` : array of shape (n_samples, n_inputs). Each panel's subtitle says
    how many relu units are dead or what share of sigmoid/tanh values are
    saturated, in red when that is a problem. Saves to ``path`` (.png, .svg or
    .pdf) when given; returns the Figure.
    """
    health = activation_health(model, X)
    columns = min(len(health), 3)
    rows = -(-len(health) // columns)
    figure = Figure(figsize=(4.2 * columns, 3.2 * rows), layout="constrained")
    grid = figure.subplots(rows, columns, squeeze=False)
    for axes, layer in zip(grid.flat, health):
        kind = "output" if layer.layer == len(health) else f"hidden {layer.layer}"
        colour = _WARN if layer.flagged else "#1f77b4"
        # bounded activations keep their whole range on the axis, so a pile-up at an end shows as one
        axes.hist(layer.values.ravel(), bins=bins, range=_ENDS.get(layer.activation), color=colour, alpha=0.85,
                  edgecolor="white", linewidth=0.4)
        # headroom above the tallest bar for the note
        axes.set_ylim(top=axes.get_ylim()[1] * 1.18)
        if layer.activation in _ENDS:
            for end in _ENDS[layer.activation]:
                axes.axvline(end, color="#777777", lw=0.8, ls=":")
        axes.set_title(f"layer {layer.layer} ({kind}): {layer.width} {layer.activation} units", fontsize=10, loc="left")
        axes.text(0.98, 0.95, layer.describe(), transform=axes.transAxes, ha="right", va="top", fontsize=8,
                  color=_WARN if layer.flagged else "#333333",
                  bbox=dict(boxstyle="round,pad=0.25", facecolor="white", edgecolor="none", alpha=0.85))
        axes.set_xlabel("activation a")
        axes.set_ylabel("count")
        axes.grid(alpha=0.25)
    for axes in grid.flat[len(health):]:
        axes.set_visible(False)
    n = health[0].values.shape[0]
    figure.suptitle(f"Activations over {n} row{'s' if n != 1 else ''}", x=0.01, ha="left", fontsize=11)
    return save_figure(figure, path)

"""The network drawn as nodes and edges.

Each layer is a column of nodes; each weight is an edge whose colour gives
its sign and whose width gives its size relative to the largest weight. With
a sample ``x`` the nodes are filled with that sample's activations (the
input nodes with ``x`` itself), computed by the engine.
"""

from __future__ import annotations

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize, to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..protocol import adapt
from ._common import save_figure

__all__ = ["network", "POSITIVE", "NEGATIVE"]

POSITIVE = "#1f77b4"  # blue
NEGATIVE = "#d62728"  # red
_INK = "#333333"
_MAX_WIDTH = 4.0
# node labels are written only while they fit inside the nodes
_LABELLED_NODES = 10
_BIAS_OFFSET = 0.35


def _shown_nodes(n: int, max_nodes: int) -> list[int]:
    """Indices of the nodes drawn for a layer of ``n``: all, or both ends around a gap."""
    if n <= max_nodes:
        return list(range(n))
    head = max_nodes // 2
    return list(range(head)) + list(range(n - (max_nodes - head), n))


def _positions(shown: list[int]) -> np.ndarray:
    """Vertical positions, centred on 0, top to bottom; hidden nodes leave a gap."""
    slots = np.arange(len(shown), dtype=float)
    jumps = np.flatnonzero(np.diff(shown) > 1)
    if jumps.size:
        slots[jumps[0] + 1 :] += 1.5
    return slots.max() / 2 - slots


def _layer_title(l: int, size: int, n_layers: int, activation: str) -> str:
    if l == 0:
        return f"input\n{size}"
    kind = "output" if l == n_layers else f"hidden {l}"
    return f"{kind}\n{size} · {activation}"


def _edges(axes, segments, strengths, largest, gid) -> LineCollection:
    """Edges coloured by sign, wider and more opaque the larger ``|strength|``."""
    magnitude = np.abs(strengths) / largest
    colours = [(*to_rgb(POSITIVE if w > 0 else NEGATIVE), 0.25 + 0.7 * m) for w, m in zip(strengths, magnitude)]
    collection = LineCollection(segments, colors=colours, linewidths=0.3 + _MAX_WIDTH * magnitude, zorder=1, gid=gid)
    axes.add_collection(collection)
    return collection


def _draw_nodes(figure, axes, xs, ys, values, size):
    """Plain white nodes, or nodes coloured (and labelled) by activation values."""
    style = dict(s=size, edgecolor=_INK, linewidth=1.2, zorder=3, gid="nodes")
    if values is None:
        axes.scatter(xs, ys, facecolor="white", **style)
        return
    norm = Normalize(float(values.min()), float(values.max()))
    nodes = axes.scatter(xs, ys, c=values, cmap="viridis", norm=norm, **style)
    figure.colorbar(nodes, ax=axes, shrink=0.6, pad=0.01, label="activation for x")
    if size >= 520 - 14 * _LABELLED_NODES:
        for x, y, v in zip(xs, ys, values):
            colour = "white" if norm(v) < 0.55 else "black"
            axes.text(x, y, f"{v:.2f}", ha="center", va="center", fontsize=7, color=colour, zorder=4)


def network(model, path=None, x=None, *, max_nodes: int = 16) -> Figure:
    """Draw ``model`` (any glassnet model: NeuralNetwork, fitted estimator, Network, a Pipeline ending in an
    estimator, a table model) as a graph.

    Edges are blue for positive weights and red for negative ones; their
    width grows with ``|w|`` relative to the largest ``|w|`` in the network.
    Biases, when the network has them, are edges from a "+1" square above
    each layer. Layers wider than ``max_nodes`` show their first and last
    nodes around a gap. Given ``x`` (one sample of ``n_inputs`` numbers) the
    nodes are coloured by its activations and, in small networks, labelled
    with them. Saves to ``path`` (.png, .svg or .pdf) when given; returns the
    Figure.
    """
    adapter = adapt(model, "plot.network")
    net = adapter.network
    sizes = net.layer_sizes
    values = None
    if x is not None:
        # the sample as the model takes it, through its preprocessing
        X = adapter.sample(x).X.astype(net.dtype, copy=False)
        values = [X[0]] + [A[0] for _, A in net.layer_values(X)]
    shown = [_shown_nodes(n, max_nodes) for n in sizes]
    ys = [_positions(s) for s in shown]
    tallest = max(float(np.ptp(y)) for y in ys) + 1
    top = tallest / 2 + (1.2 if net.bias else 0.4)

    figure = Figure(figsize=(2.4 + 2.0 * len(sizes), 2.0 + 0.42 * tallest))
    axes = figure.add_subplot()
    weights = [np.asarray(W, dtype=np.float64) for W in net.weights]
    biases = [np.asarray(b, dtype=np.float64) for b in net.biases] if net.bias else []
    largest = max(float(np.abs(p).max()) for p in weights + biases) or 1.0

    segments, strengths = [], []
    for l, W in enumerate(weights):
        for i, yi in zip(shown[l], ys[l]):
            for j, yj in zip(shown[l + 1], ys[l + 1]):
                segments.append(((l, yi), (l + 1, yj)))
                strengths.append(W[i, j])
    _edges(axes, segments, np.array(strengths), largest, "weights")
    if net.bias:
        bias_x = np.arange(len(weights)) + _BIAS_OFFSET
        segments = [((bx, top), (l + 1, yj)) for l, bx in enumerate(bias_x) for yj in ys[l + 1]]
        strengths = np.concatenate([b[shown[l + 1]] for l, b in enumerate(biases)])
        _edges(axes, segments, strengths, largest, "biases")
        axes.scatter(bias_x, np.full(len(weights), top), marker="s", s=260, facecolor="#f2f2f2",
                     edgecolor=_INK, linewidth=1.0, zorder=3, gid="bias nodes")
        for bx in bias_x:
            axes.text(bx, top, "+1", ha="center", va="center", fontsize=7, zorder=4)

    xs = np.concatenate([np.full(len(s), l, dtype=float) for l, s in enumerate(shown)])
    node_values = None if values is None else np.concatenate([v[s] for v, s in zip(values, shown)])
    size = max(120.0, 520.0 - 14.0 * max(len(s) for s in shown))
    _draw_nodes(figure, axes, xs, np.concatenate(ys), node_values, size)

    activations = [""] + [act.name for act in net.activations]
    for l, (s, n) in enumerate(zip(shown, sizes)):
        axes.text(l, -tallest / 2 - 0.3, _layer_title(l, n, len(sizes) - 1, activations[l]),
                  ha="center", va="top", fontsize=9)
        if len(s) < n:
            middle = len(s) // 2
            axes.text(l, (ys[l][middle - 1] + ys[l][middle]) / 2, f"⋮ {n - len(s)} more", ha="center",
                      va="center", fontsize=8, color="#444444", zorder=5,
                      bbox=dict(boxstyle="round,pad=0.2", facecolor="white", edgecolor="none"))

    axes.set_xlim(-0.5, len(sizes) - 0.5)
    axes.set_ylim(-tallest / 2 - 1.4, top + 0.6)
    axes.axis("off")
    legend = [Line2D([], [], color=POSITIVE, lw=2.5, label="positive weight"),
              Line2D([], [], color=NEGATIVE, lw=2.5, label="negative weight")]
    axes.legend(handles=legend, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=2, fontsize=8, frameon=False)
    title = "Network " + "-".join(str(n) for n in sizes) + ": edge colour = sign, width ∝ |weight|"
    if values is not None:
        title += "; nodes = activations for x"
    axes.set_title(title, fontsize=10, loc="left")
    return save_figure(figure, path)

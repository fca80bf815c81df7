"""What travels to the page: the data's description once, then frames.

A frame is one binary WebSocket message::

    uint32 n (little endian) | n bytes of JSON header, space-padded to 4 | float32 payload

The header holds the epoch, losses and scores; the payload, every hidden
and output neuron's output over a coarse grid (layer by layer, one G×G
image per neuron, rows from the top of the plot down), the output units over
the fine grid of the decision boundary (one B×B image per unit), and then
each layer's weights (n_in×n_out, row major) and biases. Over a grid the two
plotted inputs vary and every other input stays at its training median. The
values come from ``Network.layer_values``; both grids through a small
network take about a millisecond, so frames never hold training up.
"""

from __future__ import annotations

import json
import math
import struct
from dataclasses import dataclass

import numpy as np

__all__ = ["Grid", "GRID_SIZE", "BOUNDARY_SIZE", "description", "figures", "encode", "decode_header",
           "trace_message"]

# the small heat map of each neuron, and the large one of the decision boundary
GRID_SIZE = 32
BOUNDARY_SIZE = 96
# the plot draws at most this many points of each part (a fixed sample of a big table)
MAX_POINTS = 2000
# the plot shows this much beyond the points on every side
_MARGIN = 0.1


def _finite(value) -> float | None:
    """JSON has no NaN or infinity: those go as null."""
    value = float(value)
    return value if math.isfinite(value) else None


@dataclass
class Grid:
    """The two plotted inputs over the plot's extent, every other input held
    at its training median.

    Nothing here grows with the number of inputs beyond one row: the first
    layer's ``Z`` over a grid is the held row's product (one row, computed
    once per frame) plus the two plotted inputs' columns times their rows
    of ``W₁``, so a table of 10,000 inputs costs what one of two does.
    Cell ``r·n + c`` of an n×n grid is column c (left to right) of row r
    (top to bottom).
    """

    feature_x: int
    feature_y: int
    extent: tuple[float, float, float, float]  # x_low, x_high, y_low, y_high
    # the training medians, with the two plotted inputs set to 0: shape (n_inputs,)
    held: np.ndarray
    size: int = GRID_SIZE
    boundary_size: int = BOUNDARY_SIZE

    @classmethod
    def over(cls, data, feature_x: int, feature_y: int, size: int = GRID_SIZE,
             boundary_size: int = BOUNDARY_SIZE) -> "Grid":
        bounds = []
        # both parts' points, without stacking them (a part may be empty: no test rows)
        parts = [X for X in (data.X_train, data.X_test) if X.shape[0]]
        for feature in (feature_x, feature_y):
            low = float(min(X[:, feature].min() for X in parts))
            high = float(max(X[:, feature].max() for X in parts))
            pad = max((high - low) * _MARGIN, 0.5)
            bounds += [low - pad, high + pad]
        held = np.median(data.X_train, axis=0)
        held[[feature_x, feature_y]] = 0.0
        return cls(feature_x, feature_y, tuple(bounds), held, size, boundary_size)

    def coordinates(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        """The plotted inputs' values at each cell of the n×n grid: ``(x, y)``, each of shape (n·n,)."""
        xs = np.linspace(self.extent[0], self.extent[1], n)
        ys = np.linspace(self.extent[3], self.extent[2], n)  # top row first
        return np.tile(xs, n), np.repeat(ys, n)

    def points(self, n: int) -> np.ndarray:
        """Every network input at each cell, shape (n·n, n_inputs): what the
        grid stands for (for checks; drawing never builds it)."""
        x, y = self.coordinates(n)
        inputs = np.tile(self.held, (n * n, 1))
        inputs[:, self.feature_x], inputs[:, self.feature_y] = x, y
        return inputs

    def first_layer(self, network, n: int) -> np.ndarray:
        """The first layer's ``Z`` over the n×n grid, shape (n·n, units)."""
        W = network.weights[0]
        base = self.held @ W
        if network.bias:
            base = base + network.biases[0]
        # Z₁ = x·W₁[x] + y·W₁[y] + (held·W₁ + b₁): one product of the cells' (x, y, 1) rows
        return (self._plane(n) @ np.vstack([W[self.feature_x], W[self.feature_y], base])).astype(network.dtype,
                                                                                                 copy=False)

    def layer_values(self, network, n: int) -> list[tuple[np.ndarray, np.ndarray]]:
        """``(Z, A)`` of every layer over the n×n grid."""
        return network.layer_values(first=self.first_layer(network, n))

    def outputs(self, network, n: int) -> np.ndarray:
        """The output layer over the n×n grid, shape (n·n, n_outputs)."""
        return network.output_values(first=self.first_layer(network, n))[1]

    def _plane(self, n: int) -> np.ndarray:
        """The rows (x, y, 1) of the n×n grid's cells, shape (n·n, 3), made once per grid."""
        planes = self.__dict__.setdefault("_planes", {})
        if n not in planes:
            planes[n] = np.column_stack([*self.coordinates(n), np.ones(n * n)])
        return planes[n]


def description(data, model, grid: Grid, settings: dict, notes=()) -> dict:
    """The ``data`` message: points, classes, plotted inputs, the network's
    shape, and the table pipeline's ``notes`` (columns left out, cells filled ...)."""
    fx, fy = grid.feature_x, grid.feature_y
    classes = data.classes
    network = model.network
    # a regression's standardisation (classes: none, mean 0 and scale 1)
    target_mean = float(getattr(data.target_encoding, "mean", 0.0))
    target_scale = float(getattr(data.target_encoding, "scale", 1.0))

    def points(X, labels, rows):
        shown = np.arange(X.shape[0])
        if shown.size > MAX_POINTS:
            shown = np.sort(np.random.default_rng(0).choice(shown.size, MAX_POINTS, replace=False))
        values = (np.searchsorted(classes, labels) if classes is not None else labels.astype(np.float64))[shown]
        return {"x": X[shown, fx].tolist(), "y": X[shown, fy].tolist(), "value": values.tolist(),
                "row": rows[shown].tolist(), "index": shown.tolist(), "total": int(X.shape[0])}

    def axis(feature):
        name = data.input_names[feature]
        mean = float(data.scaler.mean_[feature])
        scale = float(data.scaler.scale_[feature])
        return {"name": name, "mean": mean, "scale": scale}

    values = data.labels_train.astype(np.float64) if classes is None else None
    # regression colours: the network's (standardised) output over the largest |target| it learns
    value_scale = 1.0 if values is None else float(
        np.max(np.abs((values - target_mean) / target_scale))) or 1.0
    box = [float(data.X_train[:, fx].min()), float(data.X_train[:, fx].max()),
           float(data.X_train[:, fy].min()), float(data.X_train[:, fy].max())]
    return {
        "type": "data",
        "source": data.source,
        "target": data.target,
        "task": data.task,
        "classes": None if classes is None else classes.tolist(),
        "value_range": None if values is None else [float(values.min()), float(values.max())],
        "target_mean": target_mean,
        "target_scale": target_scale,
        "value_scale": value_scale,
        "inputs": data.input_names,
        "features": list(data.columns.features) + [data.target],
        "axes": [axis(fx), axis(fy)],
        "extent": list(grid.extent),
        "training_box": box,
        "grid_size": grid.size,
        "boundary_size": grid.boundary_size,
        "train": points(data.X_train, data.labels_train, data.rows_train),
        "test": points(data.X_test, data.labels_test, data.rows_test),
        "filled": int(sum(sum(counts.values()) for counts in data.filled.values())),
        "notes": list(notes),
        "layers": list(network.layer_sizes),
        "activations": [activation.name for activation in network.activations],
        "loss": network.loss.name,
        "settings": settings,
    }


def _score(model, X, labels) -> float:
    """Accuracy (classes) or R² (values) of the model's predictions from network inputs ``X``."""
    predicted = model.decode(model.outputs(X))
    if model.classes_ is not None:
        return float(np.mean(predicted == labels))
    truth = labels.astype(np.float64)
    total = float(np.sum((truth - truth.mean()) ** 2))
    return 1.0 - float(np.sum((truth - predicted) ** 2)) / total if total > 0 else float("nan")


def figures(network, model, data, Y_train, Y_test) -> dict:
    """Losses and scores of the current weights on both parts."""
    return {
        "train_loss": _finite(network.loss_value(data.X_train, Y_train)),
        "test_loss": _finite(network.loss_value(data.X_test, Y_test)),
        "metric": "accuracy" if model.classes_ is not None else "r2",
        "train_metric": _finite(_score(model, data.X_train, data.labels_train)),
        "test_metric": _finite(_score(model, data.X_test, data.labels_test)),
    }


def encode(network, grid: Grid, header: dict) -> bytes:
    """One frame's bytes: ``header`` plus the grid images, weights and biases."""
    blocks = [A.T for _, A in grid.layer_values(network, grid.size)]
    blocks.append(grid.outputs(network, grid.boundary_size).T)
    blocks += list(network.weights) + list(network.biases)
    payload = np.concatenate([np.ravel(block) for block in blocks]).astype("<f4")
    header = {**header, "floats": int(payload.size)}
    text = json.dumps(header, allow_nan=False).encode("utf-8")
    text += b" " * (-len(text) % 4)
    return struct.pack("<I", len(text)) + text + payload.tobytes()


def decode_header(message: bytes) -> tuple[dict, np.ndarray]:
    """``(header, payload)`` of a frame: what the page reads (for tests and benchmarks)."""
    (length,) = struct.unpack_from("<I", message)
    header = json.loads(message[4:4 + length])
    return header, np.frombuffer(message, "<f4", offset=4 + length)


def _values(array) -> list | None:
    return None if array is None else np.asarray(array, dtype=np.float64).tolist()


def trace_message(trace, data, part: str, index: int, row: int, label) -> dict:
    """The ``trace`` message: the :class:`~glassnet.glassbox.trace.Trace` of one row, in full."""
    return {
        "type": "trace",
        "part": part,
        "index": index,
        "row": row,
        "target": data.target,
        "label": str(label),
        "inputs": data.input_names,
        "x": _values(trace.x),
        "y": _values(trace.y),
        "loss": _finite(trace.loss),
        "bias": bool(trace.bias),
        "l2": float(trace.l2),
        "layers": [
            {"layer": record.layer, "activation": record.activation, "z": _values(record.z), "a": _values(record.a),
             "delta": _values(record.delta), "grad_weights": _values(record.grad_weights),
             "grad_bias": _values(record.grad_bias)}
            for record in trace
        ],
    }

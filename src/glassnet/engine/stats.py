"""Per-layer training dynamics, recorded epoch by epoch.

A :class:`DynamicsRecorder` rides along the training loop
(:func:`glassnet.engine.training.train` takes it as ``stats=``): the loop calls
``epoch_start(network)`` before the first step of an epoch,
``after_step(network)`` after every optimiser step, and
``epoch_end(record)`` once the epoch's record is built. It adds one list per
figure to the record, with one entry per weight layer (hidden layers first,
the output layer last):

``layer_weight_norm``
    ‖W‖ (Frobenius) at the end of the epoch.
``layer_grad_norm``
    ‖∂loss/∂W‖, averaged over the epoch's steps.
``layer_update_ratio``
    ‖ΔW‖ / ‖W‖ of one step, averaged over the epoch's steps: about 1e-3 is
    the usual healthy figure; far below, the weights barely move; near or
    above 1, each step rewrites them.
``layer_dead_fraction``
    Share of a ReLU-like layer's units that were never active (a ≤ 0) on any
    row of the epoch; None for other activations and for the output layer.
``layer_saturated_fraction``
    Share of a logistic or tanh layer's units with |z| > 4 on more than 95%
    of the epoch's rows; None for other activations and for the output layer.

A network with dropout or normalisation adds, per hidden layer (None for a
layer without, and for the output layer):

``layer_dropped_fraction``
    Share of the layer's outputs its dropout masks zeroed over the epoch
    (about the dropout rate).
``layer_scale_norm``, ``layer_shift_norm``
    ‖γ‖ and ‖β‖ of a normalised layer at the end of the epoch (√width and 0
    at the start).

Both unit figures are read from the activations ``A`` alone, because the
engine computes them in place over ``Z`` for these activations: a ReLU-like
unit is active exactly when a > 0 (relu, leaky_relu, elu, gelu and swish all
keep the sign of z), and |z| > 4 is a fixed band of a for logistic and tanh.

Nothing here runs unless a recorder is passed, so training without one
costs what it did before.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit

__all__ = [
    "DynamicsRecorder",
    "FIGURES",
    "RULE_FIGURES",
    "RELU_LIKE",
    "SATURATION_Z",
    "SATURATED_SHARE",
    "saturated_mask",
    "saturation_applies",
    "active_mask",
]

# the record keys this module writes, in the order plots show them
FIGURES = (
    "layer_weight_norm",
    "layer_grad_norm",
    "layer_update_ratio",
    "layer_dead_fraction",
    "layer_saturated_fraction",
)
# the figures of dropout and normalisation, recorded only for a network with them
RULE_FIGURES = (
    "layer_dropped_fraction",
    "layer_scale_norm",
    "layer_shift_norm",
)

# activations whose units are off (a ≤ 0, zero or tiny gradient) for z ≤ 0
RELU_LIKE = ("relu", "leaky_relu", "elu", "gelu", "swish")

# |z| beyond this is saturated: logistic's slope is below 0.018 (of 0.25 at
# most) and tanh's below 0.0014 (of 1)
SATURATION_Z = 4.0
# a unit counts as saturated when it is so on more than this share of rows
SATURATED_SHARE = 0.95

# the activation values at z = ±SATURATION_Z
_SATURATED_BAND = {
    "logistic": (float(expit(-SATURATION_Z)), float(expit(SATURATION_Z))),
    "tanh": (float(np.tanh(-SATURATION_Z)), float(np.tanh(SATURATION_Z))),
}


def active_mask(A: np.ndarray) -> np.ndarray:
    """Where a ReLU-like unit is on (z > 0), read from its output a."""
    return A > 0


def saturated_mask(A: np.ndarray, activation: str) -> np.ndarray:
    """Where a logistic or tanh unit has |z| > :data:`SATURATION_Z`, from a."""
    low, high = _SATURATED_BAND[activation]
    return (A < low) | (A > high)


def saturation_applies(activation: str) -> bool:
    """Whether units of this activation can saturate (logistic, tanh)."""
    return activation in _SATURATED_BAND


class DynamicsRecorder:
    """Collects the per-layer figures of each epoch (see the module docstring)."""

    def __init__(self):
        self._previous = None

    # --- the loop's three calls --------------------------------------------------
    def epoch_start(self, network, previous=None) -> None:
        """Reset the epoch's sums; ``previous`` (default: the current
        parameters) is where the first step's update is measured from."""
        source = network.params if previous is None else previous
        if self._previous is None or self._previous.shape != network.params.shape:
            self._previous = np.array(source, dtype=network.params.dtype)
        else:
            np.copyto(self._previous, source)
        self._network = network
        n_layers = network.n_layers
        self._slices = _weight_slices(network.layer_sizes)
        self._grad_sum = np.zeros(n_layers)
        self._ratio_sum = np.zeros(n_layers)
        self._steps = 0
        self._rows = 0
        hidden = network.activations[:-1]
        widths = network.layer_sizes[1:-1]
        self._ever_active = [np.zeros(w, bool) if a.name in RELU_LIKE else None for a, w in zip(hidden, widths)]
        self._saturated_rows = [np.zeros(w, np.int64) if saturation_applies(a.name) else None
                                for a, w in zip(hidden, widths)]
        # dropped outputs and outputs seen per hidden layer, for a layer with dropout
        self._dropped = [[0, 0] if rate else None for rate in getattr(network, "dropout", [0.0] * len(widths))]

    def after_step(self, network) -> None:
        """Count one step: its gradient, its update and its batch's activations."""
        params, grad = network.params, network.grad
        for l, part in enumerate(self._slices):
            W = params[part]
            self._grad_sum[l] += _norm(grad[part])
            weight_norm = _norm(W)
            if weight_norm > 0:
                self._ratio_sum[l] += _norm(W - self._previous[part]) / weight_norm
        np.copyto(self._previous, params)
        self._steps += 1
        _, workspace = network._cache
        rows = None
        for l, activation in enumerate(network.activations[:-1]):
            A = workspace.A[l]
            rows = A.shape[0]
            if self._ever_active[l] is not None:
                self._ever_active[l] |= active_mask(A).any(axis=0)
            if self._saturated_rows[l] is not None:
                self._saturated_rows[l] += saturated_mask(A, activation.name).sum(axis=0)
        self._rows += rows if rows is not None else 0
        for l, mask in enumerate(getattr(workspace, "masks", ())):
            if mask is not None and self._dropped[l] is not None:
                self._dropped[l][0] += mask.size - int(np.count_nonzero(mask))
                self._dropped[l][1] += mask.size

    def epoch_end(self, record: dict) -> None:
        """Add the epoch's figures to ``record``."""
        network = self._network
        steps = max(self._steps, 1)
        record["layer_weight_norm"] = [_norm(network.params[part]) for part in self._slices]
        record["layer_grad_norm"] = [float(value) / steps for value in self._grad_sum]
        record["layer_update_ratio"] = [float(value) / steps for value in self._ratio_sum]
        record["layer_dead_fraction"] = [
            None if active is None else float(np.mean(~active)) for active in self._ever_active
        ] + [None]
        limit = SATURATED_SHARE * self._rows
        record["layer_saturated_fraction"] = [
            None if counts is None else float(np.mean(counts > limit)) for counts in self._saturated_rows
        ] + [None]
        if not getattr(network, "plain", True):
            record["layer_dropped_fraction"] = [
                None if counts is None or not counts[1] else counts[0] / counts[1] for counts in self._dropped
            ] + [None]
            scales, shifts = network.scales, network.shifts
            hidden = network.n_layers - 1
            record["layer_scale_norm"] = ([_norm(scale) for scale in scales] or [None] * hidden) + [None]
            record["layer_shift_norm"] = ([_norm(shift) for shift in shifts] or [None] * hidden) + [None]

    # --- one whole-batch iterate (L-BFGS) -----------------------------------------
    def observe(self, network, X, Y, sample_weight, previous, record: dict) -> None:
        """Record one L-BFGS iteration as an epoch of a single step: the
        update from ``previous`` to the current parameters, and the gradient
        and activations at the current parameters on ``(X, Y)``."""
        self.epoch_start(network, previous)
        network.loss_and_gradient(X, Y, sample_weight)
        self.after_step(network)
        self.epoch_end(record)


def _weight_slices(layer_sizes) -> list[slice]:
    """Where each layer's weights sit in the flat parameter vector."""
    slices, start = [], 0
    for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:]):
        slices.append(slice(start, start + n_in * n_out))
        start += n_in * n_out
    return slices


def _norm(values: np.ndarray) -> float:
    # in float64, so that a float32 layer's sum of squares cannot overflow
    values = np.asarray(values, dtype=np.float64).ravel()
    return float(np.sqrt(np.dot(values, values)))

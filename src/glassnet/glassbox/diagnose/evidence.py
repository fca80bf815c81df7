"""Evidence: the figures the checks read, computed once and shared.

Everything is computed on a float64 copy of the network, so diagnosing
never changes the model (its buffers, its gradient) and float32 models are
judged in the same precision as float64 ones.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np

from ...engine.losses import reduce_per_sample
from ...protocol import ModelAdapter
from .registry import Skip

__all__ = ["Evidence"]

# the inverse of each output activation, to express a constant prediction as
# the pre-activation that gives it
_INVERSE = {
    "identity": lambda A: A,
    "logistic": lambda A: np.log(A) - np.log1p(-A),
    "tanh": np.arctanh,
    "softmax": np.log,
    "exp": np.log,
}
_OPEN_INTERVAL = {"logistic": (0.0, 1.0), "softmax": (0.0, 1.0), "tanh": (-1.0, 1.0), "exp": (0.0, np.inf)}


class Evidence:
    """The model seen through its :class:`~glassnet.protocol.ModelAdapter` (``view``), and the data as the
    network sees it: ``X`` (n_samples, n_inputs), ``Y`` (n_samples,
    n_outputs) or None, ``labels`` (n_samples,) or None."""

    def __init__(self, view: ModelAdapter, X, Y, labels):
        self.view = view
        self.X, self.Y, self.labels = X, Y, labels
        self.network = view.network.copy(dtype="float64")

    # --- what training left behind --------------------------------------------------
    @property
    def history(self):
        history = self.view.history
        if history is None or not len(history):
            raise Skip("the model keeps no training history" if history is None else "the model has not been trained")
        return history

    def needs_targets(self) -> None:
        if self.Y is None:
            raise Skip("no targets were given (pass y, or a table with the target column)")

    # --- the network on the data ------------------------------------------------------
    @cached_property
    def layers(self) -> list:
        """``(Z, A)`` of every layer for X."""
        return self.network.layer_values(self.X)

    @cached_property
    def weight_gradients(self) -> list:
        """∂loss/∂W of every layer on (X, Y), the training loss's own gradient."""
        self.needs_targets()
        self.network.loss_and_gradient(self.X, self.Y)
        return [grad.copy() for grad in self.network.weight_grads]

    @cached_property
    def loss(self) -> float:
        """The mean per-sample loss on (X, Y), without the L2 term."""
        self.needs_targets()
        Z, A = self.layers[-1]
        return reduce_per_sample(self.network.loss.per_sample(self.Y, Z, A), "mean")

    @cached_property
    def baseline_loss(self) -> float:
        """The same loss for the best constant guess: the mean target (class
        shares for a classifier) on every row."""
        self.needs_targets()
        name = self.network.activations[-1].name
        A = np.mean(self.Y, axis=0, keepdims=True)
        if name in _OPEN_INTERVAL:
            low, high = _OPEN_INTERVAL[name]
            # a constant exactly at an end of the range would need an infinite pre-activation
            A = np.clip(A, low + 1e-7 if np.isfinite(low) else -np.inf, high - 1e-7 if np.isfinite(high) else np.inf)
        Z = _INVERSE.get(name, lambda values: values)(A)
        rows = self.Y.shape[0]
        per_sample = self.network.loss.per_sample(self.Y, np.repeat(Z, rows, axis=0), np.repeat(A, rows, axis=0))
        return reduce_per_sample(per_sample, "mean")

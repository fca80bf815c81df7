"""The loss value of the network's outputs, kept apart from the passes.

A loss is the per-sample value of :mod:`.losses`, taken against the
targets as the network trains on them (smoothed under label smoothing),
reduced as ``reduction`` says (weighted by sample weights), plus the L2
penalty ``½·l2·Σ‖W‖²`` scaled as the loss is. The value is reported and
compared, never differentiated here (the gradient is
:meth:`Network.backward <glassnet.engine.network.Network.backward>`'s), so
it is taken in float64 whatever the network's dtype.
"""

from __future__ import annotations

import numpy as np

from .losses import reduce_per_sample

__all__ = ["NetworkLoss"]

_FLOAT64 = np.dtype(np.float64)


def _float64(array):
    """An array in float64 for the loss *value*: float32 outputs beyond
    ~1.8e19 would overflow when squared, and the value is only a number to
    report and compare, not part of the gradient. Float64 arrays (the common
    case) pass as they are, after one type test."""
    if type(array) is np.ndarray and array.dtype is _FLOAT64:
        return array
    return np.asarray(array, dtype=np.float64)


def _in_float64(*arrays):
    """:func:`_float64` of each array."""
    return [_float64(array) for array in arrays]


class NetworkLoss:
    """The loss value of the last forward pass or of the inference pass
    (a mixin of :class:`~glassnet.engine.network.Network`)."""

    def _penalty_denominator(self, n, sample_weight):
        if self.reduction == "sum":
            return 1.0
        return float(n) if sample_weight is None else float(sample_weight.sum())

    def penalty(self, n, sample_weight=None) -> float:
        """The L2 term ``½·l2·Σ‖W‖²`` scaled as the loss is."""
        if self.l2 == 0.0:
            return 0.0
        W = self.params[: self.n_weights]
        return 0.5 * self.l2 * float(np.dot(W, W)) / self._penalty_denominator(n, sample_weight)

    def output_loss(self, Y, sample_weight=None) -> float:
        """Loss (penalty included) of the last :meth:`forward`, against ``Y``."""
        X, ws = self._cache
        if self.label_smoothing:
            Y = self.smoothed(Y)
        if self._keeps_logsumexp and ws.logsumexp is not None:
            # the logits are float64 and the targets only multiply them, so
            # 0/1 indicator targets need no float64 copy
            targets = Y if type(Y) is np.ndarray and Y.dtype.kind in "biu" else _float64(Y)
            per_sample = self.loss.from_logsumexp(targets, ws.Z[-1], ws.logsumexp)
        elif self._float64:
            per_sample = self.loss.per_sample(_float64(Y), ws.Z[-1], ws.A[-1])
        else:
            per_sample = self.loss.per_sample(_float64(Y), _float64(ws.Z[-1]), _float64(ws.A[-1]))
        value = reduce_per_sample(per_sample, self.reduction, sample_weight)
        # the penalty is 0 without l2: skip the call (x + 0.0 is x)
        return value + self.penalty(X.shape[0], sample_weight) if self.l2 else value


    def loss_and_output(self, X, Y, sample_weight=None) -> tuple[float, np.ndarray]:
        """Loss and output activation for ``X``, without touching the caches
        (the inference pass)."""
        Z, A = self.output_values(X)
        per_sample = self.sample_losses(*_in_float64(Y, Z, A))
        loss = reduce_per_sample(per_sample, self.reduction, sample_weight)
        return loss + self.penalty(X.shape[0], sample_weight), A

    def sample_losses(self, Y, Z, A) -> np.ndarray:
        """The loss of each row given the output layer's Z and A: the loss's
        ``per_sample`` against the targets as the network trains on them
        (smoothed under ``label_smoothing``)."""
        return self.loss.per_sample(self.smoothed(Y) if self.label_smoothing else Y, Z, A)

    def smoothed(self, Y) -> np.ndarray:
        """The targets under label smoothing, ``y·(1 − ε) + ε/K`` in float64:
        K is the number of classes, the softmax's outputs or 2 for each
        logistic output (Keras's rule for binary targets)."""
        classes = self.n_outputs if self.loss.name == "categorical_crossentropy" else 2
        epsilon = self.label_smoothing
        return np.multiply(Y, 1.0 - epsilon, dtype=np.float64) + epsilon / classes

    def loss_value(self, X, Y, sample_weight=None) -> float:
        """Loss (penalty included) at the current parameters, in the inference pass."""
        return self.loss_and_output(X, Y, sample_weight)[0]

"""Noticing a network that can no longer learn.

A relu unit whose pre-activation is negative on every row outputs 0 and
passes back a gradient of exactly 0: nothing can revive it. When every unit
of a layer is in that state, no gradient reaches the layers below it, and
the layers above see only their biases (a dead relu output layer passes back
nothing at all). A huge learning rate, or inputs
in the thousands, put a network there within an epoch or two, after which
the loss stays flat with no error to show for it.

:func:`stalled_layers` is called by the training loop once per epoch until
it finds something. It costs almost nothing on a healthy network: it looks
at the last batch's cached activations and gradient, and only when those
look dead does it confirm on every row.
"""

from __future__ import annotations

import numpy as np

__all__ = ["stalled_layers", "dead_layer", "dying_layers"]

# rows per forward pass when confirming on the whole data
_CHUNK = 4096


def dead_layer(network, X) -> int | None:
    """The first layer (0-based) that is inactive on every row of ``X`` at
    the current weights, or None."""
    candidates = [l for l, act in enumerate(network.activations) if act.dies]
    for start in range(0, X.shape[0], _CHUNK):
        values = network.layer_values(X[start:start + _CHUNK])
        candidates = [l for l in candidates if not values[l][1].any()]
        if not candidates:
            return None
    return candidates[0] if candidates else None


def _cause(network, X, learning_rate) -> str:
    largest = float(abs(X).max()) if X.shape[0] else 0.0
    return (f"The likely cause is a learning rate too high (it is {learning_rate:g}) or inputs not scaled "
            f"(the largest |x| is {largest:.3g}); lower the rate or scale the inputs, and train again.")


def dying_layers(network) -> tuple[int, ...]:
    """The layers (0-based) whose activation can die (relu): the only ones
    :func:`stalled_layers` needs to look at. Fixed for a network, so the
    training loop asks once per call rather than once per epoch."""
    return tuple(l for l, act in enumerate(network.activations) if act.dies)


# up to this many gradient entries count_nonzero is the cheapest exact test
# for "all zero" (a quarter of a microsecond on the article's 12 weights,
# against 1.3 for ndarray.any); on long vectors ndarray.any is faster
_COUNT_UP_TO = 4096


def _all_zero(values: np.ndarray) -> bool:
    if values.size <= _COUNT_UP_TO:
        return np.count_nonzero(values) == 0
    return not values.any()


def stalled_layers(network, X, learning_rate: float, dying: tuple[int, ...] | None = None) -> str:
    """A message when training has stalled for good, else ``""``.

    ``X`` : the training rows of shape (n_samples, n_inputs). The check uses
    the network's last forward pass and gradient (the epoch's last batch).
    ``dying`` : :func:`dying_layers` of the network, when the caller has it.
    """
    cache = getattr(network, "_cache", None)
    if cache is None:
        return ""
    activations = cache[1].A
    if dying is None:
        dying = dying_layers(network)
    # a cheap look at the last batch first; only a layer that looks dead
    # there is confirmed on every row
    if dying and any(_all_zero(activations[l]) for l in dying):
        layer = dead_layer(network, X)
        if layer is not None:
            width = network.layer_sizes[layer + 1]
            name = "the output layer" if layer == network.n_layers - 1 else f"hidden layer {layer + 1}"
            return (f"{name} ({network.activations[layer].name}, {width} unit{'s' if width != 1 else ''}) is "
                    f"inactive on every training row: each unit outputs 0 with a gradient of exactly 0, so "
                    f"training can no longer change the layers below it. " + _cause(network, X, learning_rate))
    if _all_zero(network.grad):
        return ("the whole gradient is exactly zero: training can no longer change any weight. "
                + _cause(network, X, learning_rate))
    return ""

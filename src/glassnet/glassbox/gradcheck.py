"""Gradient checking: the analytic gradient against central finite differences.

For every parameter w, the numerical derivative is

    (L(w + h) − L(w − h)) / 2h,   h = step · max(1, |w|)

whose truncation error is O(h²) and whose rounding error is about
ε·|L|/h; with step 1e-6 in float64 both stay near 1e-10 for losses of
order one. The figure returned is the largest difference between the two
gradients relative to the largest gradient component,

    max_i |a_i − n_i| / max(max_i |a_i|, max_i |n_i|),

which is scale-free and does not blow up on components that are
legitimately near zero. A correct float64 gradient scores below 1e-6; a
wrong one scores near 1 or above.
"""

from __future__ import annotations

import numpy as np

from .._typing import ArrayLike
from .access import engine_of

__all__ = ["check_gradients", "numerical_gradient", "relative_error"]


def numerical_gradient(network, X, Y, sample_weight=None, step: float = 1e-6) -> np.ndarray:
    """Central-difference gradient of ``network.loss_value`` over ``params``."""
    params = network.params
    numeric = np.zeros_like(params, dtype=np.float64)
    for i in range(params.size):
        original = params[i]
        h = step * max(1.0, abs(float(original)))
        params[i] = original + h
        plus = network.loss_value(X, Y, sample_weight)
        params[i] = original - h
        minus = network.loss_value(X, Y, sample_weight)
        params[i] = original
        numeric[i] = (plus - minus) / (2 * h)
    return numeric


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """``max|a − n| / max(max|a|, max|n|)``; 0 when both are exactly zero."""
    scale = max(float(np.max(np.abs(analytic), initial=0.0)), float(np.max(np.abs(numeric), initial=0.0)))
    if scale == 0.0:
        return 0.0
    return float(np.max(np.abs(analytic - numeric)) / scale)


def check_gradients(model: object, X: ArrayLike, y: ArrayLike, step: float = 1e-6) -> float:
    """Largest relative error between analytic and finite-difference gradients.

    ``model`` is a :class:`~glassnet.NeuralNetwork` (trained or not: its
    initial weights have gradients too), a fitted estimator or a
    :class:`~glassnet.engine.network.Network`; an unfitted estimator raises
    ``ValueError``. ``X`` has shape (n_samples, n_inputs) and ``y`` shape
    (n_samples,) or (n_samples, n_outputs): for an estimator, the ``X`` and
    ``y`` that ``fit`` takes (class labels are encoded as in training), and
    the loss is its training loss, the L2 term ``alpha`` included. The check runs in float64 on a
    copy, so it works for float32 models too and leaves the model untouched.
    Below 1e-6 means the gradients agree.
    """
    from ..engine.validation import check_X, check_y

    network = engine_of(model, "check_gradients")
    encode = getattr(model, "_engine_data", None)
    if encode is not None:
        # an estimator validates its rows and encodes its labels as fit does
        X, Y = encode(X, y)
        X, Y = X.astype(np.float64), np.asarray(Y, dtype=np.float64)
    else:
        X = check_X(X, network.n_inputs, np.float64)
        Y = check_y(y, X.shape[0], network.n_outputs, np.float64)
    probe = network.copy(dtype="float64")
    _, analytic = probe.loss_and_gradient(X, Y)
    analytic = analytic.copy()
    return relative_error(analytic, numerical_gradient(probe, X, Y, step=step))


"""A hidden layer's pieces between its matrix products: bias, normalisation,
activation and dropout, forward and backward.

:class:`~glassnet.engine.network.Network` does the matrix products and the
output layer; a hidden layer of a network with normalisation or dropout
hands the rest to these two functions (a network with neither keeps its
fused one-pass kernels, see :mod:`glassnet.engine.kernels`). In order:

    P = A_prev·W + b           (the network's product, into ``pre``; or Z without normalisation)
    Z = γ·normalize(P) + β     (:mod:`.normalization`)
    A = f(Z)
    D = A ⊙ mask               (:mod:`.dropout`; the next layer's input)

and backward the same steps reversed. The numba kernels take a layer's bias
and activation in one pass only where nothing sits between them: with
normalisation the bias is added and the activation applied by NumPy (on
either kernel path, so the two give the same numbers), and the activation's
backward runs without the bias sum, which comes after normalisation's.
"""

from __future__ import annotations

import numpy as np

from . import normalization as norm_ops

__all__ = ["layer_forward", "layer_backward"]


def _moments(network, ws, l, P):
    """The moments hidden layer l normalises by: the batch's (or, for layer
    normalisation, each row's), or the running ones at prediction."""
    normalization = network.normalization
    if ws.batch_statistics or not normalization.running:
        return norm_ops.moments(P, normalization.axis, ws.row_weights)
    return network._running_mean[l].reshape(1, -1), network._running_var[l].reshape(1, -1)


def layer_forward(network, ws, l: int, kernel) -> np.ndarray:
    """Hidden layer l after its product (in ``ws.pre[l]`` with normalisation,
    else ``ws.Z[l]``): the layer's output as the next layer takes it."""
    activation = network.activations[l]
    if network.normalization is None:
        if network.bias:
            kernel.bias_activation(activation, ws.Z[l], network._biases[l], ws.A[l])
        else:
            activation.forward(ws.Z[l], ws.A[l])
    else:
        P = ws.pre[l]
        if network.bias:
            P += network._biases[l]
        mean, var = _moments(network, ws, l, P)
        ws.mean[l], ws.var[l] = mean, var
        ws.inv[l] = norm_ops.normalize(P, mean, var, network._scales[l], network._shifts[l], ws.hat[l], ws.Z[l])
        activation.forward(ws.Z[l], ws.A[l])
    mask = ws.masks[l]
    if mask is None:
        return ws.A[l]
    if ws.dropped[l] is None:  # a mask given for a layer without a dropout rate (a test's, a trace's)
        ws.dropped[l] = np.empty_like(ws.A[l])
    return np.multiply(ws.A[l], mask, out=ws.dropped[l])


def layer_backward(network, ws, l: int, dA: np.ndarray, bias_grad, kernel) -> np.ndarray:
    """``dA`` (the gradient with respect to what hidden layer l passed on)
    turned in place into the gradient with respect to its product, filling
    the layer's bias, scale and shift gradients on the way."""
    mask = ws.masks[l]
    if mask is not None:
        dA *= mask
    activation = network.activations[l]
    normalization = network.normalization
    if normalization is None:
        return kernel.activation_backward(activation, dA, ws.Z[l], ws.A[l], dA, bias_grad)
    kernel.activation_backward(activation, dA, ws.Z[l], ws.A[l], dA, None)
    gamma, grad_gamma, grad_beta = network._scales[l], network._scale_grads[l], network._shift_grads[l]
    if ws.batch_statistics or not normalization.running:
        norm_ops.backward(dA, ws.hat[l], ws.inv[l], gamma, normalization.axis, grad_gamma, grad_beta, dA,
                          ws.row_weights)
    else:
        norm_ops.frozen_backward(dA, ws.hat[l], ws.inv[l], gamma, grad_gamma, grad_beta, dA)
    if bias_grad is not None:
        dA.sum(axis=0, out=bias_grad)
    return dA

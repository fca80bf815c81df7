"""The engine's :class:`~glassnet.engine.network.Network` as ONNX nodes.

Layer l is ``Z = A_prev · W[l] + b[l]`` then ``A = f(Z)``, as in the engine:
one MatMul, one Add (left out when the network has no biases) and the
activation's nodes. Weights are written in float32.

The graph is the inference pass. A normalised hidden layer gets, between
its Add and its activation, ONNX's BatchNormalization with the running
moments (batch normalisation: at prediction an affine map per unit) or
LayerNormalization over the units (layer normalisation), with the scale and
shift and the engine's ε. Dropout, off at prediction, writes no node.
"""

from __future__ import annotations

import numpy as np

from .._registry import Registry
from ..engine.normalization import EPSILON
from .activations import write_activation

__all__ = ["write_network", "network_logits", "ONNX_NORMALIZATIONS"]


def _float32(values) -> np.ndarray:
    return np.asarray(values, np.float32)


def _batch_normalization(graph, network, index: int, z: str) -> str:
    inputs = [z, graph.constant(f"scale{index}", _float32(network.scales[index])),
              graph.constant(f"shift{index}", _float32(network.shifts[index])),
              graph.constant(f"running_mean{index}", _float32(network.running_mean[index])),
              graph.constant(f"running_var{index}", _float32(network.running_var[index]))]
    return graph.node("BatchNormalization", inputs, f"normalized{index}", epsilon=EPSILON)


def _layer_normalization(graph, network, index: int, z: str) -> str:
    inputs = [z, graph.constant(f"scale{index}", _float32(network.scales[index])),
              graph.constant(f"shift{index}", _float32(network.shifts[index]))]
    return graph.node("LayerNormalization", inputs, f"normalized{index}", axis=-1, epsilon=EPSILON)


# the engine's normalisations (glassnet.engine.normalization) as ONNX nodes: name -> writer
ONNX_NORMALIZATIONS: Registry = Registry("normalization with an ONNX form")
ONNX_NORMALIZATIONS.register("batch", _batch_normalization)
ONNX_NORMALIZATIONS.register("layer", _layer_normalization)


def network_logits(graph, network, x: str) -> tuple[str, str]:
    """``(z, output activation name)``: every layer but the last activation."""
    a = x
    last = network.n_layers - 1
    for index, (weights, biases, activation) in enumerate(zip(network.weights, network.biases, network.activations)):
        z = graph.node("MatMul", [a, graph.constant(f"W{index}", np.asarray(weights, np.float32))], f"matmul{index}")
        if network.bias:
            z = graph.node("Add", [z, graph.constant(f"b{index}", np.asarray(biases, np.float32))], f"z{index}")
        if index == last:
            return z, activation.name
        if network.normalization is not None:
            z = ONNX_NORMALIZATIONS.get(network.normalization.name)(graph, network, index, z)
        a = write_activation(graph, activation.name, z)
    raise AssertionError("a network has at least one layer")


def write_network(graph, network, x: str) -> str:
    """The network's output for the float32 tensor ``x`` (n, n_inputs): its name."""
    z, output_activation = network_logits(graph, network, x)
    return write_activation(graph, output_activation, z)

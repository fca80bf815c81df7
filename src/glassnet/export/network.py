"""The engine's :class:`~glassnet.engine.network.Network` as ONNX nodes.

Layer l is ``Z = A_prev · W[l] + b[l]`` then ``A = f(Z)``, as in the engine:
one MatMul, one Add (left out when the network has no biases) and the
activation's nodes. Weights are written in float32.
"""

from __future__ import annotations

import numpy as np

from .activations import write_activation

__all__ = ["write_network", "network_logits"]


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
        a = write_activation(graph, activation.name, z)
    raise AssertionError("a network has at least one layer")


def write_network(graph, network, x: str) -> str:
    """The network's output for the float32 tensor ``x`` (n, n_inputs): its name."""
    z, output_activation = network_logits(graph, network, x)
    return write_activation(graph, output_activation, z)

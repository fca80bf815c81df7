"""Each of glassnet's activations as ONNX nodes: a registry name -> writer.

A writer takes a graph (see :mod:`._graph`) and the name of a float32
tensor ``z`` and returns the name of ``f(z)``. The formulas are the
engine's (:mod:`glassnet.engine.activations`), so the exported model
computes what ``predict`` computes, to float32 rounding. Every activation
the engine registers must have a writer here; ``tests/test_export.py``
checks that the two registries hold the same names.
"""

from __future__ import annotations

import math

import numpy as np

from .._registry import Registry
from ..engine.activations import LEAKY_SLOPE

__all__ = ["ONNX_ACTIVATIONS", "write_activation"]

ONNX_ACTIVATIONS: Registry = Registry("activation with an ONNX form")


def _scalar(graph, hint, value):
    return graph.constant(hint, np.array(value, dtype=np.float32))


def _identity(graph, z):
    return graph.node("Identity", [z], "identity")


def _single(op_type, **attributes):
    def write(graph, z):
        return graph.node(op_type, [z], op_type.lower(), **attributes)

    return write


def _leaky_relu(graph, z):
    return graph.node("LeakyRelu", [z], "leaky_relu", alpha=float(LEAKY_SLOPE))


def _gelu(graph, z):
    # the exact gelu, z·Φ(z) = z · ½(1 + erf(z/√2)), as the engine computes it
    scaled = graph.node("Mul", [z, _scalar(graph, "sqrt_half", math.sqrt(0.5))], "gelu_scaled")
    erf = graph.node("Erf", [scaled], "gelu_erf")
    one_plus = graph.node("Add", [erf, _scalar(graph, "one", 1.0)], "gelu_one_plus")
    cdf = graph.node("Mul", [one_plus, _scalar(graph, "half", 0.5)], "gelu_cdf")
    return graph.node("Mul", [z, cdf], "gelu")


def _swish(graph, z):
    return graph.node("Mul", [z, graph.node("Sigmoid", [z], "swish_sigmoid")], "swish")


ONNX_ACTIVATIONS.register("identity", _identity)
ONNX_ACTIVATIONS.register("logistic", _single("Sigmoid"))
ONNX_ACTIVATIONS.register("tanh", _single("Tanh"))
ONNX_ACTIVATIONS.register("relu", _single("Relu"))
ONNX_ACTIVATIONS.register("leaky_relu", _leaky_relu)
ONNX_ACTIVATIONS.register("elu", _single("Elu", alpha=1.0))
ONNX_ACTIVATIONS.register("gelu", _gelu)
ONNX_ACTIVATIONS.register("swish", _swish)
ONNX_ACTIVATIONS.register("exp", _single("Exp"))
# softmax over each row, as the engine's output layer
ONNX_ACTIVATIONS.register("softmax", _single("Softmax", axis=-1))


def write_activation(graph, name: str, z: str) -> str:
    """The nodes of activation ``name`` applied to ``z``; the result's name."""
    return ONNX_ACTIVATIONS.get(name)(graph, z)

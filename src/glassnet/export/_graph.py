"""Two ways to write ONNX nodes, one interface for the exporters.

Every exporter in this package writes its nodes through a *graph*: an object
with ``node(op_type, inputs, ...)`` (adds a node, returns its output's name),
``constant(hint, array)`` (adds an initializer, returns its name) and
``fresh(hint)`` (a name not used yet). :class:`Graph` builds a standalone
model with :mod:`onnx.helper` (what :func:`glassnet.to_onnx` returns);
:class:`Skl2onnxGraph` writes into skl2onnx's container, so that the same
code converts a glassnet estimator inside a scikit-learn pipeline.

glassnet's graphs compute in float32: onnxruntime has no float64 kernels
for some of the ops used (Elu, Erf), and float32 is what deployments run.
"""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

__all__ = ["Graph", "Skl2onnxGraph", "OPSET", "ML_OPSET", "FLOAT"]

# ONNX opset 17 (onnxruntime >= 1.13) has every op used here; Gelu (opset 20)
# is written in its erf form so that older runtimes take the model too
OPSET = 17
ML_OPSET = 3
FLOAT = TensorProto.FLOAT


class _Names:
    def __init__(self):
        self._used: set[str] = set()

    def fresh(self, hint: str) -> str:
        name, count = hint, 0
        while name in self._used:
            count += 1
            name = f"{hint}_{count}"
        self._used.add(name)
        return name

    def reserve(self, name: str) -> str:
        self._used.add(name)
        return name


class Graph:
    """A standalone ONNX graph under construction."""

    def __init__(self, name: str = "glassnet"):
        self.name = name
        self._names = _Names()
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self.inputs: list[onnx.ValueInfoProto] = []
        self.outputs: list[onnx.ValueInfoProto] = []
        self.domains: set[str] = {""}

    def fresh(self, hint: str) -> str:
        return self._names.fresh(hint)

    def add_input(self, name: str, elem_type: int, shape) -> str:
        self.inputs.append(helper.make_tensor_value_info(self._names.reserve(name), elem_type, list(shape)))
        return name

    def add_output(self, name: str, elem_type: int, shape) -> None:
        self.outputs.append(helper.make_tensor_value_info(name, elem_type, list(shape)))

    def constant(self, hint: str, array) -> str:
        name = self.fresh(hint)
        array = np.asarray(array)
        if array.dtype.kind in "OUS":
            tensor = helper.make_tensor(name, TensorProto.STRING, array.shape,
                                        [str(item).encode("utf-8") for item in array.ravel()])
        else:
            tensor = numpy_helper.from_array(array, name)
        self.initializers.append(tensor)
        return name

    def node(self, op_type: str, inputs, hint: str | None = None, *, output: str | None = None,
             domain: str = "", **attributes) -> str:
        """Add one node; its single output is ``output`` or a fresh name from ``hint``."""
        result = self._names.reserve(output) if output is not None else self.fresh(hint or op_type.lower())
        self.nodes.append(helper.make_node(op_type, list(inputs), [result], name=self.fresh(f"{op_type}_node"),
                                           domain=domain, **attributes))
        self.domains.add(domain)
        return result

    def model(self, doc: str = "") -> onnx.ModelProto:
        from .. import __version__

        graph = helper.make_graph(self.nodes, self.name, self.inputs, self.outputs, self.initializers)
        opsets = [helper.make_opsetid("", OPSET)]
        if "ai.onnx.ml" in self.domains:
            opsets.append(helper.make_opsetid("ai.onnx.ml", ML_OPSET))
        model = helper.make_model(graph, opset_imports=opsets, producer_name="glassnet",
                                  producer_version=__version__, doc_string=doc)
        # an IR version that runtimes a few years old still read
        model.ir_version = 8
        onnx.checker.check_model(model, full_check=True)
        return model


class Skl2onnxGraph:
    """The graph interface over skl2onnx's ``scope`` and ``container``."""

    def __init__(self, scope, container):
        self.scope = scope
        self.container = container

    def fresh(self, hint: str) -> str:
        return self.scope.get_unique_variable_name(hint)

    def constant(self, hint: str, array) -> str:
        name = self.fresh(hint)
        array = np.asarray(array)
        if array.dtype.kind in "OUS":
            self.container.add_initializer(name, TensorProto.STRING, list(array.shape),
                                           [str(item).encode("utf-8") for item in array.ravel()])
        else:
            self.container.add_initializer(name, helper.np_dtype_to_tensor_dtype(array.dtype),
                                           list(array.shape), array.ravel().tolist())
        return name

    def node(self, op_type: str, inputs, hint: str | None = None, *, output: str | None = None,
             domain: str = "", **attributes) -> str:
        result = output if output is not None else self.fresh(hint or op_type.lower())
        version = None if domain == "" else ML_OPSET
        self.container.add_node(op_type, list(inputs), [result], op_domain=domain, op_version=version,
                                name=self.scope.get_unique_operator_name(op_type), **attributes)
        return result

"""Which graph each kind of glassnet model becomes: a registry keyed by the
model-file kind (see :mod:`glassnet.protocol`).

An exporter takes a standalone :class:`~._graph.Graph` and the model,
declares the graph's inputs and outputs and writes the nodes between.

====================  =========================  ===================================
kind                  inputs                     outputs
====================  =========================  ===================================
NeuralNetwork         ``X`` (n, n_inputs)        ``output`` (n, n_outputs)
Network               ``X`` (n, n_inputs)        ``output`` (n, n_outputs)
MLPClassifier         ``X`` (n, n_features)      ``label`` (n,) or (n, n_labels),
                                                 ``probabilities`` (n, n_classes)
MLPRegressor          ``X`` (n, n_features)      ``variable`` (n, n_outputs)
tabular               one per CSV column (n, 1)  ``label`` (n,) and ``probabilities``
                                                 (n, n_classes), or ``variable`` (n, 1)
Pipeline              ``X``, or one per column   as its last step (see :mod:`.pipelines`)
====================  =========================  ===================================
"""

from __future__ import annotations

from onnx import TensorProto

from .._registry import Registry
from ..protocol import adapt
from ._graph import Graph
from .heads import classifier_outputs, is_multilabel, label_type
from .network import write_network
from .pipelines import export_pipeline
from .tabular import write_tabular_inputs, write_target_head

__all__ = ["EXPORTERS"]

#: model-file kind -> function(model) -> onnx.ModelProto
EXPORTERS: Registry = Registry("model kind with an ONNX export")


def _network(graph, model) -> None:
    network = adapt(model, "exporting to ONNX").network
    x = graph.add_input("X", TensorProto.FLOAT, [None, network.n_inputs])
    graph.node("Identity", [write_network(graph, network, x)], output="output")
    graph.add_output("output", TensorProto.FLOAT, [None, network.n_outputs])


def _estimator(graph, estimator) -> None:
    adapter = adapt(estimator, "exporting to ONNX")  # NotFittedError (a ValueError) before fit
    network = adapter.network
    output = write_network(graph, network, graph.add_input("X", TensorProto.FLOAT, [None, network.n_inputs]))
    if adapter.classes is not None:
        classifier_outputs(graph, estimator, output, label="label", probabilities="probabilities")
        n_classes = len(adapter.classes)
        label_shape = [None, n_classes] if is_multilabel(estimator) else [None]
        graph.add_output("label", label_type(estimator), label_shape)
        graph.add_output("probabilities", TensorProto.FLOAT, [None, n_classes])
    else:
        graph.node("Identity", [output], output="variable")
        graph.add_output("variable", TensorProto.FLOAT, [None, network.n_outputs])


def _tabular(graph, model) -> None:
    x = write_tabular_inputs(graph, model)
    write_target_head(graph, model, write_network(graph, model.network, x))


def _standalone(kind: str, write):
    """An exporter building glassnet's own graph with ``write(graph, model)``."""

    def export(model):
        graph = Graph(f"glassnet_{kind}")
        write(graph, model)
        return graph.model(doc=f"glassnet {kind}: {model!r}"[:1000])

    return export


for _kind, _write in (("NeuralNetwork", _network), ("Network", _network), ("MLPClassifier", _estimator),
                      ("MLPRegressor", _estimator), ("tabular", _tabular)):
    EXPORTERS.register(_kind, _standalone(_kind, _write))
EXPORTERS.register("Pipeline", export_pipeline)

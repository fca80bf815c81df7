"""Which graph each kind of glassnet model becomes: a registry keyed by the
model-file kind (see :mod:`glassnet.persistence.kinds`).

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
====================  =========================  ===================================
"""

from __future__ import annotations

from onnx import TensorProto

from ..._registry import Registry
from ...glassbox.access import engine_of
from .heads import classifier_outputs, is_multilabel, label_type
from .network import write_network
from .tabular import write_tabular_inputs, write_target_head

__all__ = ["EXPORTERS"]

EXPORTERS: Registry = Registry("model kind with an ONNX export")


def _network(graph, model) -> None:
    network = engine_of(model, "exporting to ONNX")
    x = graph.add_input("X", TensorProto.FLOAT, [None, network.n_inputs])
    graph.node("Identity", [write_network(graph, network, x)], output="output")
    graph.add_output("output", TensorProto.FLOAT, [None, network.n_outputs])


def _estimator_head(graph, estimator, x: str) -> None:
    output = write_network(graph, estimator.network_, x)
    n_outputs = estimator.network_.n_outputs
    if hasattr(estimator, "classes_"):
        classifier_outputs(graph, estimator, output, label="label", probabilities="probabilities")
        n_classes = len(estimator.classes_)
        label_shape = [None, n_classes] if is_multilabel(estimator) else [None]
        graph.add_output("label", label_type(estimator), label_shape)
        graph.add_output("probabilities", TensorProto.FLOAT, [None, n_classes])
    else:
        graph.node("Identity", [output], output="variable")
        graph.add_output("variable", TensorProto.FLOAT, [None, n_outputs])


def _estimator(graph, estimator) -> None:
    engine_of(estimator, "exporting to ONNX")  # NotFittedError (a ValueError) before fit
    x = graph.add_input("X", TensorProto.FLOAT, [None, estimator.n_features_in_])
    _estimator_head(graph, estimator, x)


def _tabular(graph, model) -> None:
    x = write_tabular_inputs(graph, model)
    write_target_head(graph, model, write_network(graph, model.network, x))


EXPORTERS.register("NeuralNetwork", _network)
EXPORTERS.register("Network", _network)
EXPORTERS.register("MLPClassifier", _estimator)
EXPORTERS.register("MLPRegressor", _estimator)
EXPORTERS.register("tabular", _tabular)

"""What an estimator makes of its network's output, as ONNX nodes.

The network's output ``a`` (n, n_outputs) becomes, as in
:class:`~glassnet.MLPClassifier` (whose ``LabelBinarizer`` decodes it):

* two classes (one logistic output): probabilities ``[1 − a, a]`` and the
  second class where ``a > 0.5``;
* several classes (softmax): probabilities ``a`` and the class of the
  largest (the first, on a tie, as NumPy's argmax);
* multilabel (one logistic output per label): probabilities ``a`` and the
  0/1 indicators ``a > 0.5``;

and, as in :class:`~glassnet.MLPRegressor`, the predictions ``a`` itself.
The outputs are named as skl2onnx names them: ``label`` and
``probabilities`` for a classifier, ``variable`` for a regressor.
"""

from __future__ import annotations

import numpy as np
from onnx import TensorProto

__all__ = ["classifier_outputs", "class_outputs", "label_type", "is_multilabel"]

_THRESHOLD = 0.5


def is_multilabel(estimator) -> bool:
    return estimator._label_binarizer.y_type_.startswith("multilabel")


def label_type(estimator) -> int:
    """The ONNX element type of the predicted labels: string, int64 or double."""
    if is_multilabel(estimator):
        return TensorProto.INT64
    kind = np.asarray(estimator.classes_).dtype.kind
    if kind in "OUS":
        return TensorProto.STRING
    return TensorProto.DOUBLE if kind == "f" else TensorProto.INT64


def _class_constant(graph, classes, element: int):
    classes = np.asarray(classes)
    if element == TensorProto.STRING:
        return graph.constant("classes", np.array([str(label) for label in classes], dtype=object))
    return graph.constant("classes", classes.astype(np.float64 if element == TensorProto.DOUBLE else np.int64))


def _threshold(graph) -> str:
    return graph.constant("threshold", np.array(_THRESHOLD, dtype=np.float32))


def classifier_outputs(graph, estimator, a: str, *, label: str | None = None,
                       probabilities: str | None = None) -> tuple[str, str]:
    """``(label, probabilities)`` from the network output ``a``."""
    if is_multilabel(estimator):
        above = graph.node("Greater", [a, _threshold(graph)], "above")
        return (graph.node("Cast", [above], "indicators", output=label, to=TensorProto.INT64),
                graph.node("Identity", [a], "probabilities", output=probabilities))
    return class_outputs(graph, estimator.classes_, label_type(estimator), a, label=label,
                         probabilities=probabilities)


def class_outputs(graph, classes, element: int, a: str, *, label: str | None = None,
                  probabilities: str | None = None) -> tuple[str, str]:
    """``(label, probabilities)`` of one class per row from the network output
    ``a``: one logistic output for two ``classes``, else one per class;
    ``element`` is the labels' ONNX element type."""
    if len(classes) == 2:
        one = graph.constant("one", np.array(1.0, dtype=np.float32))
        complement = graph.node("Sub", [one, a], "complement")
        proba = graph.node("Concat", [complement, a], "probabilities", output=probabilities, axis=1)
        above = graph.node("Greater", [a, _threshold(graph)], "above")
        index = graph.node("Cast", [above], "index_column", to=TensorProto.INT64)
        flat = graph.constant("flat", np.array([-1], dtype=np.int64))
        index = graph.node("Reshape", [index, flat], "index")
    else:
        proba = graph.node("Identity", [a], "probabilities", output=probabilities)
        index = graph.node("ArgMax", [a], "index", axis=1, keepdims=0)
    return graph.node("Gather", [_class_constant(graph, classes, element), index], "label", output=label, axis=0), proba

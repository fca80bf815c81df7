"""glassnet's estimators registered with skl2onnx, so that
``skl2onnx.to_onnx(pipeline, X[:1])`` converts a scikit-learn pipeline that
ends in (or contains) an :class:`~glassnet.MLPClassifier` or
:class:`~glassnet.MLPRegressor`, as it does for scikit-learn's own MLP.

Each class gets a shape calculator (the types and shapes of its outputs)
and a converter (its nodes), written through :class:`~._graph.Skl2onnxGraph`
with the same code as :func:`glassnet.to_onnx`. The classifier takes
skl2onnx's ``zipmap`` option like every classifier. Importing
:mod:`glassnet.export` registers them.
"""

from __future__ import annotations

from onnx import TensorProto

from ..estimators import MLPClassifier, MLPRegressor
from ._graph import Skl2onnxGraph
from .heads import classifier_outputs, is_multilabel, label_type
from .network import write_network

__all__ = ["register"]

_REGISTERED = False


def _float_input(graph, operator) -> str:
    """The operator's input as float32: glassnet's graphs compute in float32."""
    variable = operator.inputs[0]
    if variable.type.to_onnx_type().tensor_type.elem_type == TensorProto.FLOAT:
        return variable.full_name
    return graph.node("Cast", [variable.full_name], "as_float", to=TensorProto.FLOAT)


def _check_input(operator) -> None:
    from skl2onnx.common.utils import check_input_and_output_numbers

    check_input_and_output_numbers(operator, input_count_range=1, output_count_range=None)
    features = operator.inputs[0].get_second_dimension()
    expected = operator.raw_operator.n_features_in_
    if features is not None and features != expected:
        raise ValueError(f"the {type(operator.raw_operator).__name__} takes {expected} features, "
                         f"its input in the pipeline has {features}")


def _classifier_shapes(operator) -> None:
    from skl2onnx.common.data_types import DoubleTensorType, FloatTensorType, Int64TensorType, StringTensorType

    _check_input(operator)
    estimator = operator.raw_operator
    n = operator.inputs[0].get_first_dimension()
    n_classes = len(estimator.classes_)
    label = {TensorProto.STRING: StringTensorType, TensorProto.INT64: Int64TensorType,
             TensorProto.DOUBLE: DoubleTensorType}[label_type(estimator)]
    operator.outputs[0].type = label([n, n_classes] if is_multilabel(estimator) else [n])
    operator.outputs[1].type = FloatTensorType([n, n_classes])


def _regressor_shapes(operator) -> None:
    from skl2onnx.common.data_types import FloatTensorType

    _check_input(operator)
    n = operator.inputs[0].get_first_dimension()
    operator.outputs[0].type = FloatTensorType([n, operator.raw_operator.network_.n_outputs])


def _convert_classifier(scope, operator, container) -> None:
    graph = Skl2onnxGraph(scope, container)
    estimator = operator.raw_operator
    output = write_network(graph, estimator.network_, _float_input(graph, operator))
    classifier_outputs(graph, estimator, output, label=operator.outputs[0].full_name,
                       probabilities=operator.outputs[1].full_name)


def _convert_regressor(scope, operator, container) -> None:
    graph = Skl2onnxGraph(scope, container)
    output = write_network(graph, operator.raw_operator.network_, _float_input(graph, operator))
    graph.node("Identity", [output], output=operator.outputs[0].full_name)


def register() -> None:
    """Register the converters with skl2onnx (once; later calls do nothing)."""
    global _REGISTERED
    if _REGISTERED:
        return
    from skl2onnx import update_registered_converter

    update_registered_converter(MLPClassifier, "GlassnetMLPClassifier", _classifier_shapes, _convert_classifier,
                                options={"zipmap": [True, False, "columns"], "nocl": [True, False]})
    update_registered_converter(MLPRegressor, "GlassnetMLPRegressor", _regressor_shapes, _convert_regressor)
    _REGISTERED = True

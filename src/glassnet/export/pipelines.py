"""A fitted scikit-learn ``Pipeline`` as an ONNX graph, through skl2onnx
(glassnet's estimators are registered with it, see :mod:`.sklearn_converters`).

A pipeline fitted on an array takes one input ``X`` of shape (n, n_features).
A pipeline fitted on a DataFrame takes one input per column, named as the
column and of shape (n, 1), as skl2onnx does for tables: a column that a
fitted encoder (``OneHotEncoder``, ``OrdinalEncoder``) reads as text
categories is a string input, every other column a float one. The fitted
pipeline records which step reads which column, so the types come from
there, not from a guess about the data.
"""

from __future__ import annotations

import numpy as np

__all__ = ["export_pipeline", "column_types"]

# steps that read text categories; any other step takes numbers
_TEXT_READERS = ("OneHotEncoder", "OrdinalEncoder")


def _reads_text(step) -> bool:
    """Whether a fitted step takes its columns as text categories."""
    if type(step).__name__ in _TEXT_READERS:
        return any(np.asarray(categories).dtype.kind in "OUS" for categories in getattr(step, "categories_", []))
    if hasattr(step, "steps"):  # a pipeline inside a column transformer: its first step reads the columns
        return _reads_text(step.steps[0][1])
    return False


def column_types(pipeline) -> dict[str, str]:
    """Each column the pipeline was fitted on -> ``"string"`` or ``"float"``."""
    names = [str(name) for name in pipeline.feature_names_in_]
    types = dict.fromkeys(names, "float")
    first = pipeline.steps[0][1]
    for _, step, columns in getattr(first, "transformers_", []):
        if isinstance(step, str) or not _reads_text(step):
            continue
        selected = np.asarray(names)[columns] if np.asarray(columns).dtype.kind in "biu" else columns
        for name in np.atleast_1d(selected):
            types[str(name)] = "string"
    return types


def export_pipeline(pipeline):
    """The ONNX ModelProto of a fitted Pipeline (ValueError for what skl2onnx cannot convert)."""
    from skl2onnx import to_onnx as skl2onnx_to_onnx
    from skl2onnx.common.data_types import FloatTensorType, StringTensorType
    from sklearn.utils.validation import check_is_fitted

    from ..estimators import MLPClassifier

    check_is_fitted(pipeline, msg="this %(name)s is not fitted yet: call fit before exporting to ONNX")
    if hasattr(pipeline, "feature_names_in_"):
        tensor = {"string": StringTensorType, "float": FloatTensorType}
        initial_types = [(name, tensor[kind]([None, 1])) for name, kind in column_types(pipeline).items()]
    else:
        initial_types = [("X", FloatTensorType([None, pipeline.n_features_in_]))]
    try:
        return skl2onnx_to_onnx(pipeline, initial_types=initial_types, options={MLPClassifier: {"zipmap": False}})
    except (RuntimeError, NotImplementedError, TypeError, KeyError) as error:
        # skl2onnx's own errors (a step it has no converter for ...) as one clear message
        raise ValueError(f"skl2onnx cannot convert this Pipeline: {type(error).__name__}: {error}") from None

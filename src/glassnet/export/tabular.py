"""A command-line model file (:class:`~glassnet.tabular.TabularModel`) as one
ONNX graph taking the table's raw columns.

Inputs are named as the columns of the CSV file the model learnt from, one
per feature column, each of shape (n, 1): float32 for a numeric column,
string for a text column. The graph does what ``TabularModel.inputs``
does: the numeric columns side by side with their empty (NaN) cells
imputed, each text column's empty cells filled and one-hot encoded over the
categories seen in training (a category not seen gives all zeros, as in
glassnet), the scaler, then the network, and what ``TabularModel.decode``
does: a classifier's ``label`` and ``probabilities``, or a regressor's
standardised output times the target's scale plus its mean, ``variable``.

Text cells are compared as given: glassnet strips the spaces around a CSV
cell, so strip them before calling the runtime too.
"""

from __future__ import annotations

import numpy as np
from onnx import TensorProto

from .heads import class_outputs
from .steps import write_step

__all__ = ["write_tabular_inputs", "write_target_head", "numeric_steps", "input_steps"]


def numeric_steps(model) -> list:
    """Fitted steps applied to the numeric columns alone, before one-hot
    encoding: the imputer of empty (NaN) cells, when the model has one."""
    imputation = getattr(model, "imputation", None)
    return [] if imputation is None or imputation.numeric is None else [imputation.numeric]


def text_fill_values(model) -> list[str] | None:
    """The value an empty text cell becomes, per text column (None: no imputation)."""
    imputation = getattr(model, "imputation", None)
    return None if imputation is None or imputation.text is None else imputation.text_values


def input_steps(model) -> list:
    """Fitted steps applied to all the network's inputs (the scaler)."""
    return [] if model.scaler is None else [model.scaler]


def write_tabular_inputs(graph, model) -> str:
    """Declare one graph input per feature column; the name of the network's input."""
    columns = model.columns
    blocks = []
    numeric = [graph.add_input(name, TensorProto.FLOAT, [None, 1]) for name in columns.numeric]
    if numeric:
        block = numeric[0] if len(numeric) == 1 else graph.node("Concat", numeric, "numeric", axis=1)
        for step in numeric_steps(model):
            block = write_step(graph, step, block)
        blocks.append(block)
    fills = text_fill_values(model)
    for index, (name, categories) in enumerate(columns.categories.items()):
        cells = graph.add_input(name, TensorProto.STRING, [None, 1])
        if fills is not None:
            # an empty cell becomes the training part's most frequent category;
            # every other unseen text stays unseen (all zeros after one-hot)
            known = [str(category) for category in categories]
            cells = graph.node("LabelEncoder", [cells], f"{name}_filled", domain="ai.onnx.ml",
                               keys_strings=[*known, ""], values_strings=[*known, fills[index]],
                               default_string="\x00unseen")
        encoded = graph.node("OneHotEncoder", [cells], f"{name}_onehot3d", domain="ai.onnx.ml",
                             cats_strings=list(categories), zeros=1)
        axis = graph.constant("axis", np.array([1], dtype=np.int64))
        blocks.append(graph.node("Squeeze", [encoded, axis], f"{name}_onehot"))
    # inputs declared in file order; a network input needs at least one column
    graph.inputs.sort(key=lambda value: columns.features.index(value.name))
    x = blocks[0] if len(blocks) == 1 else graph.node("Concat", blocks, "encoded", axis=1)
    for step in input_steps(model):
        x = write_step(graph, step, x)
    return x


def write_target_head(graph, model, output: str) -> None:
    """The model's predictions from the network's ``output``, decoded by its target encoding."""
    classes = model.classes_
    if classes is not None:
        class_outputs(graph, classes, TensorProto.STRING, output, label="label", probabilities="probabilities")
        graph.add_output("label", TensorProto.STRING, [None])
        graph.add_output("probabilities", TensorProto.FLOAT, [None, len(classes)])
        return
    encoding = model.target_encoding
    scale = graph.constant("target_scale", np.array(encoding.scale, dtype=np.float32))
    mean = graph.constant("target_mean", np.array(encoding.mean, dtype=np.float32))
    graph.node("Add", [graph.node("Mul", [output, scale], "target_scaled"), mean], "variable", output="variable")
    graph.add_output("variable", TensorProto.FLOAT, [None, 1])

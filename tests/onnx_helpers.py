"""Feeding an exported table model in onnxruntime as a user would: one input per column, from text cells."""

import numpy as np
import pandas as pd


def column_feeds(proto, frame: pd.DataFrame) -> dict:
    """The graph's inputs from a table of text cells (empty cells as ""): a text column's cells as strings,
    a numeric column's as float32 with empty cells NaN, each of shape (rows, 1)."""
    import onnx

    feeds = {}
    for value in proto.graph.input:
        cells = frame[value.name].str.strip()
        if value.type.tensor_type.elem_type == onnx.TensorProto.STRING:
            feeds[value.name] = cells.to_numpy(dtype=object).reshape(-1, 1)
        else:
            feeds[value.name] = pd.to_numeric(cells.replace("", np.nan)).astype(np.float32).to_numpy().reshape(-1, 1)
    return feeds

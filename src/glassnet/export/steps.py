"""Fitted scikit-learn preprocessing steps as ONNX nodes: a registry keyed by
the step's class name.

A writer takes a graph, the fitted step and the name of a float32 tensor
(n, n_features) and returns the name of the transformed tensor. The
arithmetic is scikit-learn's ``transform`` in the same order (subtract,
then divide; multiply, then add, then clip), in float32. Adding a step to
the command line's pipeline means adding its writer here.
"""

from __future__ import annotations

import numpy as np

from .._registry import Registry

__all__ = ["STEP_WRITERS", "write_step"]

STEP_WRITERS: Registry = Registry("preprocessing step with an ONNX form")


def _row(graph, hint, values):
    return graph.constant(hint, np.asarray(values, dtype=np.float32).reshape(1, -1))


def _standard(graph, scaler, x):
    if scaler.with_mean:
        x = graph.node("Sub", [x, _row(graph, "mean", scaler.mean_)], "centred")
    if scaler.with_std and scaler.scale_ is not None:
        x = graph.node("Div", [x, _row(graph, "scale", scaler.scale_)], "scaled")
    return x


def _minmax(graph, scaler, x):
    x = graph.node("Mul", [x, _row(graph, "scale", scaler.scale_)], "stretched")
    x = graph.node("Add", [x, _row(graph, "min", scaler.min_)], "shifted")
    if scaler.clip:
        low, high = (graph.constant(name, np.array(value, dtype=np.float32))
                     for name, value in zip(("low", "high"), scaler.feature_range))
        x = graph.node("Clip", [x, low, high], "clipped")
    return x


def _robust(graph, scaler, x):
    if scaler.with_centering:
        x = graph.node("Sub", [x, _row(graph, "center", scaler.center_)], "centred")
    if scaler.with_scaling:
        x = graph.node("Div", [x, _row(graph, "scale", scaler.scale_)], "scaled")
    return x


def _maxabs(graph, scaler, x):
    return graph.node("Div", [x, _row(graph, "scale", scaler.scale_)], "scaled")


def _imputer(graph, imputer, x):
    missing = imputer.missing_values
    if not (isinstance(missing, float) and np.isnan(missing)):
        raise ValueError(f"a SimpleImputer exports with missing_values=nan only, got {missing!r}")
    statistics = np.asarray(imputer.statistics_, dtype=np.float64)
    if np.isnan(statistics).any() or getattr(imputer, "add_indicator", False):
        raise ValueError("a SimpleImputer exports only when every column has a fill value and add_indicator=False")
    is_missing = graph.node("IsNaN", [x], "missing")
    return graph.node("Where", [is_missing, _row(graph, "fill", statistics), x], "imputed")


STEP_WRITERS.register("StandardScaler", _standard)
STEP_WRITERS.register("MinMaxScaler", _minmax)
STEP_WRITERS.register("RobustScaler", _robust)
STEP_WRITERS.register("MaxAbsScaler", _maxabs)
STEP_WRITERS.register("SimpleImputer", _imputer)


def write_step(graph, step, x: str) -> str:
    """The nodes of the fitted ``step`` applied to ``x``; the result's name."""
    return STEP_WRITERS.get(type(step).__name__)(graph, step, x)

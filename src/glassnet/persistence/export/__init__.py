"""ONNX export: any glassnet model as a graph that onnxruntime (or any ONNX
runtime) runs without glassnet.

:func:`to_onnx` exports a :class:`~glassnet.NeuralNetwork`, a
:class:`~glassnet.engine.network.Network`, a fitted
:class:`~glassnet.MLPClassifier` or :class:`~glassnet.MLPRegressor`, a
command-line model file (preprocessing included, taking the CSV's columns)
and a scikit-learn ``Pipeline`` containing glassnet estimators. Importing
this package also registers glassnet's estimators with skl2onnx, so that
``skl2onnx.to_onnx`` converts pipelines holding them.

- :mod:`._graph`: the graph interface, standalone or inside skl2onnx
- :mod:`.activations`: each activation's nodes (a registry)
- :mod:`.network`: the engine's layers
- :mod:`.heads`: a classifier's labels and probabilities, a regressor's values
- :mod:`.steps`: fitted scalers and imputers (a registry)
- :mod:`.tabular`: a command-line model's raw columns to the network's inputs
- :mod:`.models`: which graph each model kind becomes (a registry)
- :mod:`.sklearn_converters`: the skl2onnx registration

Needs the ``onnx`` extra: ``pip install "glassnet[onnx]"``.
"""

from __future__ import annotations

import os

try:
    import onnx  # noqa: F401
    import skl2onnx  # noqa: F401
except ImportError as error:  # pragma: no cover - depends on the installation
    raise ImportError(
        f"ONNX export needs the onnx and skl2onnx packages ({error}); install them with "
        "pip install \"glassnet[onnx]\""
    ) from None

from .._atomic import atomic_write_bytes
from ..kinds import kind_of
from ._graph import Graph
from .models import EXPORTERS
from .sklearn_converters import register

__all__ = ["to_onnx", "register"]

register()


def to_onnx(model: object, path: str | os.PathLike[str] | None = None) -> onnx.ModelProto:
    """``model`` as an ONNX ``ModelProto``; also written to ``path`` when given.

    Inputs and outputs (see :mod:`.models`): ``X`` to ``output`` for a
    NeuralNetwork or Network; ``X`` to ``label`` and ``probabilities`` for a
    classifier; ``X`` to ``variable`` for a regressor; one input per CSV
    column for a command-line model file. The graph computes in float32 and
    agrees with ``predict``/``predict_proba`` to float32 rounding.

    Raises ``ValueError`` for an estimator or pipeline that is not fitted,
    and for a model glassnet cannot export. The file is written atomically.
    """
    from sklearn.pipeline import Pipeline

    if isinstance(model, Pipeline):
        proto = _pipeline(model)
    else:
        kind = _kind(model)
        graph = Graph(f"glassnet_{kind}")
        EXPORTERS.get(kind)(graph, model)
        proto = graph.model(doc=f"glassnet {kind}: {model!r}"[:1000])
    if path is not None:
        atomic_write_bytes(path, proto.SerializeToString())
    return proto


def _kind(model) -> str:
    try:
        kind = kind_of(model)
    except ValueError:
        kind = None
    if kind not in EXPORTERS:
        raise ValueError(
            f"glassnet cannot export a {type(model).__name__} to ONNX; expected a NeuralNetwork, Network, "
            "MLPClassifier, MLPRegressor, a model file of 'glassnet train' or a scikit-learn Pipeline"
        )
    return kind


def _pipeline(pipeline):
    from skl2onnx import to_onnx as skl2onnx_to_onnx
    from skl2onnx.common.data_types import FloatTensorType
    from sklearn.utils.validation import check_is_fitted

    check_is_fitted(pipeline, msg="this %(name)s is not fitted yet: call fit before exporting to ONNX")
    from ...estimators import MLPClassifier

    if hasattr(pipeline, "feature_names_in_"):
        # the graph's inputs would be the DataFrame's columns, whose types (numbers or text) the
        # fitted pipeline does not record
        raise ValueError(
            "this Pipeline was fitted on a DataFrame; give its columns' types to skl2onnx: "
            "skl2onnx.to_onnx(pipeline, initial_types=[(name, FloatTensorType([None, 1])), ...]) "
            "(importing glassnet.persistence.export registers glassnet's converters)"
        )
    try:
        return skl2onnx_to_onnx(
            pipeline,
            initial_types=[("X", FloatTensorType([None, pipeline.n_features_in_]))],
            options={MLPClassifier: {"zipmap": False}},
        )
    except (RuntimeError, NotImplementedError, TypeError, KeyError) as error:
        # skl2onnx's own errors (a step it has no converter for ...) as one clear message
        raise ValueError(f"skl2onnx cannot convert this Pipeline: {type(error).__name__}: {error}") from None


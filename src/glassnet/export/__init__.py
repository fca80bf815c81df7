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
- :mod:`.pipelines`: scikit-learn pipelines, through skl2onnx
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
from ..persistence import kinds as _kinds  # noqa: F401  (every kind of model registered)
from ..protocol import kind_of
from .models import EXPORTERS
from .sklearn_converters import register

__all__ = ["to_onnx", "register"]

register()


def to_onnx(model: object, path: str | os.PathLike[str] | None = None) -> onnx.ModelProto:
    """``model`` as an ONNX ``ModelProto``; also written to ``path`` when given.

    Inputs and outputs (see :mod:`.models`): ``X`` to ``output`` for a
    NeuralNetwork or Network; ``X`` to ``label`` and ``probabilities`` for a
    classifier; ``X`` to ``variable`` for a regressor; one input per CSV
    column for a command-line model file; for a scikit-learn ``Pipeline``,
    ``X`` when it was fitted on an array and one input per column (named as
    the column, shape (n, 1), strings for the columns its encoders read as
    text) when it was fitted on a DataFrame (see :mod:`.pipelines`). The
    graph computes in float32 and agrees with ``predict``/``predict_proba`` to
    float32 rounding.

    Raises ``ValueError`` for an estimator or pipeline that is not fitted,
    and for a model glassnet cannot export. The file is written atomically.
    """
    try:
        kind = kind_of(model)
    except ValueError:
        kind = None
    if kind not in EXPORTERS:
        raise ValueError(
            f"glassnet cannot export a {type(model).__name__} to ONNX; expected a NeuralNetwork, Network, "
            "MLPClassifier, MLPRegressor, a model file of 'glassnet train' or a scikit-learn Pipeline"
        )
    proto = EXPORTERS.get(kind)(model)
    if path is not None:
        atomic_write_bytes(path, proto.SerializeToString())
    return proto

"""Model files: :func:`save` and :func:`load`.

One file holds a model's arrays as ``.npy`` members and everything else as
JSON (see :mod:`.archive`). Saving is atomic (see :mod:`._atomic`); loading
validates the whole file before building anything and never unpickles or
executes code from it. Which classes can be saved is a registry
(see :mod:`.kinds`); scikit-learn pipelines are saved through
:mod:`.sklearn_state`. :mod:`glassnet.export` writes any model as an ONNX graph
(the ``onnx`` extra), imported only when used.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .._atomic import atomic_path, atomic_write_bytes, atomic_write_text
from ..engine.state_arrays import StateArrays
from .archive import (ARRAY_BYTES_FLOOR, ARRAY_BYTES_RATIO, FORMAT, MAX_BYTES, VERSION, FileDamaged, array_limit, pack,
                      unpack)
from .kinds import KINDS, embed_state, embedded_object, from_state, kind_class, kind_of, register_kind, state_of

__all__ = [
    "save",
    "load",
    "register_kind",
    "embed_state",
    "embedded_object",
    "atomic_path",
    "atomic_write_bytes",
    "atomic_write_text",
    "FORMAT",
    "VERSION",
    "MAX_BYTES",
    "ARRAY_BYTES_FLOOR",
    "ARRAY_BYTES_RATIO",
    "array_limit",
    "StateArrays",
    "KINDS",
]


def save(model: object, path: str | os.PathLike[str]) -> Path:
    """Write ``model`` to ``path`` atomically; returns the path.

    ``model`` is a :class:`~glassnet.NeuralNetwork`, a
    :class:`~glassnet.Network`, a fitted :class:`~glassnet.MLPClassifier` or
    :class:`~glassnet.MLPRegressor`, a fitted scikit-learn ``Pipeline`` or
    ``ColumnTransformer`` of scalers, ``SimpleImputer``, ``OneHotEncoder``,
    ``OrdinalEncoder``, glassnet estimators, "drop" and "passthrough" (any
    other step raises ``ValueError`` naming it), or any registered kind. The file is
    complete or absent: an existing file at ``path`` is replaced only once the
    new one is fully written.
    """
    kind = kind_of(model)
    state, arrays = state_of(model)
    data = pack(kind, state, arrays)
    atomic_write_bytes(path, data)
    return Path(path)


def load(path: str | os.PathLike[str], *, max_bytes: int | None = None, max_array_bytes: int | None = None) -> Any:
    """The model saved at ``path``.

    Raises ``ValueError`` for a file that is not a glassnet model, is
    truncated or altered, was written by a newer glassnet, holds an array
    of another shape or dtype than its model needs or one its model does not
    use, is larger than ``max_bytes`` on disk (default :data:`MAX_BYTES`,
    2 GiB), or would take more than ``max_array_bytes`` once read (default
    :func:`~glassnet.persistence.archive.array_limit`: 32 times the file's
    size, at least 64 MiB, at most 2 GiB; checked before anything is
    decompressed); ``FileNotFoundError`` or ``IsADirectoryError`` when
    ``path`` is not a file.
    """
    path = Path(path)
    limit = MAX_BYTES if max_bytes is None else int(max_bytes)
    source = f"model file {str(path)!r}"
    with open(path, "rb") as handle:  # FileNotFoundError / IsADirectoryError as usual
        size = os.fstat(handle.fileno()).st_size
        if size > limit:
            raise ValueError(f"{source} is {size} bytes, over the limit of {limit} bytes; pass max_bytes to allow it")
        # as much as fstat says (a read of ``limit`` bytes would reserve them all)
        data = handle.read(size + 1)
    if len(data) > limit:
        raise ValueError(f"{source} is over the limit of {limit} bytes; pass max_bytes to allow it")
    kind, state, arrays = unpack(data, source=source, max_array_bytes=max_array_bytes)
    cls = kind_class(kind)
    try:
        model = from_state(cls, state, arrays)
    except FileDamaged:
        raise
    except ValueError as error:
        raise ValueError(f"{source} holds an invalid {kind}: {error}") from None
    except (KeyError, TypeError, IndexError, AttributeError, OverflowError) as error:
        # a state missing an entry or holding the wrong type: the JSON was edited
        raise ValueError(f"{source} holds a malformed {kind} state ({type(error).__name__}: {error})") from None
    extra = arrays.untaken()
    if extra:
        raise ValueError(f"{source} holds array(s) its {kind} does not use: {', '.join(map(repr, extra))}; "
                         "a glassnet model file holds nothing else")
    return model


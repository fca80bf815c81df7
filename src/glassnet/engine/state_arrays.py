"""The arrays of a saved state, handed out one at a time, each checked first.

A model file declares every array's dtype and shape; the kind rebuilding
itself from the file knows what it needs (a network with these layer sizes
needs a parameter vector of so many float64 numbers). :meth:`StateArrays.take`
compares the two *before* the array is read, so an array larger than the
model needs is never decompressed nor allocated. The loader then refuses the
arrays no kind took (see :func:`glassnet.persistence.load`), so a file cannot
carry anything the model does not use.

How a kind's ``_from_glassnet_state(state, arrays)`` reads its arrays::

    params = arrays.take("params", shape=(count,), dtype=np.float64)
    low = arrays.take("training_low", shape=(n_inputs,), kind="f")
    classes = arrays.take("classes", shape=(None,))     # None: any length
    inner = arrays.within("estimator.")                 # an embedded object's arrays
    if "classes" in arrays: ...                          # nothing is read
    arrays.spec("params")                                # (dtype, shape) as declared

``arrays[name]`` is ``take(name)`` with no expectation (for kinds whose
arrays have no shape known in advance, such as a scikit-learn pipeline's;
the loader's limit on the total still bounds them). A state built in memory
(a dict of arrays) is wrapped by :meth:`StateArrays.of` and checked alike.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping

import numpy as np

__all__ = ["StateArrays", "Spec"]

# an array's declared (dtype, shape)
Spec = tuple[np.dtype, tuple[int, ...]]


class StateArrays(Mapping):
    """Named arrays read on demand through ``read(name, spec)`` after a check.

    ``specs`` maps every name to its declared ``(dtype, shape)``. Views made
    by :meth:`within` share the record of what has been taken.
    """

    def __init__(self, specs: dict[str, Spec], read: Callable[[str, Spec], np.ndarray], *, prefix: str = "",
                 taken: set[str] | None = None):
        self._specs = specs
        self._read = read
        self._prefix = prefix
        self._taken = set() if taken is None else taken

    @classmethod
    def of(cls, arrays) -> "StateArrays":
        """``arrays`` itself when it is one; a dict of arrays wrapped."""
        if isinstance(arrays, StateArrays):
            return arrays
        held = {str(name): np.asarray(array) for name, array in dict(arrays or {}).items()}
        specs = {name: (array.dtype, tuple(array.shape)) for name, array in held.items()}
        return cls(specs, lambda name, spec: held[name])

    # --- what is declared (nothing is read) ---------------------------------------------
    def __contains__(self, name) -> bool:
        return isinstance(name, str) and self._prefix + name in self._specs

    def __iter__(self) -> Iterator[str]:
        start = len(self._prefix)
        return iter([name[start:] for name in self._specs if name.startswith(self._prefix)])

    def __len__(self) -> int:
        return sum(1 for name in self._specs if name.startswith(self._prefix))

    def spec(self, name: str) -> Spec:
        """The declared ``(dtype, shape)`` of ``name``; ValueError when absent."""
        if name not in self:
            raise ValueError(f"the state has no array {name!r}" + self._listing())
        return self._specs[self._prefix + name]

    @property
    def nbytes(self) -> int:
        """The bytes the arrays under this view would take once read."""
        return sum(dtype.itemsize * math.prod(shape) for name, (dtype, shape) in self._specs.items()
                   if name.startswith(self._prefix))

    def within(self, prefix: str) -> "StateArrays":
        """The arrays named ``prefix + name``, as ``name`` (an embedded object's)."""
        return StateArrays(self._specs, self._read, prefix=self._prefix + prefix, taken=self._taken)

    def untaken(self) -> list[str]:
        """Every declared name (in full) that no :meth:`take` asked for."""
        return sorted(name for name in self._specs if name not in self._taken)

    # --- reading ------------------------------------------------------------------------------
    def take(self, name: str, *, shape=None, dtype=None, kind: str | None = None) -> np.ndarray:
        """The array ``name``, read only once its declaration matches.

        ``shape`` is the shape the model needs, ``None`` entries matching any
        length (``(None,)``: any 1-D array); ``dtype`` one dtype or a tuple
        of them; ``kind`` the dtype kinds allowed (``"f"`` floats, ``"iu"``
        integers). Raises ValueError naming the array, what the file declares
        and what the model needs.
        """
        declared_dtype, declared_shape = self.spec(name)
        if dtype is not None:
            allowed = [np.dtype(item) for item in (dtype if isinstance(dtype, (tuple, list)) else (dtype,))]
            if declared_dtype not in allowed:
                needed = " or ".join(str(item) for item in allowed)
                raise ValueError(f"array {name!r} holds {declared_dtype} numbers; the model needs {needed}")
        if kind is not None and declared_dtype.kind not in kind:
            raise ValueError(f"array {name!r} holds {declared_dtype} numbers; the model needs {_kinds(kind)}")
        if shape is not None:
            shape = tuple(shape)
            fits = len(shape) == len(declared_shape) and all(
                want is None or want == have for want, have in zip(shape, declared_shape))
            if not fits:
                needed = "(" + ", ".join("any" if want is None else str(want) for want in shape) + \
                         ("," if len(shape) == 1 else "") + ")"
                raise ValueError(f"array {name!r} has shape {declared_shape}; the model needs shape {needed}")
        full = self._prefix + name
        self._taken.add(full)
        return self._read(full, self._specs[full])

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self:
            raise KeyError(name)
        return self.take(name)

    def get(self, name: str, default=None):
        return self.take(name) if name in self else default

    def _listing(self) -> str:
        names = list(self)
        return f" (it has: {', '.join(map(repr, names[:8]))}{', ...' if len(names) > 8 else ''})" if names else ""

    def __repr__(self) -> str:
        return f"StateArrays({len(self)} arrays{', under ' + repr(self._prefix) if self._prefix else ''})"


def _kinds(kind: str) -> str:
    words = {"b": "booleans", "i": "integers", "u": "unsigned integers", "f": "floats"}
    return " or ".join(words.get(letter, letter) for letter in kind)

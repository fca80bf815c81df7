"""Which classes a model file may rebuild, by the name written in the file.

The registry is the model protocol's (:data:`glassnet.protocol.KINDS`):
each front door registers its classes under their file names when it is
imported, with :func:`glassnet.protocol.register`. A savable class has two
methods:

* ``_glassnet_state(self) -> (state, arrays)``: ``state`` is JSON-ready
  (str, int, float, bool, None, lists, dicts with string keys; no NaN or
  infinity), ``arrays`` maps names to numeric NumPy arrays;
* ``_from_glassnet_state(cls, state, arrays)`` (a classmethod): the object
  those describe. ``arrays`` is a
  :class:`~glassnet.engine.state_arrays.StateArrays`, a read-only mapping
  whose ``take(name, shape=..., dtype=...)`` checks an array's declared
  shape and dtype against what the object needs before reading it; an
  array the object never takes makes :func:`glassnet.load` refuse the file.

This module imports every front door (so that a file of any kind can be
read) and registers scikit-learn's containers, which are kinds through a
pair of functions doing what the two methods do (see :mod:`.sklearn_state`).
A class holding another savable object embeds it with :func:`embed_state`
and gets it back with :func:`embedded_object`. Loading only ever calls a
registered class's ``_from_glassnet_state``; nothing in a file names code.
"""

from __future__ import annotations

from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
from sklearn.pipeline import Pipeline

# the front doors register their kinds when imported
from .. import article, estimators, tabular  # noqa: F401
from ..protocol import KINDS, embed_state, embedded_object, from_state, kind_class, kind_of, register, state_of
from .sklearn_state import sklearn_from_state, sklearn_state

__all__ = ["KINDS", "register_kind", "kind_class", "kind_of", "embed_state", "embedded_object", "state_of",
           "from_state"]


def register_kind(name: str, cls: type) -> type:
    """Let model files of kind ``name`` be rebuilt by ``cls`` (which has the
    two methods above); returns ``cls``."""
    return register(cls, kind=name)


for _container in (Pipeline, ColumnTransformer, TransformedTargetRegressor):
    register(_container, kind=_container.__name__, state=(sklearn_state, sklearn_from_state))

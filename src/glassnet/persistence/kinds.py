"""Which classes a model file may rebuild, by the name written in the file.

A savable class has two methods:

* ``_glassnet_state(self) -> (state, arrays)``: ``state`` is JSON-ready
  (str, int, float, bool, None, lists, dicts with string keys; no NaN or
  infinity), ``arrays`` maps names to numeric NumPy arrays;
* ``_from_glassnet_state(cls, state, arrays)`` (a classmethod): the object
  those describe. ``arrays`` is a
  :class:`~glassnet.engine.state_arrays.StateArrays`, a read-only mapping
  whose ``take(name, shape=..., dtype=...)`` checks an array's declared
  shape and dtype against what the object needs before reading it; an
  array the object never takes makes :func:`glassnet.load` refuse the file.

``register_kind("name", cls)`` lets :func:`glassnet.load` rebuild it.
Classes that are not glassnet's own (scikit-learn's ``Pipeline`` and
``ColumnTransformer``) are kinds through an adapter: a pair of functions
in :data:`ADAPTERS` doing what the two methods do (see
:mod:`.sklearn_state`). A
class holding another savable object embeds it with :func:`embed_state` and
gets it back with :func:`embedded_object`. Loading only ever calls a
registered class's ``_from_glassnet_state``; nothing in a file names code.
"""

from __future__ import annotations

from importlib import import_module

from .._registry import Registry
from ..engine.state_arrays import StateArrays

__all__ = ["KINDS", "ADAPTERS", "register_kind", "kind_class", "kind_of", "embed_state", "embedded_object",
           "state_of", "from_state"]

KINDS: Registry[type] = Registry("model kind")
# class -> (state function, rebuilding function) for classes without the two methods
ADAPTERS: dict = {}

# the library's own kinds, imported on first use so that importing
# glassnet.persistence stays light and free of import cycles
_BUILTIN = {
    "NeuralNetwork": ("glassnet.article", "NeuralNetwork"),
    "Network": ("glassnet.engine.network", "Network"),
    "MLPClassifier": ("glassnet.estimators", "MLPClassifier"),
    "MLPRegressor": ("glassnet.estimators", "MLPRegressor"),
    "tabular": ("glassnet.tabular", "TabularModel"),
    "NetworkEstimator": ("glassnet.tabular.network_model", "NetworkEstimator"),
}
# scikit-learn containers, saved through glassnet.persistence.sklearn_state
_ADAPTED = {"Pipeline": "sklearn.pipeline", "ColumnTransformer": "sklearn.compose"}
_ADAPTER = "glassnet.persistence.sklearn_state"


def register_kind(name: str, cls: type) -> type:
    """Let model files of kind ``name`` be rebuilt by ``cls``; returns ``cls``."""
    for method in ("_glassnet_state", "_from_glassnet_state"):
        if not callable(getattr(cls, method, None)):
            raise ValueError(f"{cls.__name__} cannot be a model kind: it has no {method} method")
    KINDS.register(name, cls)
    return cls


def _load_builtins() -> None:
    for name, (module, attribute) in _BUILTIN.items():
        if name not in KINDS:
            register_kind(name, getattr(import_module(module), attribute))
    for name, module in _ADAPTED.items():
        if name not in KINDS:
            # named, like the built-in kinds, and imported on first use: the
            # adapter saves the glassnet models inside a pipeline through this module
            adapter = import_module(_ADAPTER)
            cls = getattr(import_module(module), name)
            ADAPTERS[cls] = (adapter.sklearn_state, adapter.sklearn_from_state)
            KINDS.register(name, cls)


def state_of(model) -> tuple[dict, dict]:
    """``(state, arrays)`` of a model of a registered kind."""
    adapter = ADAPTERS.get(type(model))
    return adapter[0](model) if adapter is not None else model._glassnet_state()


def from_state(cls: type, state: dict, arrays):
    """The object of class ``cls`` that ``state`` and ``arrays`` describe.

    ``arrays`` is a :class:`~glassnet.engine.state_arrays.StateArrays` (a
    dict is wrapped in one): the class takes each array with the shape and
    dtype it needs.
    """
    arrays = StateArrays.of(arrays)
    adapter = ADAPTERS.get(cls)
    return adapter[1](state, arrays) if adapter is not None else cls._from_glassnet_state(state, arrays)


def kind_class(name: str) -> type:
    """The class registered for ``name`` (ValueError naming the known kinds)."""
    _load_builtins()
    return KINDS.get(name)


def kind_of(model) -> str:
    """The registered name of ``model``'s class (exact class, not a subclass)."""
    _load_builtins()
    for name in KINDS:
        if type(model) is KINDS.get(name):
            return name
    raise ValueError(
        f"glassnet cannot save a {type(model).__name__}; expected one of: {', '.join(KINDS.names())}"
    )


def embed_state(model, prefix: str) -> tuple[dict, dict]:
    """``(state, arrays)`` for ``model`` inside another state: its arrays are
    renamed ``prefix + name`` and the state records its kind."""
    kind = kind_of(model)
    state, arrays = state_of(model)
    return {"kind": kind, "state": state}, {prefix + name: array for name, array in arrays.items()}


def embedded_object(entry: dict, arrays, prefix: str):
    """The object :func:`embed_state` described (its arrays are those named
    ``prefix + name``, read only when it takes them)."""
    if not isinstance(entry, dict) or not isinstance(entry.get("kind"), str):
        raise ValueError(f"the embedded model entry {entry!r} is malformed; expected a kind and a state")
    return from_state(kind_class(entry["kind"]), entry.get("state"), StateArrays.of(arrays).within(prefix))

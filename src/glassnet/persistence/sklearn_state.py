"""scikit-learn pipelines in model files, as JSON and ``.npy`` only.

A fitted ``Pipeline``, ``ColumnTransformer`` or ``TransformedTargetRegressor``
is written as the whole state (``vars``) of each of its objects, encoded
value by value:

* numbers, strings, booleans and None as themselves (non-finite floats,
  NumPy scalars, tuples, dicts, slices and dtypes as small tagged objects);
* numeric arrays as ``.npy`` members of the file; arrays of text (the
  categories of an encoder) as JSON lists;
* each step as ``{"estimator": class name, "state": {...}}``, the class
  taken from :data:`STEP_CLASSES` alone; glassnet's estimators as their own
  model-file state (see :mod:`.kinds`).

A target or a column may pass through one of NumPy's functions listed in
:data:`UFUNCS` (``log1p`` and ``expm1``, say), written by name and looked up
in that table when loading. Anything else -- another class of step, any
other function, an object the encoder does not know -- is refused when
saving, with a ``ValueError`` naming the step and its class. Loading builds objects of the listed classes only and
fills them with data: it never unpickles, imports or calls anything named
in the file, so a hostile file is refused (or yields harmless data) like
any other model file. Restoring the whole state makes predictions
bit-identical to those before saving.
"""

from __future__ import annotations

import math
import re
from importlib import import_module

import numpy as np

from ..engine.state_arrays import StateArrays
from ..protocol import embed_state, embedded_object, kind_class

__all__ = ["STEP_CLASSES", "check_steps", "sklearn_state", "sklearn_from_state"]

# class name -> (module, class): the steps a model file may hold
STEP_CLASSES = {
    "Pipeline": "sklearn.pipeline",
    "ColumnTransformer": "sklearn.compose",
    "StandardScaler": "sklearn.preprocessing",
    "MinMaxScaler": "sklearn.preprocessing",
    "RobustScaler": "sklearn.preprocessing",
    "MaxAbsScaler": "sklearn.preprocessing",
    "OneHotEncoder": "sklearn.preprocessing",
    "OrdinalEncoder": "sklearn.preprocessing",
    "SimpleImputer": "sklearn.impute",
    # what a fitted ColumnTransformer makes of "passthrough" (the identity), or a
    # TransformedTargetRegressor of its func/inverse_func: None or one of UFUNCS only
    "FunctionTransformer": "sklearn.preprocessing",
    # a regressor whose target passes through a scaler or one of the named functions below
    "TransformedTargetRegressor": "sklearn.compose",
}
# the functions a target or a column may pass through: NumPy's own, saved by name and
# looked up in this table on loading (never imported or called by a name from the file)
UFUNCS = {name: getattr(np, name) for name in ("log", "exp", "log1p", "expm1", "log2", "exp2", "log10", "sqrt",
                                               "square", "arcsinh", "sinh")}
# glassnet's own estimators travel as their own model-file state
_GLASSNET = ("MLPClassifier", "MLPRegressor")
_STRINGS = ("drop", "passthrough")
# what a model file of this module's kinds holds at its top
_CONTAINERS = ("Pipeline", "ColumnTransformer", "TransformedTargetRegressor")
_ATTRIBUTE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_MAX_DEPTH = 64
# the types a step's dtype parameter may name
_TYPES = {"float": float, "int": int, "bool": bool, "str": str, "object": object,
          **{np.dtype(t).name: t for t in (np.float16, np.float32, np.float64, np.int8, np.int16, np.int32,
                                           np.int64, np.uint8, np.uint16, np.uint32, np.uint64, np.bool_)}}


def _class(name: str) -> type:
    return getattr(import_module(STEP_CLASSES[name]), name)


def _supported() -> str:
    names = [name for name in STEP_CLASSES if name != "FunctionTransformer"] + ["FunctionTransformer of NumPy's "
                                                                                 + "/".join(UFUNCS)]
    return ", ".join([*names, *_GLASSNET, *map(repr, _STRINGS)])


# --- which steps ------------------------------------------------------------------------
def check_steps(model, where: str = "") -> None:
    """ValueError naming the first step that a model file cannot hold."""
    name = type(model).__name__
    if name == "Pipeline" and type(model) is _class(name):
        for step_name, step in model.steps:
            _check_step(step, f"{where}step {step_name!r} of the Pipeline")
    elif name == "TransformedTargetRegressor" and type(model) is _class(name):
        _check_functions(model, where or "the TransformedTargetRegressor")
        for part in ("regressor", "transformer", "regressor_", "transformer_"):
            _check_step(getattr(model, part, None), f"{where}the {part} of the TransformedTargetRegressor")
    elif name == "ColumnTransformer" and type(model) is _class(name):
        for step_name, step, _ in [*model.transformers, *getattr(model, "transformers_", [])]:
            _check_step(step, f"{where}step {step_name!r} of the ColumnTransformer")
        if not isinstance(model.remainder, str):
            _check_step(model.remainder, f"{where}the remainder of the ColumnTransformer")
    else:
        _check_step(model, where or "the model")


def _check_step(step, where: str) -> None:
    if isinstance(step, str) and step in _STRINGS or step is None:
        return
    name = type(step).__name__
    if name in _GLASSNET and type(step).__module__.startswith("glassnet."):
        return
    if name in STEP_CLASSES and type(step) is _class(name):
        if name == "FunctionTransformer":
            _check_functions(step, where)
        if name in ("Pipeline", "ColumnTransformer", "TransformedTargetRegressor"):
            check_steps(step, f"{where}: ")
        return
    raise ValueError(
        f"cannot save {where}: a {name} ({type(step).__module__}) is not one of the steps a glassnet model "
        f"file holds; expected one of: {_supported()}"
    )


def _check_functions(step, where: str) -> None:
    """A step's ``func`` and ``inverse_func`` must be None or one of :data:`UFUNCS`."""
    for attribute in ("func", "inverse_func"):
        function = getattr(step, attribute)
        if function is not None and not any(function is known for known in UFUNCS.values()):
            raise ValueError(f"cannot save {where}: its {attribute} calls {getattr(function, '__name__', function)!r}, "
                             f"code a glassnet model file never holds; expected None or one of NumPy's "
                             f"{', '.join(UFUNCS)}")


# --- encoding ---------------------------------------------------------------------------------
class _Writer:
    def __init__(self, prefix: str):
        self.prefix = prefix
        self.arrays: dict[str, np.ndarray] = {}
        self.plain = 0
        self.embedded = 0

    def array(self, array: np.ndarray) -> str:
        name = f"{self.prefix}{self.plain}"
        self.plain += 1
        self.arrays[name] = array.copy()
        return name

    def encode(self, value, where: str):
        if value is None or isinstance(value, (bool, str)):
            return value
        if isinstance(value, (np.generic,)) and value.dtype.kind in "biuf":
            return {"scalar": value.dtype.str, "value": _number(value.item())}
        if isinstance(value, int):
            return value
        if isinstance(value, float):
            return _number(value)
        if isinstance(value, list):
            return [self.encode(item, f"{where}[{index}]") for index, item in enumerate(value)]
        if isinstance(value, tuple):
            return {"tuple": [self.encode(item, f"{where}[{index}]") for index, item in enumerate(value)]}
        if isinstance(value, dict):
            return {"dict": [[self.encode(key, where), self.encode(item, f"{where}[{key!r}]")]
                             for key, item in value.items()]}
        if isinstance(value, slice):
            return {"slice": [self.encode(part, where) for part in (value.start, value.stop, value.step)]}
        if isinstance(value, np.dtype):
            if value.fields is not None:
                raise ValueError(f"cannot save {where}: a structured dtype")
            return {"dtype": value.str}
        if isinstance(value, np.ndarray):
            return self._array(value, where)
        if isinstance(value, type) and value in _TYPES.values():
            # a dtype given as a type, e.g. OneHotEncoder(dtype=np.float64)
            return {"type": next(key for key, item in _TYPES.items() if item is value)}
        for ufunc_name, ufunc in UFUNCS.items():
            if value is ufunc:
                return {"ufunc": ufunc_name}
        name = type(value).__name__
        if name in _GLASSNET and type(value).__module__.startswith("glassnet.") and not hasattr(value, "learner_"):
            # an unfitted estimator (the template a container clones): its settings only
            return {"unfitted": name, "params": self.encode(value.get_params(deep=False), where)}
        if name in _GLASSNET and type(value).__module__.startswith("glassnet."):
            prefix = f"{self.prefix}g{self.embedded}."
            self.embedded += 1
            entry, arrays = embed_state(value, prefix)
            self.arrays.update(arrays)
            return {"glassnet": entry, "prefix": prefix}
        if name in STEP_CLASSES and type(value) is _class(name):
            if name in ("FunctionTransformer", "TransformedTargetRegressor"):
                _check_functions(value, where)
            state = {}
            for key, item in vars(value).items():
                state[key] = self.encode(item, f"{where}.{key}")
            return {"estimator": name, "state": state}
        raise ValueError(f"cannot save {where}: a {name} is not something a glassnet model file holds")

    def _array(self, value: np.ndarray, where: str):
        if value.dtype.kind in "biuf":
            return {"array": self.array(value)}
        if value.dtype.kind in "OUS":
            items = [self.encode(item, where) for item in value.ravel().tolist()]
            if any(isinstance(item, (list, dict)) and "scalar" not in item for item in items):
                raise ValueError(f"cannot save {where}: an object array holding {type(value.ravel()[0]).__name__}")
            return {"text_array": value.dtype.str, "shape": list(value.shape), "items": items}
        raise ValueError(f"cannot save {where}: an array of dtype {value.dtype}")


def _number(value):
    if isinstance(value, float) and not math.isfinite(value):
        return {"float": str(value)}
    return value


def sklearn_state(model, prefix: str = "sk.") -> tuple[dict, dict]:
    """``(state, arrays)`` for a fitted Pipeline, ColumnTransformer or
    TransformedTargetRegressor (see the module docstring)."""
    from sklearn.utils.validation import check_is_fitted

    check_steps(model)
    check_is_fitted(model, msg="this %(name)s is not fitted yet: call fit before saving it")
    writer = _Writer(prefix)
    return {"model": writer.encode(model, type(model).__name__)}, writer.arrays


# --- decoding ------------------------------------------------------------------------------------
class _Reader:
    def __init__(self, arrays):
        self.arrays = StateArrays.of(arrays)

    def decode(self, value, depth: int = 0):
        if depth > _MAX_DEPTH:
            raise ValueError(f"the pipeline state nests deeper than {_MAX_DEPTH} levels")
        if value is None or isinstance(value, (bool, str, int, float)):
            return value
        if isinstance(value, list):
            return [self.decode(item, depth + 1) for item in value]
        if not isinstance(value, dict) or len(value) not in (1, 2, 3):
            raise ValueError(f"the pipeline state holds an unexpected entry {str(value)[:80]!r}")
        tag = next(iter(value))
        decoder = getattr(self, f"_{tag}", None) if tag in _TAGS else None
        if decoder is None:
            raise ValueError(f"the pipeline state holds an unknown entry {tag!r}; expected one of: {', '.join(_TAGS)}")
        return decoder(value, depth + 1)

    def _scalar(self, value, depth):
        dtype = np.dtype(value["scalar"])
        if dtype.kind not in "biuf":
            raise ValueError(f"a scalar of dtype {dtype} is not a number")
        try:
            return dtype.type(self.decode(value["value"], depth))
        except OverflowError:
            raise ValueError(f"the value {value['value']!r} does not fit a {dtype} scalar") from None

    def _float(self, value, depth):
        if value["float"] not in ("nan", "inf", "-inf"):
            raise ValueError(f"{value['float']!r} is not a non-finite float")
        return float(value["float"])

    def _tuple(self, value, depth):
        return tuple(self.decode(value["tuple"], depth))

    def _dict(self, value, depth):
        return {_hashable(self.decode(key, depth)): self.decode(item, depth) for key, item in value["dict"]}

    def _slice(self, value, depth):
        start, stop, step = self.decode(value["slice"], depth)
        return slice(start, stop, step)

    def _type(self, value, depth):
        if value["type"] not in _TYPES:
            raise ValueError(f"the type {value['type']!r} is not one a pipeline state holds; expected one of: "
                             f"{', '.join(_TYPES)}")
        return _TYPES[value["type"]]

    def _dtype(self, value, depth):
        dtype = np.dtype(value["dtype"])
        if dtype.fields is not None or dtype.kind not in "biufOUS":
            raise ValueError(f"the dtype {value['dtype']!r} is not allowed in a pipeline state")
        return dtype

    def _array(self, value, depth):
        name = value["array"]
        if not isinstance(name, str) or name not in self.arrays:
            raise ValueError(f"the pipeline state refers to an array {name!r} that the file does not hold")
        # a step's arrays have no shape known in advance; the loader's limit
        # on the file's total bounds them
        return self.arrays.take(name)

    def _text_array(self, value, depth):
        dtype = np.dtype(value["text_array"])
        if dtype.kind not in "OUS":
            raise ValueError(f"a text array of dtype {dtype}")
        items = [self.decode(item, depth) for item in value["items"]]
        if not all(item is None or isinstance(item, (str, int, float, np.generic)) for item in items):
            raise ValueError("a text array holds something other than text and numbers")
        return np.array(items, dtype=dtype).reshape(value["shape"])

    def _ufunc(self, value, depth):
        if value["ufunc"] not in UFUNCS:
            raise ValueError(f"the function {value['ufunc']!r} is not one a model file may name; expected one of: "
                             f"{', '.join(UFUNCS)}")
        return UFUNCS[value["ufunc"]]

    def _unfitted(self, value, depth):
        if value["unfitted"] not in _GLASSNET:
            raise ValueError(f"the file holds an unfitted {value['unfitted']!r}; expected one of {_GLASSNET}")
        params = self.decode(value["params"], depth)
        if not isinstance(params, dict):
            raise ValueError(f"the settings of an unfitted {value['unfitted']} are malformed")
        return kind_class(value["unfitted"])(**params)

    def _glassnet(self, value, depth):
        if value["glassnet"].get("kind") not in _GLASSNET:
            raise ValueError(f"the pipeline holds a glassnet {value['glassnet'].get('kind')!r}; expected one of {_GLASSNET}")
        return embedded_object(value["glassnet"], self.arrays, str(value["prefix"]))

    def _estimator(self, value, depth):
        name = value["estimator"]
        if name not in STEP_CLASSES:
            raise ValueError(f"the pipeline holds a step of class {name!r}; a glassnet model file holds only: {_supported()}")
        state = value["state"]
        if not isinstance(state, dict):
            raise ValueError(f"the state of a {name} is malformed")
        cls = _class(name)
        step = cls.__new__(cls)
        for key, item in state.items():
            if not _ATTRIBUTE.fullmatch(key) or key.startswith("__"):
                raise ValueError(f"the {name} in the file has an attribute named {key!r}, which no step has")
            step.__dict__[key] = self.decode(item, depth)
        if name in ("FunctionTransformer", "TransformedTargetRegressor"):
            _check_functions(step, f"a {name} in the file")
        return step


_TAGS = ("scalar", "float", "tuple", "dict", "slice", "type", "dtype", "array", "text_array", "glassnet", "estimator",
         "ufunc", "unfitted")


def _hashable(key):
    return tuple(key) if isinstance(key, list) else key


def sklearn_from_state(state: dict, arrays: dict):
    """The container :func:`sklearn_state` described."""
    model = _Reader(arrays).decode(state["model"])
    if type(model).__name__ not in _CONTAINERS:
        raise ValueError(f"the file holds a {type(model).__name__}; expected one of: {', '.join(_CONTAINERS)}")
    check_steps(model)
    return model

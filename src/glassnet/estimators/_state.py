"""A fitted estimator as ``(meta, arrays)``, for model files that run no code.

``meta`` is JSON-ready (str, int, float, bool, None, lists and dicts with
string keys; no NumPy scalars; infinity written as the string "inf"), and
``arrays`` holds only numeric NumPy arrays. Together they rebuild an
estimator whose predictions are bit-identical:

* ``meta["learner"]`` and the arrays: the engine's
  :meth:`~glassnet.engine.learner.Learner.state`, that is the network's
  configuration and flat parameter vector, the sgd/adam optimiser's
  settings, step count, current rate and moments, the history, the
  training range, the samples seen (``t_``) and the no-improvement counter,
  so that ``partial_fit`` after loading continues exactly as without the
  round trip;
* ``meta["params"]``: the constructor arguments (``callbacks`` are code and
  are not written: saving warns and the loaded estimator has
  ``callbacks=None``; a RandomState ``random_state`` comes back as None);
* ``meta["fitted"]``: the other fitted attributes (``n_iter_`` and
  ``loss_`` are read from the Learner's history; files that stored them
  still load, and their ``n_iter_`` says where the last call's records
  start);
* classifiers: ``meta["labels"]`` with string class labels, or
  ``arrays["classes"]`` with numeric ones, in their original dtype.

Version 1 files (before the Learner held the training state) still load.
"""

from __future__ import annotations

import inspect
import math
import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.preprocessing import LabelBinarizer

from .. import parameters
from .._stack import user_stacklevel
from ..engine.learner import Learner
from ..engine.state_arrays import StateArrays
from ..engine.training_range import TrainingRange
from ..parameters import ESTIMATOR

__all__ = [
    "estimator_state",
    "estimator_from_state",
    "classifier_labels_state",
    "classifier_labels_from_state",
]

FORMAT = "glassnet.estimator"
# 2: the training state is the Learner's (see glassnet.engine.learner); 1 still loads
VERSION = 2
_FITTED = ("n_features_in_", "n_outputs_", "n_layers_", "out_activation_")


def _to_json(value):
    """A constructor argument as a JSON-ready value."""
    if value is None or isinstance(value, (str, bool, np.bool_)):
        return value if not isinstance(value, np.bool_) else bool(value)
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, Real):
        value = float(value)
        return value if math.isfinite(value) else str(value)
    if isinstance(value, (list, tuple)):
        return [_to_json(item) for item in value]
    if isinstance(value, dict):
        # keys may be class labels of any type, so a list of pairs
        return {"pairs": [[_to_json(key), _to_json(item)] for key, item in value.items()]}
    if isinstance(value, type) and issubclass(value, np.floating):
        return np.dtype(value).name
    # a RandomState, a callable: nothing a file can hold
    return None


def _from_json(name, value):
    if isinstance(value, str) and value in ("inf", "-inf", "nan"):
        return float(value)
    if isinstance(value, dict) and "pairs" in value:
        return {key: item for key, item in value["pairs"]}
    if name == "hidden_layer_sizes" and isinstance(value, list):
        return tuple(value)
    return value


def estimator_state(estimator) -> tuple[dict, dict]:
    fitted = {name: _to_json(getattr(estimator, name)) for name in _FITTED}
    names = getattr(estimator, "feature_names_in_", None)
    fitted["feature_names_in_"] = None if names is None else [str(name) for name in names]
    params = estimator.get_params(deep=False)
    if params.get("callbacks"):
        warnings.warn(
            f"{type(estimator).__name__}: callbacks are code, which model files never hold; "
            "the loaded estimator has callbacks=None",
            UserWarning,
            stacklevel=user_stacklevel(),
        )
        params["callbacks"] = None
    learner_meta, arrays = estimator.learner_.state()
    meta = {
        "format": FORMAT,
        "version": VERSION,
        "estimator": type(estimator).__name__,
        "params": {name: _to_json(value) for name, value in params.items()},
        "fitted": fitted,
        "learner": learner_meta,
    }
    return meta, arrays


def estimator_from_state(cls, meta: dict, arrays: dict):
    if meta.get("format") != FORMAT or meta.get("estimator") != cls.__name__:
        raise ValueError(
            f"this state holds {meta.get('estimator', 'no estimator')!r} (format {meta.get('format')!r}); "
            f"expected a {cls.__name__} in format {FORMAT!r}"
        )
    if meta.get("version") not in _READERS:
        raise ValueError(
            f"estimator state version {meta.get('version')!r} is not supported; expected one of {sorted(_READERS)}"
        )
    params = {name: _from_json(name, value) for name, value in meta["params"].items()}
    if isinstance(params.get("callbacks"), list) and not any(params["callbacks"]):
        params["callbacks"] = None  # written as [None] before callbacks were dropped on save
    estimator = cls(**loaded_params(cls, params))
    network = meta["learner"]["network"] if meta["version"] >= 2 else meta["network"]
    parameters.check_network(network)
    estimator.learner_ = learner = _READERS[meta["version"]](meta, StateArrays.of(arrays))
    fitted = meta["fitted"]
    for name in _FITTED:
        if name in fitted:
            setattr(estimator, name, fitted[name])
    if "last_call_start" not in meta.get("learner", {}) and isinstance(fitted.get("n_iter_"), int):
        # a file from when n_iter_ was stored beside the history: it counted
        # the last call's records, the last ones of the history
        learner.last_call_start = max(len(learner.history) - fitted["n_iter_"], 0)
    if fitted["feature_names_in_"] is not None:
        estimator.feature_names_in_ = np.asarray(fitted["feature_names_in_"], dtype=object)
    return estimator


def loaded_params(cls, params: dict) -> dict:
    """The constructor arguments a file holds, checked, as ``cls`` will receive them.

    The one place an estimator's loaded settings pass before use: a file may
    say anything, so each goes through the parameter table (the refusal is
    the table's, as ``fit`` would give it) and ``cls`` must take every one.
    """
    if not isinstance(params, dict):
        raise ValueError(f"the saved parameters must be a dict of names and values, got {type(params).__name__}")
    taken = set(inspect.signature(cls).parameters)
    foreign = sorted(name for name in params if name not in taken)
    if foreign:
        raise ValueError(f"the saved parameters name {', '.join(map(repr, foreign))}, which {cls.__name__} does not "
                         f"take; expected some of: {', '.join(sorted(taken))}")
    return parameters.check_settings(ESTIMATOR, params)


def _learner_v2(meta: dict, arrays: dict) -> Learner:
    return Learner.from_state(meta["learner"], arrays)


def _learner_v1(meta: dict, arrays: dict) -> Learner:
    """The Learner of a file written before it held the training state: the
    history and ``t_`` under "fitted", the range as one (2, n_features) array."""
    fitted = meta["fitted"]
    learner_meta = {
        "network": meta["network"],
        "optimizer": meta.get("optimizer"),
        "history": fitted["history"],
        "samples_seen": fitted["t_"],
        "training_range": None,
        "stopping": meta.get("stopping"),
    }
    learner = Learner.from_state(learner_meta, arrays)
    if "training_range" in arrays:  # lows then highs, one row each
        bounds = arrays.take("training_range", shape=(2, learner.network.n_inputs), kind="f")
        learner.training_range = TrainingRange(bounds[0], bounds[1])
    return learner


_READERS = {1: _learner_v1, 2: _learner_v2}


def classifier_labels_state(estimator) -> tuple[dict, dict]:
    """The label encoding: string labels into meta, numeric ones into arrays."""
    binarizer = estimator._label_binarizer
    classes = binarizer.classes_
    meta = {"y_type": binarizer.y_type_, "dtype": classes.dtype.str}
    if classes.dtype.kind in "OUS":
        meta["classes"] = [str(label) for label in classes]
        return meta, {}
    return meta, {"classes": classes.copy()}


def classifier_labels_from_state(meta: dict, arrays: dict, n_outputs: int | None = None) -> LabelBinarizer:
    """The fitted LabelBinarizer of a classifier whose network has ``n_outputs``
    outputs (one per class, or one for two classes)."""
    count = None if n_outputs is None else max(int(n_outputs), 2)
    if "classes" in meta:
        dtype = object if meta["dtype"] == "|O" else meta["dtype"]
        classes = np.array(meta["classes"], dtype=dtype)
        if classes.ndim != 1 or (count is not None and classes.size != count):
            raise ValueError(f"the class labels must be a list of {count or 'the'} labels, got {meta['classes']!r}")
    else:
        classes = StateArrays.of(arrays).take("classes", shape=(count,), kind="biuf")
    if meta["y_type"] not in ("binary", "multiclass", "multilabel-indicator"):
        raise ValueError(f"the target type {meta['y_type']!r} is not one a classifier learns")
    # the fitted state of LabelBinarizer().fit(y) for these classes
    binarizer = LabelBinarizer()
    binarizer.classes_ = classes
    binarizer.y_type_ = meta["y_type"]
    binarizer.sparse_input_ = False
    return binarizer

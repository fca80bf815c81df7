"""A fitted estimator as ``(meta, arrays)``, for model files that run no code.

``meta`` is JSON-ready (str, int, float, bool, None, lists and dicts with
string keys; no NumPy scalars; infinity written as the string "inf"), and
``arrays`` holds only numeric NumPy arrays. Together they rebuild an
estimator whose predictions are bit-identical:

* ``arrays["params"]``: the engine's flat parameter vector, in its dtype;
* ``meta["network"]``: the engine's :meth:`~glassnet.engine.network.Network.config`;
* ``meta["params"]``: the constructor arguments (``callbacks`` and a
  RandomState ``random_state`` cannot be written and come back as None);
* ``meta["fitted"]``: the other fitted attributes, the training history;
* ``arrays["training_range"]``: ``training_range_`` (lows, then highs),
  when the estimator has one;
* classifiers: ``meta["labels"]`` with string class labels, or
  ``arrays["classes"]`` with numeric ones, in their original dtype.

* ``meta["optimizer"]`` and ``arrays["optimizer_*"]``: the sgd/adam
  optimiser's settings, step count, current rate and moments, and
  ``meta["stopping"]``: the no-improvement counter and best figure, so that
  ``partial_fit`` after loading continues exactly as without the round trip.
  Files without them (lbfgs, or files written before they were kept) load
  with a fresh optimiser, as after ``fit``.
"""

from __future__ import annotations

import math
from numbers import Integral, Real

import numpy as np
from sklearn.preprocessing import LabelBinarizer

from ..engine.network import Network
from ..persistence._optimizer import optimizer_from_state, optimizer_state
from ..engine.training import History

__all__ = [
    "estimator_state",
    "estimator_from_state",
    "classifier_labels_state",
    "classifier_labels_from_state",
]

FORMAT = "glassnet.estimator"
VERSION = 1
_FITTED = ("n_features_in_", "n_outputs_", "n_layers_", "out_activation_", "n_iter_", "t_", "loss_")


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
    network = estimator.network_
    fitted = {name: _to_json(getattr(estimator, name)) for name in _FITTED}
    names = getattr(estimator, "feature_names_in_", None)
    fitted["feature_names_in_"] = None if names is None else [str(name) for name in names]
    fitted["history"] = [{key: _to_json(value) for key, value in record.items()} for record in estimator._history.records]
    meta = {
        "format": FORMAT,
        "version": VERSION,
        "estimator": type(estimator).__name__,
        "params": {name: _to_json(value) for name, value in estimator.get_params(deep=False).items()},
        "network": network.config(),
        "fitted": fitted,
    }
    arrays = {"params": network.params.copy()}
    if getattr(estimator, "training_range_", None) is not None:
        arrays["training_range"] = np.array(estimator.training_range_, dtype=np.float64)
    if getattr(estimator, "_optimizer", None) is not None:
        meta["optimizer"], optimizer_arrays = optimizer_state(estimator._optimizer)
        arrays.update(optimizer_arrays)
    stopping = getattr(estimator, "_stopping", None)
    if stopping is not None and not math.isnan(stopping.best):
        meta["stopping"] = {"monitor": stopping.monitor, "best": _to_json(stopping.best),
                            "best_epoch": int(stopping.best_epoch), "wait": int(stopping.wait)}
    return meta, arrays


def estimator_from_state(cls, meta: dict, arrays: dict):
    if meta.get("format") != FORMAT or meta.get("estimator") != cls.__name__:
        raise ValueError(
            f"this state holds {meta.get('estimator', 'no estimator')!r} (format {meta.get('format')!r}); "
            f"expected a {cls.__name__} in format {FORMAT!r}"
        )
    if meta.get("version") != VERSION:
        raise ValueError(f"estimator state version {meta.get('version')!r} is not supported; expected {VERSION}")
    params = {name: _from_json(name, value) for name, value in meta["params"].items()}
    estimator = cls(**params)
    estimator.network_ = Network.from_config(meta["network"], arrays["params"])
    fitted = meta["fitted"]
    for name in _FITTED:
        setattr(estimator, name, fitted[name])
    if fitted["feature_names_in_"] is not None:
        estimator.feature_names_in_ = np.asarray(fitted["feature_names_in_"], dtype=object)
    history = History()
    for record in fitted["history"]:
        history.append({key: _from_json(key, value) for key, value in record.items()})
    estimator._history = history
    bounds = arrays.get("training_range")
    estimator.training_range_ = None if bounds is None else np.array(bounds, dtype=np.float64)
    estimator._optimizer = None
    if "optimizer" in meta:
        estimator._optimizer = optimizer_from_state(meta["optimizer"], arrays, estimator.network_.params)
    estimator._stopping = None if "stopping" not in meta else _stopping_from_state(meta["stopping"])
    return estimator


def _stopping_from_state(meta: dict):
    from ._stochastic import carried_stopping  # the solver module imports this one

    try:
        best = _from_json("best", meta["best"])
        stopping = carried_stopping(str(meta["monitor"]))
        stopping.best, stopping.best_epoch, stopping.wait = float(best), int(meta["best_epoch"]), int(meta["wait"])
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"the early-stopping state is malformed ({type(error).__name__}: {error})") from None
    return stopping


def classifier_labels_state(estimator) -> tuple[dict, dict]:
    """The label encoding: string labels into meta, numeric ones into arrays."""
    binarizer = estimator._label_binarizer
    classes = binarizer.classes_
    meta = {"y_type": binarizer.y_type_, "dtype": classes.dtype.str}
    if classes.dtype.kind in "OUS":
        meta["classes"] = [str(label) for label in classes]
        return meta, {}
    return meta, {"classes": classes.copy()}


def classifier_labels_from_state(meta: dict, arrays: dict) -> LabelBinarizer:
    if "classes" in meta:
        dtype = object if meta["dtype"] == "|O" else meta["dtype"]
        classes = np.array(meta["classes"], dtype=dtype)
    else:
        classes = np.asarray(arrays["classes"])
    # the fitted state of LabelBinarizer().fit(y) for these classes
    binarizer = LabelBinarizer()
    binarizer.classes_ = classes
    binarizer.y_type_ = meta["y_type"]
    binarizer.sparse_input_ = False
    return binarizer

"""The model protocol: the few questions every glassnet model answers.

Every model glassnet makes -- a bare :class:`~glassnet.engine.network.Network`,
the article's :class:`~glassnet.NeuralNetwork`, the estimators, the command
line's table model, and a scikit-learn ``Pipeline`` or
``TransformedTargetRegressor`` ending in one of them -- is read by the tools
(trace, gradient check, the doctor, extrapolation, plots, inspect, files and
export) through one :class:`ModelAdapter`:

* ``learner``: the :class:`~glassnet.engine.learner.Learner` that trained it
  (``network`` and ``history`` come from it);
* ``encode(X, y)``: raw inputs (and targets) as the network sees them, a
  :class:`Rows`; ``decode(outputs)``: network outputs as predictions;
* ``feature_names`` and ``input_names``: what the raw columns and the
  network's inputs are called;
* ``classes``: the class labels of a classifier, else None;
* ``extrapolation``: the policy ("warn" or "ignore"), and
  ``extrapolation_rows(X)``: the range it watches with the rows of ``X`` in
  that range's units;
* ``door``: the door whose settings make the model (NeuralNetwork's
  keywords, the estimators', glassnet train's flags, the page's controls),
  in whose words advice on it is given.

This module is the one place that knows the kinds. A front door registers
its classes with :func:`register` when it is imported (with an adapter, and
with the name its model files carry), so no module here names a front
door, and :func:`adapt` finds the adapter of any model by its class.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from ._registry import Registry
from .engine.history import History
from .engine.learner import Learner
from .engine.network import Network
from .engine.state_arrays import StateArrays
from .engine.training_range import TrainingRange
from .engine.validation import check_sample, check_sample_target, check_X, check_y
from .parameters.setting import NEURAL_NETWORK

__all__ = ["Rows", "ModelAdapter", "adapt", "register", "KINDS", "kind_of", "kind_class", "state_of", "from_state",
           "embed_state", "embedded_object", "class_labels", "CLASSIFICATION_LOSSES"]

# the engine losses whose outputs are class probabilities
CLASSIFICATION_LOSSES = ("binary_crossentropy", "categorical_crossentropy")


@dataclass(frozen=True, eq=False)
class Rows:
    """Data as the network sees it.

    ``X`` : float64 array of shape (n_samples, n_inputs), the network's inputs.
    ``Y`` : float64 array of shape (n_samples, n_outputs), the encoded
        targets, or None without targets.
    ``y`` : the targets as the model's user gives them (class labels or
        values), or None.
    ``labels`` : the class of each row for a classifier (None for
        regression or without targets).
    """

    X: np.ndarray
    Y: np.ndarray | None = None
    y: object = None
    labels: np.ndarray | None = None


class ModelAdapter:
    """How one kind of model answers the protocol; see the module docstring.

    An adapter wraps one model; ``action`` names what the caller is doing,
    for the error messages (e.g. "diagnose"). Subclasses override what
    differs; the defaults describe a model whose raw inputs are the
    network's inputs.
    """

    #: the kind's name, as reports say it
    kind = "model"
    #: the door whose settings make this kind (see glassnet.parameters.DOORS): the
    #: doctor's advice names the fixes in its words
    door = NEURAL_NETWORK

    def __init__(self, model, action: str):
        self.model = model
        self.action = action

    # --- 1. the training state ---------------------------------------------------------
    @property
    def learner(self) -> Learner:
        """The Learner that trained the model (ValueError when there is none yet)."""
        raise NotImplementedError

    @property
    def network(self) -> Network:
        return self.learner.network

    @property
    def history(self) -> History | None:
        """Per-epoch records, or None for a model that keeps none (a bare Network)."""
        return self.learner.history

    # --- 2. raw data <-> the network ---------------------------------------------------------
    def encode(self, X, y=None) -> Rows:
        """``X`` (and ``y``) as the network sees them; ValueError for bad data."""
        network = self.network
        X = check_X(X, network.n_inputs, np.float64)
        if y is None:
            return Rows(X)
        Y = check_y(y, X.shape[0], network.n_outputs, np.float64)
        return Rows(X, Y, y, class_labels(Y) if self.is_classifier is not False else None)

    def sample(self, x, y=None) -> Rows:
        """One sample ``x`` (a vector or a single row) and its target ``y`` as
        the network sees them: ``X`` of shape (1, n_inputs), ``Y`` (1, n_outputs)
        or None. ValueError for more than one row."""
        network = self.network
        X = check_sample(x, network.n_inputs, np.float64)
        Y = None if y is None else check_sample_target(y, network.n_outputs, np.float64)
        return Rows(X, Y, y)

    def outputs(self, X) -> np.ndarray:
        """The network's outputs for raw rows ``X``, shape (n_samples, n_outputs), without warnings."""
        return self.forward(self.encode(X))

    def forward(self, rows: Rows) -> np.ndarray:
        """The network's outputs for encoded ``rows``, shape (n_samples, n_outputs)."""
        network = self.network
        return network.predict(rows.X.astype(network.dtype, copy=False))

    def decode(self, outputs: np.ndarray):
        """Network outputs (n_samples, n_outputs) as the model's predictions."""
        return outputs

    def probabilities(self, outputs: np.ndarray) -> np.ndarray:
        """A classifier's probability of each class, (n_samples, n_classes), from network outputs."""
        if not self.is_classifier:
            raise ValueError(f"{self.action} needs a classifier; this {self.kind} predicts values")
        return np.hstack([1.0 - outputs, outputs]) if outputs.shape[1] == 1 else outputs

    # --- 3. names ------------------------------------------------------------------------------
    @property
    def feature_names(self) -> tuple[str, ...] | None:
        """The names of the raw input columns, when the model knows them."""
        return None

    @property
    def input_names(self) -> tuple[str, ...]:
        """The name of each network input: the feature names when inputs are
        features, else ``x[:, j]`` as a NumPy user indexes them."""
        names = self.feature_names
        n_inputs = self.network.n_inputs
        if names is not None and len(names) == n_inputs:
            return tuple(names)
        return tuple(f"x[:, {j}]" for j in range(n_inputs))

    # --- 4. classes ------------------------------------------------------------------------------
    @property
    def classes(self) -> np.ndarray | None:
        return None

    @property
    def is_classifier(self) -> bool | None:
        """True or False when the model says; None when it cannot tell (a
        network trained on 0/1 targets with a regression loss)."""
        if self.classes is not None:
            return True
        return True if self.network.loss.name in CLASSIFICATION_LOSSES else None

    # --- 5. extrapolation ------------------------------------------------------------------------
    @property
    def extrapolation(self) -> str:
        """"warn" or "ignore": what ``predict`` does about rows outside the training range."""
        return getattr(self.model, "extrapolation", "warn")

    @property
    def training_range(self) -> TrainingRange | None:
        """The range of the network's inputs trained on, named by :attr:`input_names` (None before training)."""
        training_range = self.learner.training_range
        if training_range is None:
            return None
        names = training_range.names if training_range.names is not None else self.input_names
        return TrainingRange(training_range.low, training_range.high, tuple(names))

    @property
    def raw_range(self) -> TrainingRange | None:
        """The training range in the units of the raw inputs, when the model
        knows it (the network's inputs are the raw inputs unless a model says
        otherwise); None when it does not."""
        return self.training_range

    def extrapolation_rows(self, X) -> tuple[TrainingRange | None, np.ndarray]:
        """``(range, rows)``: the range the model's extrapolation policy
        watches, and the rows of ``X`` in its units (the network's inputs,
        unless a model says otherwise)."""
        # compared in the network's dtype, the one the range was measured in:
        # a float32 model's own training rows, given in float64, are inside it
        rows = self.encode(X).X.astype(self.network.dtype, copy=False)
        return self.training_range, rows

    # --- what the doctor reads besides -------------------------------------------------------------
    @property
    def optimizer(self) -> str | None:
        """The step optimiser's name (None for L-BFGS)."""
        optimizer = self.learner.optimizer
        return None if optimizer is None else optimizer.name

    @property
    def learning_rate(self) -> float | None:
        """The step optimiser's current learning rate, after any schedule lowered it (None for L-BFGS)."""
        return self.learner.learning_rate

    @property
    def rows_per_step(self) -> int | None:
        """Rows one step of the last training call summed over (for a summed loss, the scale of a step)."""
        return self.learner.rows_per_step

    @property
    def class_weight(self):
        """The model's class weighting (None: none)."""
        return None

    @property
    def scales_inputs(self) -> bool:
        """Whether the model scales its own raw inputs before the network."""
        return False

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of a {type(self.model).__name__}>"


class NetworkAdapter(ModelAdapter):
    """A bare engine :class:`Network`: no training state, inputs as given."""

    kind = "Network"

    @property
    def learner(self) -> Learner:
        raise ValueError(f"{self.action} needs a NeuralNetwork or a fitted estimator (they keep a training "
                         "history), got a Network")

    @property
    def network(self) -> Network:
        return self.model

    @property
    def history(self) -> None:
        return None

    @property
    def training_range(self) -> None:
        return None

    @property
    def extrapolation(self) -> str:
        return "ignore"

    @property
    def optimizer(self) -> None:
        return None

    @property
    def learning_rate(self) -> None:
        return None

    @property
    def rows_per_step(self) -> None:
        return None


def class_labels(Y: np.ndarray) -> np.ndarray | None:
    """The class of each row when targets look like classes: one 0/1 column,
    or one-hot rows; None otherwise."""
    if Y.shape[1] == 1:
        values = Y[:, 0]
        return values.astype(np.int64) if np.isin(values, (0.0, 1.0)).all() else None
    if np.isin(Y, (0.0, 1.0)).all() and (Y.sum(axis=1) == 1).all():
        return Y.argmax(axis=1)
    return None


# --- the registries: adapters by class, model-file kinds by name ----------------------------------

_ADAPTERS: dict[type, type[ModelAdapter]] = {}
#: model-file kind name -> class
KINDS: Registry[type] = Registry("model kind")
# class -> (state function, rebuilding function), for classes without the two methods
_STATE_FUNCTIONS: dict[type, tuple[Callable, Callable]] = {}

_MODELS = ("a NeuralNetwork, a fitted MLPClassifier or MLPRegressor, a model written by 'glassnet train', a Network, "
           "or a scikit-learn Pipeline or TransformedTargetRegressor ending in a glassnet estimator")


def register(cls: type, adapter: type[ModelAdapter] | None = None, *, kind: str | None = None,
             state: tuple[Callable, Callable] | None = None) -> type:
    """Teach glassnet a kind of model; returns ``cls``.

    ``adapter`` answers the protocol for instances of ``cls`` (and of its
    subclasses that register none of their own). ``kind`` is the name model
    files give the class; a class saved under a kind either has the two
    methods ``_glassnet_state(self) -> (state, arrays)`` and
    ``_from_glassnet_state(cls, state, arrays)``, or ``state`` gives the pair
    of functions doing the same (for classes that are not glassnet's own).
    """
    if adapter is not None:
        _ADAPTERS[cls] = adapter
    if kind is not None:
        if state is None:
            for method in ("_glassnet_state", "_from_glassnet_state"):
                if not callable(getattr(cls, method, None)):
                    raise ValueError(f"{cls.__name__} cannot be a model kind: it has no {method} method")
        else:
            _STATE_FUNCTIONS[cls] = state
        if kind not in KINDS or KINDS.get(kind) is not cls:
            KINDS.register(kind, cls)
    return cls


def adapt(model, action: str) -> ModelAdapter:
    """The :class:`ModelAdapter` of ``model``; ValueError for anything that
    is not a glassnet model (``action`` names what the caller wanted to do)."""
    if isinstance(model, ModelAdapter):
        return model
    for cls in type(model).__mro__:
        adapter = _ADAPTERS.get(cls)
        if adapter is not None:
            return adapter(model, action)
    raise ValueError(f"{action} needs a glassnet model ({_MODELS}), got {type(model).__name__}")


def kind_of(model) -> str:
    """The model-file kind of ``model``'s class (the exact class, not a subclass)."""
    for name in KINDS:
        if type(model) is KINDS.get(name):
            return name
    raise ValueError(f"glassnet cannot save a {type(model).__name__}; expected one of: {', '.join(KINDS.names())}")


def kind_class(name: str) -> type:
    """The class model files of kind ``name`` rebuild (ValueError naming the known kinds)."""
    return KINDS.get(name)


def state_of(model) -> tuple[dict, dict]:
    """``(state, arrays)`` of a model of a registered kind."""
    functions = _STATE_FUNCTIONS.get(type(model))
    return functions[0](model) if functions is not None else model._glassnet_state()


def from_state(cls: type, state: dict, arrays):
    """The object of class ``cls`` that ``state`` and ``arrays`` describe.

    ``arrays`` is a :class:`~glassnet.engine.state_arrays.StateArrays` (a
    dict is wrapped in one): the class takes each array with the shape and
    dtype it needs, checked before the array is read.
    """
    arrays = StateArrays.of(arrays)
    functions = _STATE_FUNCTIONS.get(cls)
    return functions[1](state, arrays) if functions is not None else cls._from_glassnet_state(state, arrays)


def embed_state(model, prefix: str) -> tuple[dict, dict]:
    """``(state, arrays)`` for ``model`` inside another model's state: its
    arrays are renamed ``prefix + name`` and the state records its kind."""
    kind = kind_of(model)
    state, arrays = state_of(model)
    return {"kind": kind, "state": state}, {prefix + name: array for name, array in arrays.items()}


def embedded_object(entry: dict, arrays, prefix: str):
    """The object :func:`embed_state` described (its arrays are those named
    ``prefix + name``, read only when it takes them)."""
    if not isinstance(entry, dict) or not isinstance(entry.get("kind"), str):
        raise ValueError(f"the embedded model entry {entry!r} is malformed; expected a kind and a state")
    return from_state(kind_class(entry["kind"]), entry.get("state"), StateArrays.of(arrays).within(prefix))


register(Network, NetworkAdapter, kind="Network")

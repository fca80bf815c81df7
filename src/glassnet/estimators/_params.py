"""The estimators' parameters: one table with each default, meaning and check.

scikit-learn documents the 24 parameters of its MLP twice, once per class.
glassnet documents them once, here; :class:`~glassnet.MLPClassifier` and
:class:`~glassnet.MLPRegressor` take the same names with the same defaults
(scikit-learn 1.9's), and ``help(glassnet.estimators.PARAMETERS)`` or
:func:`describe` prints them.

Parameters that scikit-learn does not have are marked *glassnet*; each
defaults to scikit-learn's behaviour.

Every value is checked when ``fit`` starts (``__init__`` only stores its
arguments, as scikit-learn requires), and a bad one raises ``ValueError``
naming the parameter, the expected values and what was given.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any, Callable

import numpy as np

from ..engine.activations import hidden_activations
from ..engine.optimizers import SCHEDULES as SCHEDULE_REGISTRY
from ..engine.solvers import SOLVERS as SOLVER_REGISTRY

__all__ = ["Parameter", "PARAMETERS", "HIDDEN_ACTIVATIONS", "SOLVERS", "describe", "validate_parameters",
           "parameter_entries"]

# the lists of names come from the engine's registries
HIDDEN_ACTIVATIONS = tuple(hidden_activations())
SOLVERS = tuple(SOLVER_REGISTRY.names())
SCHEDULES = tuple(SCHEDULE_REGISTRY.names())

# the regressor's loss -> (output activation, engine loss): the link each
# loss is defined with (poisson predicts exp of the output)
REGRESSION_OUTPUTS = {
    "squared_error": ("identity", "squared_error"),
    "poisson": ("exp", "poisson"),
    "absolute_error": ("identity", "absolute_error"),
    "huber": ("identity", "huber"),
}
REGRESSION_LOSSES = tuple(REGRESSION_OUTPUTS)


@dataclass(frozen=True)
class Parameter:
    name: str
    default: Any
    check: Callable[[str, Any], None]
    doc: str
    glassnet: bool = False
    regressor_only: bool = False


# --- checks: each raises ValueError("<name> must be <expected>, got <value>") --
def _fail(name, expected, value):
    raise ValueError(f"{name} must be {expected}, got {value!r}")


def _is_int(value):
    return isinstance(value, Integral) and not isinstance(value, (bool, np.bool_))


def _is_real(value):
    return isinstance(value, Real) and not isinstance(value, (bool, np.bool_))


def _integer(minimum, allow_inf=False):
    def check(name, value):
        if allow_inf and _is_real(value) and value == math.inf:
            return
        if not _is_int(value) or value < minimum:
            _fail(name, f"an integer >= {minimum}" + (" or numpy.inf" if allow_inf else ""), value)

    check.type_spec = "int or numpy.inf" if allow_inf else "int"
    return check


def _real(low, high=math.inf, low_closed=True, high_closed=False):
    def check(name, value):
        inside = _is_real(value) and not math.isnan(value)
        if inside:
            inside = (value >= low if low_closed else value > low) and (value <= high if high_closed else value < high)
        if not inside:
            bounds = f"{'[' if low_closed else '('}{low}, {high}{']' if high_closed else ')'}"
            _fail(name, f"a real number in {bounds}", value)

    check.type_spec = "float"
    return check


def _choice(options):
    def check(name, value):
        if not isinstance(value, str) or value not in options:
            raise ValueError(f"unknown {name} {value!r}; expected one of: {', '.join(options)}")

    check.type_spec = "{" + ", ".join(map(repr, options)) + "}"
    return check


def _boolean(name, value):
    if not isinstance(value, (bool, np.bool_)):
        _fail(name, "True or False", value)


def _anything(name, value):
    pass


def _hidden_layer_sizes(name, value):
    sizes = list(value) if hasattr(value, "__iter__") else [value]
    if not all(_is_int(size) for size in sizes):
        _fail(name, "an integer or a sequence of integers, each >= 1", value)
    if any(size <= 0 for size in sizes):
        raise ValueError(f"hidden_layer_sizes must be > 0, got {sizes}; each hidden layer needs at least one unit")


def _batch_size(name, value):
    if value != "auto" and (not _is_int(value) or value < 1):
        _fail(name, "'auto' or an integer >= 1", value)


def _class_weight(name, value):
    if value is not None and value != "balanced" and not isinstance(value, dict):
        _fail(name, "None, 'balanced' or a dict {class: weight}", value)


def _restore(name, value):
    if value is not None:
        _boolean(name, value)


def _callbacks(name, value):
    if value is None:
        return
    if callable(value) or not hasattr(value, "__iter__") or not all(callable(c) for c in value):
        _fail(name, "None or a list of callables callback(estimator, figures)", value)


def _dtype(name, value):
    if value not in (None, "float32", "float64", np.float32, np.float64):
        _fail(name, "None (the dtype of X), 'float32' or 'float64'", value)


def _verbose(name, value):
    if not _is_int(value) and not isinstance(value, (bool, np.bool_)):
        _fail(name, "True, False or an integer", value)


# the numpydoc type of the parameters checked by the plain functions above
for _check, _spec in ((_boolean, "bool"), (_anything, "int, RandomState instance or None"),
                      (_hidden_layer_sizes, "array-like of shape (n_layers - 2,)"), (_batch_size, "int or 'auto'"),
                      (_class_weight, "dict, 'balanced' or None"), (_restore, "bool or None"),
                      (_callbacks, "list of callables or None"), (_dtype, "{'float32', 'float64'} or None"),
                      (_verbose, "bool or int")):
    _check.type_spec = _spec

PARAMETERS: tuple[Parameter, ...] = (
    Parameter("loss", "squared_error", _choice(REGRESSION_LOSSES),
              "Regressor only. 'squared_error' (½(y−ŷ)²), 'poisson' (half Poisson deviance with an "
              "exp output; needs y >= 0), and, glassnet only, 'absolute_error' (|y−ŷ|) and 'huber' "
              "(quadratic within 1 of the target, linear beyond). The classifier always uses log-loss.",
              regressor_only=True),
    Parameter("hidden_layer_sizes", (100,), _hidden_layer_sizes,
              "Units per hidden layer: (100,) is one hidden layer of 100 units, () none."),
    Parameter("activation", "relu", _choice(HIDDEN_ACTIVATIONS),
              "Hidden activation: scikit-learn's 'identity', 'logistic', 'tanh', 'relu'; glassnet adds "
              "'leaky_relu' (slope 0.01), 'elu', 'gelu' (exact) and 'swish'."),
    Parameter("solver", "adam", _choice(SOLVERS),
              "'lbfgs' (scipy's L-BFGS-B on the full batch), 'sgd' or 'adam' (mini-batches)."),
    Parameter("alpha", 0.0001, _real(0.0),
              "L2 penalty ½·alpha·Σ‖W‖² on the weights, divided by the number of samples (or the sum "
              "of sample weights) like the loss."),
    Parameter("batch_size", "auto", _batch_size,
              "Rows per step for sgd/adam; 'auto' is min(200, n_samples). Larger values are clipped."),
    Parameter("learning_rate", "constant", _choice(SCHEDULES),
              "sgd's schedule: 'constant'; 'invscaling' (learning_rate_init / (t + 1)**power_t, t the "
              "samples seen); 'adaptive' (divide by 5 when progress stalls, stop below 1e-6)."),
    Parameter("learning_rate_init", 0.001, _real(0.0, low_closed=False), "Step size of sgd and adam."),
    Parameter("power_t", 0.5, _real(0.0), "Exponent of the 'invscaling' schedule."),
    Parameter("max_iter", 200, _integer(1),
              "Epochs for sgd/adam (passes over the data), iterations for lbfgs."),
    Parameter("shuffle", True, _boolean, "Reshuffle the rows every epoch (sgd/adam)."),
    Parameter("random_state", None, _anything,
              "None, an int or a numpy RandomState: the one source of the initial weights, the "
              "validation split and the shuffling. The same value gives scikit-learn's initial "
              "weights and validation split."),
    Parameter("tol", 0.0001, _real(0.0),
              "Training stops when the monitored figure (training loss, or the validation score with "
              "early_stopping) has not improved by more than tol for more than n_iter_no_change "
              "epochs; lbfgs uses it as the gradient tolerance."),
    Parameter("verbose", False, _verbose, "Print the loss (and validation score) every epoch."),
    Parameter("warm_start", False, _boolean, "Continue from the previous fit's weights."),
    Parameter("momentum", 0.9, _real(0.0, 1.0, high_closed=True), "sgd's momentum."),
    Parameter("nesterovs_momentum", True, _boolean, "Use Nesterov's momentum (sgd, momentum > 0)."),
    Parameter("early_stopping", False, _boolean,
              "Hold out validation_fraction of the rows (stratified for single-output classification) "
              "and stop when the validation score (accuracy or R²) stops improving (sgd/adam)."),
    Parameter("validation_fraction", 0.1, _real(0.0, 1.0), "Share of rows held out by early_stopping."),
    Parameter("beta_1", 0.9, _real(0.0, 1.0), "Adam's first-moment decay."),
    Parameter("beta_2", 0.999, _real(0.0, 1.0), "Adam's second-moment decay."),
    Parameter("epsilon", 1e-08, _real(0.0, low_closed=False), "Adam's numerical-stability constant."),
    Parameter("n_iter_no_change", 10, _integer(1, allow_inf=True), "Patience of the tol rule, in epochs."),
    Parameter("max_fun", 15000, _integer(1), "lbfgs's limit on loss evaluations."),
    Parameter("class_weight", None, _class_weight,
              "Classifier only. None, 'balanced' (n_samples / (n_classes · count)) or {class: weight}; "
              "multiplies sample_weight.", glassnet=True),
    Parameter("restore_best_weights", None, _restore,
              "None keeps scikit-learn's rule (the best weights are put back only with "
              "early_stopping). True puts back the weights of the best epoch by the monitored figure "
              "(validation score if validation data is used, else training loss), for every solver; "
              "False keeps the last epoch's.", glassnet=True),
    Parameter("callbacks", None, _callbacks,
              "Called after every epoch (lbfgs: iteration) as callback(estimator, figures), figures "
              "a dict with 'epoch', 'loss', 'learning_rate' and, with validation data, 'val_loss' and "
              "'val_accuracy' (classifier) or 'val_r2' (regressor). A truthy return stops training.",
              glassnet=True),
    Parameter("progress", False, _boolean,
              "Show a progress bar (rich) with the epoch, the loss and the validation figure.",
              glassnet=True),
    Parameter("extrapolation", "warn", _choice(("warn", "ignore")),
              "'warn': the first prediction of this fitted model that meets rows outside the training "
              "range issues one ExtrapolationWarning of one line (the count of rows, the worst "
              "feature); 'ignore': never. glassnet.explain_extrapolation(model, X) gives the detail.",
              glassnet=True),
    Parameter("record_stats", False, _boolean,
              "Record per epoch (lbfgs: iteration) and per layer the weight norm, gradient norm, "
              "update-to-weight ratio, dead fraction (ReLU-like) and saturated fraction (logistic, "
              "tanh) in the history (glassnet.plot.training_dynamics draws them).", glassnet=True),
    Parameter("dtype", None, _dtype,
              "Floating type of the weights and the arithmetic: None follows X (float32 stays "
              "float32, anything else becomes float64).", glassnet=True),
)

_BY_NAME = {parameter.name: parameter for parameter in PARAMETERS}


def parameter_entries(regressor: bool):
    """The table's rows for one estimator, as docstring entries, in table order."""
    from .._docstring import Entry

    return [Entry(p.name, p.check.type_spec, p.doc + (" (glassnet)" if p.glassnet else ""), p.default)
            for p in PARAMETERS if (regressor or not p.regressor_only) and not (regressor and p.name == "class_weight")]


def validate_parameters(estimator) -> None:
    """Check every constructor argument of ``estimator`` against the table."""
    for name in estimator.get_params(deep=False):
        _BY_NAME[name].check(name, getattr(estimator, name))


def describe(regressor: bool = False) -> str:
    """The table as text: ``name=default  meaning`` per parameter."""
    lines = []
    for p in PARAMETERS:
        if p.regressor_only and not regressor or p.name == "class_weight" and regressor:
            continue
        mark = " [glassnet]" if p.glassnet else ""
        lines.append(f"{p.name}={p.default!r}{mark}\n    {p.doc}")
    return "\n".join(lines)

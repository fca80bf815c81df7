"""The estimators' parameters: their view of glassnet's one parameter table.

scikit-learn documents the 24 parameters of its MLP twice, once per class.
glassnet describes every setting of every door once, in
:mod:`glassnet.parameters`; :class:`~glassnet.MLPClassifier` and
:class:`~glassnet.MLPRegressor` take scikit-learn 1.9's names with its
defaults, and :data:`PARAMETERS` (or :func:`describe`) lists them with their
meaning.

Parameters that scikit-learn does not have are marked *glassnet*; each
defaults to scikit-learn's behaviour.

Every value is checked when ``fit`` starts (``__init__`` only stores its
arguments, as scikit-learn requires), and a bad one raises ``ValueError``
naming the parameter, what is allowed and what was given, in the words
``NeuralNetwork``, the command line and the playground use for the same
value.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from functools import partial
from typing import Any, Callable

from .. import parameters
from ..parameters import ESTIMATOR

__all__ = ["Parameter", "PARAMETERS", "HIDDEN_ACTIVATIONS", "SOLVERS", "describe", "validate_parameters",
           "parameter_entries", "REGRESSION_OUTPUTS"]

# the regressor's loss -> (output activation, engine loss): the link each
# loss is defined with (poisson predicts exp of the output); the names are
# the table's (glassnet.parameters.REGRESSION_LOSSES)
REGRESSION_OUTPUTS = {
    "squared_error": ("identity", "squared_error"),
    "poisson": ("exp", "poisson"),
    "absolute_error": ("identity", "absolute_error"),
    "huber": ("identity", "huber"),
}


@dataclass(frozen=True)
class Parameter:
    """One estimator parameter: ``check(name, value)`` raises ValueError for a bad value."""

    name: str
    default: Any
    check: Callable[[str, Any], None]
    doc: str
    glassnet: bool = False
    regressor_only: bool = False
    classifier_only: bool = False


def _check(setting, name, value):
    setting.constraint_for(ESTIMATOR).validate(name, value)


PARAMETERS: tuple[Parameter, ...] = tuple(
    Parameter(setting.doors[ESTIMATOR].name, setting.default(ESTIMATOR), partial(_check, setting),
              setting.doc_for(ESTIMATOR), setting.doors[ESTIMATOR].glassnet,
              setting.doors[ESTIMATOR].only == "regressor", setting.doors[ESTIMATOR].only == "classifier")
    for setting in parameters.settings_of(ESTIMATOR)
)


def __getattr__(name):
    # the lists of names, read from the engine's registries through the table
    if name == "HIDDEN_ACTIVATIONS":
        return tuple(parameters.lookup(ESTIMATOR, "activation").constraint.names)
    if name == "SOLVERS":
        return tuple(parameters.lookup(ESTIMATOR, "solver").constraint.names)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _applies(parameter: Parameter, regressor: bool) -> bool:
    return not (parameter.regressor_only and not regressor or parameter.classifier_only and regressor)


def parameter_entries(cls):
    """The numpydoc entries of ``cls``'s parameters, in its signature's order."""
    names = [name for name in inspect.signature(cls.__init__).parameters if name != "self"]
    return parameters.docstring_entries(ESTIMATOR, names)


def validate_parameters(estimator) -> None:
    """Check every constructor argument of ``estimator`` against the table."""
    parameters.check_settings(ESTIMATOR, estimator.get_params(deep=False))


def describe(regressor: bool = False) -> str:
    """The table as text: ``name=default  meaning`` per parameter."""
    lines = []
    for p in PARAMETERS:
        if not _applies(p, regressor):
            continue
        mark = " [glassnet]" if p.glassnet else ""
        lines.append(f"{p.name}={p.default!r}{mark}\n    {p.doc}")
    return "\n".join(lines)

"""glassnet: a small, transparent, fast neural-network library in NumPy.

The public names are imported on first use (PEP 562), so that
``python -m glassnet --help`` and the command line's error paths start
without loading scikit-learn or matplotlib.
"""

from importlib import import_module
from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:  # what type checkers see; at run time the names load on first use
    from .article import NeuralNetwork as NeuralNetwork
    from .engine.network import Network as Network
    from .engine.history import EarlyStopping as EarlyStopping
    from .engine.history import History as History
    from .engine.training import DivergenceWarning as DivergenceWarning
    from .engine.training import StalledTrainingWarning as StalledTrainingWarning
    from .engine.training_range import ExtrapolationWarning as ExtrapolationWarning
    from .estimators import MLPClassifier as MLPClassifier
    from .estimators import MLPRegressor as MLPRegressor
    from .evaluation import EvaluationResult as EvaluationResult
    from .export import to_onnx as to_onnx
    from .glassbox.extrapolation import explain_extrapolation as explain_extrapolation
    from .glassbox.diagnose import diagnose as diagnose
    from .glassbox.gradcheck import check_gradients as check_gradients
    from .glassbox.trace import trace as trace
    from .datasets import load_tutorial as load_tutorial
    from .persistence import load as load
    from .persistence import save as save
    from .notebook import widget as widget

# public name -> the module that defines it
_EXPORTS = {
    "NeuralNetwork": ".article",
    "MLPClassifier": ".estimators",
    "MLPRegressor": ".estimators",
    "Network": ".engine.network",
    "EvaluationResult": ".evaluation",
    "check_gradients": ".glassbox.gradcheck",
    "trace": ".glassbox.trace",
    "diagnose": ".glassbox.diagnose",
    "EarlyStopping": ".engine.history",
    "History": ".engine.history",
    "DivergenceWarning": ".engine.training",
    "StalledTrainingWarning": ".engine.training",
    "ExtrapolationWarning": ".engine.training_range",
    "load_tutorial": ".datasets",
    "save": ".persistence",
    "load": ".persistence",
    "to_onnx": ".export",
    "explain_extrapolation": ".glassbox.extrapolation",
    "widget": ".notebook",
}

# public submodules that live deeper in the package
_MODULES = {"kernels": ".engine.kernels"}

__all__ = [*_EXPORTS, "__version__"]


def __getattr__(name: str) -> object:
    if name in _MODULES:
        value = import_module(_MODULES[name], __name__)
        globals()[name] = value
        return value
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'glassnet' has no attribute {name!r}") from None
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS, *_MODULES])

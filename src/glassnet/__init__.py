"""glassnet: a small, transparent, fast neural-network library in NumPy.

The public names are imported on first use (PEP 562), so that
``python -m glassnet --help`` and the command line's error paths start
without loading scikit-learn or matplotlib.
"""

from importlib import import_module

__version__ = "0.1.0"

# public name -> the module that defines it
_EXPORTS = {
    "NeuralNetwork": ".article",
    "MLPClassifier": ".estimators",
    "MLPRegressor": ".estimators",
    "Network": ".engine.network",
    "EvaluationResult": ".evaluation",
    "check_gradients": ".glassbox.gradcheck",
    "diagnose": ".glassbox.diagnose",
    "EarlyStopping": ".engine.training",
    "History": ".engine.training",
    "DivergenceWarning": ".engine.training",
    "ExtrapolationWarning": ".engine.training_range",
    "load_tutorial": ".datasets",
    "save": ".persistence",
    "load": ".persistence",
}

# public submodules that live deeper in the package
_MODULES = {"kernels": ".engine.kernels"}

__all__ = [*_EXPORTS, "__version__"]


def __getattr__(name):
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


def __dir__():
    return sorted([*globals(), *_EXPORTS, *_MODULES])

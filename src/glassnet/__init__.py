"""glassnet: a small, transparent, fast neural-network library in NumPy."""

from .article import NeuralNetwork
from .datasets import load_tutorial
from .estimators import MLPClassifier, MLPRegressor
from .evaluation import EvaluationResult
from .extrapolation import ExtrapolationWarning
from .gradcheck import check_gradients
from .network import Network
from .persistence import load, save
from .training import DivergenceWarning, EarlyStopping, History

__version__ = "0.1.0"

__all__ = [
    "NeuralNetwork",
    "MLPClassifier",
    "MLPRegressor",
    "Network",
    "EvaluationResult",
    "check_gradients",
    "EarlyStopping",
    "History",
    "DivergenceWarning",
    "ExtrapolationWarning",
    "load_tutorial",
    "save",
    "load",
    "__version__",
]

"""scikit-learn's MLP estimators on glassnet's engine, plus what scikit-learn lacks.

``MLPClassifier`` and ``MLPRegressor`` take scikit-learn 1.9's parameters
(documented once in :data:`PARAMETERS`) and fit with the engine: sgd and adam
in :func:`glassnet.engine.training.train`, lbfgs in scipy's L-BFGS-B.
"""

from . import _stochastic, lbfgs  # noqa: F401  (register the solvers)
from ._params import PARAMETERS, describe
from .classifier import MLPClassifier
from .regressor import MLPRegressor

__all__ = ["MLPClassifier", "MLPRegressor", "PARAMETERS", "describe"]

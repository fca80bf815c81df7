"""scikit-learn's MLP estimators on glassnet's engine, plus what scikit-learn lacks.

``MLPClassifier`` and ``MLPRegressor`` take scikit-learn 1.9's parameters
(documented once in :data:`PARAMETERS`) and fit with the engine's
:class:`~glassnet.engine.learner.Learner`: sgd and adam in its
``fit_epochs``, lbfgs in its ``fit_lbfgs`` (scipy's L-BFGS-B).
"""

from ._params import PARAMETERS, describe
from ._protocol import register_adapters
from .classifier import MLPClassifier
from .regressor import MLPRegressor

# the estimators (and scikit-learn's containers around them) answer glassnet's model protocol
register_adapters(MLPClassifier, MLPRegressor)

__all__ = ["MLPClassifier", "MLPRegressor", "PARAMETERS", "describe"]

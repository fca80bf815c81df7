"""Which estimator code runs each solver: the engine's solver registry
(:data:`glassnet.engine.learner.SOLVERS`) read with scikit-learn's API.

The mini-batch solvers (sgd, adam) translate scikit-learn's options into
:meth:`~glassnet.engine.learner.Learner.fit_epochs` (see :mod:`._stochastic`),
lbfgs into :meth:`~glassnet.engine.learner.Learner.fit_lbfgs` (see
:mod:`.lbfgs`).
"""

from __future__ import annotations

from .._registry import Registry
from ..engine.learner import SOLVERS
from ._stochastic import fit_stochastic
from .lbfgs import fit_lbfgs

__all__ = ["SOLVER_FUNCTIONS"]

# name -> fit function(estimator, X, Y, sample_weight, validation, incremental, random_state):
# scikit-learn's stochastic options for the mini-batch solvers, its lbfgs options for L-BFGS
SOLVER_FUNCTIONS: Registry = Registry("solver")
for _name in SOLVERS:
    SOLVER_FUNCTIONS.register(_name, fit_stochastic if SOLVERS.get(_name).stochastic else fit_lbfgs)

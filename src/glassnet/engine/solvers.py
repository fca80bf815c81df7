"""The solvers a network can be trained with, by name.

Every step optimiser (:data:`~glassnet.engine.optimizers.OPTIMIZERS`) runs
epochs of mini-batches through :meth:`Learner.fit_epochs
<glassnet.engine.learner.Learner.fit_epochs>`; ``lbfgs`` runs scipy's
quasi-Newton iterations through :meth:`Learner.fit_lbfgs
<glassnet.engine.learner.Learner.fit_lbfgs>`. The front doors and the command
line read their lists of solvers from here.
"""

from __future__ import annotations

from .._registry import Registry
from .optimizers import OPTIMIZERS

__all__ = ["SOLVERS"]

# name -> the name of the Learner method that trains with it
# (lbfgs first: scikit-learn's order, which its messages list)
SOLVERS: Registry[str] = Registry("solver")
SOLVERS.register("lbfgs", "fit_lbfgs")
for _name in OPTIMIZERS:
    SOLVERS.register(_name, "fit_epochs")

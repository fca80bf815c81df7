"""The solvers a network can be trained with, by name.

Every step optimiser (:data:`~glassnet.engine.optimizers.OPTIMIZERS`) runs
epochs of mini-batches through :meth:`Learner.fit_epochs
<glassnet.engine.learner.Learner.fit_epochs>`; ``lbfgs`` runs scipy's
quasi-Newton iterations through :meth:`Learner.fit_lbfgs
<glassnet.engine.learner.Learner.fit_lbfgs>`. The front doors and the command
line read their lists of solvers from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .._registry import Registry
from .optimizers import OPTIMIZERS

__all__ = ["SOLVERS", "Solver"]


def _fit_steps(learner, X, Y, epochs: int, *, batch_size=None, shuffle=True, order=None, max_fun=None, tol=None,
               **common):
    """Epochs of mini-batch steps with the Learner's optimiser (max_fun and tol are L-BFGS's)."""
    return learner.fit_epochs(X, Y, epochs, batch_size=batch_size, shuffle=shuffle, order=order, **common)


def _fit_lbfgs(learner, X, Y, epochs: int, *, max_fun=15000, tol=1e-4, batch_size=None, shuffle=None, order=None,
               **common):
    """One L-BFGS-B iteration per epoch on the full batch (batch_size, shuffle and order are the steps')."""
    return learner.fit_lbfgs(X, Y, max_iter=epochs, max_fun=max_fun, tol=tol, **common)


@dataclass(frozen=True)
class Solver:
    """How a network is trained.

    ``stochastic``: True for mini-batch steps of a step optimiser (which a
    learning rate, a batch size and ``partial_fit`` apply to), False for
    L-BFGS's quasi-Newton iterations on the full batch. ``fit(learner, X, Y,
    epochs, **options)`` runs it on a :class:`~glassnet.engine.learner.Learner`,
    taking the options of every solver and using those that apply.
    """

    name: str
    stochastic: bool
    fit: Callable


# (lbfgs first: scikit-learn's order, which its messages list)
SOLVERS: Registry[Solver] = Registry("solver")
SOLVERS.register("lbfgs", Solver("lbfgs", False, _fit_lbfgs))
for _name in OPTIMIZERS:
    SOLVERS.register(_name, Solver(_name, True, _fit_steps))

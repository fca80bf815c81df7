"""How the widget trains each kind of model a few epochs at a time.

A :class:`Trainer` holds one model and its data, and trains it ``epochs``
more epochs per call, exactly as the model's own API would, so that
training in the widget and then in a cell is one run:

* a :class:`~glassnet.NeuralNetwork` trains with ``train`` on data bound
  once by its Learner (``learner.bind``): ``k`` epochs in the widget, then
  ``model.train(X, y, m)`` in a cell, give the weights and history of
  ``model.train(X, y, k + m)``, bit for bit;
* a glassnet estimator (sgd or adam) trains with ``partial_fit``, one call
  per epoch, as scikit-learn defines an epoch of partial fitting.

Trainers are found by the model's class in :data:`TRAINERS`.
"""

from __future__ import annotations

import copy
import warnings

import numpy as np

from ..article import NeuralNetwork
from ..engine.solvers import SOLVERS
from ..engine.training import DivergenceWarning
from ..estimators._base import BaseMLP

__all__ = ["Trainer", "trainer_for", "TRAINERS"]


class Trainer:
    """Trains ``model`` on ``(X, y)``; :meth:`reset` puts back the model as it was when the trainer began."""

    def __init__(self, model, X, y):
        self.model = model
        self.X, self.y = X, y
        self._start()
        # the model's state at the start, which Reset restores in place (the user's variable keeps its object)
        self._initial = copy.deepcopy(model.__dict__)

    def _start(self) -> None:
        """Get ready to train (bind the data, fit an unfitted model's shape)."""

    def _epochs(self, epochs: int) -> None:
        raise NotImplementedError

    @property
    def epoch(self) -> int:
        raise NotImplementedError

    def train(self, epochs: int = 1) -> str | None:
        """``epochs`` more epochs; a message when training diverged (and stopped)."""
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", DivergenceWarning)
            self._epochs(epochs)
        for warning in caught:
            if issubclass(warning.category, DivergenceWarning):
                return f"{warning.message} Press Reset to start again."
            warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
        return None

    def reset(self) -> None:
        self.model.__dict__.clear()
        self.model.__dict__.update(copy.deepcopy(self._initial))
        self._start()


class NeuralNetworkTrainer(Trainer):
    def _start(self) -> None:
        # checked, fingerprinted and measured once: each tick then trains at once
        self.bound = self.model.learner.bind(self.X, self.y)

    def _epochs(self, epochs: int) -> None:
        self.model.train(self.bound, None, epochs)

    @property
    def epoch(self) -> int:
        return len(self.model.history)


class EstimatorTrainer(Trainer):
    def __init__(self, model, X, y):
        if not SOLVERS.get(model.solver).stochastic:
            raise ValueError(f"the widget trains an estimator epoch by epoch with partial_fit, which solver="
                             f"{model.solver!r} lacks; expected solver='sgd' or 'adam'")
        if model.early_stopping:
            raise ValueError("the widget trains an estimator with partial_fit, which does not support "
                             "early_stopping=True; expected early_stopping=False")
        super().__init__(model, X, y)

    def _start(self) -> None:
        # an unfitted estimator learns its network's shape from the data in its first epoch
        if not hasattr(self.model, "learner_"):
            self._epochs(1)

    def _epochs(self, epochs: int) -> None:
        from sklearn.base import is_classifier

        extra = {"classes": np.unique(self.y)} if is_classifier(self.model) and not hasattr(self.model, "classes_") \
            else {}
        for _ in range(epochs):
            self.model.partial_fit(self.X, self.y, **extra)
            extra = {}

    @property
    def epoch(self) -> int:
        return len(self.model.learner_.history)


# model class -> the Trainer that trains it (a subclass finds its base's)
TRAINERS: dict[type, type[Trainer]] = {NeuralNetwork: NeuralNetworkTrainer, BaseMLP: EstimatorTrainer}


def trainer_for(model, X, y) -> Trainer:
    """The :class:`Trainer` of ``model`` on ``(X, y)``; TypeError for a model the widget cannot train."""
    for cls in type(model).__mro__:
        if cls in TRAINERS:
            return TRAINERS[cls](model, X, y)
    raise TypeError(f"model must be a glassnet NeuralNetwork, MLPClassifier or MLPRegressor, "
                    f"got {type(model).__name__}")

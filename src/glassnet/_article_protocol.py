"""How the article's :class:`~glassnet.NeuralNetwork` answers glassnet's model
protocol (see :mod:`glassnet.protocol`): its raw inputs are the network's
inputs, its targets the network's targets, and its outputs its predictions."""

from __future__ import annotations

from .engine.learner import Learner
from .protocol import ModelAdapter

__all__ = ["NeuralNetworkAdapter"]


class NeuralNetworkAdapter(ModelAdapter):
    kind = "NeuralNetwork"

    @property
    def learner(self) -> Learner:
        return self.model.learner

    @property
    def feature_names(self):
        # the names of the columns trained on, when they came in a DataFrame
        training_range = self.model.learner.training_range
        return None if training_range is None else training_range.names

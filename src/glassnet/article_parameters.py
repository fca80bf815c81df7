"""NeuralNetwork's attributes, described once.

:class:`glassnet.NeuralNetwork`'s numpydoc "Attributes" section is generated
from this table, its "Parameters" section from glassnet's one table of
settings, :data:`glassnet.parameters.TABLE` (see :mod:`glassnet._docstring`);
``tests/test_docs.py`` checks that every ``__init__`` argument is documented,
in order, with its default, and every attribute exists.
"""

from __future__ import annotations

from ._docstring import Entry

__all__ = ["ATTRIBUTES"]


ATTRIBUTES: tuple[Entry, ...] = (
    Entry("weights", "list of ndarray of shape (n_in, n_out)", "Weight matrices; weights[0] is the article's "
          "W1. Assigning to an element changes the network."),
    Entry("biases", "list of ndarray of shape (n_out,)", "Bias vectors; fixed zeros when bias=False."),
    Entry("error_list", "list of float", "The value of metric on the training data, one per epoch."),
    Entry("history", "glassnet.History", "Per-epoch records: loss, the metric, val_loss, val_<metric>, "
          "learning_rate."),
    Entry("training_range", "TrainingRange or None", "Per-feature min and max of the inputs trained on "
          "(None before training)."),
    Entry("network", "glassnet.Network", "The engine: layers, activations, loss, one flat parameter vector."),
    Entry("optimizer", "Optimizer or None", "The step optimiser, with its step count, rate and moments (None "
          "with optimizer='lbfgs')."),
    Entry("solver", "str", "The name of the optimiser: 'sgd', 'adam', 'lbfgs', ..."),
    Entry("learner", "glassnet.engine.learner.Learner", "The training state: the network, the optimiser, the "
          "history, the stopping rule, the training range, the samples seen and the generator."),
    Entry("layers", "list of int", "[n_inputs, hidden_1, ..., n_outputs]."),
    Entry("input_size", "int", "Inputs of the network."),
    Entry("output_size", "int", "Outputs of the network."),
    Entry("dtype", "numpy dtype", "Floating type of the weights."),
    Entry("metric", "str", "The metric kept in error_list."),
    Entry("limit", "float", "The decision threshold."),
    Entry("seed", "int or None", "The seed given."),
    Entry("extrapolation", "str", "'warn' or 'ignore'."),
)

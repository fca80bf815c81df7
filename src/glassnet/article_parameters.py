"""NeuralNetwork's parameters and attributes, described once.

:class:`glassnet.NeuralNetwork`'s numpydoc "Parameters" and "Attributes"
sections are generated from these tables (see :mod:`glassnet._docstring`);
``tests/test_docs.py`` checks that every ``__init__`` argument is here, in
order, with its default.
"""

from __future__ import annotations

from ._docstring import Entry
from .engine.activations import hidden_activations
from .engine.initializers import INITIALIZERS
from .engine.losses import LOSSES
from .engine.metrics import METRICS
from .engine.solvers import SOLVERS

__all__ = ["PARAMETERS", "ATTRIBUTES"]


def _choices(names) -> str:
    """``{'a', 'b'}`` from a registry's names, so the docs list what exists."""
    return "{" + ", ".join(repr(name) for name in names) + "}"


PARAMETERS: tuple[Entry, ...] = (
    Entry("input_size", "int", "Inputs of the article's one-hidden-layer shape (ignored with layers).", 3),
    Entry("hidden_size", "int", "Hidden units of that shape.", 3),
    Entry("output_size", "int", "Outputs of that shape.", 1),
    Entry("layers", "list of int or None", "[n_inputs, hidden_1, ..., n_outputs]; overrides the three sizes and "
          "allows any depth ([4, 1] has no hidden layer).", None),
    Entry("activation", _choices(hidden_activations()) + " or list of str",
          "Hidden activation ('sigmoid' is another name for 'logistic'), or one name per hidden layer.",
          "logistic"),
    Entry("output_activation", "str or None", "None: logistic for binary_crossentropy, softmax for "
          "categorical_crossentropy, exp for poisson, otherwise activation (identity when it is a list).", None),
    Entry("loss", _choices(LOSSES.names()), "The training loss; squared_error is the article's "
          "½·Σ(y−o)².", "squared_error"),
    Entry("bias", "bool", "Whether layers have biases; the article's have none.", False),
    Entry("init", _choices(INITIALIZERS.names()), "Initial weights: 'uniform' is the article's [0, 1).", "uniform"),
    Entry("optimizer", _choices(SOLVERS.names()) + " or Optimizer", "'sgd' is the article's plain gradient "
          "descent; 'lbfgs' is scipy's L-BFGS-B on the full batch, one iteration per epoch, the estimators' "
          "solver='lbfgs'; an instance such as glassnet.engine.optimizers.SGD(momentum=0.9, nesterov=True) is "
          "used as given.", "sgd"),
    Entry("learning_rate", "float or None", "Step size; None: 1 for 'sgd' (the article's), the optimiser's own "
          "default otherwise (0.001 for 'adam').", None),
    Entry("batch_size", "int or None", "Rows per step; None (the article's) is the full batch.", None),
    Entry("shuffle", "bool", "Reshuffle the rows every epoch when using mini-batches.", True),
    Entry("reduction", "{'sum', 'mean'}", "How per-sample losses combine; the article sums.", "sum"),
    Entry("l2", "float", "L2 penalty ½·l2·Σ‖W‖² on the weights.", 0.0),
    Entry("metric", _choices(METRICS.names()), "Recorded per epoch in error_list; mae "
          "is the article's.", "mae"),
    Entry("limit", "float", "Decision threshold of test_evaluation and accuracy; an output equal to it counts "
          "as positive.", 0.5),
    Entry("seed", "int or None", "Seeds the one numpy Generator behind the weights, shuffling and validation "
          "splits: the same seed gives bit-identical results.", None),
    Entry("dtype", "{'float64', 'float32'}", "Floating type of the weights and the arithmetic.", "float64"),
    Entry("extrapolation", "{'warn', 'ignore'}", "'warn': the first predict after training that meets rows "
          "outside the training range issues one ExtrapolationWarning of one line; 'ignore': never. "
          "glassnet.explain_extrapolation(model, X) gives the detail.", "warn"),
)

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

"""``NeuralNetwork``: the article's class, faithful and generalized.

With no arguments it is the article's network: 3 inputs, 3 logistic hidden
nodes, 1 logistic output, no biases, weights uniform on [0, 1), full-batch
gradient descent with step 1 on the summed loss ½·Σ(y−o)², and the mean
absolute error kept per epoch in ``error_list``. One :meth:`backward` is then
exactly the article's update ``W1 += Xᵀ·z2_delta``, ``W2 += z2ᵀ·o_delta``.

Everything the article asks for in its closing section is a keyword away:
any size and depth (``layers=[...]``), another metric (``metric="rmse"``) and
another loss, activation, optimiser or dtype. The maths lives in the engine
(:mod:`glassnet.engine.network`, :mod:`glassnet.engine.training`); this class only
translates the article's API into it.
"""

from __future__ import annotations

import warnings

import numpy as np

from .evaluation import EvaluationResult, evaluate_outputs
from .engine.training_range import TrainingRange
from .engine.metrics import get_metric
from .engine.network import Network
from .engine.optimizers import make_optimizer
from .engine.stats import DynamicsRecorder
from .engine.training import DivergenceWarning, EarlyStopping, History, train
from .engine.validation import check_positive_int, check_X, check_y

__all__ = ["NeuralNetwork"]

# the article's step size is 1; other optimisers keep their own default
_DEFAULT_LEARNING_RATE = {"sgd": 1.0}

# the output activation that each cross-entropy is defined with
_LINKED_OUTPUT = {"binary_crossentropy": "logistic", "categorical_crossentropy": "softmax", "poisson": "exp"}


class NeuralNetwork:
    """A fully connected network with the article's API.

    Parameters
    ----------
    input_size, hidden_size, output_size : int
        The article's 3-3-1 shape by default.
    layers : list of int, optional
        ``[n_inputs, hidden_1, ..., n_outputs]``; overrides the three sizes
        and allows any depth (``[4, 1]`` has no hidden layer).
    activation : str
        Hidden activation: identity, logistic, tanh, relu, leaky_relu, elu,
        gelu, swish.
    output_activation : str, optional
        Default: logistic for binary_crossentropy, softmax for
        categorical_crossentropy, otherwise ``activation``.
    loss : str
        squared_error (the article's), absolute_error, huber,
        binary_crossentropy, categorical_crossentropy or poisson.
    bias : bool
        The article has none.
    init : str
        "uniform" (the article's [0, 1)), "glorot" or "he".
    optimizer : str or Optimizer
        "sgd" (the article's plain gradient descent) or "adam", or an
        instance such as ``glassnet.engine.optimizers.SGD(momentum=0.9, nesterov=True)``.
    learning_rate : float, optional
        Step size; default 1 for "sgd" (the article's) and the optimiser's own
        default otherwise (0.001 for "adam").
    batch_size : int, optional
        Rows per step; None (the article's) is the full batch.
    shuffle : bool
        Reshuffle rows every epoch when using mini-batches.
    reduction : {"sum", "mean"}
        The article sums the loss over samples.
    l2 : float
        L2 penalty on the weights.
    metric : str
        Recorded per epoch in ``error_list``: mae (the article's), mse, rmse,
        log_loss or accuracy.
    limit : float
        Decision threshold for ``test_evaluation`` and accuracy.
    seed : int, optional
        Seeds the one ``numpy.random.Generator`` behind the weights, shuffling
        and validation splits: the same seed gives bit-identical results.
    dtype : "float64" or "float32"
    """

    # the per-feature range of every input trained on (None before training);
    # a class-level default so that instances built without __init__ have it too
    training_range: TrainingRange | None = None

    def __init__(
        self,
        input_size: int = 3,
        hidden_size: int = 3,
        output_size: int = 1,
        *,
        layers=None,
        activation: str = "logistic",
        output_activation: str | None = None,
        loss: str = "squared_error",
        bias: bool = False,
        init: str = "uniform",
        optimizer="sgd",
        learning_rate: float | None = None,
        batch_size: int | None = None,
        shuffle: bool = True,
        reduction: str = "sum",
        l2: float = 0.0,
        metric: str = "mae",
        limit: float = 0.5,
        seed: int | None = None,
        dtype: str = "float64",
    ):
        if layers is None:
            layers = [input_size, hidden_size, output_size]
        layers = [check_positive_int(size, "every layer size") for size in layers]
        if len(layers) < 2:
            raise ValueError(f"layers needs at least an input and an output size, got {layers}")
        if output_activation is None:
            output_activation = _LINKED_OUTPUT.get(loss, activation)
        if batch_size is not None:
            batch_size = check_positive_int(batch_size, "batch_size")
        self.metric = get_metric(metric).name
        self.limit = float(limit)
        self.batch_size = batch_size
        self.shuffle = bool(shuffle)
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.network = Network(
            layers,
            activation=[activation] * (len(layers) - 2),
            output_activation=output_activation,
            loss=loss,
            bias=bias,
            init=init,
            reduction=reduction,
            l2=l2,
            dtype=dtype,
            rng=self.rng,
        )
        if learning_rate is None and isinstance(optimizer, str):
            learning_rate = _DEFAULT_LEARNING_RATE.get(optimizer)
        self.optimizer = make_optimizer(optimizer, learning_rate)
        self.history = History()
        self._last_output = None
        self._samples_seen = 0

    # --- the article's attributes ------------------------------------------------
    @property
    def weights(self):
        """Weight matrices, each (n_in, n_out). ``weights[0]`` is the article's W1."""
        return self.network.weights

    @weights.setter
    def weights(self, values):
        self.network.weights = values

    @property
    def biases(self):
        """Bias vectors, each (n_out,); fixed zeros when ``bias=False``."""
        return self.network.biases

    @biases.setter
    def biases(self, values):
        self.network.biases = values

    @property
    def error_list(self) -> list[float]:
        """The value of ``metric`` on the training data, one per epoch."""
        return self.history[self.metric]

    @property
    def layers(self) -> list[int]:
        return list(self.network.layer_sizes)

    @property
    def input_size(self) -> int:
        return self.network.n_inputs

    @property
    def output_size(self) -> int:
        return self.network.n_outputs

    @property
    def dtype(self):
        return self.network.dtype

    # --- validation -----------------------------------------------------------------
    def _X(self, X, name="X"):
        return check_X(X, self.input_size, self.dtype, name)

    def _XY(self, X, y):
        X = self._X(X)
        return X, check_y(y, X.shape[0], self.output_size, self.dtype)

    # --- the article's methods ----------------------------------------------------
    def forward(self, X) -> np.ndarray:
        """Outputs for ``X`` (n_samples, n_inputs): shape (n_samples, n_outputs).

        The layer values are cached so that :meth:`backward` can reuse them.
        """
        X = self._X(X)
        output = self.network.forward(X).copy()
        self._last_output = output
        return output

    def backward(self, X, y, o=None) -> None:
        """One optimiser step on ``(X, y)``, given ``o = forward(X)``.

        When ``o`` is the output of the last :meth:`forward`, its cached layer
        values are reused; otherwise the forward pass is run again.
        """
        X, Y = self._XY(X, y)
        self._remember_range(X)
        cached = o is not None and o is self._last_output and np.array_equal(self.network.cached_input, X)
        if not cached:
            self.network.forward(X)
        self.network.backward(Y)
        self.optimizer.step(self.network.params, self.network.grad)
        self._last_output = None

    def train(
        self,
        X,
        y,
        epochs: int = 200,
        *,
        validation_split: float | None = None,
        validation_data=None,
        early_stopping: bool = False,
        patience: int = 10,
        tol: float = 1e-4,
        callbacks=(),
        record_stats: bool = False,
    ) -> "NeuralNetwork":
        """Train for ``epochs`` epochs, appending one ``metric`` value per epoch.

        X : array of shape (n_samples, n_inputs); y : (n_samples,) or
        (n_samples, n_outputs).

        ``validation_split`` holds out that fraction of the rows (drawn with
        the network's generator); ``validation_data=(X_val, y_val)`` gives a
        set. Either records ``val_loss`` and ``val_<metric>`` in
        :attr:`history`. With ``early_stopping`` training stops once
        ``val_loss`` has not improved by ``tol`` for more than ``patience``
        epochs, and the best weights are put back.

        ``record_stats=True`` adds per-layer figures to each epoch's record
        (weight and gradient norms, update-to-weight ratio, dead and
        saturated fractions; see :mod:`glassnet.engine.stats`), drawn by
        ``glassnet.plot.training_dynamics``.

        A diverging run stops at once with a :class:`DivergenceWarning` and the
        weights of the last finite epoch. Ctrl-C propagates, leaving the
        weights and history of the last completed epoch.
        """
        epochs = check_positive_int(epochs, "epochs")
        X, Y = self._XY(X, y)
        validation = None
        if validation_data is not None and validation_split is not None:
            raise ValueError("give validation_split or validation_data, not both")
        if validation_data is not None:
            X_val, y_val = validation_data
            X_val = self._X(X_val, "X_val")
            validation = (X_val, check_y(y_val, X_val.shape[0], self.output_size, self.dtype, "y_val"))
        elif validation_split is not None:
            X, Y, validation = self._split(X, Y, validation_split)
        self._remember_range(X)
        if early_stopping and validation is None:
            raise ValueError("early_stopping needs validation_split or validation_data")
        stopping = EarlyStopping("val_loss", patience=check_positive_int(patience, "patience", 0), tol=tol) if early_stopping else None
        result = train(
            self.network,
            self.optimizer,
            X,
            Y,
            epochs=epochs,
            batch_size=self.batch_size,
            shuffle=self.shuffle,
            rng=self.rng,
            validation=validation,
            metric=self.metric,
            limit=self.limit,
            stopping=stopping,
            callbacks=callbacks,
            history=self.history,
            samples_seen=self._samples_seen,
            stats=DynamicsRecorder() if record_stats else None,
        )
        self._samples_seen = result.samples_seen
        self._last_output = None
        if result.stop_reason == "diverged":
            warnings.warn(result.message, DivergenceWarning, stacklevel=2)
        result.raise_if_interrupted()
        return self

    def _remember_range(self, X) -> None:
        # repeated training widens the range: the weights are fitted to all of it
        if self.training_range is None:
            self.training_range = TrainingRange.of(X)
        else:
            self.training_range = self.training_range.widened(X)

    def _split(self, X, Y, fraction):
        if not 0.0 < fraction < 1.0:
            raise ValueError(f"validation_split must be between 0 and 1, got {fraction!r}")
        n_val = int(round(fraction * X.shape[0]))
        if n_val < 1 or n_val >= X.shape[0]:
            raise ValueError(
                f"validation_split={fraction} of {X.shape[0]} rows leaves {n_val} validation row(s); "
                "expected at least one row on each side"
            )
        order = self.rng.permutation(X.shape[0])
        val, fit = order[:n_val], order[n_val:]
        return X[fit], Y[fit], (X[val], Y[val])

    def predict(self, x):
        """Output for one vector (a float when there is one output) or for rows.

        Warns with an :class:`~glassnet.ExtrapolationWarning` when rows lie
        outside :attr:`training_range`, the range of the inputs trained on.
        """
        x_array = np.asarray(x)
        single = x_array.ndim == 1
        X = self._X(x)
        if self.training_range is not None:
            self.training_range.warn(X, stacklevel=2)
        output = self.network.predict(X)
        if single:
            return output.item() if output.size == 1 else output[0]
        return output

    def trace(self, x, y=None, *, verbose: bool = True):
        """Every number of one sample's forward pass, and backward pass with ``y``.

        ``x`` : a vector of ``input_size`` numbers (or one row); ``y`` : its
        target. Returns a :class:`~glassnet.glassbox.trace.Trace`, a list with one
        :class:`~glassnet.glassbox.trace.LayerTrace` per layer (``z``, ``a`` and, with
        ``y``, ``delta``, ``grad_weights``, ``grad_bias``), and prints it as a
        table unless ``verbose=False``. The last layer's ``a`` is
        ``predict(x)``; with ``y`` the gradients are
        ``gradients(x[None], y[None])``.
        """
        from .glassbox.trace import trace_network

        trace = trace_network(self.network, x, y)
        if verbose:
            trace.print()
        return trace

    def loss(self, X, y) -> float:
        """The training loss (penalty included) at the current weights."""
        X, Y = self._XY(X, y)
        return self.network.loss_value(X, Y)

    def gradients(self, X, y) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """``(weight_grads, bias_grads)`` of :meth:`loss`, shaped like the parameters."""
        X, Y = self._XY(X, y)
        self.network.loss_and_gradient(X, Y)
        return ([g.copy() for g in self.network.weight_grads], [g.copy() for g in self.network.bias_grads])

    def test_evaluation(self, X, y, *, verbose: bool = True) -> EvaluationResult:
        """Count true/false positives/negatives against ``limit``, fresh each call.

        Prints the article's table (unless ``verbose=False``) and returns an
        :class:`~glassnet.evaluation.EvaluationResult`. An output exactly at
        ``limit`` counts as positive. With several outputs the classes are the
        argmax and the result carries a confusion matrix.
        """
        X, Y = self._XY(X, y)
        result = evaluate_outputs(Y, self.network.predict(X), self.limit)
        if verbose:
            result.print()
        return result

    def view_error_development(self, path=None):
        """Plot ``error_list`` per epoch; save a PNG when given ``path``.

        Returns the matplotlib Figure. Works without a display.
        """
        from .plot import error_development

        return error_development(self.error_list, self.metric, path)

    # --- model files (see glassnet.persistence) -----------------------------------
    def _glassnet_state(self) -> tuple[dict, dict]:
        """``(state, arrays)``: everything to continue exactly where this one
        is, the optimiser's step count, rate and moments included."""
        from .persistence._json import records_to_json
        from .persistence._optimizer import optimizer_state

        optimizer_meta, optimizer_arrays = optimizer_state(self.optimizer)
        state = {
            "network": self.network.config(),
            "optimizer": {"name": self.optimizer.name, **self.optimizer.config()},
            "optimizer_state": optimizer_meta,
            "metric": self.metric,
            "limit": self.limit,
            "batch_size": self.batch_size,
            "shuffle": self.shuffle,
            "seed": self.seed,
            # the generator's position, so shuffles after loading continue the sequence
            "rng": self.rng.bit_generator.state,
            "samples_seen": self._samples_seen,
            "history": records_to_json(self.history.records),
            "training_range": None,
        }
        arrays = {"params": self.network.params.copy(), **optimizer_arrays}
        if self.training_range is not None:
            names = self.training_range.names
            state["training_range"] = {"names": None if names is None else list(names)}
            arrays["training_low"] = self.training_range.low.copy()
            arrays["training_high"] = self.training_range.high.copy()
        return state, arrays

    @classmethod
    def _from_glassnet_state(cls, state: dict, arrays: dict) -> "NeuralNetwork":
        from .persistence._json import records_from_json
        from .persistence._optimizer import optimizer_from_state

        model = cls.__new__(cls)
        model.network = Network._from_glassnet_state({"config": state["network"]}, arrays)
        if state.get("optimizer_state") is not None:
            model.optimizer = optimizer_from_state(state["optimizer_state"], arrays, model.network.params)
        else:  # a file written before the optimiser's state was kept
            options = dict(state["optimizer"])
            model.optimizer = make_optimizer(options.pop("name"), **options)
        model.metric = get_metric(state["metric"]).name
        model.limit = float(state["limit"])
        batch_size = state["batch_size"]
        model.batch_size = None if batch_size is None else check_positive_int(batch_size, "batch_size")
        model.shuffle = bool(state["shuffle"])
        model.seed = state["seed"]
        model.rng = np.random.default_rng()
        model.rng.bit_generator.state = state["rng"]
        model._samples_seen = int(state["samples_seen"])
        model.history = History()
        for record in records_from_json(state["history"]):
            model.history.append(record)
        model._last_output = None
        if state["training_range"] is not None:
            names = state["training_range"]["names"]
            model.training_range = TrainingRange(arrays["training_low"], arrays["training_high"],
                                                 None if names is None else tuple(map(str, names)))
        return model

    def __repr__(self) -> str:
        net = self.network
        hidden = net.activations[0].name if net.n_layers > 1 else "none"
        return (
            f"NeuralNetwork(layers={net.layer_sizes}, activation={hidden!r}, "
            f"output_activation={net.activations[-1].name!r}, loss={net.loss.name!r}, "
            f"optimizer={self.optimizer!r}, metric={self.metric!r}, epochs_trained={len(self.history)})"
        )

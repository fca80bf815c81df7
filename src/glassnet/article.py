"""``NeuralNetwork``: the article's class, faithful and generalized.

With no arguments it is the article's network: 3 inputs, 3 logistic hidden
nodes, 1 logistic output, no biases, weights uniform on [0, 1), full-batch
gradient descent with step 1 on the summed loss ½·Σ(y−o)², and the mean
absolute error kept per epoch in ``error_list``. One :meth:`backward` is then
exactly the article's update ``W1 += Xᵀ·z2_delta``, ``W2 += z2ᵀ·o_delta``.

Everything the article asks for in its closing section is a keyword away:
any size and depth (``layers=[...]``), another metric (``metric="rmse"``) and
another loss, activation, optimiser or dtype. The maths and the training state
live in the engine (a :class:`~glassnet.engine.learner.Learner` in
``learner``); this class only translates the article's API into it.
"""

from __future__ import annotations

import inspect
import warnings
from typing import Any, Callable, Sequence

import numpy as np

from . import article_parameters, parameters
from ._docstring import with_sections
from ._typing import ArrayLike
from .engine.bound import BoundData
from .engine.learner import Learner
from .engine.metrics import get_metric
from .engine.network import Network
from .engine.optimizers import Optimizer, make_optimizer
from .engine.solvers import SOLVERS
from .engine.stats import DynamicsRecorder
from .engine.training import DivergenceWarning, StalledTrainingWarning
from .engine.validation import check_X, check_y
from .evaluation import EvaluationResult, evaluate_outputs
from .glassbox.extrapolation import warn_extrapolation
from .glassbox.trace import Trace, trace
from ._article_protocol import NeuralNetworkAdapter
from .parameters import NEURAL_NETWORK, TRAIN
from .protocol import register

__all__ = ["NeuralNetwork"]

# the article's step size is 1; other optimisers keep their own default
_DEFAULT_LEARNING_RATE = {"sgd": 1.0}

# the output activation that each cross-entropy is defined with
_LINKED_OUTPUT = {"binary_crossentropy": "logistic", "categorical_crossentropy": "softmax", "poisson": "exp"}


class NeuralNetwork:
    """A fully connected network with the article's API.

    The "Parameters" section below is generated from glassnet's one table of
    settings (:data:`glassnet.parameters.TABLE`), which also checks every
    keyword, in the words the estimators, the command line and the
    playground use; the "Attributes" section from
    :mod:`glassnet.article_parameters`.
    """

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
        extrapolation: str = "warn",
    ):
        # every keyword against the one table (the arguments are all the locals so far)
        parameters.check_settings(NEURAL_NETWORK, {name: value for name, value in locals().items() if name != "self"})
        if layers is None:
            layers = [input_size, hidden_size, output_size]
        layers = [int(size) for size in layers]
        hidden = [activation] * (len(layers) - 2) if isinstance(activation, str) else list(activation)
        if output_activation is None:
            output_activation = _LINKED_OUTPUT.get(loss, activation if isinstance(activation, str) else "identity")
        if batch_size is not None:
            batch_size = int(batch_size)
        self.solver = optimizer.name if isinstance(optimizer, Optimizer) else SOLVERS.canonical(optimizer)
        stochastic = SOLVERS.get(self.solver).stochastic
        if not stochastic and (learning_rate is not None or batch_size is not None):
            raise ValueError("optimizer='lbfgs' takes no learning_rate or batch_size: it chooses its own "
                             "steps on the full batch; expected learning_rate=None and batch_size=None")
        self.metric = get_metric(metric).name
        self.limit = float(limit)
        self.batch_size = batch_size
        self.shuffle = bool(shuffle)
        self.seed = seed
        self.extrapolation = extrapolation
        rng = np.random.default_rng(seed)
        network = Network(
            layers,
            activation=hidden,
            output_activation=output_activation,
            loss=loss,
            bias=bias,
            init=init,
            reduction=reduction,
            l2=l2,
            dtype=dtype,
            rng=rng,
        )
        step_optimizer = None
        if stochastic:
            if learning_rate is None and isinstance(optimizer, str):
                learning_rate = _DEFAULT_LEARNING_RATE.get(optimizer)
            step_optimizer = make_optimizer(optimizer, learning_rate)
        self.learner = Learner(network, step_optimizer, rng=rng)
        self._last_output = None

    # --- the training state, held by the engine's Learner --------------------------------
    @property
    def network(self) -> Network:
        """The engine's :class:`~glassnet.engine.network.Network`."""
        return self.learner.network

    @property
    def optimizer(self):
        """The step optimiser (None with ``optimizer="lbfgs"``)."""
        return self.learner.optimizer

    @property
    def history(self):
        """Per-epoch records: ``loss``, the metric, validation figures, ``learning_rate``."""
        return self.learner.history

    @property
    def training_range(self):
        """Per-feature range of every input trained on (None before training)."""
        return self.learner.training_range

    @property
    def rng(self) -> np.random.Generator:
        """The one generator behind the weights, shuffles and validation splits."""
        return self.learner.rng

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
    def forward(self, X: ArrayLike) -> np.ndarray:
        """Outputs for ``X`` (n_samples, n_inputs): shape (n_samples, n_outputs).

        The layer values are cached so that :meth:`backward` can reuse them.
        """
        X = self._X(X)
        output = self.network.forward(X).copy()
        self._last_output = output
        return output

    def backward(self, X: ArrayLike, y: ArrayLike, o: np.ndarray | None = None) -> None:
        """One optimiser step on ``(X, y)``, given ``o = forward(X)``.

        When ``o`` is the output of the last :meth:`forward`, its cached layer
        values are reused; otherwise the forward pass is run again.
        """
        if self.optimizer is None:
            raise ValueError("backward takes one optimiser step, and optimizer='lbfgs' has none; "
                             "expected optimizer='sgd' or 'adam', or call train")
        X, Y = self._XY(X, y)
        cached = o is not None and o is self._last_output and np.array_equal(self.network.cached_input, X)
        self.learner.step(X, Y, forward_done=cached)
        self._last_output = None

    def train(
        self,
        X: ArrayLike | BoundData,
        y: ArrayLike | None = None,
        epochs: int = 200,
        *,
        validation_split: float | None = None,
        validation_data: tuple[ArrayLike, ArrayLike] | None = None,
        early_stopping: bool = False,
        patience: int = 10,
        tol: float = 1e-4,
        callbacks: Sequence[Callable[..., Any]] = (),
        record_stats: bool = False,
        live: bool = False,
    ) -> NeuralNetwork:
        """Train for ``epochs`` epochs, appending one ``metric`` value per epoch.

        X : array of shape (n_samples, n_inputs); y : (n_samples,) or
        (n_samples, n_outputs). Or ``X = learner.bind(X, y)`` and no ``y``:
        data checked once, for many short calls (the playground trains a few
        epochs at a time), with the same numbers.

        ``validation_split`` holds out that fraction of the rows, rounded up
        (scikit-learn's ``train_test_split`` rule, drawn with the network's
        generator); ``validation_data=(X_val, y_val)`` gives a set. Either
        records ``val_loss`` and ``val_<metric>`` in :attr:`history`. With
        ``early_stopping`` training stops once ``val_loss`` has not improved
        by ``tol`` for more than ``patience`` epochs, and the best weights are
        put back.

        With ``optimizer="lbfgs"`` each epoch is one L-BFGS iteration, and
        ``early_stopping`` stops it the same way.

        Training in pieces is training at once: ``train(X, y, 10)`` twice
        gives the weights, history and ``error_list`` of ``train(X, y, 20)``,
        bit for bit, for every step optimiser, mini-batches and shuffling
        included. (With ``early_stopping`` the best weights are put back at
        the end of each call, and L-BFGS restarts its memory each call.)

        ``record_stats=True`` adds per-layer figures to each epoch's record
        (weight and gradient norms, update-to-weight ratio, dead and
        saturated fractions; see :mod:`glassnet.engine.stats`), drawn by
        ``glassnet.plot.training_dynamics``.

        ``live=True`` draws the loss per epoch as a curve under the cell in
        a notebook (JupyterLab, VS Code, Colab), redrawn as training runs,
        and shows the text progress bar elsewhere.

        A diverging run stops at once with a :class:`DivergenceWarning` and the
        weights of the last finite epoch; if not one epoch ever ended with a
        finite loss it raises ``ValueError`` instead. A network that can no
        longer learn (a hidden layer inactive on every row, or a gradient of
        exactly zero) gets one :class:`StalledTrainingWarning` naming the
        layer and the likely cause. Ctrl-C propagates, leaving the weights
        and history of the last completed epoch.
        """
        parameters.check_settings(TRAIN, dict(epochs=epochs, validation_split=validation_split,
                                              early_stopping=early_stopping, patience=patience, tol=tol,
                                              callbacks=callbacks, record_stats=record_stats, live=live))
        epochs = int(epochs)
        callbacks = () if callbacks is None else callbacks
        if isinstance(X, BoundData):
            if y is not None:
                raise ValueError("bound data carries its targets; expected y=None with learner.bind(X, y)")
            data, Y = X, None
        else:
            names = _column_names(X)
            if names is not None:  # a DataFrame: warnings and reports name its columns
                self.learner.input_names = names
            data, Y = self._XY(X, y)
        validation = None
        if validation_data is not None and validation_split is not None:
            raise ValueError("give validation_split or validation_data, not both")
        if validation_data is not None:
            X_val, y_val = validation_data
            X_val = self._X(X_val, "X_val")
            validation = (X_val, check_y(y_val, X_val.shape[0], self.output_size, self.dtype, "y_val"))
        elif validation_split is not None:
            data, Y, _, validation = self.learner.validation_split(data, Y, validation_split)
        if early_stopping and validation is None:
            raise ValueError("early_stopping needs validation_split or validation_data")
        if early_stopping:
            self.learner.set_stopping("val_loss", patience=patience, tol=tol)
        else:
            self.learner.set_stopping(None)
        stats = DynamicsRecorder() if record_stats else None
        shown = None
        if live:
            from .progress import progress_display

            shown = progress_display("live", epochs, type(self).__name__)
            callbacks = [*callbacks, shown]
        try:
            result = SOLVERS.get(self.solver).fit(self.learner, data, Y, epochs, batch_size=self.batch_size,
                                                  shuffle=self.shuffle, validation=validation, metric=self.metric,
                                                  validation_metric=self.metric, limit=self.limit,
                                                  callbacks=callbacks, stats=stats)
        finally:
            if shown is not None:
                shown.close()
        self._last_output = None
        if result.stop_reason == "diverged":
            warnings.warn(result.message, DivergenceWarning, stacklevel=2)
        if result.stalled:
            warnings.warn(result.stalled, StalledTrainingWarning, stacklevel=2)
        result.raise_if_interrupted()
        return self

    def predict(self, x: ArrayLike) -> float | np.ndarray:
        """Output for one vector (a float when there is one output) or for rows.

        Warns with an :class:`~glassnet.ExtrapolationWarning` when rows lie
        outside :attr:`training_range`, the range of the inputs trained on
        (once per training; never with ``extrapolation="ignore"``).
        """
        x_array = np.asarray(x)
        single = x_array.ndim == 1
        X = self._X(x)
        warn_extrapolation(self, X)
        output = self.network.predict(X)
        if single:
            return output.item() if output.size == 1 else output[0]
        return output

    def trace(self, x: ArrayLike, y: ArrayLike | None = None, *, verbose: bool = True) -> Trace:
        """Every number of one sample's forward pass, and backward pass with ``y``.

        ``x`` : a vector of ``input_size`` numbers (or one row); ``y`` : its
        target. Returns a :class:`~glassnet.glassbox.trace.Trace`, a list with one
        :class:`~glassnet.glassbox.trace.LayerTrace` per layer (``z``, ``a`` and, with
        ``y``, ``delta``, ``grad_weights``, ``grad_bias``), and prints it as a
        table unless ``verbose=False``. The last layer's ``a`` is
        ``predict(x)``; with ``y`` the gradients are
        ``gradients(x[None], y[None])``.
        """
        return trace(self, x, y, verbose=verbose)

    def loss(self, X: ArrayLike, y: ArrayLike) -> float:
        """The training loss (penalty included) at the current weights."""
        X, Y = self._XY(X, y)
        return self.network.loss_value(X, Y)

    def gradients(self, X: ArrayLike, y: ArrayLike) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """``(weight_grads, bias_grads)`` of :meth:`loss`, shaped like the parameters."""
        X, Y = self._XY(X, y)
        self.network.loss_and_gradient(X, Y)
        return ([g.copy() for g in self.network.weight_grads], [g.copy() for g in self.network.bias_grads])

    def test_evaluation(self, X: ArrayLike, y: ArrayLike, *, verbose: bool = True) -> EvaluationResult:
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
        """``(state, arrays)``: the Learner's state (network, optimiser moments,
        history, range, generator) and the article's settings."""
        learner_meta, arrays = self.learner.state()
        state = {
            "learner": learner_meta,
            "solver": self.solver,
            "metric": self.metric,
            "limit": self.limit,
            "batch_size": self.batch_size,
            "shuffle": self.shuffle,
            "seed": self.seed,
            "extrapolation": self.extrapolation,
        }
        return state, arrays

    @classmethod
    def _from_glassnet_state(cls, state: dict, arrays: dict) -> "NeuralNetwork":
        settings = _loaded_settings(state)
        model = cls.__new__(cls)
        if "learner" in state:
            model.learner = Learner.from_state(state["learner"], arrays)
            model.solver = SOLVERS.canonical(state["solver"])
        else:  # a file written before the Learner held the training state
            model.learner = _legacy_learner(state, arrays)
            model.solver = model.learner.optimizer.name
        if SOLVERS.get(model.solver).stochastic == (model.learner.optimizer is None):
            raise ValueError(f"the file's solver {model.solver!r} does not match its optimiser state")
        model.metric = get_metric(settings["metric"]).name
        model.limit = float(settings["limit"])
        batch_size = settings["batch_size"]
        model.batch_size = None if batch_size is None else int(batch_size)
        model.shuffle = bool(settings["shuffle"])
        model.seed = settings["seed"]
        model.extrapolation = settings["extrapolation"]
        model._last_output = None
        return model

    def _repr_html_(self) -> str:
        """The model as a notebook shows it: a picture of its layers (sizes,
        activations), the parameter count, and the training state (epochs,
        the last loss, a sparkline of the loss per epoch)."""
        from .glassbox.card import card

        return card(self)

    def __repr__(self) -> str:
        net = self.network
        hidden = net.activations[0].name if net.n_layers > 1 else "none"
        return (
            f"NeuralNetwork(layers={net.layer_sizes}, activation={hidden!r}, "
            f"output_activation={net.activations[-1].name!r}, loss={net.loss.name!r}, "
            f"optimizer={self.optimizer if self.optimizer is not None else self.solver!r}, metric={self.metric!r}, epochs_trained={len(self.history)})"
        )


def _loaded_settings(state: dict) -> dict:
    """The article's settings a model file keeps, and its network's
    configuration, checked by the one table as the keywords would be (a file
    may say anything): the settings by NeuralNetwork's names."""
    settings = {name: state[name] for name in ("metric", "limit", "batch_size", "shuffle", "seed")}
    settings["extrapolation"] = state.get("extrapolation", "warn")
    if "solver" in state:  # (files from before the Learner name their optimiser only)
        settings["optimizer"] = state["solver"]
    parameters.check_network((state["learner"] if "learner" in state else state)["network"])
    return parameters.check_settings(NEURAL_NETWORK, settings)


def _column_names(X) -> tuple[str, ...] | None:
    """The column names of a DataFrame (warnings and reports name the inputs
    by them), None for an array."""
    columns = getattr(X, "columns", None)
    return None if columns is None else tuple(map(str, columns))


def _legacy_learner(state: dict, arrays: dict) -> Learner:
    """A Learner from the layout files had before it: the same entries, with
    the optimiser's state under "optimizer_state" (or only its settings)."""
    meta = {key: state.get(key) for key in ("network", "history", "samples_seen", "training_range", "rng")}
    meta["optimizer"] = state.get("optimizer_state")
    learner = Learner.from_state(meta, arrays)
    if learner.optimizer is None:  # only the settings were kept: a fresh optimiser
        options = dict(state["optimizer"])
        learner.optimizer = make_optimizer(options.pop("name"), **options)
    return learner


# the numpydoc sections, from the one table of settings and the table of attributes
NeuralNetwork.__doc__ = with_sections(
    NeuralNetwork.__doc__,
    Parameters=parameters.docstring_entries(NEURAL_NETWORK, list(inspect.signature(NeuralNetwork).parameters)),
    Attributes=article_parameters.ATTRIBUTES,
)


# the article's class answers glassnet's model protocol, and model files name it "NeuralNetwork"
register(NeuralNetwork, NeuralNetworkAdapter, kind="NeuralNetwork")

"""One page's training run: the only module of the playground that touches
training objects.

A :class:`Session` holds the prepared table, a :class:`~glassnet.NeuralNetwork`
built from the page's settings, and trains it ``epochs`` at a time with
``NeuralNetwork.train`` (training 10 epochs twice is the same as 20 once, so
the page's ticks do not change the numbers). It answers the page's other
questions from the same objects: the frame to draw (see :mod:`.frames`), the
trace of one row, the model file and the history as CSV.
"""

from __future__ import annotations

import io
import math
import warnings
from dataclasses import dataclass, field

import numpy as np

from ..article import NeuralNetwork
from ..engine.activations import ACTIVATIONS
from ..engine.losses import LOSSES, get_loss
from ..engine.optimizers import OPTIMIZERS
from ..engine.training import DivergenceWarning
from ..tabular.network_model import NetworkEstimator
from . import datasets, frames
from .tables import Prepared, prepare_table

__all__ = ["Session", "Settings", "UPLOADED", "choices"]

# the dataset name under which the page asks for the table given on the
# command line or uploaded last
UPLOADED = "file"
# activations that only make sense as an output (softmax needs whole rows of classes)
_OUTPUT_ONLY = ("softmax",)
_MAX_UNITS = 256
_MAX_LAYERS = 10


def choices() -> dict:
    """The names the page offers, from the engine's registries."""
    return {
        "activations": [name for name in ACTIVATIONS if name not in _OUTPUT_ONLY],
        "losses": ["auto", *LOSSES],
        "optimizers": list(OPTIMIZERS),
        "datasets": datasets.DATASET_NAMES,
        "generated": list(datasets.GENERATED),
        "regression_sets": datasets.REGRESSION_SETS,
    }


def _number(settings, name, default, cast, low, high, what):
    value = settings.get(name, default)
    try:
        value = cast(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be {what}, got {value!r}") from None
    if not (low <= value <= high) or (isinstance(value, float) and not math.isfinite(value)):
        raise ValueError(f"{name} must be {what}, got {value!r}")
    return value


def _flag(settings, name, default) -> bool:
    value = settings.get(name, default)
    if value not in (True, False, "true", "false"):
        raise ValueError(f"{name} must be true or false, got {value!r}")
    return value in (True, "true")


@dataclass
class Settings:
    """The page's settings, checked: everything a link reproduces."""

    dataset: str = "circle"
    target: str | None = None
    noise: float = 0.0
    points: int = 500
    test_ratio: float = 0.5
    seed: int = 0
    hidden: list = field(default_factory=lambda: [4, 2])
    activations: list = field(default_factory=lambda: ["tanh", "tanh"])
    loss: str = "auto"
    optimizer: str = "sgd"
    learning_rate: float = 0.03
    batch_size: int = 10
    l2: float = 0.0
    feature_x: int = 0
    feature_y: int = 1
    # per-layer dynamics in the history (glassnet.engine.stats), downloaded with it
    record_stats: bool = False

    @classmethod
    def parse(cls, settings: dict) -> "Settings":
        """Settings from the page's JSON; ValueError naming a bad one and what it expects."""
        if not isinstance(settings, dict):
            raise ValueError(f"settings must be an object of names and values, got {settings!r}")
        default = cls()
        dataset = str(settings.get("dataset", default.dataset))
        if dataset != UPLOADED and dataset not in datasets.DATASET_NAMES:
            raise ValueError(f"unknown data set {dataset!r}; expected one of: {', '.join(datasets.DATASET_NAMES)}")
        hidden = settings.get("hidden", default.hidden)
        if isinstance(hidden, str):
            hidden = [part for part in hidden.split(",") if part.strip()]
        try:
            hidden = [int(size) for size in hidden]
        except (TypeError, ValueError):
            raise ValueError(f"hidden must be a list of layer sizes such as [4, 2], got {hidden!r}") from None
        if len(hidden) > _MAX_LAYERS or any(not 1 <= size <= _MAX_UNITS for size in hidden):
            raise ValueError(f"hidden must hold at most {_MAX_LAYERS} layers of 1 to {_MAX_UNITS} neurons, got {hidden}")
        activations = settings.get("activations", default.activations)
        if isinstance(activations, str):
            activations = activations.split(",") if activations else []
        if not isinstance(activations, (list, tuple)):
            raise ValueError(f"activations must be a list of names such as ['tanh', 'relu'], got {activations!r}")
        activations = [str(name) for name in activations]
        # a layer added on the page takes the activation of the one before it
        activations = (activations + [activations[-1] if activations else "tanh"] * len(hidden))[: len(hidden)]
        for name in activations:
            if name in _OUTPUT_ONLY:
                raise ValueError(f"activation {name!r} is for the output layer only; choose another for hidden layers")
            ACTIVATIONS.get(name)
        loss = str(settings.get("loss", default.loss))
        if loss != "auto":
            loss = get_loss(loss).name
        optimizer = str(settings.get("optimizer", default.optimizer))
        OPTIMIZERS.get(optimizer)
        target = settings.get("target")
        return cls(
            dataset=dataset, target=None if target in (None, "") else str(target),
            noise=_number(settings, "noise", default.noise, float, 0.0, 0.5, "a number from 0 to 0.5"),
            points=_number(settings, "points", default.points, int, 10, 100_000, "a whole number from 10 to 100000"),
            test_ratio=_number(settings, "test_ratio", default.test_ratio, float, 0.05, 0.95,
                               "a number from 0.05 to 0.95"),
            seed=_number(settings, "seed", default.seed, int, 0, 2**32 - 1, "a whole number from 0 to 4294967295"),
            hidden=hidden, activations=activations, loss=loss, optimizer=optimizer,
            learning_rate=_number(settings, "learning_rate", default.learning_rate, float, 1e-12, 100.0,
                                  "a positive number up to 100"),
            batch_size=_number(settings, "batch_size", default.batch_size, int, 1, 1_000_000,
                               "a positive whole number"),
            l2=_number(settings, "l2", default.l2, float, 0.0, 100.0, "a number from 0 to 100"),
            feature_x=_number(settings, "feature_x", default.feature_x, int, 0, 10**6, "an input's index"),
            feature_y=_number(settings, "feature_y", default.feature_y, int, 0, 10**6, "an input's index"),
            record_stats=_flag(settings, "record_stats", default.record_stats),
        )

    def data_key(self) -> tuple:
        """What the prepared table depends on: another key means new data."""
        return (self.dataset, self.target, self.noise, self.points, self.test_ratio, self.seed)

    def as_dict(self) -> dict:
        return dict(self.__dict__)


class Session:
    """The training run behind one page.

    ``table`` is a function returning ``(frame, name)`` of the file given on
    the command line or uploaded last (or None), used when the settings'
    dataset is :data:`UPLOADED`.
    """

    def __init__(self, table=lambda: None):
        self._table = table
        self.settings: Settings | None = None
        self.data: Prepared | None = None
        self.model: NeuralNetwork | None = None
        self.estimator: NetworkEstimator | None = None
        self.Y_train = self.Y_test = None
        self.test_losses: list[tuple[int, float]] = []
        self.grid = None
        # counts the models built: a frame says which one it shows, so that the
        # page never draws a frame of one network over the description of another
        self.version = 0

    # --- settings, data and the model ------------------------------------------------
    def apply(self, settings: dict) -> bool:
        """Take new settings; rebuild the data if it changed, and the model. Returns
        whether the data changed. Nothing changes when a setting is bad (ValueError)."""
        parsed = Settings.parse(settings)
        data = self.data
        changed = self.settings is None or parsed.data_key() != self.settings.data_key()
        if changed:
            data = self._prepare(parsed)
        n_inputs = len(data.input_names)
        if parsed.feature_x >= n_inputs or parsed.feature_y >= n_inputs:
            parsed.feature_x, parsed.feature_y = 0, min(1, n_inputs - 1)
        model, estimator = self._build(parsed, data)
        self.settings, self.data, self.model, self.estimator = parsed, data, model, estimator
        # the network's targets, encoded once per model: (n_rows, n_outputs)
        self.Y_train = estimator.targets(data.labels_train)
        self.Y_test = estimator.targets(data.labels_test)
        self.grid = frames.Grid.over(data, parsed.feature_x, parsed.feature_y)
        self.test_losses = []
        self.version += 1
        return changed

    def _prepare(self, settings: Settings) -> Prepared:
        if settings.dataset == UPLOADED:
            table = self._table()
            if table is None:
                raise ValueError("no file has been uploaded; choose a CSV file, or another data set")
            frame, name = table
            target = settings.target or frame.columns[-1]
            return prepare_table(frame.copy(), target, settings.test_ratio, settings.seed, repr(name))
        frame, default_target = datasets.load(settings.dataset, settings.points, settings.noise, settings.seed)
        target = settings.target if settings.target in frame.columns else default_target
        settings.target = target
        return prepare_table(frame, target, settings.test_ratio, settings.seed, f"the {settings.dataset} data set")

    @staticmethod
    def _build(settings: Settings, data: Prepared):
        classes = data.classes
        n_outputs = 1 if classes is None or classes.size == 2 else classes.size
        loss = settings.loss
        if loss == "auto":
            loss = "squared_error" if classes is None else (
                "binary_crossentropy" if n_outputs == 1 else "categorical_crossentropy")
        fused = get_loss(loss).fused_with
        output = fused or ("identity" if classes is None else "logistic" if n_outputs == 1 else "softmax")
        if classes is None and loss in ("binary_crossentropy", "categorical_crossentropy"):
            raise ValueError(f"loss {loss!r} is for classes, and the target {data.target!r} is regressed; "
                             "choose a loss for values, such as squared_error")
        if loss == "categorical_crossentropy" and n_outputs == 1:
            raise ValueError("loss 'categorical_crossentropy' needs three or more classes; "
                             "use binary_crossentropy for two")
        model = NeuralNetwork(
            layers=[len(data.input_names), *settings.hidden, n_outputs], activation=list(settings.activations),
            output_activation=output, loss=loss, bias=True, init="glorot", optimizer=settings.optimizer,
            learning_rate=settings.learning_rate, batch_size=settings.batch_size, reduction="mean", l2=settings.l2,
            metric="mse" if classes is None else "accuracy", seed=settings.seed,
        )
        if classes is None:
            values = data.labels_train.astype(np.float64)
            scale = float(values.std()) or 1.0
            estimator = NetworkEstimator(model, None, float(values.mean()), scale)
        else:
            estimator = NetworkEstimator(model, classes)
        return model, estimator

    def reset(self) -> None:
        """The same settings from epoch 0: the seed gives the same starting weights."""
        self.apply(self.settings.as_dict())

    # --- training ------------------------------------------------------------------------
    @property
    def epoch(self) -> int:
        return len(self.model.history)

    def train(self, epochs: int = 1) -> str | None:
        """Train ``epochs`` more epochs; a message when training diverged (and stopped)."""
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", DivergenceWarning)
            self.model.train(self.data.X_train, self.Y_train, epochs, record_stats=self.settings.record_stats)
        for warning in caught:
            if issubclass(warning.category, DivergenceWarning):
                return f"{warning.message} Press Reset to start again."
        return None

    # --- what the page shows -------------------------------------------------------------
    def description(self) -> dict:
        """The data and the network's shape, sent once per change of settings."""
        return {**frames.description(self.data, self.estimator, self.grid, self.settings.as_dict()),
                "version": self.version}

    def frame(self) -> bytes:
        """The frame of the current weights (see :mod:`.frames`)."""
        network = self.model.network
        data = self.data
        figures = frames.figures(network, self.estimator, data, self.Y_train, self.Y_test)
        self.test_losses.append((self.epoch, figures["test_loss"]))
        return frames.encode(network, self.grid, {"epoch": self.epoch, "version": self.version, **figures})

    def trace(self, part: str, index: int) -> dict:
        """Every number of one row's forward and backward pass, as ``glassnet trace`` prints it."""
        if part not in ("train", "test"):
            raise ValueError(f"part must be 'train' or 'test', got {part!r}")
        X = self.data.X_train if part == "train" else self.data.X_test
        labels = self.data.labels_train if part == "train" else self.data.labels_test
        rows = self.data.rows_train if part == "train" else self.data.rows_test
        if isinstance(index, bool) or not (isinstance(index, int) and 0 <= index < X.shape[0]):
            raise ValueError(f"index must be a row of the {part} part, 0 to {X.shape[0] - 1}, got {index!r}")
        label = labels[index]
        trace = self.estimator.trace(X[index], label, verbose=False)
        return frames.trace_message(trace, self.data, part, index, int(rows[index]), label)

    # --- downloads -----------------------------------------------------------------------
    def model_file(self) -> bytes:
        """The bytes of a glassnet model file (a TabularModel) that ``glassnet predict`` reads."""
        from ..persistence import kind_of
        from ..persistence.archive import pack

        settings = {**self.settings.as_dict(), "source": self.data.source, "epochs": self.epoch,
                    "rows_train": int(self.data.X_train.shape[0]), "rows_test": int(self.data.X_test.shape[0]),
                    "rows_dropped": self.data.dropped, "trained_by": "glassnet playground"}
        model = self.data.tabular_model(self.estimator, settings)
        state, arrays = model._glassnet_state()
        return pack(kind_of(model), state, arrays)

    def history_csv(self) -> str:
        """One row per epoch: the training loss and metric, and the test loss where the page measured it."""
        import pandas as pd

        rows = []
        for record in self.model.history.records:
            row = {}
            for key, value in record.items():
                if isinstance(value, list):  # a per-layer figure (record_stats): one column per layer
                    row.update({f"{key}_{layer}": item for layer, item in enumerate(value, 1)})
                else:
                    row[key] = value
            rows.append(row)
        table = pd.DataFrame(rows)
        if "epoch" not in table:
            table.insert(0, "epoch", np.arange(1, len(table) + 1))
        measured = dict(self.test_losses)
        table["test_loss"] = [measured.get(epoch, np.nan) for epoch in table["epoch"]]
        buffer = io.StringIO()
        table.to_csv(buffer, index=False)
        return buffer.getvalue()

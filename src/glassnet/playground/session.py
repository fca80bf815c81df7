"""One page's training run: the only module of the playground that touches
training objects.

A :class:`Session` holds the table as ``glassnet train``'s pipeline prepares
it (see :mod:`.tables`), a :class:`~glassnet.NeuralNetwork` built from the
page's settings, and trains it ``epochs`` at a time with
``NeuralNetwork.train`` on the table's encoded targets (training 10 epochs
twice is the same as 20 once, so the page's ticks do not change the
numbers). The network and the table's preprocessing and target encoding
make one :class:`~glassnet.tabular.TabularModel`, which answers the page's
other questions: the frame to draw (see :mod:`.frames`), the trace of one
row, the model file; and the history as CSV.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass, field

import numpy as np

from .. import parameters
from ..article import NeuralNetwork
from ..engine.activations import ACTIVATIONS
from ..engine.losses import get_loss
from ..engine.training import DivergenceWarning
from ..parameters import PLAYGROUND
from ..tabular import TabularModel
from ..tabular.model import PLAYGROUND_MARK
from ..tabular.pipeline import PreparedTable
from . import datasets, frames
from .tables import page_table

__all__ = ["Session", "Settings", "UPLOADED", "choices"]

# the dataset name under which the page asks for the table given on the
# command line or uploaded last
UPLOADED = "file"


def choices() -> dict:
    """The names the page offers, from the table (which reads the engine's registries)."""
    return {
        "activations": parameters.offered(PLAYGROUND, "activations"),
        "losses": parameters.offered(PLAYGROUND, "loss"),
        "optimizers": parameters.offered(PLAYGROUND, "optimizer"),
        "datasets": datasets.DATASET_NAMES,
        "generated": list(datasets.GENERATED),
        "regression_sets": datasets.REGRESSION_SETS,
    }


def _default(name: str):
    """The page's default for a setting, from the table."""
    value = parameters.lookup(PLAYGROUND, name).default(PLAYGROUND)
    return field(default_factory=lambda: list(value)) if isinstance(value, list) else value


@dataclass
class Settings:
    """The page's settings, checked: everything a link reproduces. Their
    names, defaults and allowed values (the page's limits among them, such
    as at most 10 hidden layers of 256 units) are the table's
    (:mod:`glassnet.parameters`, door "playground")."""

    dataset: str = _default("dataset")
    target: str | None = _default("target")
    noise: float = _default("noise")
    points: int = _default("points")
    test_ratio: float = _default("test_ratio")
    seed: int = _default("seed")
    hidden: list = _default("hidden")
    activations: list = _default("activations")
    loss: str = _default("loss")
    optimizer: str = _default("optimizer")
    learning_rate: float = _default("learning_rate")
    batch_size: int = _default("batch_size")
    l2: float = _default("l2")
    feature_x: int = _default("feature_x")
    feature_y: int = _default("feature_y")
    # per-layer dynamics in the history (glassnet.engine.stats), downloaded with it
    record_stats: bool = _default("record_stats")

    @classmethod
    def parse(cls, settings: dict) -> "Settings":
        """Settings from the page's JSON (or a link's text); ValueError naming a
        bad one, what it allows and the value, in the words every door uses."""
        if not isinstance(settings, dict):
            raise ValueError(f"settings must be an object of names and values, got {settings!r}")
        # an empty target box means the data set's own target
        given = {name: value for name, value in settings.items() if not (name == "target" and value == "")}
        values = parameters.check_settings(PLAYGROUND, given, complete=True)
        if values["dataset"] != UPLOADED and values["dataset"] not in datasets.DATASET_NAMES:
            raise ValueError(f"unknown data set {values['dataset']!r}; "
                             f"expected one of: {', '.join(datasets.DATASET_NAMES)}")
        hidden = [int(size) for size in values["hidden"]]
        activations = [ACTIVATIONS.canonical(name) for name in values["activations"]]
        # a layer added on the page takes the activation of the one before it
        activations = (activations + [activations[-1] if activations else "tanh"] * len(hidden))[: len(hidden)]
        loss = values["loss"] if values["loss"] == "auto" else get_loss(values["loss"]).name
        return cls(**{**values, "hidden": hidden, "activations": activations, "loss": loss,
                      "record_stats": bool(values["record_stats"])})

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
        self.data: PreparedTable | None = None
        # what the table pipeline said about the data, in words for the page
        self.notes: list[str] = []
        self.model: NeuralNetwork | None = None
        # the table's preprocessing and target encoding with the network being trained
        self.tabular: TabularModel | None = None
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
        data, notes = self.data, self.notes
        changed = self.settings is None or parsed.data_key() != self.settings.data_key()
        if changed:
            data, notes = self._prepare(parsed)
        n_inputs = len(data.input_names)
        if parsed.feature_x >= n_inputs or parsed.feature_y >= n_inputs:
            parsed.feature_x, parsed.feature_y = 0, min(1, n_inputs - 1)
        model = self._build(parsed, data)
        tabular = data.model(model, settings={})
        self.settings, self.data, self.notes, self.model, self.tabular = parsed, data, notes, model, tabular
        # the network's targets, encoded once per data: (n_rows, n_outputs)
        self.Y_train = tabular.targets(data.labels_train)
        self.Y_test = tabular.targets(data.labels_test)
        # checked, fingerprinted and measured once: a tick of a few epochs then trains at once
        self.bound = model.learner.bind(data.X_train, self.Y_train)
        self.grid = frames.Grid.over(data, parsed.feature_x, parsed.feature_y)
        self.test_losses = []
        self.version += 1
        return changed

    def _prepare(self, settings: Settings) -> tuple[PreparedTable, list[str]]:
        if settings.dataset == UPLOADED:
            table = self._table()
            if table is None:
                raise ValueError("no file has been uploaded; choose a CSV file, or another data set")
            frame, name = table
            target = settings.target or frame.columns[-1]
            return page_table(frame.copy(), target, settings.test_ratio, settings.seed, repr(name))
        frame, default_target = datasets.load(settings.dataset, settings.points, settings.noise, settings.seed)
        target = settings.target if settings.target in frame.columns else default_target
        settings.target = target
        return page_table(frame, target, settings.test_ratio, settings.seed, f"the {settings.dataset} data set")

    @staticmethod
    def _build(settings: Settings, data: PreparedTable) -> NeuralNetwork:
        classes = data.classes
        n_outputs = data.target_encoding.n_outputs
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
        return NeuralNetwork(
            layers=[len(data.input_names), *settings.hidden, n_outputs], activation=list(settings.activations),
            output_activation=output, loss=loss, bias=True, init="glorot", optimizer=settings.optimizer,
            learning_rate=settings.learning_rate, batch_size=settings.batch_size, reduction="mean", l2=settings.l2,
            metric="mse" if classes is None else "accuracy", seed=settings.seed,
        )

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
            self.model.train(self.bound, None, epochs, record_stats=self.settings.record_stats)
        for warning in caught:
            if issubclass(warning.category, DivergenceWarning):
                return f"{warning.message} Press Reset to start again."
        return None

    # --- what the page shows -------------------------------------------------------------
    def description(self) -> dict:
        """The data and the network's shape, sent once per change of settings."""
        return {**frames.description(self.data, self.tabular, self.grid, self.settings.as_dict(), self.notes),
                "version": self.version}

    def frame(self) -> bytes:
        """The frame of the current weights (see :mod:`.frames`)."""
        network = self.model.network
        data = self.data
        figures = frames.figures(network, self.tabular, data, self.Y_train, self.Y_test)
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
        # the row's network inputs and its target as the network trained on it (Y_train/Y_test)
        Y = self.Y_train if part == "train" else self.Y_test
        trace = self.model.trace(X[index], Y[index], verbose=False)
        return frames.trace_message(trace, self.data, part, index, int(rows[index]), label)

    # --- downloads -----------------------------------------------------------------------
    def model_file(self) -> bytes:
        """The bytes of a glassnet model file (a TabularModel) that ``glassnet predict`` reads."""
        from ..persistence import kind_of
        from ..persistence.archive import pack

        settings = {**self.settings.as_dict(), "source": self.data.source, "epochs": self.epoch,
                    "rows_train": int(self.data.X_train.shape[0]), "rows_test": int(self.data.X_test.shape[0]),
                    "rows_dropped": self.data.dropped, "impute": self.data.imputation.strategy,
                    "trained_by": PLAYGROUND_MARK}
        model = self.data.model(self.model, settings)
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

"""One page's training run: the only module of the playground that touches
training objects.

A :class:`Session` holds the table as ``glassnet train``'s pipeline prepares
it (see :mod:`.tables`), a :class:`~glassnet.NeuralNetwork` built from the
page's settings, and trains it ``epochs`` at a time with
``NeuralNetwork.train`` on the table's encoded targets, bound once with the
Learner's ``bind`` (training 10 epochs twice is the same as 20 once, so the
page's ticks do not change the numbers). The network and the table's
preprocessing and target encoding make one
:class:`~glassnet.tabular.TabularModel`, which answers the page's other
questions: the frame to draw (see :mod:`.frames`), the trace of one row,
the model file; and the history as CSV.

New settings come in two steps, so that a refused change leaves the run as
it was: :meth:`Session.plan` checks them and prepares whatever they need
(new data, a new network) without touching the run, and
:meth:`Session.commit` puts the plan in place. What a change does (new
data, a new network, a live edit, a new view) is :mod:`.controls`' table.
"""

from __future__ import annotations

import io
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
from ..tabular.columns import check_has_columns
from ..tabular.pipeline import PreparedTable
from . import controls, datasets, frames
from .caught import collected
from .tables import page_table

__all__ = ["Session", "Settings", "Change", "PAGE_UPLOAD", "START_FILE", "UPLOADED", "choices"]

# the data set of the table given at the start (on the command line, or a
# notebook widget's DataFrame), and of the page's own upload
START_FILE = "file"
PAGE_UPLOAD = "upload"
# the start table's data set under the name code before per-page uploads used
UPLOADED = START_FILE


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


class Settings:
    """The page's settings, checked: everything a link reproduces, by the
    table's names (:mod:`glassnet.parameters`, door "playground"), read as
    attributes (``settings.learning_rate``). The table gives their defaults
    and allowed values, the page's limits among them (such as at most 10
    hidden layers of 256 units); a setting added to the table is one here."""

    def __init__(self, values: dict | None = None):
        self.values = dict(values) if values is not None else Settings.parse({}).values

    def __getattr__(self, name):
        try:
            return self.__dict__["values"][name]
        except KeyError:
            raise AttributeError(name) from None

    @classmethod
    def parse(cls, settings: dict) -> "Settings":
        """Settings from the page's JSON (or a link's text); ValueError naming a
        bad one, what it allows and the value, in the words every door uses."""
        if not isinstance(settings, dict):
            raise ValueError(f"settings must be an object of names and values, got {settings!r}")
        # an empty box (target, upload) means none: the data set's own target
        given = {name: value for name, value in settings.items()
                 if not (name in ("target", "upload") and value == "")}
        values = parameters.check_settings(PLAYGROUND, given, complete=True)
        dataset = values["dataset"]
        if dataset not in (PAGE_UPLOAD, START_FILE) and dataset not in datasets.DATASET_NAMES:
            raise ValueError(f"unknown data set {dataset!r}; expected one of: "
                             f"{', '.join([*datasets.DATASET_NAMES, START_FILE, PAGE_UPLOAD])}")
        hidden = [int(size) for size in values["hidden"]]
        activations = [ACTIVATIONS.canonical(name) for name in values["activations"]]
        # a layer added on the page takes the activation of the one before it
        activations = (activations + [activations[-1] if activations else "tanh"] * len(hidden))[: len(hidden)]
        loss = values["loss"] if values["loss"] == "auto" else get_loss(values["loss"]).name
        ignore = list(dict.fromkeys(str(name) for name in values["ignore"]))
        return cls({**values, "hidden": hidden, "activations": activations, "loss": loss, "ignore": ignore,
                    "record_stats": bool(values["record_stats"])})

    def data_key(self) -> tuple:
        """What the prepared table depends on: another key means new data
        (compared by value: 0 from a page's JSON is the 0.0 it was sent)."""
        return tuple(self.values[name] for name in controls.DATA)

    def changed(self, other: "Settings") -> dict:
        """``{name: (value here, value in other)}`` of the settings that differ."""
        return {name: (value, other.values[name]) for name, value in self.values.items()
                if value != other.values[name]}

    def as_dict(self) -> dict:
        return {name: list(value) if isinstance(value, list) else value for name, value in self.values.items()}


@dataclass
class Change:
    """New settings, checked and prepared by :meth:`Session.plan`, not yet in place.

    ``kind``: "data", "reset", "live", "view" or "none" (see :mod:`.controls`);
    ``changed``: ``{name: (old, new)}``.
    """

    settings: Settings
    kind: str
    changed: dict
    data: PreparedTable | None = None
    notes: list = field(default_factory=list)
    columns: list = field(default_factory=list)
    model: NeuralNetwork | None = None

    @property
    def resets(self) -> bool:
        """Whether the run starts again from epoch 0."""
        return self.kind in ("data", "reset")

    @property
    def redraws(self) -> bool:
        """Whether the page draws anew: a new run, or other plotted inputs."""
        return self.resets or bool({"feature_x", "feature_y"} & set(self.changed))

    def message(self) -> str | None:
        """What the change did, in words for the page (None: nothing to say)."""
        if not self.changed:
            return None
        names = ", ".join(dict.fromkeys(controls.words(name) for name in self.changed))
        if self.resets:
            return f"new {names}: a new network, from epoch 0"
        if self.kind == "live":
            shown = "; ".join(f"{controls.words(name)} {_shown(old)} → {_shown(new)}"
                              for name, (old, new) in self.changed.items() if controls.effect(name) == "live")
            return f"{shown}: applied to the running network, training goes on"
        return f"new {names}"


def _shown(value) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    return f"{value:g}" if isinstance(value, float) else str(value)


class Session:
    """The training run behind one page.

    ``start`` is ``(frame, name)`` of the table given at the start (the data
    set "file"), a function returning it, or None; ``uploads`` the server's
    :class:`~glassnet.playground.uploads.Uploads`, where the data set
    "upload" finds the page's upload.
    """

    def __init__(self, start=None, uploads=None):
        self.start = start
        self.uploads = uploads
        self.settings: Settings | None = None
        self.data: PreparedTable | None = None
        # what the table pipeline said about the data, in words for the page
        self.notes: list[str] = []
        # every column of the table the data came from (the page's column list)
        self.columns: list[str] = []
        self.model: NeuralNetwork | None = None
        # the table's preprocessing and target encoding with the network being trained
        self.tabular: TabularModel | None = None
        self.Y_train = self.Y_test = None
        self.bound = None
        self.test_losses: list[tuple[int, float]] = []
        self.grid: frames.Grid | None = None
        # the live edits of this run: {"epoch": first epoch trained with them, "changes": {name: [old, new]}}
        self.log: list[dict] = []
        # the row whose trace the page shows: (part, index), or None
        self.traced: tuple[str, int] | None = None
        # what training said that the page should hear (a stalled layer ...), taken by take_news
        self.news: list[str] = []
        # counts the models built: a frame says which one it shows, so that the
        # page never draws a frame of one network over the description of another
        self.version = 0

    # --- settings, data and the model ------------------------------------------------
    def plan(self, settings: dict) -> Change:
        """Check ``settings`` and prepare what they need (new data, a new
        network), leaving this run untouched; ValueError, in the page's
        words, when they cannot be used."""
        parsed = Settings.parse(settings)
        current = self.settings
        if current is None or parsed.data_key() != current.data_key():
            data, notes, columns = self._prepare(parsed)
        else:
            data, notes, columns = self.data, self.notes, self.columns
        self._place_plotted(parsed, data, current, self.data)
        changed = {} if current is None else current.changed(parsed)
        if data is not self.data:
            kind = "data"
        else:
            kinds = {controls.effect(name) for name in changed}
            kind = "reset" if kinds & {"reset", "data"} else "live" if "live" in kinds else \
                "view" if "view" in kinds else "none"
        model = self._build(parsed, data) if kind in ("data", "reset") else None
        return Change(parsed, kind, changed, data, notes, columns, model)

    def commit(self, change: Change) -> None:
        """Put a :meth:`plan` in place."""
        settings = change.settings
        if change.resets:
            data, model = change.data, change.model
            tabular = data.model(model, settings={})
            self.data, self.notes, self.columns, self.model, self.tabular = data, change.notes, change.columns, \
                model, tabular
            # the network's targets, encoded once per data: (n_rows, n_outputs)
            self.Y_train = tabular.targets(data.labels_train)
            self.Y_test = tabular.targets(data.labels_test)
            # checked, fingerprinted and measured once: a tick of a few epochs then trains at once
            self.bound = model.learner.bind(data.X_train, self.Y_train)
            self.test_losses = []
            self.log = []
            if change.kind == "data":
                self.traced = None  # other rows: the trace of a row no longer there is dropped
            if self.uploads is not None:
                self.uploads.hold(settings.upload if settings.dataset == PAGE_UPLOAD else None, self)
        elif change.kind == "live":
            for name in change.changed:
                if controls.effect(name) == "live":
                    controls.LIVE.get(name)(self.model, settings)
            self.log.append({"epoch": self.epoch + 1, "changes": {
                name: [old, new] for name, (old, new) in change.changed.items() if controls.effect(name) == "live"}})
        self.settings = settings
        if change.redraws or self.grid is None:
            self.grid = frames.Grid.over(self.data, settings.feature_x, settings.feature_y)
            self.version += 1

    def apply(self, settings: dict) -> Change:
        """:meth:`plan` and :meth:`commit` at once: the change made. Nothing
        changes when a setting is bad (ValueError)."""
        change = self.plan(settings)
        self.commit(change)
        return change

    def _table(self, settings: Settings) -> tuple:
        """``(frame, name)`` of the table the settings name (an upload, the start file)."""
        if settings.dataset == PAGE_UPLOAD:
            upload = self.uploads.get(settings.upload) if self.uploads is not None else None
            if upload is None:
                raise ValueError("the uploaded file this page used is no longer on the server (an upload is kept "
                                 "for a few minutes after its page closes); choose your CSV file again")
            return upload.frame, upload.name
        start = self.start() if callable(self.start) else self.start
        if start is None:
            raise ValueError("the playground was started without a file; choose a data set, or your own CSV file")
        return start

    def _prepare(self, settings: Settings) -> tuple[PreparedTable, list[str], list[str]]:
        """``(prepared table, notes, the table's columns)`` for ``settings``."""
        if settings.dataset in (PAGE_UPLOAD, START_FILE):
            frame, name = self._table(settings)
            source = repr(name)
            frame = frame.copy()
        else:
            frame, default_target = datasets.load(settings.dataset, settings.points, settings.noise, settings.seed)
            source = f"the {settings.dataset} data set"
            if settings.target not in frame.columns:
                settings.values["target"] = default_target
        columns = [str(name) for name in frame.columns]
        target = settings.target or columns[-1]
        settings.values["target"] = target
        # the table pipeline's rule and words (a close name offered as the page's fix)
        check_has_columns(frame, [target], source, setting="target")
        notes = []
        # the target is never left out; a column no longer there needs no leaving out
        ignore = [name for name in settings.ignore if name in frame.columns and name != target]
        gone = [name for name in settings.ignore if name not in frame.columns]
        if gone:
            notes.append(f"{source} has no column {', '.join(map(repr, gone))}: nothing to leave out there")
        settings.values["ignore"] = ignore
        prepared, pipeline_notes = page_table(frame, target, settings.test_ratio, settings.seed, source, ignore=ignore)
        return prepared, notes + pipeline_notes, columns

    @staticmethod
    def _place_plotted(settings: Settings, data: PreparedTable, current: Settings | None, before) -> None:
        """The plotted inputs within the data's inputs. When the inputs
        change (a column left out) and the page did not choose others, the
        inputs plotted before stay plotted, found by name."""
        names = data.input_names
        if before is not None and before is not data and current is not None \
                and (settings.feature_x, settings.feature_y) == (current.feature_x, current.feature_y):
            plotted = [before.input_names[index] for index in (current.feature_x, current.feature_y)]
            if all(name in names for name in plotted):
                settings.values.update(feature_x=names.index(plotted[0]), feature_y=names.index(plotted[1]))
        if settings.feature_x >= len(names) or settings.feature_y >= len(names):
            settings.values.update(feature_x=0, feature_y=min(1, len(names) - 1))

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
            raise ValueError(f"the loss {loss!r} is for classes, and the target {data.target!r} is regressed; "
                             "choose a loss for values, such as squared_error")
        if loss == "categorical_crossentropy" and n_outputs == 1:
            raise ValueError("the loss 'categorical_crossentropy' needs three or more classes; "
                             "choose binary_crossentropy for two")
        return NeuralNetwork(
            layers=[len(data.input_names), *settings.hidden, n_outputs], activation=list(settings.activations),
            output_activation=output, loss=loss, bias=True, init="glorot", optimizer=controls.optimizer_for(settings),
            batch_size=settings.batch_size, reduction="mean", l2=settings.l2,
            metric="mse" if classes is None else "accuracy", seed=settings.seed,
        )

    def reset(self) -> Change:
        """The same settings from epoch 0: the seed gives the same starting weights."""
        change = self.plan(self.settings.as_dict())
        change.kind, change.model = "reset", self._build(change.settings, self.data)
        self.commit(change)
        return change

    # --- training ------------------------------------------------------------------------
    @property
    def epoch(self) -> int:
        return len(self.model.history)

    def train(self, epochs: int = 1) -> str | None:
        """Train ``epochs`` more epochs; a message when training diverged (and stopped)."""
        problem = None
        with collected() as caught:
            self.model.train(self.bound, None, epochs, record_stats=self.settings.record_stats)
        for warning in caught:
            if issubclass(warning.category, DivergenceWarning):
                problem = f"{warning.message} Press Reset to start again."
            elif str(warning.message) not in self.news:
                self.news.append(str(warning.message))
        return problem

    def take_news(self) -> list[str]:
        """What training said since the last call, once."""
        news, self.news = self.news, []
        return news

    # --- what the page shows -------------------------------------------------------------
    def description(self, change: Change | None = None) -> dict:
        """The data and the network's shape, sent once per change of data,
        network or view; ``change`` says what changed."""
        upload = self.uploads.get(self.settings.upload) if self.uploads is not None else None
        message = None if change is None else change.message()
        return {**frames.description(self.data, self.tabular, self.grid, self.settings.as_dict(), self.notes),
                "version": self.version, "epoch": self.epoch, "columns": self.columns, "log": self.log,
                "reset": change is None or change.resets,
                "file": self._start_name(),
                "upload": None if upload is None else {"id": upload.id, "name": upload.name},
                # what the change did, when there is something to say
                **({"message": message} if message else {})}

    def _start_name(self) -> str | None:
        start = self.start() if callable(self.start) else self.start
        return None if start is None else start[1]

    def applied(self, change: Change) -> dict:
        """The ``applied`` message of a live change: the settings now in force."""
        message = change.message()
        return {"type": "applied", "settings": self.settings.as_dict(), "epoch": self.epoch, "log": self.log,
                **({"message": message} if message else {})}

    def frame(self) -> bytes:
        """The frame of the current weights (see :mod:`.frames`)."""
        network = self.model.network
        data = self.data
        figures = frames.figures(network, self.tabular, data, self.Y_train, self.Y_test)
        self.test_losses.append((self.epoch, figures["test_loss"]))
        return frames.encode(network, self.grid, {"epoch": self.epoch, "version": self.version, **figures})

    def trace(self, part: str, index: int) -> dict:
        """Every number of one row's forward and backward pass, as ``glassnet trace`` prints it;
        the row stays traced (see :meth:`retrace`)."""
        if part not in ("train", "test"):
            raise ValueError(f"part must be 'train' or 'test', got {part!r}")
        X = self.data.X_train if part == "train" else self.data.X_test
        if isinstance(index, bool) or not (isinstance(index, int) and 0 <= index < X.shape[0]):
            raise ValueError(f"index must be a row of the {part} part, 0 to {X.shape[0] - 1}, got {index!r}")
        self.traced = (part, index)
        return self._trace_message(part, index)

    def retrace(self) -> dict | None:
        """The trace of the traced row with the current weights; None when no row is traced."""
        return None if self.traced is None else self._trace_message(*self.traced)

    def _trace_message(self, part: str, index: int) -> dict:
        X = self.data.X_train if part == "train" else self.data.X_test
        labels = self.data.labels_train if part == "train" else self.data.labels_test
        rows = self.data.rows_train if part == "train" else self.data.rows_test
        # the row's network inputs and its target as the network trained on it (Y_train/Y_test)
        Y = self.Y_train if part == "train" else self.Y_test
        trace = self.model.trace(X[index], Y[index], verbose=False)
        message = frames.trace_message(trace, self.data, part, index, int(rows[index]), labels[index])
        return {**message, "epoch": self.epoch, "version": self.version}

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
        """One row per epoch: the training loss and metric, the test loss where
        the page measured it, the live settings in force, and the live edits
        (``change``) at the first epoch trained with them."""
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
        # each live setting as it was at each epoch, and the edits at the first epoch trained with them
        for name in controls.LIVE:
            if name in self.settings.values and name not in table:
                table[name] = [self._in_force(name, int(epoch)) for epoch in table["epoch"]]
        edits = {}
        for entry in self.log:
            edits.setdefault(entry["epoch"], []).extend(
                f"{name} {_shown(old)} -> {_shown(new)}" for name, (old, new) in entry["changes"].items())
        table["change"] = ["; ".join(edits.get(int(epoch), [])) for epoch in table["epoch"]]
        buffer = io.StringIO()
        table.to_csv(buffer, index=False)
        return buffer.getvalue()

    def _in_force(self, name: str, epoch: int):
        """The value of the live setting ``name`` that epoch ``epoch`` trained with."""
        edits = [entry for entry in self.log if name in entry["changes"]]
        value = edits[0]["changes"][name][0] if edits else self.settings.values[name]
        for entry in edits:
            if epoch >= entry["epoch"]:
                value = entry["changes"][name][1]
        return value

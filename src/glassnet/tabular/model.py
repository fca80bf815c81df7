"""TabularModel: a trained network with the preprocessing of the table it
learnt from, and the encoding of its target.

It holds what the table pipeline (:mod:`.pipeline`) fitted on the training
part of a table: which columns are numbers and which are one-hot text, the
fill values of empty cells (the imputer), the scaler, the target encoding
(:mod:`.target`: the class labels, or the standardisation of a regression
target), the training range of each numeric column (in the file's own
units), the identifier column, the settings and final report; and the
trained model, an :class:`~glassnet.MLPClassifier`/:class:`~glassnet.MLPRegressor`
(``glassnet train``) or a :class:`~glassnet.NeuralNetwork` (the playground).

Whichever model is inside, a row goes the same way: cells -> network inputs
(:meth:`TabularModel.inputs`) -> the engine :class:`~glassnet.engine.network.Network`
-> outputs -> predictions (:meth:`TabularModel.decode`). It is a model-file
kind ("tabular"); :mod:`.legacy` reads the files written before the target
encoding was part of it, and files written before imputation existed load
with no imputer: empty cells stay errors there.
"""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
import pandas as pd

from ..engine.state_arrays import StateArrays
from ..engine.training_range import TrainingRange
from .. import parameters
from ..parameters import CLI, IMPUTE, PLAYGROUND, Each, Fix, FixableError, Fixes, Interval, Options, Text
from ..protocol import embed_state, embedded_object, register
from ._protocol import TabularAdapter
from ._sklearn_state import scaler_from_state, scaler_state
from .columns import Columns
from .encoding import Encoded, encode, parse_numbers
from .imputing import Imputation
from .reading import text_cells
from .target import TARGET_ENCODINGS, ClassTarget, ValueTarget, target_encoding_from_state

__all__ = ["TabularModel", "scaled", "PLAYGROUND_MARK", "loaded_settings"]

# what the playground writes under "trained_by" in its model files' settings
PLAYGROUND_MARK = "glassnet playground"
COUNT = Interval(Integral, 0)
# what a model file keeps beside the door's own settings: where the rows came from and how many there were
_RECORDS = {
    # glassnet train --chunk-rows adds the chunk size, the passes made and each pass's mean training loss
    CLI: {"source": Text("a data source"), "rows_train": COUNT, "rows_test": COUNT, "rows_dropped": COUNT,
          "chunk_rows": Interval(Integral, 1), "passes": COUNT, "pass_losses": Each(Interval(Real))},
    PLAYGROUND: {"source": Text("a data source"), "rows_train": COUNT, "rows_test": COUNT, "rows_dropped": COUNT,
                 "epochs": COUNT, "impute": Options(IMPUTE), "trained_by": Options((PLAYGROUND_MARK,))},
}


def settings_door(settings: dict) -> str:
    """The door whose settings ``settings`` are: the playground's page, or glassnet train's flags."""
    return PLAYGROUND if settings.get("trained_by") == PLAYGROUND_MARK else CLI


def loaded_settings(settings) -> dict:
    """The settings a model file keeps, checked as their door checks them (a
    file may say anything): glassnet train's flags, or the playground's
    settings when the playground wrote it, each through the one parameter
    table; and the counts and names kept beside them. The checked values
    (text read as the door reads it), in the file's order."""
    if not isinstance(settings, dict):
        raise ValueError(f"the settings must be a dict of names and values, got {type(settings).__name__}")
    door = settings_door(settings)
    records = _RECORDS[door]
    for name, value in settings.items():
        if name in records:
            records[name].validate(name, value)
    checked = parameters.check_settings(door, {name: value for name, value in settings.items() if name not in records})
    return {name: checked.get(name, value) for name, value in settings.items()}

def scaled(scaler, method: str, X: np.ndarray, columns: Columns, source: str) -> np.ndarray:
    """``scaler.<method>(X)``, or a ValueError naming the first column whose
    values overflowed on the way: squares of 1e300 are beyond float64, which
    would make a variance infinite and the column silently all zeros."""
    with np.errstate(over="ignore", invalid="ignore"):
        result = getattr(scaler, method)(X)
    statistics = np.ones(X.shape[1], dtype=bool)
    for name in ("scale_", "var_", "data_range_"):
        value = getattr(scaler, name, None)
        if isinstance(value, np.ndarray) and value.shape == statistics.shape:
            statistics &= np.isfinite(value)
    bad = ~(np.isfinite(result).all(axis=0) & statistics)
    if bad.any():
        column = int(np.flatnonzero(bad)[0])
        raise FixableError(
            f"column {columns.input_names[column]!r} of {source} holds numbers too large to scale "
            f"(up to {float(np.max(np.abs(X[:, column]))):.3g}); rescale that column",
            Fixes(Fix("scaler", verb="change"), before=", or choose another scaler (", after=")"))
    return result


class TabularModel:
    """See the module docstring. ``task`` is "classify" or "regress";
    ``trained`` the model trained on the scaled inputs, ``target_encoding`` a
    :class:`~.target.ClassTarget` or :class:`~.target.ValueTarget`."""

    def __init__(self, *, target: str, task: str, columns: Columns, scaler_name: str, scaler, trained,
                 target_encoding: ClassTarget | ValueTarget, training_range: TrainingRange | None, settings: dict,
                 report: dict | None = None, imputation: Imputation | None = None, id_column: str | None = None):
        self.target = target
        self.task = task
        self.columns = columns
        self.scaler_name = scaler_name
        self.scaler = scaler
        self.trained = trained
        self.target_encoding = target_encoding
        self.training_range = training_range
        self.settings = settings
        self.report = report
        self.imputation = imputation
        self.id_column = id_column
        self._check()

    def _check(self) -> None:
        network = self.network
        expected = len(self.columns.input_names)
        if network.n_inputs != expected:
            raise ValueError(f"the network takes {network.n_inputs} inputs but the columns give {expected}")
        if network.n_outputs != self.target_encoding.n_outputs:
            raise ValueError(f"the network has {network.n_outputs} output(s) but the target encoding "
                             f"{self.target_encoding!r} needs {self.target_encoding.n_outputs}")
        classes = getattr(self.trained, "classes_", None)  # an MLPClassifier encodes its labels itself
        if classes is not None and not np.array_equal(np.asarray(classes).astype(str), self.classes_):
            raise ValueError(f"the classifier's classes {np.asarray(classes).tolist()} are not the target "
                             f"encoding's {self.classes_.tolist()}")

    # --- the trained model -----------------------------------------------------------------
    @property
    def learner(self):
        """The :class:`~glassnet.engine.learner.Learner` of the trained model
        (a NeuralNetwork's ``learner``, an estimator's ``learner_``)."""
        learner = getattr(self.trained, "learner", None)
        return learner if learner is not None else self.trained.learner_

    @property
    def network(self):
        """The engine :class:`~glassnet.engine.network.Network`: scaled inputs in, outputs out."""
        return self.learner.network

    @property
    def history(self):
        """The per-epoch :class:`~glassnet.engine.history.History` (for plot.learning_curves)."""
        return self.learner.history

    @property
    def n_iter_(self) -> int:
        """Epochs (L-BFGS: iterations) trained."""
        return int(getattr(self.trained, "n_iter_", len(self.history)))

    @property
    def loss_(self) -> float:
        """The last training loss (of the network's targets: standardised for a regression)."""
        loss = getattr(self.trained, "loss_", None)
        if loss is None:
            losses = self.history["loss"] if len(self.history) else []
            loss = losses[-1] if len(losses) else float("nan")
        return float(loss)

    @property
    def classes_(self) -> np.ndarray | None:
        """The sorted class labels of a classifier, None for a regression."""
        return getattr(self.target_encoding, "classes", None)

    @property
    def door(self) -> str:
        """Whose settings made the model: the playground's page, or glassnet train's flags
        (see :data:`glassnet.parameters.DOORS`); advice on it speaks their words."""
        return settings_door(self.settings or {})

    @property
    def estimator(self):
        """The trained model (its former name, from when it was always an estimator)."""
        return self.trained

    # --- from a table to the network's inputs and targets ----------------------------------
    def encode(self, frame: pd.DataFrame, source: str = "the data", *, strict: bool = True) -> Encoded:
        """``frame``'s feature columns parsed, filled and one-hot encoded (see
        :mod:`.encoding`); ``strict=False`` marks unusable rows instead of raising.
        ``frame`` may hold numbers and missing values (NaN, None, pandas' NA)
        as well as the text cells a file is read as: they are read as text first."""
        return encode(self.columns, self.imputation, text_cells(frame, renumber=False), source, strict=strict)

    def scale(self, X: np.ndarray, source: str = "the data") -> np.ndarray:
        """Encoded inputs (n_rows, n_inputs) as the network takes them."""
        return X if self.scaler is None else scaled(self.scaler, "transform", X, self.columns, source)

    def inputs(self, frame: pd.DataFrame, source: str = "the data") -> np.ndarray:
        """The network's inputs for every row of ``frame``, (n_rows, n_inputs) (ValueError for a bad cell)."""
        return self.scale(self.encode(frame, source).X, source)

    def labels(self, frame: pd.DataFrame, source: str = "the data") -> np.ndarray:
        """The target column: text labels to classify, numbers to regress, (n_rows,)."""
        if self.target not in frame.columns:
            raise ValueError(f"{source} has no column {self.target!r}, the target this model was trained on")
        column = frame[self.target]
        if self.task == "classify":
            return column.str.strip().to_numpy(dtype=object).astype(str)
        values, empty, bad = parse_numbers(column)
        if (empty | bad).any():
            position = int(np.flatnonzero(empty | bad)[0])
            raise ValueError(f"row {int(frame.index[position]) + 1}, column {self.target!r} (the target): "
                             f"{column.iloc[position].strip()!r} is not a finite number")
        return values

    def targets(self, labels) -> np.ndarray:
        """Labels or values (n,) -> the network's targets (n, n_outputs), as it trained on them."""
        return self.target_encoding.encode(labels)

    def network_targets(self, frame: pd.DataFrame, source: str = "the data") -> np.ndarray:
        """The network's targets for every row of ``frame`` (which holds the target column)."""
        return self.targets(self.labels(frame, source))

    def outside(self, frame_or_encoded, source: str = "the data"):
        """``(rows, excursions)``: rows with a numeric cell beyond its training
        range (empty cells count as their fill value; unusable rows not at all)."""
        if self.training_range is None or not self.columns.numeric:
            return 0, []
        encoded = frame_or_encoded
        if not isinstance(encoded, Encoded):
            encoded = self.encode(frame_or_encoded, source)
        return self.training_range.excursions(encoded.numbers[encoded.usable])

    # --- from the network's outputs to predictions -----------------------------------------
    def outputs(self, X: np.ndarray) -> np.ndarray:
        """The network's outputs (n_rows, n_outputs) for network inputs ``X`` (n_rows, n_inputs)."""
        network = self.network
        return network.predict(np.asarray(X, dtype=network.dtype))

    def decode(self, outputs: np.ndarray) -> np.ndarray:
        """Outputs -> predictions, (n_rows,): class labels, or values in the target's own units."""
        return self.target_encoding.decode(outputs)

    def probabilities(self, outputs: np.ndarray) -> np.ndarray:
        """Outputs -> class probabilities (n_rows, n_classes), columns in ``classes_`` order."""
        return self.target_encoding.probabilities(outputs)

    def predict(self, frame: pd.DataFrame, source: str = "the data") -> np.ndarray:
        return self.decode(self.outputs(self.inputs(frame, source)))

    def predict_proba(self, frame: pd.DataFrame, source: str = "the data") -> np.ndarray:
        if self.classes_ is None:
            raise AttributeError("predict_proba is for classification; this model regresses a value")
        return self.probabilities(self.outputs(self.inputs(frame, source)))

    def __repr__(self) -> str:
        return (f"TabularModel(target={self.target!r}, task={self.task!r}, inputs={len(self.columns.input_names)}, "
                f"trained={type(self.trained).__name__})")

    # --- model files ---------------------------------------------------------------------
    def _glassnet_state(self) -> tuple[dict, dict]:
        trained_entry, arrays = embed_state(self.trained, "trained.")
        scaler_entry, scaler_arrays = scaler_state(self.scaler_name, self.scaler, "scaler.")
        arrays.update(scaler_arrays)
        range_names = None
        if self.training_range is not None:
            arrays["range.low"] = self.training_range.low
            arrays["range.high"] = self.training_range.high
            range_names = list(self.training_range.names)
        imputation_entry = None
        if self.imputation is not None:
            imputation_entry, imputation_arrays = self.imputation.state("imputer.")
            arrays.update(imputation_arrays)
        state = {
            "target": self.target,
            "task": self.task,
            "columns": {"features": self.columns.features, "numeric": self.columns.numeric,
                        "categories": self.columns.categories},
            "scaler": scaler_entry,
            "trained": trained_entry,
            "target_encoding": self.target_encoding.state(),
            "training_range": range_names,
            "settings": self.settings,
            "report": self.report,
            "imputer": imputation_entry,
            "id_column": self.id_column,
        }
        return state, arrays

    @classmethod
    def _from_glassnet_state(cls, state: dict, arrays: dict) -> "TabularModel":
        from .legacy import legacy_trained

        if state["task"] not in ("classify", "regress"):
            raise ValueError(f"unknown task {state['task']!r}; expected 'classify' or 'regress'")
        columns = Columns(**state["columns"])
        names = [*columns.features, *columns.numeric, *columns.categories,
                 *(value for values in columns.categories.values() for value in values)]
        if not all(isinstance(name, str) for name in names) or not set(columns.numeric) <= set(columns.features):
            raise ValueError("the columns must be names (text), the numeric ones among the features")
        arrays = StateArrays.of(arrays)
        if "trained" in state:
            trained = embedded_object(state["trained"], arrays, "trained.")
            target_encoding = target_encoding_from_state(state["target_encoding"])
        else:  # written before the target encoding was the model's own
            trained, target_encoding = legacy_trained(state, arrays)
        if not isinstance(target_encoding, TARGET_ENCODINGS.get(state["task"])):
            raise ValueError(f"a {state['task']} model cannot have the target encoding {target_encoding!r}")
        names = state["training_range"]
        training_range = None
        if names is not None:
            low, high = (arrays.take(name, shape=(len(names),), kind="f") for name in ("range.low", "range.high"))
            training_range = TrainingRange(low, high, tuple(map(str, names)))
        expected = len(columns.input_names)
        # files written before imputation and identifiers existed have neither
        imputation = None
        if state.get("imputer") is not None:
            imputation = Imputation.from_state(state["imputer"], arrays, "imputer.", len(columns.numeric))
            filled = (len(imputation.numeric_values), len(imputation.text_values))
            if filled != (len(columns.numeric), len(columns.categories)):
                raise ValueError(f"the imputer fills {filled[0]} numeric and {filled[1]} text columns but the "
                                 f"model has {len(columns.numeric)} and {len(columns.categories)}")
        id_column = state.get("id_column")
        if id_column is not None and not isinstance(id_column, str):
            raise ValueError(f"the identifier column must be a name, got {id_column!r}")
        return cls(target=state["target"], task=state["task"], columns=columns, scaler_name=state["scaler"]["name"],
                   scaler=scaler_from_state(state["scaler"], arrays, "scaler.", expected), trained=trained,
                   target_encoding=target_encoding, training_range=training_range,
                   settings=loaded_settings(state["settings"]),
                   report=state["report"], imputation=imputation, id_column=id_column)


# the table model answers glassnet's model protocol (the tools trace, check and diagnose it through
# its adapter), and model files name it "tabular"
register(TabularModel, TabularAdapter, kind="tabular")

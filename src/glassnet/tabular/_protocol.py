"""How a table model (:class:`~glassnet.tabular.TabularModel`) answers
glassnet's model protocol (see :mod:`glassnet.protocol`): its raw inputs are a
DataFrame of the table's text cells, which its own preprocessing (parsing,
filling, one-hot encoding, scaling) turns into the network's inputs; its
targets are the table's target column, encoded by its target encoding (class
labels, or a standardised value); it watches extrapolation in the file's own
units. Whichever model it trained (an estimator, a NeuralNetwork), the
network and the encodings are the table model's own."""

from __future__ import annotations

import numpy as np

from ..engine.learner import Learner
from ..engine.training_range import TrainingRange
from ..protocol import ModelAdapter, Rows

__all__ = ["TabularAdapter"]

_SOURCE = "the data"


class TabularAdapter(ModelAdapter):
    kind = "TabularModel"

    @property
    def learner(self) -> Learner:
        return self.model.learner

    def _frame(self, frame):
        if not hasattr(frame, "columns"):
            raise ValueError(
                f"a model written by 'glassnet train' takes a table (a pandas DataFrame with the columns "
                f"{', '.join(self.model.columns.features)}), got {type(frame).__name__}"
            )
        return frame

    def encode(self, frame, y=None) -> Rows:
        model = self.model
        frame = self._frame(frame)
        X = np.asarray(model.inputs(frame, _SOURCE), dtype=np.float64)
        if y is None and model.target in frame.columns:
            y = model.labels(frame, _SOURCE)  # the table's own target column
        if y is None:
            return Rows(X)
        Y = np.asarray(model.targets(y), dtype=np.float64)
        if Y.shape[0] != X.shape[0]:
            raise ValueError(f"X has {X.shape[0]} rows but y has {Y.shape[0]}; expected the same number")
        return Rows(X, Y, y, np.asarray(y) if model.task == "classify" else None)

    def sample(self, x, y=None) -> Rows:
        if hasattr(x, "to_frame") and getattr(x, "ndim", 0) == 1:
            x = x.to_frame().T  # a pandas row of the table
        frame = self._frame(x)
        if len(frame) != 1:
            raise ValueError(f"x has {len(frame)} rows; expected one sample: a single row of the table")
        X = np.asarray(self.model.inputs(frame, _SOURCE), dtype=np.float64)
        Y = None if y is None else np.asarray(self.model.targets([y]), dtype=np.float64)
        return Rows(X, Y, y)

    def decode(self, outputs):
        return self.model.decode(outputs)

    def probabilities(self, outputs):
        return self.model.probabilities(outputs)

    @property
    def feature_names(self) -> tuple[str, ...]:
        return tuple(self.model.columns.features)

    @property
    def input_names(self) -> tuple[str, ...]:
        return tuple(self.model.columns.input_names)

    @property
    def classes(self):
        return self.model.classes_

    @property
    def is_classifier(self) -> bool:
        return self.model.task == "classify"

    @property
    def extrapolation(self) -> str:
        return "warn"

    @property
    def training_range(self) -> TrainingRange | None:
        training_range = self.learner.training_range
        if training_range is None:
            return None
        return TrainingRange(training_range.low, training_range.high, self.input_names)

    @property
    def raw_range(self) -> TrainingRange | None:
        # the numeric columns in the file's units (text columns have no range)
        return self.model.training_range

    def extrapolation_rows(self, frame):
        encoded = self.model.encode(self._frame(frame), _SOURCE)
        return self.model.training_range, encoded.numbers[encoded.usable]

    @property
    def class_weight(self):
        return getattr(self.model.trained, "class_weight", None)

    @property
    def scales_inputs(self) -> bool:
        return self.model.scaler is not None

    @property
    def door(self) -> str:
        """The page's controls for a model the playground trained, else glassnet train's flags."""
        return self.model.door

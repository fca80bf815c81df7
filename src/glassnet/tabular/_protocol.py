"""How the command line's table model answers glassnet's model protocol (see
:mod:`glassnet.protocol`): its raw inputs are a DataFrame of the table's
text cells, which its own preprocessing (parsing, filling, one-hot
encoding, scaling) turns into the network's inputs; its target is the
table's target column; it watches extrapolation in the file's own units."""

from __future__ import annotations

from ..engine.learner import Learner
from ..engine.training_range import TrainingRange
from ..protocol import ModelAdapter, Rows, adapt

__all__ = ["TabularAdapter"]

_SOURCE = "the data"


class TabularAdapter(ModelAdapter):
    kind = "TabularModel"

    @property
    def inner(self) -> ModelAdapter:
        """The adapter of the trained model the table model holds."""
        return adapt(self.model.estimator, self.action)

    @property
    def learner(self) -> Learner:
        return self.inner.learner

    def _frame(self, frame):
        if not hasattr(frame, "columns"):
            raise ValueError(
                f"a model written by 'glassnet train' takes a table (a pandas DataFrame with the columns "
                f"{', '.join(self.model.columns.features)}), got {type(frame).__name__}"
            )
        return frame

    def _targets(self, frame, y):
        """The given targets, else the table's own target column when it has one."""
        if y is None and self.model.target in frame.columns:
            return self.model.labels(frame, _SOURCE)
        return y

    def encode(self, frame, y=None) -> Rows:
        frame = self._frame(frame)
        y = self._targets(frame, y)
        rows = self.inner.encode(self.model.inputs(frame, _SOURCE), y)
        return Rows(rows.X, rows.Y, y, rows.labels)

    def sample(self, x, y=None) -> Rows:
        if hasattr(x, "to_frame") and getattr(x, "ndim", 0) == 1:
            x = x.to_frame().T  # a pandas row of the table
        frame = self._frame(x)
        if len(frame) != 1:
            raise ValueError(f"x has {len(frame)} rows; expected one sample: a single row of the table")
        return self.inner.sample(self.model.inputs(frame, _SOURCE)[0], y)

    def decode(self, outputs):
        return self.inner.decode(outputs)

    def probabilities(self, outputs):
        return self.inner.probabilities(outputs)

    @property
    def feature_names(self) -> tuple[str, ...]:
        return tuple(self.model.columns.features)

    @property
    def input_names(self) -> tuple[str, ...]:
        return tuple(self.model.columns.input_names)

    @property
    def classes(self):
        return self.inner.classes

    @property
    def is_classifier(self) -> bool:
        return self.model.task == "classify"

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
        return self.inner.class_weight

    @property
    def scales_inputs(self) -> bool:
        return self.model.scaler is not None

"""Rows outside the training range: one short warning per fitted model, and
the full detail on request.

``predict`` (and ``predict_proba``, ``score`` ...) calls
:func:`warn_extrapolation`, which warns once per fitted model: the first
call that meets rows outside the training range issues one
:class:`~glassnet.ExtrapolationWarning` of one line, naming the count of
rows and the worst feature; later calls stay silent until the model is
trained again (``fit``, ``partial_fit``, ``train``), which makes it a new
fitted model. A warning that fired on every fold of every search would be
switched off, and then it would help nobody. ``extrapolation="ignore"`` on
the model turns it off for that model alone.

:func:`explain_extrapolation` gives every feature's detail for any rows,
whenever asked: an :class:`ExtrapolationReport`.
"""

from __future__ import annotations

import contextlib
import contextvars
import math
import warnings
import weakref
from dataclasses import dataclass, field


from .._stack import user_stacklevel
from ..engine.training_range import Excursion, ExtrapolationWarning, TrainingRange
from ..protocol import adapt

__all__ = ["ExtrapolationReport", "explain_extrapolation", "warn_extrapolation", "EXTRAPOLATION_SETTINGS",
           "check_extrapolation_setting", "silenced"]

EXTRAPOLATION_SETTINGS = ("warn", "ignore")

# model -> weak reference to the training range it last warned about: a new
# range object (every training call makes one) means a new fitted model
_WARNED: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


# set inside glassnet's own calls that reach past the range on purpose
_SILENCED = contextvars.ContextVar("glassnet_extrapolation_silenced", default=False)


@contextlib.contextmanager
def silenced():
    """Predictions inside neither warn nor use up the model's one warning.

    For glassnet's own calls that go beyond the training range on purpose
    (a decision boundary's grid, the command line's own count in the file's
    units), so that the user's next ``predict`` still warns.
    """
    token = _SILENCED.set(True)
    try:
        yield
    finally:
        _SILENCED.reset(token)


def check_extrapolation_setting(value) -> str:
    if not isinstance(value, str) or value not in EXTRAPOLATION_SETTINGS:
        raise ValueError(f"unknown extrapolation {value!r}; expected one of: {', '.join(EXTRAPOLATION_SETTINGS)}")
    return value


def _rows(n: int) -> str:
    return f"{n} row" + ("" if n == 1 else "s")


def _severity(excursion: Excursion) -> tuple[float, int]:
    """How far outside, in widths of the range (infinite for a constant feature), then rows."""
    distance = max(excursion.most_below, excursion.most_above)
    width = excursion.high - excursion.low
    return (distance / width if width > 0 else math.inf), excursion.rows


@dataclass(frozen=True)
class ExtrapolationReport:
    """Which rows of ``X`` leave the training range, feature by feature.

    ``n_rows`` rows of ``n_total`` lie outside on some feature;
    ``excursions`` holds an :class:`~glassnet.engine.training_range.Excursion`
    per feature outside (its range, rows below and above, and the largest
    distance on each side), in feature order. ``str(report)`` is the full
    text, one line per feature; :meth:`summary` the one-line warning.
    """

    n_rows: int
    n_total: int
    excursions: list = field(default_factory=list)

    @property
    def worst(self) -> Excursion | None:
        """The feature furthest outside, in widths of its range (then by rows)."""
        return max(self.excursions, key=_severity) if self.excursions else None

    def summary(self) -> str:
        """E.g. ``2 of 6 rows are outside the training range; worst x[:, 2]: up to 9 above [0, 1]``."""
        if self.worst is None:
            return f"all {_rows(self.n_total)} are inside the training range"
        worst = self.worst
        side, distance = ("above", worst.most_above) if worst.most_above >= worst.most_below else ("below", worst.most_below)
        verb = "is" if self.n_rows == 1 else "are"
        return (f"{self.n_rows} of {_rows(self.n_total)} {verb} outside the training range; worst {worst.name}: "
                f"up to {distance:.4g} {side} [{worst.low:.4g}, {worst.high:.4g}]")

    def __str__(self) -> str:
        return "\n".join([self.summary(), *(f"  {excursion.describe()}" for excursion in self.excursions)])

    def to_frame(self):
        """One row per feature outside, as a pandas DataFrame."""
        import pandas as pd

        columns = ["feature", "name", "low", "high", "rows_below", "rows_above", "most_below", "most_above"]
        return pd.DataFrame([[getattr(item, column) for column in columns] for item in self.excursions], columns=columns)


def explain_extrapolation(model, X) -> ExtrapolationReport:
    """Every feature on which rows of ``X`` leave ``model``'s training range.

    ``model``: any glassnet model (see :mod:`glassnet.protocol`): a
    :class:`~glassnet.NeuralNetwork`, a fitted estimator, a scikit-learn
    ``Pipeline`` ending in one (``X`` is transformed by the steps before it,
    and the network's inputs are named by their ``get_feature_names_out``),
    or a command-line model with a table of text cells (its numeric columns
    in the file's units). ``X`` is validated as ``predict`` validates it.
    Raises ``ValueError`` for a model that has not been trained.
    """
    training_range, rows = adapt(model, "explain_extrapolation").extrapolation_rows(X)
    if training_range is None:
        raise ValueError(f"this {type(model).__name__} has no training range yet: train it first")
    n_rows, excursions = training_range.excursions(rows)
    return ExtrapolationReport(n_rows, rows.shape[0], excursions)


def warn_extrapolation(model, X, training_range: TrainingRange | None = None) -> ExtrapolationWarning | None:
    """Warn, once per fitted model, when rows of ``X`` (already validated)
    lie outside the model's training range; returns the warning issued.

    Nothing happens with ``model.extrapolation == "ignore"``, before
    training, or after this fitted model has warned once.
    """
    if _SILENCED.get():
        return None
    adapter = adapt(model, "predict")
    if adapter.extrapolation == "ignore":
        return None
    if training_range is None:
        training_range = adapter.training_range
    if training_range is None:
        return None
    # the Learner's TrainingRange is a new object after every training call,
    # so it identifies the fitted model
    token = adapter.learner.training_range
    warned = _WARNED.get(model)
    if warned is not None and token is not None and warned() is token:
        return None
    n_rows, excursions = training_range.excursions(X)
    if not excursions:
        return None
    report = ExtrapolationReport(n_rows, X.shape[0], excursions)
    warning = ExtrapolationWarning(
        f"{report.summary()}; see glassnet.explain_extrapolation(model, X)", n_rows, X.shape[0], excursions)
    warnings.warn(warning, stacklevel=user_stacklevel())
    if token is not None:
        _WARNED[model] = weakref.ref(token)
    return warning

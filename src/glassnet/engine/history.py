"""What training remembers from epoch to epoch: the :class:`History` of
per-epoch records, and the one :class:`EarlyStopping` rule that reads them
(stopping on a plateau and keeping the best weights, for every solver)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .metrics import METRICS

__all__ = ["History", "EarlyStopping"]


class History:
    """One record (a dict of figures) per completed epoch.

    ``history["loss"]`` is the column of one figure across epochs. Records are
    appended whole, so an interrupt never leaves the columns out of step.
    """

    def __init__(self):
        self.records: list[dict] = []

    def append(self, record: dict) -> None:
        self.records.append(record)

    def __getitem__(self, key: str) -> list[float]:
        return [record[key] for record in self.records if key in record]

    def __contains__(self, key: str) -> bool:
        return bool(self.records) and key in self.records[-1]

    def __len__(self) -> int:
        return len(self.records)

    def keys(self) -> list[str]:
        return list(self.records[-1]) if self.records else []

    def as_dict(self) -> dict[str, list[float]]:
        return {key: self[key] for key in self.keys()}

    def __repr__(self) -> str:
        return f"History({len(self)} epochs, keys={self.keys()})"


@dataclass
class EarlyStopping:
    """The one stopping rule of a training run, for every solver: stop when
    ``monitor`` has not improved by more than ``tol`` for more than
    ``patience`` epochs in a row (scikit-learn's ``n_iter_no_change`` rule;
    ``patience=math.inf`` never stops), and keep the weights of the best
    epoch to put back at the end (``restore_best``).

    ``monitor`` and ``restore_by`` are history keys: ``"loss"``,
    ``"val_loss"`` or ``"val_<metric>"``. Whether larger is better follows
    the metric. The best weights are those of the best ``restore_by``
    figure (default: ``monitor``). The two differ in scikit-learn's rule,
    where ``n_iter_no_change`` and ``tol`` watch the training loss while
    ``restore_best_weights`` with validation data keeps the epoch of the
    best validation score.

    A :class:`~glassnet.engine.learner.Learner` owns the rule: its
    :meth:`~glassnet.engine.learner.Learner.fit_epochs` and
    :meth:`~glassnet.engine.learner.Learner.fit_lbfgs` call :meth:`update`
    after each epoch or iteration and :meth:`restore` once at the end of the
    call. The best figures, the count and the best weights carry from one
    call to the next.
    """

    monitor: str = "val_loss"
    patience: float = 10
    tol: float = 1e-4
    restore_best: bool = True
    restore_by: str | None = None
    # the best monitored figure, the epoch it was reached and the epochs since
    best: float = field(default=math.nan, init=False)
    best_epoch: int = field(default=0, init=False)
    wait: int = field(default=0, init=False)
    # the best restore_by figure and its epoch, when restore_by is another figure
    kept: float = field(default=math.nan, init=False)
    kept_epoch: int = field(default=0, init=False)
    _snapshot: np.ndarray | None = field(default=None, init=False, repr=False)

    @property
    def restore_figure(self) -> str:
        """The figure whose best epoch's weights :meth:`restore` puts back."""
        return self.restore_by if self.restore_by is not None else self.monitor

    @property
    def restored_epoch(self) -> int:
        """The epoch whose weights :meth:`restore` puts back (0: none seen)."""
        return self.best_epoch if self.restore_figure == self.monitor else self.kept_epoch

    @property
    def greater_is_better(self) -> bool:
        return _greater_is_better(self.monitor)

    def reset(self) -> None:
        self.best = -math.inf if self.greater_is_better else math.inf
        self.best_epoch = 0
        self.wait = 0
        self.forget_best_weights()

    def forget_best_weights(self) -> None:
        """Start the search for the best weights afresh (the count stays)."""
        self.kept = -math.inf if _greater_is_better(self.restore_figure) else math.inf
        self.kept_epoch = 0
        self._snapshot = None

    def update(self, record: dict, params: np.ndarray) -> bool:
        """Count this epoch; True when patience has run out."""
        if math.isnan(self.best):
            self.reset()
        value = _figure(record, self.monitor)
        sign = 1.0 if self.greater_is_better else -1.0
        # improvement must beat the best by more than tol to reset the count
        if sign * (value - self.best) <= self.tol:
            self.wait += 1
        else:
            self.wait = 0
        if sign * (value - self.best) > 0:
            self.best = value
            self.best_epoch = record["epoch"]
            if self.restore_figure == self.monitor:
                if self.restore_best:
                    self._keep(params)
                else:
                    # weights kept earlier are no longer the best ones
                    self._snapshot = None
        if self.restore_best and self.restore_figure != self.monitor:
            value = _figure(record, self.restore_figure)
            sign = 1.0 if _greater_is_better(self.restore_figure) else -1.0
            if math.isnan(self.kept):
                self.forget_best_weights()
            if sign * (value - self.kept) > 0:
                self.kept = value
                self.kept_epoch = record["epoch"]
                self._keep(params)
        return self.wait > self.patience

    def _keep(self, params: np.ndarray) -> None:
        if self._snapshot is None or self._snapshot.shape != params.shape:
            self._snapshot = params.copy()
        else:
            np.copyto(self._snapshot, params)

    def restore(self, params: np.ndarray) -> bool:
        """Put the best weights back; False when there are none to restore."""
        if not self.restore_best or self._snapshot is None:
            return False
        np.copyto(params, self._snapshot)
        return True


def _greater_is_better(figure: str) -> bool:
    name = figure.removeprefix("val_")
    return name in METRICS and METRICS.get(name).greater_is_better


def _figure(record: dict, key: str) -> float:
    if key not in record:
        raise ValueError(
            f"early stopping monitors {key!r}, which training does not record; recorded: {', '.join(record)}"
        )
    return record[key]

"""What training remembers from epoch to epoch: the :class:`History` of
per-epoch records, and the :class:`EarlyStopping` rule that reads them."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .metrics import METRICS

__all__ = ["History", "EarlyStopping", "best_weights_tracker"]


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
    """Stop when ``monitor`` has not improved by more than ``tol`` for more
    than ``patience`` epochs in a row (scikit-learn's ``n_iter_no_change``
    rule), then optionally put back the best weights.

    ``monitor`` is a history key: ``"loss"``, ``"val_loss"`` or
    ``"val_<metric>"``. Whether larger is better follows the metric.
    """

    monitor: str = "val_loss"
    patience: int = 10
    tol: float = 1e-4
    restore_best: bool = True
    best: float = field(default=math.nan, init=False)
    best_epoch: int = field(default=0, init=False)
    wait: int = field(default=0, init=False)
    _snapshot: np.ndarray | None = field(default=None, init=False, repr=False)

    @property
    def greater_is_better(self) -> bool:
        name = self.monitor.removeprefix("val_")
        return name in METRICS and METRICS.get(name).greater_is_better

    def reset(self) -> None:
        self.best = -math.inf if self.greater_is_better else math.inf
        self.best_epoch = 0
        self.wait = 0
        self._snapshot = None

    def update(self, record: dict, params: np.ndarray) -> bool:
        """Count this epoch; True when patience has run out."""
        if math.isnan(self.best):
            self.reset()
        if self.monitor not in record:
            raise ValueError(
                f"early stopping monitors {self.monitor!r}, which training does not record; "
                f"recorded: {', '.join(record)}"
            )
        value = record[self.monitor]
        sign = 1.0 if self.greater_is_better else -1.0
        # improvement must beat the best by more than tol to reset the count
        if sign * (value - self.best) <= self.tol:
            self.wait += 1
        else:
            self.wait = 0
        if sign * (value - self.best) > 0:
            self.best = value
            self.best_epoch = record["epoch"]
            if self.restore_best:
                if self._snapshot is None:
                    self._snapshot = params.copy()
                else:
                    np.copyto(self._snapshot, params)
        return self.wait > self.patience

    def restore(self, params: np.ndarray) -> bool:
        """Put the best weights back; False when there are none to restore."""
        if not self.restore_best or self._snapshot is None:
            return False
        np.copyto(params, self._snapshot)
        return True


def best_weights_tracker(monitor: str, restore: bool) -> EarlyStopping:
    """An EarlyStopping rule that never stops and only remembers the weights
    of the best epoch by ``monitor`` (restored with ``.restore(params)``)."""
    tracker = EarlyStopping(monitor, patience=math.inf, restore_best=restore)
    tracker.reset()
    return tracker

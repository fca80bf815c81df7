"""An optimiser's training state in a model file, so that training resumes
exactly where it stopped.

The constructor arguments alone would rebuild a fresh optimiser: Adam's
moments at zero and its step count at 0 (so a large bias-corrected first
step), SGD's velocity at zero, a schedule's rate back at its start. The
state therefore also holds the step count, the current learning rate and
the arrays carried between steps, each checked against the parameter vector
before use.
"""

from __future__ import annotations

import math

import numpy as np

from .optimizers import OPTIMIZERS, Optimizer
from .state_arrays import StateArrays

__all__ = ["optimizer_state", "optimizer_from_state", "ARRAY_PREFIX"]

ARRAY_PREFIX = "optimizer_"


def optimizer_state(optimizer: Optimizer) -> tuple[dict, dict]:
    """``(meta, arrays)``: JSON-ready settings and position, numeric arrays."""
    meta = {
        "name": optimizer.name,
        "config": optimizer.config(),
        "steps": int(optimizer.steps),
        "learning_rate": float(optimizer.learning_rate),
    }
    arrays = {ARRAY_PREFIX + name: array.copy() for name, array in optimizer.state_arrays().items()}
    return meta, arrays


def optimizer_from_state(meta: dict, arrays: dict, params: np.ndarray) -> Optimizer:
    """The optimiser :func:`optimizer_state` described, for ``params``.

    Raises ValueError when the state is malformed or does not fit ``params``.
    """
    try:
        cls = OPTIMIZERS.get(meta["name"])
        optimizer = cls(**meta["config"])
        steps, rate = meta["steps"], meta["learning_rate"]
    except (KeyError, TypeError) as error:
        raise ValueError(f"the optimiser state is malformed ({type(error).__name__}: {error})") from None
    if not isinstance(steps, int) or isinstance(steps, bool) or steps < 0:
        raise ValueError(f"the optimiser's step count must be an integer >= 0, got {steps!r}")
    if not isinstance(rate, (int, float)) or isinstance(rate, bool) or not math.isfinite(rate) or rate < 0:
        raise ValueError(f"the optimiser's learning rate must be a finite number >= 0, got {rate!r}")
    arrays = StateArrays.of(arrays)
    names = {key[len(ARRAY_PREFIX):] for key in arrays if key.startswith(ARRAY_PREFIX)}
    if names and names != set(cls.STATE_ARRAYS):
        raise ValueError(
            f"the {cls.name} optimiser keeps the arrays {', '.join(cls.STATE_ARRAYS)}; "
            f"the file holds {', '.join(sorted(names))}"
        )
    # each shaped like the parameters, checked before it is read
    state = {name: arrays.take(ARRAY_PREFIX + name, shape=params.shape, dtype=params.dtype) for name in sorted(names)}
    for name, array in state.items():
        if not np.isfinite(array).all():
            raise ValueError(f"the optimiser's {name!r} array holds values that are not finite")
    optimizer.steps = steps
    optimizer.learning_rate = float(rate)
    optimizer.set_state_arrays(state)
    return optimizer

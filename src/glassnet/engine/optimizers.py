"""Optimisers that update one flat parameter vector in place.

The network keeps every weight and bias in a single contiguous array, and its
gradient in another of the same shape, so an optimiser step is a handful of
whole-array passes with no Python loop over layers, or a single pass with the
numba kernels (see :mod:`glassnet.engine.kernels`). The update rules are
scikit-learn's MLP rules, operation for operation, so the same gradients give
the same parameters to the last bit.

Learning-rate schedules (``constant``, ``invscaling``, ``adaptive``) are small
objects registered by name; the training loop tells the optimiser when an
epoch ends and when the monitored figure stops improving.
"""

from __future__ import annotations

import numpy as np

from . import kernels
from .._registry import Registry

__all__ = ["Optimizer", "SGD", "Adam", "OPTIMIZERS", "SCHEDULES", "make_optimizer"]


# --- learning-rate schedules -----------------------------------------------
class Constant:
    """Keep the initial learning rate; stop when progress stalls."""

    name = "constant"

    def epoch_end(self, optimizer, samples_seen):
        pass

    def on_plateau(self, optimizer) -> bool:
        return True


class InvScaling(Constant):
    """``lr = lr0 / (t + 1) ** power_t`` with t the number of samples seen."""

    name = "invscaling"

    def epoch_end(self, optimizer, samples_seen):
        optimizer.learning_rate = optimizer.learning_rate_init / (samples_seen + 1) ** optimizer.power_t


class Adaptive(Constant):
    """Divide the learning rate by 5 each time progress stalls; stop below 1e-6."""

    name = "adaptive"
    floor = 1e-6
    factor = 5.0

    def on_plateau(self, optimizer) -> bool:
        if optimizer.learning_rate <= self.floor:
            return True
        optimizer.learning_rate /= self.factor
        return False


SCHEDULES: Registry[type] = Registry("learning-rate schedule")
for _schedule in (Constant, InvScaling, Adaptive):
    SCHEDULES.register(_schedule.name, _schedule)


# --- optimisers --------------------------------------------------------------
class Optimizer:
    """Base class: holds the learning rate and its schedule.

    ``step(params, grads)`` updates ``params`` in place. ``epoch_end`` and
    ``on_plateau`` are called by the training loop; ``on_plateau`` returns True
    when training should stop.
    """

    name = "optimizer"
    # the arrays kept from step to step, in the order _buffers holds them
    STATE_ARRAYS: tuple[str, ...] = ()

    def __init__(self, learning_rate=0.001, schedule="constant", power_t=0.5):
        self.learning_rate_init = float(learning_rate)
        self.learning_rate = float(learning_rate)
        self.power_t = float(power_t)
        self.schedule = SCHEDULES.get(schedule)()
        self.steps = 0

    def step(self, params: np.ndarray, grads: np.ndarray) -> None:
        raise NotImplementedError

    def epoch_end(self, samples_seen: int) -> None:
        self.schedule.epoch_end(self, samples_seen)

    def on_plateau(self) -> bool:
        return self.schedule.on_plateau(self)

    def config(self) -> dict:
        """The constructor arguments, as plain JSON-ready values."""
        return {"learning_rate": self.learning_rate_init, "schedule": self.schedule.name, "power_t": self.power_t}

    def state_arrays(self) -> dict:
        """The arrays carried between steps (Adam's moments, SGD's velocity),
        by name; empty before the first step."""
        state = getattr(self, "_state", None)
        return {} if state is None else dict(zip(self.STATE_ARRAYS, state))

    def set_state_arrays(self, arrays: dict) -> None:
        """Put back what :meth:`state_arrays` gave (copies are kept)."""
        self._state = [np.array(arrays[name], copy=True) for name in self.STATE_ARRAYS] if arrays else None

    def _buffers(self, params, count):
        """``count`` zeroed arrays shaped like ``params``, made once: the
        optimiser's state first, then the kernel's work arrays."""
        state = getattr(self, "_state", None)
        if state is None or state[0].shape != params.shape or state[0].dtype != params.dtype:
            state = self._state = [np.zeros_like(params) for _ in range(count)]
        elif len(state) < count:  # a kernel path that needs more work arrays
            state += [np.zeros_like(params) for _ in range(count - len(state))]
        # the state arrays come first; extra work arrays are never read
        return state

    def __repr__(self) -> str:
        return f"{type(self).__name__}(learning_rate={self.learning_rate_init!r}, schedule={self.schedule.name!r})"


class SGD(Optimizer):
    """Stochastic gradient descent with optional (Nesterov) momentum.

    velocity ← momentum·velocity − lr·g; the step is the velocity, or with
    Nesterov momentum·velocity − lr·g. With momentum 0 and lr 1 this is the
    article's plain ``W += −g``.
    """

    name = "sgd"
    STATE_ARRAYS = ("velocity",)

    def __init__(self, learning_rate=0.1, momentum=0.0, nesterov=False, schedule="constant", power_t=0.5):
        super().__init__(learning_rate, schedule, power_t)
        if not 0.0 <= momentum <= 1.0:
            raise ValueError(f"momentum must be in [0, 1], got {momentum!r}")
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)

    def config(self) -> dict:
        return {**super().config(), "momentum": self.momentum, "nesterov": self.nesterov}

    def state_arrays(self) -> dict:
        # without momentum the velocity is never read: nothing to carry
        return super().state_arrays() if self.momentum else {}

    def step(self, params, grads):
        self.steps += 1
        kernel = kernels.active()
        velocity, *scratch = self._buffers(params, 1 + kernel.SGD_SCRATCH)
        kernel.sgd_step(params, grads, velocity, scratch, self.learning_rate, self.momentum, self.nesterov)

    def __repr__(self) -> str:
        return (
            f"SGD(learning_rate={self.learning_rate_init!r}, momentum={self.momentum!r}, "
            f"nesterov={self.nesterov!r}, schedule={self.schedule.name!r})"
        )


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2014) with the bias correction folded into the rate:
    lr_t = lr·sqrt(1 − β₂ᵗ)/(1 − β₁ᵗ), step = −lr_t·m/(sqrt(v) + ε)."""

    name = "adam"
    STATE_ARRAYS = ("m", "v")

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-8, schedule="constant", power_t=0.5):
        super().__init__(learning_rate, schedule, power_t)
        for label, beta in (("beta_1", beta_1), ("beta_2", beta_2)):
            if not 0.0 <= beta < 1.0:
                raise ValueError(f"{label} must be in [0, 1), got {beta!r}")
        self.beta_1 = float(beta_1)
        self.beta_2 = float(beta_2)
        self.epsilon = float(epsilon)

    def config(self) -> dict:
        return {**super().config(), "beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon}

    def step(self, params, grads):
        self.steps += 1
        kernel = kernels.active()
        m, v, *scratch = self._buffers(params, 2 + kernel.ADAM_SCRATCH)
        b1, b2 = self.beta_1, self.beta_2
        rate = self.learning_rate * np.sqrt(1 - b2**self.steps) / (1 - b1**self.steps)
        kernel.adam_step(params, grads, m, v, scratch, rate, b1, b2, self.epsilon)

    def __repr__(self) -> str:
        return (
            f"Adam(learning_rate={self.learning_rate_init!r}, beta_1={self.beta_1!r}, "
            f"beta_2={self.beta_2!r}, epsilon={self.epsilon!r})"
        )


OPTIMIZERS: Registry[type] = Registry("optimizer")
OPTIMIZERS.register("sgd", SGD)
OPTIMIZERS.register("adam", Adam)


def make_optimizer(optimizer, learning_rate=None, **options) -> Optimizer:
    """An :class:`Optimizer` from a name (with options) or an instance as is."""
    if isinstance(optimizer, Optimizer):
        return optimizer
    cls = OPTIMIZERS.get(optimizer)
    if learning_rate is not None:
        options["learning_rate"] = learning_rate
    return cls(**options)

"""Optimisers that update one flat parameter vector in place.

The network keeps every weight and bias in a single contiguous array, and its
gradient in another of the same shape, so an optimiser step is a handful of
whole-array passes with no Python loop over layers, or a single pass with the
numba kernels (see :mod:`glassnet.engine.kernels`). The update rules are
scikit-learn's MLP rules, operation for operation, so the same gradients give
the same parameters to the last bit.

Learning-rate schedules are small objects registered by name (see
:mod:`.schedules`); the training loop tells the optimiser when a call
starts (:meth:`Optimizer.begin`), when an epoch ends and when the monitored
figure stops improving.

Three training rules sit in every optimiser, each off by default (and then
the step is exactly the one above):

* ``warmup_epochs``: the rate rises linearly, ``r·(k + 1)/W`` in epoch k
  of the first W, before any schedule (Goyal et al., 2017), to the rate r
  the schedule starts at (lr0, or lr0/25 for one_cycle), so it never jumps;
* ``clip_grad_norm``: the whole gradient is scaled by
  ``c / (‖g‖ + 1e-6)`` when its norm ‖g‖ exceeds c, as PyTorch's
  ``clip_grad_norm_`` does; each step's norm before clipping is kept for
  the history (:meth:`take_grad_norms`);
* ``weight_decay``: decoupled weight decay (Loshchilov & Hutter, 2019),
  applied as PyTorch's AdamW applies it: before the update, the weights
  shrink by the current rate times the decay, ``w ← w·(1 − lr·wd)``. For
  plain SGD (no momentum) this is PyTorch's SGD ``weight_decay``; with
  momentum it is SGDW, kept out of the velocity. Only the part of the
  parameters the caller passes as ``decayed`` shrinks (the network's
  weights, not its biases, scales or shifts), unlike ``l2``/``alpha``,
  which adds to the gradient and so passes through Adam's scaling.

Which epoch of a run an epoch is: with ``schedule_epochs`` set the run is
the optimiser's whole life (epoch k is the k-th it has trained), so training
in pieces follows the schedule of one run; without it each training call is
a run of its own epochs (:meth:`begin`), the schedule starting again with
each call, as a warm restart.
"""

from __future__ import annotations

import math

import numpy as np

from . import kernels
from .._registry import Registry
from .schedules import SCHEDULES

__all__ = ["Optimizer", "SGD", "Adam", "OPTIMIZERS", "SCHEDULES", "make_optimizer", "CLIP_EPSILON"]

# added to the norm before dividing, as PyTorch's clip_grad_norm_ does
CLIP_EPSILON = 1e-6


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

    def __init__(self, learning_rate=0.001, schedule="constant", power_t=0.5, *, weight_decay=0.0,
                 clip_grad_norm=None, warmup_epochs=0, schedule_epochs=None):
        self.learning_rate_init = float(learning_rate)
        self.learning_rate = float(learning_rate)
        self.power_t = float(power_t)
        self.schedule = SCHEDULES.get(schedule)()
        self.steps = 0
        if not (math.isfinite(weight_decay) and weight_decay >= 0):
            raise ValueError(f"weight_decay must be a finite number >= 0, got {weight_decay!r}")
        if clip_grad_norm is not None and not (math.isfinite(clip_grad_norm) and clip_grad_norm > 0):
            raise ValueError(f"clip_grad_norm must be a number > 0 or None, got {clip_grad_norm!r}")
        for name, value, low in (("warmup_epochs", warmup_epochs, 0), ("schedule_epochs", schedule_epochs, 1)):
            if value is not None and (isinstance(value, bool) or int(value) != value or value < low):
                raise ValueError(f"{name} must be an integer >= {low}, got {value!r}")
        self.weight_decay = float(weight_decay)
        self.clip_grad_norm = None if clip_grad_norm is None else float(clip_grad_norm)
        self.warmup_epochs = int(warmup_epochs)
        self.schedule_epochs = None if schedule_epochs is None else int(schedule_epochs)
        # epochs trained, and where the current run of the schedule started and how long it is
        self.epochs = 0
        self.run_start = 0
        self.run_epochs = self.schedule_epochs
        # whether the rate depends on the epoch's place in the run
        self._timed = bool(self.warmup_epochs) or self.schedule.shaped
        # whether a step does more than the update (clipping, decay)
        self._extras = self.clip_grad_norm is not None or bool(self.weight_decay)
        self._grad_norms: list[float] = []
        if self._timed:
            self._set_rate()

    def step(self, params: np.ndarray, grads: np.ndarray, decayed: np.ndarray | None = None) -> None:
        """Update ``params`` in place from ``grads``. ``decayed``: the part of
        ``params`` weight decay shrinks (default: all of it)."""
        raise NotImplementedError

    def _before_update(self, params, grads, decayed) -> None:
        """Clip the gradient and decay the weights, as the module docstring says."""
        if self.clip_grad_norm is not None:
            wide = grads if grads.dtype == np.float64 else grads.astype(np.float64)
            norm = math.sqrt(float(np.dot(wide, wide)))
            self._grad_norms.append(norm)
            if norm > self.clip_grad_norm:
                grads *= grads.dtype.type(self.clip_grad_norm / (norm + CLIP_EPSILON))
        if self.weight_decay:
            target = params if decayed is None else decayed
            target *= target.dtype.type(1.0 - self.learning_rate * self.weight_decay)

    def take_grad_norms(self) -> list[float]:
        """The gradient norms before clipping of the steps since the last call (empty without clipping)."""
        norms, self._grad_norms = self._grad_norms, []
        return norms

    # --- the schedule ---------------------------------------------------------------
    def begin(self, epochs: int) -> None:
        """A training call of ``epochs`` epochs starts: without
        ``schedule_epochs`` it is a run of its own, and a timed schedule (a
        warm-up, cosine, one_cycle) starts again from its first epoch."""
        if self._timed and self.schedule_epochs is None:
            self.run_start, self.run_epochs = self.epochs, int(epochs)
            self._set_rate()

    def set_base_rate(self, learning_rate: float) -> None:
        """A new base rate from the next step on (a live edit): a constant
        schedule steps at it; a timed one (a warm-up, cosine, one_cycle) goes
        on from the epoch reached with it as its base, so the rate takes the
        schedule's value there rather than jumping to the base."""
        self.learning_rate_init = self.learning_rate = float(learning_rate)
        if self._timed:
            self._set_rate()

    def epoch_end(self, samples_seen: int) -> None:
        self.epochs += 1
        self.schedule.epoch_end(self, samples_seen)
        if self._timed:
            self._set_rate()

    def _set_rate(self) -> None:
        """The rate of the next epoch, from its place in the run."""
        epoch = self.epochs - self.run_start
        warmup = self.warmup_epochs
        remaining = None if self.run_epochs is None else self.run_epochs - warmup
        if epoch < warmup:
            # up to the schedule's first rate (one_cycle's starts low), so the
            # rate never jumps; (k + 1)/W first: the last warm-up factor is exactly 1
            target = self.schedule.rate(self.learning_rate_init, 0, remaining)
            self.learning_rate = target * ((epoch + 1) / warmup)
        elif self.schedule.shaped:
            self.learning_rate = self.schedule.rate(self.learning_rate_init, epoch - warmup, remaining)

    def on_plateau(self) -> bool:
        return self.schedule.on_plateau(self)

    def config(self) -> dict:
        """The constructor arguments, as plain JSON-ready values (the
        training rules only when set)."""
        config = {"learning_rate": self.learning_rate_init, "schedule": self.schedule.name, "power_t": self.power_t}
        for name, value, default in (("weight_decay", self.weight_decay, 0.0),
                                     ("clip_grad_norm", self.clip_grad_norm, None),
                                     ("warmup_epochs", self.warmup_epochs, 0),
                                     ("schedule_epochs", self.schedule_epochs, None)):
            if value != default:
                config[name] = value
        return config

    def schedule_state(self) -> dict:
        """Where the schedule stands: epochs trained and the current run (for model files)."""
        return {"epochs": self.epochs, "run_start": self.run_start, "run_epochs": self.run_epochs}

    def set_schedule_state(self, state: dict) -> None:
        """Put back what :meth:`schedule_state` gave."""
        self.epochs, self.run_start, self.run_epochs = state["epochs"], state["run_start"], state["run_epochs"]

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

    def __init__(self, learning_rate=0.1, momentum=0.0, nesterov=False, schedule="constant", power_t=0.5,
                 **rules):
        super().__init__(learning_rate, schedule, power_t, **rules)
        if not 0.0 <= momentum <= 1.0:
            raise ValueError(f"momentum must be in [0, 1], got {momentum!r}")
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)

    def config(self) -> dict:
        return {**super().config(), "momentum": self.momentum, "nesterov": self.nesterov}

    def state_arrays(self) -> dict:
        # without momentum the velocity is never read: nothing to carry
        return super().state_arrays() if self.momentum else {}

    def step(self, params, grads, decayed=None):
        self.steps += 1
        if self._extras:
            self._before_update(params, grads, decayed)
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

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-8, schedule="constant", power_t=0.5,
                 **rules):
        super().__init__(learning_rate, schedule, power_t, **rules)
        for label, beta in (("beta_1", beta_1), ("beta_2", beta_2)):
            if not 0.0 <= beta < 1.0:
                raise ValueError(f"{label} must be in [0, 1), got {beta!r}")
        self.beta_1 = float(beta_1)
        self.beta_2 = float(beta_2)
        self.epsilon = float(epsilon)

    def config(self) -> dict:
        return {**super().config(), "beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon}

    def step(self, params, grads, decayed=None):
        self.steps += 1
        if self._extras:
            self._before_update(params, grads, decayed)
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

"""Learning-rate schedules: a registry of name -> schedule class.

An optimiser holds one schedule and asks it, at the end of every epoch,
what the next epoch's rate is, and what to do when progress stalls:

``constant``
    the initial rate throughout; a plateau stops training.
``invscaling``
    ``lr0 / (t + 1) ** power_t``, t the samples seen (scikit-learn's).
``adaptive``
    the rate divided by 5 at each plateau; training stops once it is below
    1e-6 (scikit-learn's).
``cosine``
    ``lr0 · ½(1 + cos(π·k/n))`` at epoch k of n (Loshchilov & Hutter's
    annealing, without restarts; PyTorch's ``CosineAnnealingLR`` stepped per
    epoch with ``T_max = n``): from lr0 down towards 0.
``one_cycle``
    Smith & Topin's one cycle, as PyTorch's ``OneCycleLR`` stepped per
    epoch with its defaults: a cosine rise from lr0/25 to lr0 over the first
    30% of the n epochs, then a cosine fall to lr0/25/10⁴. (The momentum is
    not cycled.)

The last two are *shaped*: the rate is a function of the epoch's place k in
a run of n epochs (:meth:`rate`), with n the estimators' ``max_iter`` or
``NeuralNetwork``'s ``schedule_epochs`` (see
:class:`~glassnet.engine.optimizers.Optimizer` for how a run is counted and
for the linear warm-up that may come first). Beyond n epochs the rate stays
at the last epoch's.
"""

from __future__ import annotations

import math

from .._registry import Registry

__all__ = ["SCHEDULES", "Constant", "InvScaling", "Adaptive", "Cosine", "OneCycle", "cosine_between"]


class Constant:
    """Keep the initial learning rate; stop when progress stalls."""

    name = "constant"
    # whether the rate is a function of the epoch's place in the run (see rate)
    shaped = False

    def epoch_end(self, optimizer, samples_seen):
        pass

    def on_plateau(self, optimizer) -> bool:
        return True

    def rate(self, initial: float, epoch: int, epochs: int | None) -> float:
        """The rate of ``epoch`` (0-based) in a run of ``epochs`` (None: not known)."""
        return initial


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


def cosine_between(start: float, end: float, progress: float) -> float:
    """Half a cosine from ``start`` (progress 0) to ``end`` (progress 1)."""
    return end + (start - end) / 2.0 * (1.0 + math.cos(math.pi * progress))


class Cosine(Constant):
    """From the initial rate down towards 0 along half a cosine."""

    name = "cosine"
    shaped = True

    def rate(self, initial, epoch, epochs):
        if epochs is None or epochs < 1:
            return initial
        return initial * 0.5 * (1.0 + math.cos(math.pi * min(epoch, epochs - 1) / epochs))


class OneCycle(Constant):
    """Up from lr0/25 to lr0 over the first 30% of the epochs, then down to
    lr0/25/10⁴ (PyTorch's OneCycleLR with its defaults, per epoch)."""

    name = "one_cycle"
    shaped = True
    rising = 0.3
    start_divisor = 25.0
    final_divisor = 1e4

    def rate(self, initial, epoch, epochs):
        if epochs is None or epochs < 1:
            return initial
        start = initial / self.start_divisor
        final = start / self.final_divisor
        epoch = min(epoch, epochs - 1)
        # PyTorch's phase boundaries: the peak at step 0.3·n − 1, the end at n − 1
        peak = self.rising * epochs - 1
        if epoch <= peak:
            return cosine_between(start, initial, epoch / peak if peak > 0 else 1.0)
        return cosine_between(initial, final, (epoch - peak) / (epochs - 1 - peak))


SCHEDULES: Registry[type] = Registry("learning-rate schedule")
for _schedule in (Constant, InvScaling, Adaptive, Cosine, OneCycle):
    SCHEDULES.register(_schedule.name, _schedule)

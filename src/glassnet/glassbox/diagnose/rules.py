"""Checks on the training rules beyond the tutorial: dropout so high that the
network learns next to nothing, a warm-up longer than the run, gradient
clipping that clips every step, batch normalisation on batches too small to
have moments. A model without the rule has nothing to find: the check runs
and finds nothing."""

from __future__ import annotations

import numpy as np

from .registry import check
from .report import Finding

# a dropout rate from which the finding is worth a look; from the second it is
# reported even when the loss gives no evidence
HIGH_DROPOUT = 0.5
EXTREME_DROPOUT = 0.8
# the network learnt next to nothing: its loss is at least this share of a
# constant guess's, or the training loss fell by less than this share
UNDERFIT_SHARE = 0.9
BARELY_FELL = 0.1
# clipping sets the step size when at least this share of the last epochs' steps were clipped
ALWAYS_CLIPPED = 0.99
# batch normalisation's moments over fewer rows than this are mostly noise
FEW_ROWS = 8


def _optimizer(evidence):
    try:
        return evidence.view.learner.optimizer
    except (AttributeError, ValueError):
        return None


@check("dropout")
def dropout(evidence) -> list:
    """A hidden layer dropping half or more of its units, when the network
    has learnt next to nothing (its loss near a constant guess's, or a
    training loss that hardly fell); or dropping 80% or more in any case."""
    rates = evidence.network.dropout
    if not any(rates):
        return []
    worst = int(np.argmax(rates))
    rate = rates[worst]
    if rate < HIGH_DROPOUT:
        return []
    numbers = {"dropout": list(rates), "layer": worst + 1, "kept_share": 1.0 - rate}
    evidence_of_underfit = []
    if evidence.Y is not None and evidence.baseline_loss > 0:
        numbers.update(loss_per_row=evidence.loss, constant_guess_per_row=evidence.baseline_loss)
        share = evidence.loss / evidence.baseline_loss
        if share >= UNDERFIT_SHARE:
            evidence_of_underfit.append(f"its loss on these rows ({evidence.loss:.4g}) is {share:.0%} of a "
                                        "constant guess's")
    history = evidence.view.history
    if history is not None and len(history) >= 2:
        losses = np.asarray(history["loss"], dtype=np.float64)
        fell = (losses[0] - losses.min()) / max(abs(losses[0]), 1e-300)
        numbers.update(first_loss=float(losses[0]), lowest_loss=float(losses.min()))
        if fell < BARELY_FELL:
            evidence_of_underfit.append(f"the training loss fell by {max(fell, 0.0):.0%} in {losses.size} epochs")
    if not evidence_of_underfit and rate < EXTREME_DROPOUT:
        return []
    seen = f": {' and '.join(evidence_of_underfit)}" if evidence_of_underfit else ""
    return [Finding(
        "dropout", "high" if evidence_of_underfit else "medium",
        f"hidden layer {worst + 1} drops {rate:.0%} of its units at every step, so each step trains a network "
        f"{1 - rate:.0%} as wide{seen}",
        "Lower dropout (0.1 to 0.3 is usual for tables), or widen the layer, and train again.",
        numbers, layer=worst + 1)]


@check("warmup")
def warmup(evidence) -> list:
    """A warm-up as long as the run or longer: the learning rate never
    reached the rate asked for, and any schedule after it never ran."""
    optimizer = _optimizer(evidence)
    if optimizer is None or not getattr(optimizer, "warmup_epochs", 0):
        return []
    history = evidence.history
    warmup_epochs = optimizer.warmup_epochs
    trained = optimizer.epochs - optimizer.run_start
    run = optimizer.run_epochs
    rates = history["learning_rate"] if "learning_rate" in history else []
    numbers = {"warmup_epochs": warmup_epochs, "epochs_trained": trained, "run_epochs": run,
               "learning_rate": optimizer.learning_rate_init,
               "highest_rate_used": float(max(rates)) if rates else None}
    longer_than_run = run is not None and warmup_epochs >= run
    if not longer_than_run and trained >= warmup_epochs:
        return []
    if longer_than_run:
        what = f"the warm-up ({warmup_epochs} epochs) is as long as the run ({run} epochs) or longer"
    else:
        what = f"training stopped after {trained} of the warm-up's {warmup_epochs} epochs"
    peak = f" (it peaked at {max(rates):.3g})" if rates else ""
    schedule = "" if not optimizer.schedule.shaped else f", and the {optimizer.schedule.name} schedule never began"
    return [Finding(
        "warmup", "high" if trained < warmup_epochs / 2 else "medium",
        f"{what}: the learning rate never reached {optimizer.learning_rate_init:g}{peak}{schedule}",
        "Make warmup_epochs a small share of the run (5 to 10%), or train for more epochs.", numbers)]


@check("clipping")
def clipping(evidence) -> list:
    """Gradient clipping that clipped (nearly) every step of the last
    epochs: the threshold, not the learning rate, then sets the step size."""
    history = evidence.view.history
    if history is None or "clipped_share" not in history:
        return []
    shares = np.asarray(history["clipped_share"], dtype=np.float64)
    recent = shares[shares.size // 2:]
    if recent.size == 0 or recent.mean() < ALWAYS_CLIPPED:
        return []
    norms = np.asarray(history["grad_norm"], dtype=np.float64)[shares.size // 2:]
    threshold = _optimizer(evidence).clip_grad_norm if _optimizer(evidence) is not None else None
    numbers = {"clip_grad_norm": threshold, "clipped_share": float(recent.mean()),
               "median_grad_norm": float(np.median(norms))}
    return [Finding(
        "clipping", "low",
        f"every step of the last {recent.size} epochs was clipped: the gradient's norm (median {np.median(norms):.3g}) "
        f"is above clip_grad_norm={threshold:g}, so the threshold sets the step size, not the learning rate",
        "Raise clip_grad_norm above the usual gradient norm (it is for the rare large steps), or lower the "
        "learning rate instead.", numbers)]


@check("batch_normalization")
def batch_normalization(evidence) -> list:
    """Batch normalisation trained on batches of a few rows, whose moments
    (and so every normalised value) are mostly noise."""
    normalization = evidence.network.normalization
    if normalization is None or not normalization.running:
        return []
    rows = evidence.view.rows_per_step
    if rows is None or rows >= FEW_ROWS:
        return []
    return [Finding(
        "batch_normalization", "medium",
        f"batch normalisation normalised batches of {rows} row(s): their means and variances are mostly noise, and "
        "the running moments prediction uses are as noisy",
        f"Train with batches of {4 * FEW_ROWS} rows or more, or use normalization='layer', which normalises each "
        "row on its own.", {"rows_per_step": rows})]

"""Checks on the training history: the learning rate, over- and underfitting."""

from __future__ import annotations

import numpy as np

from ...parameters import Fix
from .fixes import lower_rate, raise_rate, scale_inputs
from .registry import Skip, check
from .report import Finding

# the loss ended this much above where it started, or above its minimum
RISING = 0.1
RISING_AFTER_MINIMUM = 0.5
# in the last half of training: at least this share of epochs went up, and the
# loss swung over a range of at least this share of its lowest value
OSCILLATING_SHARE = 0.3
OSCILLATING_RANGE = 0.5
# the loss moved by less than this share over all of training
STALLED = 1e-3
# recorded updates below this share of the weights change nothing that matters
TINY_UPDATE = 1e-6
# the validation loss ended this much above its minimum while the training loss fell
OVERFIT_RISE = 0.1
# the model's loss on the data is at least this share of a constant guess's
UNDERFIT_SHARE = 0.9
# the loss on the rows given is this many times the final training loss, and
# above it by this share of a constant guess's loss
GAP_RATIO = 3.0
GAP_SHARE = 0.25
MIN_EPOCHS = 5
# the last tenth of training (at least MIN_EPOCHS) made more than this share of the loss's descent
STILL_FALLING = 0.1


def _losses(evidence) -> np.ndarray:
    losses = np.asarray(evidence.history["loss"], dtype=np.float64)
    if losses.size < MIN_EPOCHS:
        raise Skip(f"the history has {losses.size} epoch(s); the curves need at least {MIN_EPOCHS}")
    return losses


@check("learning_rate")
def learning_rate(evidence) -> list:
    """Judge the step size from the loss curve: rising or oscillating means
    too large; a loss that does not move, or recorded updates far below
    the weights' size, means too small."""
    losses = _losses(evidence)
    # the rate now, after any schedule lowered it, and the rate training started with
    rate = evidence.view.learning_rate
    rates = evidence.history["learning_rate"] if "learning_rate" in evidence.history else []
    first = float(rates[0]) if rates and rate else None
    numbers = {"learning_rate": rate, "first_loss": float(losses[0]), "lowest_loss": float(losses.min()),
               "final_loss": float(losses[-1]), "epochs": int(losses.size)}
    if first is not None and first != rate:
        numbers["initial_learning_rate"] = first
        lower = (f"Lower the learning rate: it started at {first:g} (the schedule has lowered it to {rate:g} "
                 f"since); start lower, and scale the inputs.")
        fixes = (lower_rate(first), *scale_inputs(evidence))
    else:
        lower = "Lower the learning rate" + (f" (it is {rate:g})" if rate else "") + " and scale the inputs."
        fixes = (lower_rate(rate), *scale_inputs(evidence))
    rose = f"the loss rose from {losses[0]:.4g} (lowest {losses.min():.4g}, epoch {int(losses.argmin()) + 1}) to " \
           f"{losses[-1]:.4g}: the steps overshoot"
    if losses[-1] > (1 + RISING) * losses[0]:
        return [Finding("learning_rate", "high", rose, lower, numbers, fixes=fixes)]
    recent = losses[losses.size // 2:]
    steps = np.diff(recent)
    share_up = float(np.mean(steps > 0)) if steps.size else 0.0
    swing = float((recent.max() - recent.min()) / max(abs(recent.min()), 1e-300))
    if share_up >= OSCILLATING_SHARE and swing >= OSCILLATING_RANGE:
        numbers.update(share_of_epochs_up=share_up, swing=swing)
        return [Finding("learning_rate", "high",
                        f"the loss oscillates: it went up in {share_up:.0%} of the last {steps.size} epochs and "
                        f"swung over {swing:.0%} of its lowest value", lower, numbers, fixes=fixes)]
    if losses[-1] > (1 + RISING_AFTER_MINIMUM) * losses.min():
        return [Finding("learning_rate", "high", rose, lower, numbers, fixes=fixes)]
    moved = abs(losses[0] - losses[-1]) / max(abs(losses[0]), 1e-300)
    history = evidence.history
    updates = history.records[-1].get("layer_update_ratio") if "layer_update_ratio" in history else None
    higher = "Raise the learning rate" + (f" (it is {rate:g})" if rate else "") + "."
    if updates is not None and max(updates) < TINY_UPDATE:
        numbers["update_to_weight"] = [float(u) for u in updates]
        return [Finding("learning_rate", "medium",
                        f"each step changes the weights by less than {TINY_UPDATE:g} of their size "
                        f"(largest {max(updates):.2g}), too little to matter", higher, numbers,
                        fixes=(raise_rate(rate),))]
    if losses.size >= 2 * MIN_EPOCHS and moved < STALLED:
        numbers["relative_change"] = float(moved)
        return [Finding("learning_rate", "medium",
                        f"the loss moved by {moved:.2g} of its value in {losses.size} epochs: the steps are too "
                        "small to matter (or the gradient vanishes)", higher, numbers, fixes=(raise_rate(rate),))]
    return []


@check("fit")
def fit(evidence) -> list:
    """Over- and underfitting: the validation curve rising while the training
    loss falls; the loss on the data given far above the training loss; the
    model hardly better than a constant guess; or training stopped while
    the loss was still falling fast."""
    history = evidence.view.history
    trained = history is not None and len(history) > 0
    validated = trained and "val_loss" in history
    if evidence.Y is None and not trained:
        raise Skip("neither targets nor a training history to judge the fit by")
    findings = []
    if validated and len(history) >= MIN_EPOCHS:
        findings += _validation_curve(history)
    if evidence.Y is not None:
        findings += _against_baseline(evidence, history if trained else None)
    # with validation data the stop is the validation curve's call, not the training loss's
    if trained and not findings and not validated and len(history) >= 2 * MIN_EPOCHS:
        findings += _still_falling(np.asarray(history["loss"], dtype=np.float64))
    return findings


def _validation_curve(history) -> list:
    val = np.asarray(history["val_loss"], dtype=np.float64)
    train = np.asarray(history["loss"], dtype=np.float64)
    best = int(np.argmin(val))
    rise = (val[-1] - val[best]) / max(abs(val[best]), 1e-300)
    if rise > OVERFIT_RISE and train[-1] < train[best] and best < val.size - 2:
        return [Finding("fit", "medium",
                        f"overfitting: the validation loss was lowest at epoch {best + 1} ({val[best]:.4g}) and rose "
                        f"{rise:.0%} to {val[-1]:.4g} while the training loss kept falling",
                        "Stop earlier (keeping the best epoch's weights), add an L2 penalty, or use more data.",
                        {"best_epoch": best + 1, "best_val_loss": float(val[best]), "final_val_loss": float(val[-1]),
                         "final_train_loss": float(train[-1])},
                        fixes=(Fix("early stopping", True), Fix("restore_best_weights", True),
                               Fix("l2", verb="raise")))]
    return []


def _still_falling(train) -> list:
    window = max(MIN_EPOCHS, train.size // 10)
    total = train[0] - train[-1]
    # a share of the whole descent, so that a loss creeping towards zero (its
    # relative drop stays large) does not count as still falling
    share = (train[-window] - train[-1]) / total if total > 0 else 0.0
    if share > STILL_FALLING:
        return [Finding("fit", "low",
                        f"training stopped while the loss was still falling: the last {window} epochs made "
                        f"{share:.0%} of its whole descent",
                        "Train for more epochs, until the loss levels off.",
                        {"last_epochs": window, "share_of_descent": float(share), "final_loss": float(train[-1])},
                        fixes=(_more_epochs(train),))]
    return []


def _more_epochs(history) -> Fix:
    """Twice the epochs trained so far."""
    return Fix("epochs", 2 * len(history), verb="raise")


def _against_baseline(evidence, history) -> list:
    loss, baseline = evidence.loss, evidence.baseline_loss
    numbers = {"loss_per_row": loss, "constant_guess_per_row": baseline}
    if baseline > 0 and loss >= UNDERFIT_SHARE * baseline:
        return [Finding("fit", "high" if loss >= baseline else "medium",
                        f"underfitting: the loss on these rows ({loss:.4g}) is {loss / baseline:.0%} of a constant "
                        f"guess's ({baseline:.4g}); the network has learnt next to nothing",
                        "Train longer, with a larger learning rate or network, once any learning-rate, scaling or "
                        "saturation problem listed here is fixed.", numbers,
                        fixes=(_more_epochs(history),) if history is not None else ())]
    # a summed training loss cannot be compared per row without the training set's size
    if history is not None and "loss" in history and evidence.network.reduction == "mean":
        per_row = float(history["loss"][-1])
        if loss > GAP_RATIO * per_row and loss - per_row > GAP_SHARE * baseline:
            numbers["final_training_loss_per_row"] = per_row
            return [Finding("fit", "medium",
                            f"the loss on these rows ({loss:.4g}) is {loss / per_row:.1f} times the final training "
                            f"loss ({per_row:.4g}): the model does much worse on them than on its training rows",
                            "If these rows are new data, the model overfits (add an L2 penalty, stop earlier, get more "
                            "data) or they come from elsewhere than the training rows.", numbers,
                            fixes=(Fix("l2", verb="raise"), Fix("early stopping", True)))]
    return []

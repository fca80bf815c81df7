"""Check on the gradient's flow through the layers: vanishing or exploding."""

from __future__ import annotations

import numpy as np

from ...parameters import Fix
from .fixes import lower_rate, scale_inputs
from .registry import Skip, check
from .report import Finding

# a step that changes a layer's weights by more than their own size
TOO_LARGE_UPDATE = 1.0
# the first layer's gradient (relative to its weights) against the last's
VANISHING = 1e-3
EXPLODING = 1e3
# a layer whose gradient (per row, as for a mean loss) is this many times its weights
EXPLODING_NORM = 1e2


def _norm(array) -> float:
    return float(np.linalg.norm(np.asarray(array, dtype=np.float64)))


def relative_gradients(evidence) -> tuple[list, list, list]:
    """``(gradient norms, weight norms, ratios ‖∂L/∂W‖ / ‖W‖)`` per layer,
    the gradients those of the mean loss over the rows (a summed loss's
    divided by their number), so that figures compare across data sizes."""
    rows = evidence.X.shape[0] if evidence.network.reduction == "sum" else 1
    grads = [_norm(g) / rows for g in evidence.weight_gradients]
    weights = [_norm(W) for W in evidence.network.weights]
    ratios = [g / w if w > 0 else float("inf") for g, w in zip(grads, weights)]
    return grads, weights, ratios


@check("gradient_flow")
def gradient_flow(evidence) -> list:
    """Per layer, the gradient against the weights (‖∂L/∂W‖ / ‖W‖, per row)
    and the update-to-weight ratio of a step. Exploding: a gradient that is
    not finite, a hundred times the weights, or a thousand times the output
    layer's (relative to the weights), or steps larger than the weights.
    Vanishing: a hidden layer's relative gradient a thousandth of the
    output layer's or less, so the early layers barely learn."""
    evidence.needs_targets()
    if evidence.network.n_layers < 2:
        raise Skip("the network has no hidden layer")
    grads, weights, ratios = relative_gradients(evidence)
    numbers = {"gradient_norms": grads, "weight_norms": weights, "gradient_to_weight": ratios}
    updates = update_ratios(evidence, ratios)
    if updates is not None:
        numbers["update_to_weight"] = updates
    rate = evidence.view.learning_rate
    if not all(np.isfinite(grads)):
        return [Finding("gradient_flow", "high", "the gradient is not finite in some layer",
                        "Lower the learning rate and scale the inputs.", numbers,
                        fixes=(lower_rate(rate), *scale_inputs(evidence)))]
    findings = []
    if updates is not None and max(updates) > TOO_LARGE_UPDATE:
        l = int(np.argmax(updates)) + 1
        findings.append(Finding(
            "gradient_flow", "high",
            f"each step changes layer {l}'s weights by {max(updates):.3g} times their own size, so training "
            "jumps about instead of descending",
            "Lower the learning rate (by 10x or more) and scale the inputs.", numbers, layer=l,
            fixes=(lower_rate(rate), *scale_inputs(evidence))))
    worst = int(np.argmax(ratios))
    if ratios[worst] > EXPLODING_NORM:
        findings.append(Finding(
            "gradient_flow", "high",
            f"the gradient explodes: layer {worst + 1}'s gradient is {ratios[worst]:.3g} times its weights",
            "Use a smaller initialisation, scale the inputs, or lower the learning rate.",
            numbers, layer=worst + 1, fixes=(Fix("init", "glorot"), *scale_inputs(evidence), lower_rate(rate))))
        return findings
    last = ratios[-1]
    if last == 0:
        return findings
    for l, ratio in enumerate(ratios[:-1], 1):
        factor = ratio / last
        if factor < VANISHING:
            findings.append(Finding(
                "gradient_flow", "medium" if factor > VANISHING**2 else "high",
                f"the gradient vanishes towards the input: hidden layer {l} gets {factor:.2g} of the output "
                "layer's gradient relative to its weights",
                "Use ReLU-like activations, He's or Glorot's initialisation, fewer layers, or scaled inputs.",
                {**numbers, "ratio_to_output_layer": factor}, layer=l,
                fixes=(Fix("hidden activation", "relu"), Fix("init", "he"), *scale_inputs(evidence))))
            break
        if factor > EXPLODING:
            findings.append(Finding(
                "gradient_flow", "high",
                f"the gradient explodes towards the input: hidden layer {l} gets {factor:.3g} times the output "
                "layer's gradient relative to its weights",
                "Use a smaller initialisation, a lower learning rate, or fewer layers.",
                {**numbers, "ratio_to_output_layer": factor}, layer=l,
                fixes=(Fix("init", "glorot"), lower_rate(rate))))
            break
    return findings


def update_ratios(evidence, gradient_ratios) -> list | None:
    """‖ΔW‖ / ‖W‖ of a step, per layer: the last recorded epoch's
    (``record_stats=True``), else for plain gradient descent the step
    learning_rate · ‖∂L/∂W‖ / ‖W‖ would make now; None when unknown."""
    history = evidence.view.history
    if history is not None and "layer_update_ratio" in history:
        return [float(value) for value in history.records[-1]["layer_update_ratio"]]
    if evidence.view.optimizer != "sgd" or evidence.view.learning_rate is None:
        return None
    scale = evidence.view.learning_rate
    if evidence.network.reduction == "sum":
        # the gradient on X sums its rows; a step sums over its own rows
        rows = evidence.view.rows_per_step or evidence.X.shape[0]
        scale *= rows
    return [scale * ratio for ratio in gradient_ratios]

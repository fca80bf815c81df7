"""Checks on the hidden units: dead ReLUs, saturated logistic and tanh units."""

from __future__ import annotations

import numpy as np

from ...engine.stats import RELU_LIKE, SATURATED_SHARE, SATURATION_Z, saturation_applies
from ...parameters import Fix
from .fixes import lower_rate, scale_inputs
from .registry import check
from .report import Finding

# a layer is reported when at least this share of its units is affected
REPORTED_SHARE = 0.1
# and it is serious when at least this share is
SERIOUS_SHARE = 0.5


def _severity(share: float) -> str:
    return "high" if share >= SERIOUS_SHARE else "medium"


@check("dead_units")
def dead_units(evidence) -> list:
    """ReLU-like hidden units that are never active (a ≤ 0) on any row of X:
    no gradient reaches their incoming weights, so they never recover."""
    network = evidence.network
    findings = []
    for l, ((Z, _), activation) in enumerate(zip(evidence.layers[:-1], network.activations[:-1]), 1):
        if activation.name not in RELU_LIKE:
            continue
        dead = np.flatnonzero((Z <= 0).all(axis=0))
        share = dead.size / Z.shape[1]
        if dead.size and share >= REPORTED_SHARE:
            findings.append(Finding(
                "dead_units", _severity(share),
                f"{dead.size} of {Z.shape[1]} {activation.name} units of hidden layer {l} are never active on "
                f"the {Z.shape[0]} rows, so their weights get no gradient",
                "Lower the learning rate, use a leaky ReLU or an ELU, or initialise with He's scheme and small "
                "positive biases.",
                {"dead_units": int(dead.size), "units": int(Z.shape[1]), "dead_share": share,
                 "rows": int(Z.shape[0]), "which": dead.tolist()},
                layer=l,
                fixes=(lower_rate(evidence.view.learning_rate), Fix("hidden activation", "leaky_relu"),
                       Fix("init", "he"), Fix("bias", True)),
            ))
    return findings


def _cross_entropy(network) -> Fix:
    """The cross-entropy for the network's outputs: binary for one, categorical for several."""
    return Fix("loss", "binary_crossentropy" if network.n_outputs == 1 else "categorical_crossentropy")


@check("saturated_units")
def saturated_units(evidence) -> list:
    """Logistic or tanh units with |z| > 4 on more than 95% of the rows: their
    slope, and so the gradient through them, is nearly zero. The output
    layer counts too unless the loss is computed from its logits (then the
    gradient p − y does not pass through the slope)."""
    network = evidence.network
    fused = network.loss.fused_with == network.activations[-1].name
    findings = []
    for l, ((Z, _), activation) in enumerate(zip(evidence.layers, network.activations), 1):
        output = l == network.n_layers
        if not saturation_applies(activation.name) or (output and fused):
            continue
        share_of_rows = np.mean(np.abs(Z) > SATURATION_Z, axis=0)
        saturated = np.flatnonzero(share_of_rows > SATURATED_SHARE)
        share = saturated.size / Z.shape[1]
        if saturated.size and (output or share >= REPORTED_SHARE):
            where = "the output layer" if output else f"hidden layer {l}"
            findings.append(Finding(
                "saturated_units", _severity(share),
                f"{saturated.size} of {Z.shape[1]} {activation.name} units of {where} have |z| > {SATURATION_Z:g} on "
                f"more than {SATURATED_SHARE:.0%} of the rows, where their slope is nearly zero",
                "Scale the inputs, lower the learning rate, or use a smaller initialisation"
                + (" or a cross-entropy loss, whose gradient does not vanish at a saturated output." if output else "."),
                {"saturated_units": int(saturated.size), "units": int(Z.shape[1]), "saturated_share": share,
                 "median_abs_z": float(np.median(np.abs(Z))), "which": saturated.tolist()},
                layer=l,
                fixes=(*scale_inputs(evidence), lower_rate(evidence.view.learning_rate), Fix("init", "glorot"),
                       *((_cross_entropy(network),) if output else ())),
            ))
    return findings

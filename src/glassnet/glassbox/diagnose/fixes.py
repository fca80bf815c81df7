"""The fixes the checks suggest most often, as settings of the parameter
table (each door phrases them: ``--learning-rate 0.001``,
``learning_rate_init=0.001``, "lower the Learning rate to 0.001")."""

from __future__ import annotations

from ...parameters import ANY, Fix

__all__ = ["rounded", "lower_rate", "raise_rate", "scale_inputs"]


def rounded(value: float) -> float:
    """``value`` to three significant digits: 0.1 / 10 is suggested as 0.01, not 0.010000000000000002."""
    return float(f"{value:.3g}")


def lower_rate(rate: float | None, factor: float = 10.0) -> Fix:
    """A learning rate ``factor`` times lower (a lower one, when the rate is unknown)."""
    return Fix("learning rate", rounded(rate / factor) if rate else ANY, verb="lower")


def raise_rate(rate: float | None, factor: float = 10.0) -> Fix:
    """A learning rate ``factor`` times higher (a higher one, when the rate is unknown)."""
    return Fix("learning rate", rounded(rate * factor) if rate else ANY, verb="raise")


def scale_inputs(evidence) -> tuple:
    """Scaling as a setting, for a model that does not scale its own inputs
    (a table model's scaler; in Python, a scaler before the model); none for a model that does."""
    if evidence.view.scales_inputs:
        return ()
    return (Fix("scaler", "standard"),)

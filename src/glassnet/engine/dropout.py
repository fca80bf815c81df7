"""Inverted dropout on hidden activations (Srivastava et al., 2014).

While training, each hidden unit's output is kept with probability 1 − p
and scaled by 1/(1 − p), or set to 0: ``D = A ⊙ M`` with the mask
``M = [U ≥ p] / (1 − p)``, U uniform on [0, 1). The scaling keeps every
unit's expected output what it is without dropout, so prediction uses the
network as it is, with no mask and no rescaling. Backward, the gradient
with respect to A is the one with respect to D times the same mask.

The uniforms come from the generator the training run is given (the
Learner's, which also shuffles the rows): for each batch, after that
epoch's row order, one ``(rows, width)`` draw per dropout layer, from the
first hidden layer to the last. The sequence of draws is therefore fixed
by the seed and the epochs trained, not by how the epochs are split into
calls, and training in pieces draws the masks one run would. They are drawn
in float64 whatever the network's dtype, so a float32 and a float64 network
see the same masks.
"""

from __future__ import annotations

import numpy as np

__all__ = ["check_rates", "draw_mask"]


def check_rates(dropout, n_hidden: int) -> list[float]:
    """One rate per hidden layer from a rate or a list of rates; ValueError
    naming the value when a rate is outside [0, 1) or the list has another length."""
    if isinstance(dropout, (list, tuple, np.ndarray)):
        rates = [float(rate) for rate in dropout]
        if len(rates) != n_hidden:
            raise ValueError(f"dropout has {len(rates)} rates for {n_hidden} hidden layer(s); give one rate or "
                             f"one per hidden layer")
    else:
        rates = [float(dropout)] * n_hidden
    for rate in rates:
        if not 0.0 <= rate < 1.0:
            raise ValueError(f"dropout must be a rate in [0, 1) or one per hidden layer, got {dropout!r}")
    return rates


def draw_mask(rng, rate: float, out: np.ndarray) -> np.ndarray:
    """Draw one mask of ``out``'s shape into ``out``: 1/(1 − rate) where the
    unit is kept, 0 where it is dropped. ``rng`` is a numpy Generator or
    RandomState (scikit-learn's estimators pass theirs)."""
    uniforms = rng.random(out.shape)
    np.multiply(uniforms >= rate, out.dtype.type(1.0 / (1.0 - rate)), out=out)
    return out

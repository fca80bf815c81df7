"""Normalisation of a hidden layer's pre-activations: a registry of
name -> :class:`Normalization` ("batch" and "layer").

A normalised hidden layer computes, after its affine map ``P = A_prev·W + b``
and before its activation,

    mean, var = moments of P              (biased: divided by the count)
    inv = 1 / sqrt(var + ε)               ε = EPSILON
    Ẑ = (P − mean)·inv                    Z = γ·Ẑ + β              A = f(Z)

with a scale γ and a shift β per unit, both trained (they sit in the
network's flat parameter vector after the biases). The two differ in what
the moments run over:

* **batch** (Ioffe & Szegedy, 2015): over the rows of the batch, per unit.
  Training normalises each batch by its own moments and keeps running
  moments (``running ← (1 − m)·running + m·batch``, m = MOMENTUM, the
  variance biased as Keras keeps it) that prediction uses instead, so that
  a prediction depends on its row alone;
* **layer** (Ba, Kiros & Hinton, 2016): over the units of each row, so
  training and prediction compute the same thing and nothing is kept.

Backward, for the training form (the moments depend on P), with n the count
the moments ran over and dZ = ∂L/∂Z:

    ∂L/∂γ = Σ_rows dZ⊙Ẑ      ∂L/∂β = Σ_rows dZ      dẐ = dZ⊙γ
    ∂L/∂P = inv·(dẐ − mean(dẐ) − Ẑ⊙mean(dẐ⊙Ẑ))     (means along the moments' axis)

and for batch normalisation's inference form (running moments, constants
with respect to P) simply ∂L/∂P = dZ⊙γ·inv. The functions here are pure and
write into the arrays they are given; the network keeps the buffers.

With sample weights, batch normalisation weighs each row's share of the
moments as the loss weighs its share of the loss (scikit-learn's rule: a
row of weight 2 is that row twice): with w the weights over their sum,
mean = Σ w·P, var = Σ w·(P − mean)², and backward

    ∂L/∂P_k = inv·(dẐ_k − w_k·Σ_rows dẐ − w_k·Ẑ_k·Σ_rows dẐ⊙Ẑ)

which is the formula above when every w is 1/n.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._registry import Registry

__all__ = ["Normalization", "NORMALIZATIONS", "get_normalization", "EPSILON", "MOMENTUM", "moments",
           "normalize", "backward", "frozen_backward", "update_running"]

# ε under the square root, PyTorch's and Keras's default: keeps a unit whose
# pre-activation is constant over the batch (var 0) finite
EPSILON = 1e-5
# the share of each batch's moments that enters the running moments (PyTorch's 0.1)
MOMENTUM = 0.1


@dataclass(frozen=True)
class Normalization:
    """One kind of normalisation: ``axis`` is the axis its moments run over
    (0: the batch's rows, per unit; 1: the layer's units, per row);
    ``running`` says whether it keeps running moments for prediction."""

    name: str
    axis: int
    running: bool

    def __repr__(self) -> str:
        return f"Normalization({self.name!r})"


NORMALIZATIONS: Registry[Normalization] = Registry("normalization")
NORMALIZATIONS.register("batch", Normalization("batch", axis=0, running=True))
NORMALIZATIONS.register("layer", Normalization("layer", axis=1, running=False))


def get_normalization(name) -> Normalization | None:
    """The registered normalisation of ``name``; None for None."""
    if name is None or isinstance(name, Normalization):
        return name
    return NORMALIZATIONS.get(name)


def row_weights(sample_weight, dtype) -> np.ndarray | None:
    """Sample weights as the shares of a batch's moments, a column (n, 1)
    summing to 1; None without weights."""
    if sample_weight is None:
        return None
    weights = np.asarray(sample_weight, dtype=dtype).reshape(-1, 1)
    return weights / weights.sum()


def moments(P: np.ndarray, axis: int, weights=None) -> tuple[np.ndarray, np.ndarray]:
    """``(mean, var)`` of P along ``axis``, kept as a row (axis 0) or a
    column (axis 1). The variance is the mean squared deviation from the
    mean (two passes: no cancellation between E[P²] and E[P]²). ``weights``
    (a column from :func:`row_weights`) weigh the rows of a batch's moments."""
    if weights is None or axis == 1:
        mean = np.mean(P, axis=axis, keepdims=True)
        deviation = P - mean
        deviation *= deviation
        return mean, np.mean(deviation, axis=axis, keepdims=True)
    mean = np.add.reduce(weights * P, axis=0, keepdims=True)
    deviation = P - mean
    deviation *= deviation
    deviation *= weights
    return mean, np.add.reduce(deviation, axis=0, keepdims=True)


def normalize(P, mean, var, gamma, beta, hat, out) -> np.ndarray:
    """Ẑ = (P − mean)·inv into ``hat`` and Z = γ·Ẑ + β into ``out``; returns inv."""
    inv = var + P.dtype.type(EPSILON)
    np.sqrt(inv, out=inv)
    np.divide(1, inv, out=inv)
    np.subtract(P, mean, out=hat)
    hat *= inv
    np.multiply(hat, gamma, out=out)
    out += beta
    return inv


def backward(dZ, hat, inv, gamma, axis, grad_gamma, grad_beta, out, weights=None) -> np.ndarray:
    """∂L/∂P of the training form into ``out`` (which may be ``dZ``), and
    ∂L/∂γ, ∂L/∂β into their gradient views (see the module docstring);
    ``weights`` are the rows' shares of the moments, when weighted."""
    np.add.reduce(dZ * hat, axis=0, out=grad_gamma)
    np.add.reduce(dZ, axis=0, out=grad_beta)
    dhat = np.multiply(dZ, gamma, out=out)
    if weights is None or axis == 1:
        mean_dhat = np.mean(dhat, axis=axis, keepdims=True)
        mean_dhat_hat = np.mean(dhat * hat, axis=axis, keepdims=True)
        dhat -= mean_dhat
        dhat -= hat * mean_dhat_hat
    else:
        total = np.add.reduce(dhat, axis=0, keepdims=True)
        total_hat = np.add.reduce(dhat * hat, axis=0, keepdims=True)
        dhat -= weights * (total + hat * total_hat)
    dhat *= inv
    return dhat


def frozen_backward(dZ, hat, inv, gamma, grad_gamma, grad_beta, out) -> np.ndarray:
    """∂L/∂P when the moments are constants (batch normalisation's inference
    form): dZ⊙γ·inv, with ∂L/∂γ and ∂L/∂β as in :func:`backward`."""
    np.add.reduce(dZ * hat, axis=0, out=grad_gamma)
    np.add.reduce(dZ, axis=0, out=grad_beta)
    np.multiply(dZ, gamma, out=out)
    out *= inv
    return out


def update_running(running_mean, running_var, mean, var) -> None:
    """Fold one batch's moments into the running ones (exponential moving average)."""
    keep = running_mean.dtype.type(1.0 - MOMENTUM)
    share = running_mean.dtype.type(MOMENTUM)
    running_mean *= keep
    running_mean += share * mean.reshape(-1)
    running_var *= keep
    running_var += share * var.reshape(-1)

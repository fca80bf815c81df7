"""Gradient checking: the analytic gradient against finite differences,
judged with the finite differences' own error in mind.

For every parameter w the numerical derivative is a central difference
refined by Richardson extrapolation,

    D(h) = (L(w + h) − L(w − h)) / 2h,      n = D(h) + (D(h) − D(2h)) / 3,

whose truncation error is O(h⁴) instead of D(h)'s O(h²). Every estimate
carries an error bound τ: the truncation error, estimated as
|D(h) − D(2h)|, plus the rounding error, about ε·|L|/h (ε the float64
machine epsilon), times a safety factor. Two steps are tried, h = 1e-3 and
1e-4 (times max(1, |w|)), and each parameter keeps the estimate with the
smaller bound: the larger step wins where rounding dominates (flat,
saturated regions), the smaller one where curvature does.

Agreement is judged like ``torch.autograd.gradcheck``, with an absolute
and a relative tolerance, the absolute one raised to the finite
differences' own error:

    |a_i − n_i| ≤ atol + τ_i + rtol · s,     s = max_i max(|a_i|, |n_i|)

The number :func:`check_gradients` returns is the largest disagreement the
finite differences can resolve, relative to the gradient's scale,

    max_i max(0, |a_i − n_i| − atol − τ_i) / s,

so it is 0 for gradients that agree to within the differences' noise,
below ``rtol`` (1e-6) when they agree, and near 1e-2 for a gradient that
is 1% wrong. Gradients far below the noise (those of a saturated network,
1e-9 to 1e-18) therefore no longer give a false alarm: the elementwise
relative error of such components measures the noise, not the gradient.

The loss checked is the training loss of the training pass. A network with
batch normalisation normalises the rows checked by their own moments (which
depend on every parameter below), and one with dropout applies masks drawn
once, from ``numpy.random.default_rng(seed)``, and held fixed while the
parameters are perturbed: the finite differences then differentiate the
same function the analytic gradient belongs to. The scales and shifts of
the normalised layers are checked with the weights and biases.

Kinks (relu and leaky_relu at z = 0, the absolute error at its target)
break the bound: a difference whose points straddle one measures the jump.
Steps whose outer points put some unit (or output) on different sides of
a kink are dropped; where both steps are, 1e-6 and then 1e-8 are tried, and
a parameter with a kink within all of them is left unjudged (counted in
the detailed table).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np

from .._typing import ArrayLike
from ..engine.losses import reduce_per_sample
from ..protocol import adapt

__all__ = ["check_gradients", "GradientCheck", "ParameterGroupCheck", "numerical_gradient", "relative_error"]

# steps tried, relative to max(1, |w|); the fallbacks only where every
# regular step straddles a kink
STEPS = (1e-3, 1e-4)
FALLBACK_STEPS = (1e-6, 1e-8)
# how far the error bound τ is stretched beyond its estimate
SAFETY = 4.0
_EPS = float(np.finfo(np.float64).eps)


def numerical_gradient(network, X, Y, sample_weight=None, step: float = 1e-6) -> np.ndarray:
    """Plain central-difference gradient of ``network.loss_value`` over ``params``."""
    params = network.params
    numeric = np.zeros_like(params, dtype=np.float64)
    for i in range(params.size):
        original = params[i]
        h = step * max(1.0, abs(float(original)))
        params[i] = original + h
        plus = network.loss_value(X, Y, sample_weight)
        params[i] = original - h
        minus = network.loss_value(X, Y, sample_weight)
        params[i] = original
        numeric[i] = (plus - minus) / (2 * h)
    return numeric


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """``max|a − n| / max(max|a|, max|n|)``; 0 when both are exactly zero."""
    scale = max(float(np.max(np.abs(analytic), initial=0.0)), float(np.max(np.abs(numeric), initial=0.0)))
    if scale == 0.0:
        return 0.0
    return float(np.max(np.abs(analytic - numeric)) / scale)


def extrapolated_gradient(network, X, Y, sample_weight=None, steps=STEPS, masks=None) -> tuple[np.ndarray, np.ndarray]:
    """``(numeric, bound)``: Richardson-extrapolated central differences and
    their error bound τ, per parameter (see the module docstring).

    A difference whose points straddle a kink (a relu unit changing side
    of zero, an absolute error crossing its target) measures the kink, not
    the derivative, and its bound cannot see that when the kink is close to
    w; such steps are dropped, and the smaller :data:`FALLBACK_STEPS` tried.
    A parameter with a kink within every step keeps ``bound = inf``: it is
    not judged. ``masks`` are the fixed dropout masks of the training pass.
    """
    params = network.params
    kinks = _kinks(network)
    numeric = np.zeros(params.size)
    bound = np.full(params.size, np.inf)
    for i in range(params.size):
        original = float(params[i])
        for step in (*steps, *FALLBACK_STEPS):
            if step in FALLBACK_STEPS and np.isfinite(bound[i]):
                break  # the fallbacks are only for parameters every regular step left unjudged
            h = step * max(1.0, abs(original))
            values, sides = [], []
            for offset in (h, -h, 2 * h, -2 * h):
                params[i] = original + offset
                loss, side = _loss_and_sides(network, X, Y, sample_weight, kinks, masks)
                values.append(loss)
                sides.append(side)
            params[i] = original
            if sides[2] is not None and not np.array_equal(sides[2], sides[3]):
                if not np.isfinite(bound[i]):
                    numeric[i] = (values[0] - values[1]) / (2 * h)
                continue
            near = (values[0] - values[1]) / (2 * h)
            far = (values[2] - values[3]) / (4 * h)
            estimate = near + (near - far) / 3
            # the loss is a sum of many rounded terms: allow it a few ulps of its size
            rounding = 8 * _EPS * max(abs(v) for v in values) / h
            error = SAFETY * (abs(near - far) + rounding)
            if error < bound[i]:
                numeric[i], bound[i] = estimate, error
    return numeric, bound


# activations whose derivative jumps at z = 0, and losses whose derivative
# jumps where the output meets the target
_KINKED_ACTIVATIONS = ("relu", "leaky_relu")
_KINKED_LOSSES = ("absolute_error",)


def _kinks(network) -> tuple[list, bool]:
    """The layers with a kinked activation, and whether the loss has a kink."""
    layers = [l for l, activation in enumerate(network.activations) if activation.name in _KINKED_ACTIVATIONS]
    return layers, network.loss.name in _KINKED_LOSSES


def _loss_and_sides(network, X, Y, sample_weight, kinks, masks=None):
    """The loss and, for a network with kinks, which side of each kink every
    row's value is on (None without kinks, for the plain loss's speed)."""
    layers, loss_kink = kinks
    if not network.plain:
        # the training pass: the batch's moments, the fixed masks
        network.forward(X, masks, sample_weight)
        loss = network.output_loss(Y, sample_weight)
        if not layers and not loss_kink:
            return loss, None
        workspace = network._cache[1]
        values = list(zip(workspace.Z, workspace.A))
        Z, A = values[-1]
    else:
        if not layers and not loss_kink:
            return network.loss_value(X, Y, sample_weight), None
        values = network.layer_values(X)
        Z, A = values[-1]
        # the same figure as network.loss_value: the reduced per-sample loss plus the L2 term
        loss = reduce_per_sample(network.sample_losses(Y, Z, A), network.reduction, sample_weight)
        loss += network.penalty(X.shape[0], sample_weight)
    sides = [values[l][0] > 0 for l in layers] + ([A > Y] if loss_kink else [])
    return loss, np.concatenate([side.ravel() for side in sides])


@dataclass(frozen=True)
class ParameterGroupCheck:
    """The check of one layer's weights or biases."""

    layer: int
    kind: str  # "weights", "biases", "scales" or "shifts"
    size: int
    scale: float  # largest |gradient| in the group
    max_abs_error: float  # largest |a − n|
    max_rel_error: float  # largest |a − n| over the group's scale
    noise: float  # largest error bound τ of the finite differences
    excess: float  # largest |a − n| − atol − τ beyond zero, over the whole gradient's scale
    agree: bool
    unjudged: int = 0  # parameters whose differences straddle a kink at every step

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class GradientCheck:
    """The result of ``check_gradients(..., detail=True)``: one group per
    layer's weights and biases, the overall ``error`` (the number the plain
    call returns) and the verdict ``agree`` (``error <= rtol``)."""

    groups: list
    error: float
    agree: bool
    rtol: float
    atol: float
    scale: float

    def __float__(self) -> float:
        return self.error

    def as_dict(self) -> dict:
        return {"error": self.error, "agree": self.agree, "rtol": self.rtol, "atol": self.atol,
                "scale": self.scale, "groups": [group.as_dict() for group in self.groups]}

    def table(self):
        from rich.table import Table

        table = Table(title=f"gradient check: {'agree' if self.agree else 'DISAGREE'} "
                            f"(error {self.error:.3g}, rtol {self.rtol:g})", title_justify="left")
        for name in ("layer", "parameters", "gradient scale", "max |a − n|", "max relative", "fd noise τ",
                     "verdict"):
            table.add_column(name, justify="left" if name in ("layer", "parameters", "verdict") else "right")
        for group in self.groups:
            kinked = f", {group.unjudged} at a kink" if group.unjudged else ""
            table.add_row(str(group.layer), f"{group.kind} ({group.size}{kinked})", f"{group.scale:.3g}",
                          f"{group.max_abs_error:.3g}", f"{group.max_rel_error:.3g}", f"{group.noise:.3g}",
                          "agree" if group.agree else "[bold red]DISAGREE[/]")
        return table

    def __rich__(self):
        return self.table()

    def print(self, console=None) -> None:
        from rich.console import Console

        (console or Console()).print(self.table())

    def __str__(self) -> str:
        from rich.console import Console

        console = Console(width=110, file=io.StringIO(), color_system=None)
        console.print(self.table())
        return console.file.getvalue().rstrip()


_KINDS = ("weights", "biases", "scales", "shifts")


def _groups(network):
    """``(layer, kind, slice)`` of each weight matrix, bias vector and
    normalised layer's scale and shift vector in ``params``."""
    start = 0
    spans = []
    shapes = list(zip(network.layer_sizes[:-1], network.layer_sizes[1:]))
    for layer, (n_in, n_out) in enumerate(shapes, 1):
        spans.append((layer, "weights", slice(start, start + n_in * n_out)))
        start += n_in * n_out
    if network.bias:
        for layer, (_, n_out) in enumerate(shapes, 1):
            spans.append((layer, "biases", slice(start, start + n_out)))
            start += n_out
    for kind in ("scales", "shifts"):
        for layer, values in enumerate(getattr(network, kind), 1):
            spans.append((layer, kind, slice(start, start + values.size)))
            start += values.size
    return sorted(spans, key=lambda span: (span[0], _KINDS.index(span[1])))


def compare(network, analytic, numeric, bound, rtol=1e-6, atol=0.0) -> GradientCheck:
    """Judge ``analytic`` against ``numeric`` (with error bounds ``bound``)."""
    difference = np.abs(analytic - numeric)
    scale = max(float(np.max(np.abs(analytic), initial=0.0)), float(np.max(np.abs(numeric), initial=0.0)))
    excess = np.maximum(difference - atol - bound, 0.0)
    relative_excess = excess / scale if scale > 0 else np.zeros_like(excess)
    groups = []
    for layer, kind, span in _groups(network):
        group_scale = float(np.max(np.abs(analytic[span]), initial=0.0))
        largest = float(np.max(difference[span], initial=0.0))
        group_excess = float(np.max(relative_excess[span], initial=0.0))
        groups.append(ParameterGroupCheck(
            layer=layer, kind=kind, size=span.stop - span.start, scale=group_scale, max_abs_error=largest,
            max_rel_error=largest / group_scale if group_scale > 0 else (0.0 if largest == 0 else np.inf),
            noise=float(np.max(bound[span][np.isfinite(bound[span])], initial=0.0)), excess=group_excess,
            agree=group_excess <= rtol, unjudged=int(np.count_nonzero(~np.isfinite(bound[span]))),
        ))
    error = float(np.max(relative_excess, initial=0.0))
    return GradientCheck(groups, error, error <= rtol, rtol, atol, scale)


def check_gradients(model: object, X: ArrayLike, y: ArrayLike | None = None, step: float | None = None, *,
                    detail: bool = False, rtol: float = 1e-6, atol: float = 0.0,
                    seed: int = 0) -> "float | GradientCheck":
    """Compare the analytic gradients with finite differences.

    ``model`` is any glassnet model (see :mod:`glassnet.protocol`): a
    :class:`~glassnet.NeuralNetwork` (trained or not: its initial weights
    have gradients too), a fitted estimator, a fitted Pipeline ending in one,
    a command-line table model or a :class:`~glassnet.engine.network.Network`;
    an unfitted estimator raises ``ValueError``. ``X`` and ``y`` are what the
    model trains on (for an estimator the ``X`` and ``y`` that ``fit`` takes,
    class labels encoded as in training; for a pipeline its raw rows, passed
    through its steps; for a table model its DataFrame, whose target column
    gives ``y`` when ``y`` is None), and the loss is the training loss, the
    L2 term included. The check
    runs in float64 on a copy, so it works for float32 models too and leaves
    the model untouched.

    Returns the largest disagreement beyond the finite differences' own
    error, relative to the largest gradient component (see the module
    docstring): 0 or a tiny number when the gradients agree, at most
    ``rtol`` (1e-6) for agreement, about 1e-2 for a gradient 1% wrong. With
    ``detail=True`` returns a :class:`GradientCheck` instead: per layer's
    weights and biases the gradient scale, the largest absolute and relative
    errors, the noise bound and the verdict, printable as a table.
    ``step`` replaces the two default steps (1e-3, 1e-4) by one. ``seed``
    draws the fixed dropout masks of a network with dropout (see the module
    docstring).
    """
    for name, value in (("rtol", rtol), ("atol", atol)):
        if not np.isfinite(value) or value < 0:
            raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    if step is not None and not (np.isfinite(step) and 0 < step < 1):
        raise ValueError(f"step must be a number between 0 and 1, got {step!r}")
    adapter = adapt(model, "check_gradients")
    # rows validated and labels encoded as the model's training does (through a
    # pipeline's steps, a table model's preprocessing)
    rows = adapter.encode(X, y)
    X, Y = rows.X, rows.Y
    if Y is None:
        raise ValueError("check_gradients needs targets y: the loss and its gradient depend on them")
    probe = adapter.network.copy(dtype="float64")
    masks = probe.draw_masks(X.shape[0], np.random.default_rng(seed))
    _, analytic = probe.loss_and_gradient(X, Y, masks=masks)
    analytic = analytic.astype(np.float64)
    numeric, bound = extrapolated_gradient(probe, X, Y, steps=STEPS if step is None else (step,), masks=masks)
    result = compare(probe, analytic, numeric, bound, rtol=rtol, atol=atol)
    return result if detail else result.error

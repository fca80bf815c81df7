"""Tracing one sample through the network: every number of its forward pass
and, given its target, of its backward pass.

The numbers come from the engine (:meth:`Network.backpropagation`), the very
code that trains; this module only checks the sample, takes its row out of
the engine's arrays and lays them out as a table.

For layer l, with ``a₀ = x``:

    z_l = a_{l−1} · W_l + b_l        a_l = f_l(z_l)
    delta_l = ∂loss/∂z_l             (the output layer's from the loss,
                                      the others via delta_l = f'(z_l) ⊙ delta_{l+1} · W_{l+1}ᵀ)
    ∂loss/∂W_l = a_{l−1}ᵀ · delta_l  ∂loss/∂b_l = delta_l

A hidden layer with normalisation shows ``p = a_{l−1}·W_l + b_l``, the
mean and variance it is normalised by (batch normalisation's running ones:
a single row has no batch), its scale γ and shift β, and then
``z = γ·(p − mean)/sqrt(variance + ε) + β``. A hidden layer with dropout
shows its rate; the trace is of the inference pass, where nothing is
dropped, unless ``dropout_seed`` draws a mask as a training step would
(then the mask and ``a·mask``, what the next layer takes, are shown, and
the gradients are those of that masked pass).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np

from .._format import array_text, number
from ..engine.validation import check_sample, check_sample_target
from ..protocol import adapt

__all__ = ["LayerTrace", "Trace", "trace", "trace_network"]


@dataclass(frozen=True, eq=False)
class LayerTrace:
    """The numbers of one layer for one sample.

    ``z`` and ``a`` have shape (width,). With a target, ``delta`` (shape
    (width,)) is the gradient of the loss with respect to ``z``, and
    ``grad_weights`` (n_in, width) and ``grad_bias`` (width,) are the
    gradients of the loss with respect to the layer's parameters (the bias
    gradient is zero when the network has no biases, as in ``gradients``).
    """

    layer: int
    activation: str
    z: np.ndarray
    a: np.ndarray
    delta: np.ndarray | None = None
    grad_weights: np.ndarray | None = None
    grad_bias: np.ndarray | None = None
    # a normalised hidden layer: p = a_prev·W + b, the moments it is
    # normalised by, its scale and shift, and their gradients
    normalization: str | None = None
    p: np.ndarray | None = None
    mean: np.ndarray | None = None
    variance: np.ndarray | None = None
    scale: np.ndarray | None = None
    shift: np.ndarray | None = None
    grad_scale: np.ndarray | None = None
    grad_shift: np.ndarray | None = None
    # a hidden layer with dropout: its rate, and the mask when one was drawn
    dropout: float = 0.0
    mask: np.ndarray | None = None

    @property
    def passed_on(self) -> np.ndarray:
        """What the next layer takes: ``a``, times the dropout mask when one was drawn."""
        return self.a if self.mask is None else self.a * self.mask


class Trace(list):
    """One :class:`LayerTrace` per layer, input to output, plus the sample.

    ``x`` is the input vector, ``y`` the target (or None), ``loss`` the
    sample's loss (or None), ``bias`` whether the network has biases and
    ``l2`` the L2 penalty's weight (its gradient ``l2·W`` is part of
    ``grad_weights``, as in training). ``print()`` shows the table; ``str()`` gives
    the same as plain text.
    """

    def __init__(self, layers, x, y=None, loss=None, bias=True, l2=0.0):
        super().__init__(layers)
        self.bias = bias
        self.l2 = l2
        self.x = x
        self.y = y
        self.loss = loss

    @property
    def output(self) -> np.ndarray:
        """The network's output for the sample, shape (n_outputs,)."""
        return self[-1].a

    def table(self):
        """The trace as a rich renderable: a table with a section of rows per layer, and its legend."""
        from rich.console import Group
        from rich.table import Table
        from rich.text import Text

        backward = self.y is not None
        title = "Trace of one sample"
        if backward:
            title += f", loss {number(self.loss).strip()}" + (" (L2 penalty included)" if self.l2 else "")
        table = Table(title=title, title_justify="left")
        table.add_column("layer", no_wrap=True)
        table.add_column("", no_wrap=True)
        table.add_column("values")
        table.add_row("input", "x", array_text(self.x), end_section=not backward)
        if backward:
            table.add_row("target", "y", array_text(self.y), end_section=True)
        widths = [self.x.size] + [record.a.size for record in self]
        for record, n_in in zip(self, widths):
            rows = []
            if record.normalization is not None:
                rows += [("p", record.p), ("mean", record.mean), ("variance", record.variance),
                         ("scale γ", record.scale), ("shift β", record.shift)]
            rows += [("z", record.z), ("a", record.a)]
            if record.mask is not None:
                rows += [("mask", record.mask), ("a·mask", record.passed_on)]
            elif record.dropout:
                rows.append((f"dropout {record.dropout:g}", "off when predicting: every unit passes on"))
            if backward:
                rows += [("delta", record.delta), ("∂loss/∂W", record.grad_weights)]
                if self.bias:
                    rows.append(("∂loss/∂b", record.grad_bias))
                if record.normalization is not None:
                    rows += [("∂loss/∂γ", record.grad_scale), ("∂loss/∂β", record.grad_shift)]
            labels = [f"{record.layer}: {n_in} → {record.a.size}", record.activation]
            for i, (name, values) in enumerate(rows):
                label = labels[i] if i < len(labels) else ""
                text = values if isinstance(values, str) else array_text(values)
                table.add_row(label, name, text, end_section=i == len(rows) - 1)
        normalized = any(record.normalization is not None for record in self)
        legend = ["z = a_prev·W + b" if not normalized else
                  "z = a_prev·W + b, or with normalisation p = a_prev·W + b and "
                  "z = γ·(p − mean)/sqrt(variance + ε) + β", "a = f(z)"]
        if any(record.mask is not None for record in self):
            legend.append("the next layer takes a·mask (dropout: 0 or 1/(1 − rate))")
        if backward:
            penalty = f" + {self.l2:g}·W (the L2 penalty)" if self.l2 else ""
            legend += ["delta = ∂loss/∂z" + (" (∂loss/∂p with normalisation)" if normalized else ""), f"∂loss/∂W = a_prevᵀ·delta (a row per input){penalty}"]
            if self.bias:
                legend.append("∂loss/∂b = delta")
        return Group(table, Text(", ".join(legend), style="dim"))

    def print(self, console=None) -> None:
        """Print :meth:`table` (on a new rich Console unless one is given)."""
        from rich.console import Console

        (console or Console(highlight=False)).print(self.table())

    def __str__(self) -> str:
        from rich.console import Console

        console = Console(file=io.StringIO(), width=160, highlight=False)
        console.print(self.table())
        return console.file.getvalue()

    def __repr__(self) -> str:
        return f"Trace({len(self)} layers, target={'yes' if self.y is not None else 'no'})"


def trace_network(network, x, y=None, dropout_seed: int | None = None) -> Trace:
    """Trace one sample ``x`` (and target ``y``) through an engine Network.

    ``x`` : a vector of ``n_inputs`` numbers or an array of shape
    (1, n_inputs); ``y`` : a number, a vector of ``n_outputs`` numbers or an
    array of shape (1, n_outputs). ``dropout_seed`` : draw the dropout masks
    from ``numpy.random.default_rng(dropout_seed)`` as a training step does
    (None: the inference pass, no mask). Returns a :class:`Trace`.
    """
    X = check_sample(x, network.n_inputs, network.dtype)
    if not network.plain:
        return _trace_layers(network, X, y, dropout_seed)
    names = [act.name for act in network.activations]
    if y is None:
        values = network.layer_values(X)
        layers = [LayerTrace(l + 1, names[l], Z[0], A[0]) for l, (Z, A) in enumerate(values)]
        return Trace(layers, X[0], bias=network.bias)
    Y = check_sample_target(y, network.n_outputs, network.dtype)
    loss, values, deltas = network.backpropagation(X, Y)
    # copies: the engine keeps these arrays as its cache and may write into them later
    layers = [
        LayerTrace(
            l + 1, names[l], Z[0].copy(), A[0].copy(), dZ[0].copy(),
            network.weight_grads[l].copy(), network.bias_grads[l].copy(),
        )
        for l, ((Z, A), dZ) in enumerate(zip(values, deltas))
    ]
    # for one unweighted sample the penalty's gradient is l2·W under either reduction
    return Trace(layers, X[0], Y[0], loss, network.bias, network.l2)


def _trace_layers(network, X, y, dropout_seed) -> Trace:
    """The trace of a network with normalisation or dropout, from the
    engine's inference pass and its backward pass (:meth:`Network.trace_pass`)."""
    Y = None if y is None else check_sample_target(y, network.n_outputs, network.dtype)
    masks = None if dropout_seed is None else network.draw_masks(1, np.random.default_rng(dropout_seed))
    loss, ws = network.trace_pass(X, Y, masks=masks)
    normalization = network.normalization
    layers = []
    for l, activation in enumerate(network.activations):
        # copies: the engine may write into its arrays later
        record = dict(layer=l + 1, activation=activation.name, z=ws.Z[l][0].copy(), a=ws.A[l][0].copy())
        if Y is not None:
            record.update(delta=ws.dZ[l][0].copy(), grad_weights=network.weight_grads[l].copy(),
                          grad_bias=network.bias_grads[l].copy())
        hidden = l < network.n_layers - 1
        if hidden and normalization is not None:
            record.update(normalization=normalization.name, p=ws.pre[l][0].copy(),
                          mean=np.ravel(ws.mean[l]).copy(), variance=np.ravel(ws.var[l]).copy(),
                          scale=network.scales[l].copy(), shift=network.shifts[l].copy())
            if Y is not None:
                record.update(grad_scale=network.scale_grads[l].copy(), grad_shift=network.shift_grads[l].copy())
        if hidden:
            record["dropout"] = network.dropout[l]
            if ws.masks[l] is not None:
                record["mask"] = ws.masks[l][0].copy()
        layers.append(LayerTrace(**record))
    if Y is None:
        return Trace(layers, X[0], bias=network.bias)
    return Trace(layers, X[0], Y[0], loss, network.bias, network.l2)


def trace(model, x, y=None, *, verbose: bool = True, dropout_seed: int | None = None) -> Trace:
    """Every number of one sample's forward pass through ``model``'s network,
    and with its target ``y`` of the backward pass.

    ``model`` is any glassnet model (see :mod:`glassnet.protocol`): the
    sample is what the model itself takes (a vector or a single row for a
    NeuralNetwork or an estimator, a one-row DataFrame or a pandas row for a
    fitted Pipeline or a table model) and goes through its preprocessing;
    ``y`` is its target as the model's training takes it (a class label, a
    value, a row of values). Returns a :class:`Trace` and prints it as a
    table unless ``verbose=False``. The gradients are those of the training
    loss on this one sample, L2 term included, as training computes them.
    A hidden layer with batch normalisation is normalised by its running
    moments, and dropout is off unless ``dropout_seed`` draws a mask (see
    the module docstring).
    """
    adapter = adapt(model, "trace")
    rows = adapter.sample(x, y)
    result = trace_network(adapter.network, rows.X, rows.Y, dropout_seed)
    if verbose:
        result.print()
    return result

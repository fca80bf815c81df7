"""``glassnet demo --explain``: the article's first epoch, number by number.

Every number shown comes from glassnet itself: the scaler's output, the
engine's forward and backward pass (:meth:`Network.backpropagation`, the
code that trains) and the network's weights after a real training epoch.
The only arithmetic done here is the article's sign convention: glassnet
stores gradients of the loss (``∂loss/∂z``), the article adds their
negatives (``o_delta``, ``z2_delta``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rich.console import Console
from rich.rule import Rule
from rich.table import Table

from .._format import array_text, number
from ..article import NeuralNetwork
from ..datasets import load_tutorial

__all__ = ["FirstEpoch", "first_epoch", "print_explanation"]

# the epochs at which the error is shown, when training that long
_MILESTONES = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)
_BLOCKS = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True)
class FirstEpoch:
    """The article's network before and after its first epoch, with every value in between.

    ``values`` is the engine's ``[(z, z2), (z3, o)]`` for all training rows
    (each (6, 3) or (6, 1)); ``deltas`` its ``[∂loss/∂z, ∂loss/∂z3]`` and
    ``gradients`` its ``[∂loss/∂W1, ∂loss/∂W2]``; ``weights`` the starting
    ``[W1, W2]`` and ``weights_after`` those after one training epoch.
    """

    X_raw: np.ndarray
    X: np.ndarray
    y: np.ndarray
    weights: list
    values: list
    deltas: list
    gradients: list
    weights_after: list


def first_epoch(network: NeuralNetwork, X_raw, X, y) -> FirstEpoch:
    """Run the article's first epoch on ``network`` (which then has trained one epoch)."""
    weights = [W.copy() for W in network.weights]
    _, values, deltas = network.network.backpropagation(X, y[:, None])
    gradients = [g.copy() for g in network.network.weight_grads]
    network.train(X, y, 1)
    return FirstEpoch(X_raw, X, y, weights, values, deltas, gradients, [W.copy() for W in network.weights])


def _step(console: Console, title: str, text: str, blocks) -> None:
    """One step: a rule with its title, plain sentences, then the labelled numbers side by side."""
    console.print(Rule(f"[bold]{title}[/bold]", align="left"))
    console.print(text)
    grid = Table.grid(padding=(0, 4))
    for _ in blocks:
        grid.add_column(no_wrap=True)
    grid.add_row(*(f"[bold]{label}[/bold]\n{array_text(values)}" for label, values in blocks))
    console.print(grid)
    console.print()


def _sparkline(values, width: int = 60) -> str:
    """The values as a row of block characters, resampled to at most ``width``."""
    values = np.asarray(values, dtype=np.float64)
    if values.size > width:
        values = np.interp(np.linspace(0, values.size - 1, width), np.arange(values.size), values)
    span = values.max() - values.min()
    levels = np.zeros(values.size, int) if span == 0 else np.round((values - values.min()) / span * 7).astype(int)
    return "".join(_BLOCKS[level] for level in levels)


def _error_table(errors) -> Table:
    table = Table(title="Error by epoch", title_justify="left")
    table.add_column("epoch", justify="right")
    table.add_column("error", justify="right")
    for epoch in [e for e in _MILESTONES if e <= len(errors)] + ([len(errors)] if len(errors) not in _MILESTONES else []):
        table.add_row(str(epoch), f"{errors[epoch - 1]:.4f}")
    return table


def _scaling_text(scaler) -> str:
    if scaler is None:
        return "No scaling: the raw numbers reach the network. "
    return (
        f"Each feature is scaled by {scaler!r}, fitted on the six training rows only, "
        "so that every input has a similar size. "
    )


def print_explanation(console: Console, seed: int, scaler, scale, epochs: int) -> NeuralNetwork:
    """Walk through the first epoch, then train to ``epochs`` and show the error fall.

    ``scaler`` is the fitted scaler (or None) and ``scale`` its transform.
    Returns the trained network.
    """
    data = load_tutorial()
    network = NeuralNetwork(seed=seed)
    epoch = first_epoch(network, data.X_train, scale(data.X_train), data.y_train)
    (z, z2), (z3, o) = epoch.values
    W1, W2 = epoch.weights
    # the article's deltas point the other way from the engine's gradients
    o_delta, z2_delta = -epoch.deltas[1], -epoch.deltas[0]
    o_error = epoch.y[:, None] - o

    console.print("[bold]glassnet demo --explain[/bold]: the article's first epoch, with real numbers\n")
    _step(console, "Step 3 · the inputs", _scaling_text(scaler)
          + "The network sees all six rows at once, every epoch. The label y is 1 when the first number is 10.",
          [("X", epoch.X_raw), ("scaled X", epoch.X), ("y", epoch.y[:, None])])
    _step(console, "Step 4.1 · the starting weights",
          "W1 connects the 3 inputs to the 3 hidden nodes (a row per input, a column per node); W2 connects the "
          f"hidden nodes to the output. They start as random numbers in [0, 1) drawn with seed {seed}. "
          "The article's network has no biases.",
          [("W1", W1), ("W2", W2)])
    _step(console, "Step 4.2 · forward: the hidden layer",
          "Each hidden node adds up the inputs times its weights, z = X·W1, and the sigmoid squashes that sum "
          "into (0, 1): z2 = sigmoid(z).",
          [("z = X·W1", z), ("z2 = sigmoid(z)", z2)])
    _step(console, "Step 4.2 · forward: the output",
          "The output node does the same with the hidden values: z3 = z2·W2 and o = sigmoid(z3). Untrained, "
          f"the network answers between {o.min():.2f} and {o.max():.2f}, whatever the label.",
          [("z3 = z2·W2", z3), ("o = sigmoid(z3)", o)])
    _step(console, "Step 4.3 · backward: the output error",
          "The error is the label minus the answer, o_error = y − o: negative where the network said too much. "
          f"Its mean absolute value, {np.abs(o_error).mean():.4f}, is the first entry of error_list.",
          [("o_error = y − o", o_error)])
    _step(console, "Step 4.3 · backward: the deltas",
          "The error is scaled by the sigmoid's slope at the output: o_delta = o_error·o(1 − o). Each hidden "
          "node gets its share through the weight it feeds the output with, scaled by its own slope: "
          "z2_delta = (o_delta·W2ᵀ)·z2(1 − z2). glassnet's engine computes the gradient of the loss, "
          "∂loss/∂z = −delta; these are its numbers, with the article's sign.",
          [("o_delta", o_delta), ("z2_delta", z2_delta)])
    _step(console, "Step 4.4 · the weight update",
          "Each weight moves by the value flowing into it times the delta it feeds: W1 += Xᵀ·z2_delta and "
          "W2 += z2ᵀ·o_delta. That is one step of gradient descent with step size 1 on ½·Σ(y − o)², and "
          "these are the weights the network holds after its first epoch.",
          [("Xᵀ·z2_delta", -epoch.gradients[0]), ("W1 after", epoch.weights_after[0]),
           ("z2ᵀ·o_delta", -epoch.gradients[1]), ("W2 after", epoch.weights_after[1])])

    if epochs > 1:
        network.train(epoch.X, epoch.y, epochs - 1)
    errors = network.error_list
    console.print(Rule("[bold]Step 5 · training[/bold]", align="left"))
    console.print(
        f"Repeating the same forward pass, backward pass and update for {len(errors)} epochs, the mean absolute "
        f"error fell from {errors[0]:.4f} to {errors[-1]:.4f}:"
    )
    console.print(f"  epoch 1 {_sparkline(errors)} epoch {len(errors)}\n")
    final = network.forward(epoch.X)
    answers = Table(title="The network's answers", title_justify="left")
    for header in ("row", "y", "o, epoch 1", f"o, epoch {len(errors)}"):
        answers.add_column(header, justify="right")
    for row, (label, before, after) in enumerate(zip(epoch.y, o[:, 0], final[:, 0]), start=1):
        answers.add_row(str(row), f"{label:g}", number(before), number(after))
    side_by_side = Table.grid(padding=(0, 4))
    side_by_side.add_row(_error_table(errors), answers)
    console.print(side_by_side)
    return network

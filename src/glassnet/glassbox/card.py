"""The HTML card of any glassnet model, read through the model protocol:
the picture of its layers, its parameter count and, for a model that keeps
a history, its training state (epochs, last loss, a sparkline of the loss).
``NeuralNetwork`` and the fitted estimators show it as their ``_repr_html_``."""

from __future__ import annotations

from .. import _html
from ..engine.network import Network
from ..protocol import adapt

__all__ = ["card"]


def card(model, title: str | None = None) -> str:
    """The card's HTML for ``model`` (ValueError for what is not a glassnet model)."""
    adapter = adapt(model, "the HTML card")
    network = adapter.network
    sizes = list(network.layer_sizes)
    figures = [("layers", "-".join(map(str, sizes))),
               ("parameters", Network.parameter_count(network.config())),
               ("loss", network.loss.name)]
    history = adapter.history
    losses = ()
    if history is not None:
        optimizer = adapter.optimizer
        rate = adapter.learning_rate
        figures.append(("optimizer", "lbfgs" if optimizer is None else
                        f"{optimizer} (learning rate {_html.number(rate)})" if rate is not None else optimizer))
        losses = history["loss"]
        figures += [("epochs", len(history)), ("last loss", _html.number(losses[-1] if losses else None))]
    activations = [activation.name for activation in network.activations]
    return _html.card(title or type(model).__name__, sizes, activations, figures, losses)

"""A deliberately wrong activation derivative, for tests that a gradient
check catches it."""

import contextlib

from glassnet.engine.activations import ACTIVATIONS


@contextlib.contextmanager
def scaled_derivative(name: str, factor: float):
    """Within the block, activation ``name``'s backward pass returns
    ``factor`` times the true derivative (every network sharing it)."""
    activation = ACTIVATIONS.get(name)
    original = activation.backward

    def wrong(dA, Z, A, out):
        result = original(dA, Z, A, out)
        result *= factor
        return result

    # Activation is a frozen dataclass: bypass its guard, and always undo it
    object.__setattr__(activation, "backward", wrong)
    try:
        yield
    finally:
        object.__setattr__(activation, "backward", original)

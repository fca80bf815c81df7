"""The network's parameters and work buffers, kept apart from its maths.

The engine keeps every weight and bias in one contiguous vector ``params``
(and the gradient in ``grad``); each layer's ``W`` and ``b`` are views into
it. :class:`ParameterList` is what ``network.weights`` returns: assigning to
an element copies into the view rather than unlinking it. A
:class:`Workspace` holds the forward and backward buffers for one batch
size, reused from step to step so that training allocates nothing per
batch. (A network pickles by rebuilding its views: see
``Network.__getstate__``.)
"""

from __future__ import annotations

import numpy as np

__all__ = ["ParameterList", "Workspace"]


class ParameterList(list):
    """A list of parameter views; ``params[i] = array`` copies into the view.

    Assigning a new array to an element of ``network.weights`` therefore
    changes the network, as a learner would expect, instead of silently
    unlinking the list from the engine.
    """

    def __init__(self, views, label):
        super().__init__(views)
        self._label = label

    def __setitem__(self, index, value):
        target = list.__getitem__(self, index)
        value = np.asarray(value)
        if value.shape != target.shape:
            raise ValueError(
                f"{self._label}[{index}] has shape {target.shape}; got an array of shape {value.shape}"
            )
        if not target.flags.writeable:
            raise ValueError(f"{self._label}[{index}] is fixed at zero because the network has no biases")
        np.copyto(target, value, casting="same_kind")


class Workspace:
    """Forward and backward buffers for one batch size, reused across steps."""

    def __init__(self, network, n):
        dtype = network.dtype
        sizes = network.layer_sizes[1:]
        last = len(sizes) - 1
        # hidden layers whose backward needs only A compute A in place over Z
        self.Z = []
        self.A = []
        for l, (size, act) in enumerate(zip(sizes, network.activations)):
            A = np.empty((n, size), dtype)
            keep_z = act.needs_z or l == last
            self.Z.append(np.empty((n, size), dtype) if keep_z else A)
            self.A.append(A)
        # dZ for each layer; the output layer's doubles as the loss gradient
        self.dZ = [np.empty((n, size), dtype) for size in sizes]
        # the row log-sum-exp of the output logits, when the forward pass
        # kept it for the loss value (Network.forward); None otherwise
        self.logsumexp = None

    @classmethod
    def holding(cls, values) -> "Workspace":
        """A one-off workspace over given ``(Z, A)`` arrays, with fresh dZ."""
        workspace = cls.__new__(cls)
        workspace.Z = [Z for Z, _ in values]
        workspace.A = [A for _, A in values]
        workspace.dZ = [np.empty_like(A) for _, A in values]
        workspace.logsumexp = None
        return workspace

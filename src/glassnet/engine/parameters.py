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
    """Forward and backward buffers for one batch size, reused across steps.

    ``separate=True`` keeps every layer's Z in its own array (a trace shows
    both Z and A; the training buffers compute A in place over Z where the
    activation's backward needs only A).

    A network with normalisation or dropout (see :mod:`.hidden`) also has,
    per hidden layer: ``pre`` (the affine map's output before normalising),
    ``hat`` (the normalised values), ``mean``, ``var`` and ``inv`` (the
    moments used and 1/sqrt(var + ε)), ``masks`` (the dropout mask applied,
    or None) with their buffers, and ``dropped`` (the layer's output after its
    mask: the next layer's input). ``batch_statistics`` says whether batch
    normalisation used the batch's moments (training) or the running ones.
    """

    def __init__(self, network, n, separate=False):
        dtype = network.dtype
        sizes = network.layer_sizes[1:]
        last = len(sizes) - 1
        # hidden layers whose backward needs only A compute A in place over Z
        self.Z = []
        self.A = []
        for l, (size, act) in enumerate(zip(sizes, network.activations)):
            A = np.empty((n, size), dtype)
            keep_z = act.needs_z or l == last or separate
            self.Z.append(np.empty((n, size), dtype) if keep_z else A)
            self.A.append(A)
        # dZ for each layer; the output layer's doubles as the loss gradient
        self.dZ = [np.empty((n, size), dtype) for size in sizes]
        # the row log-sum-exp of the output logits, when the forward pass
        # kept it for the loss value (Network.forward); None otherwise
        self.logsumexp = None
        hidden = sizes[:-1]
        normalized = getattr(network, "normalization", None) is not None
        rates = getattr(network, "dropout", [0.0] * len(hidden))
        self.pre = [np.empty((n, size), dtype) for size in hidden] if normalized else []
        self.hat = [np.empty((n, size), dtype) for size in hidden] if normalized else []
        self.mean = [None] * len(hidden)
        self.var = [None] * len(hidden)
        self.inv = [None] * len(hidden)
        self.mask_buffers = [np.empty((n, size), dtype) if rate else None for size, rate in zip(hidden, rates)]
        self.dropped = [np.empty((n, size), dtype) if rate else None for size, rate in zip(hidden, rates)]
        self.masks = [None] * len(hidden)
        self.batch_statistics = True
        self.row_weights = None

    def begin(self, masks, batch_statistics: bool, row_weights=None) -> None:
        """Set the pass about to run: the dropout masks to apply (one per
        hidden layer, None for no mask), which moments batch normalisation
        uses, and the rows' shares of them (a column, or None: equal)."""
        self.masks = [None] * len(self.masks) if masks is None else list(masks)
        self.batch_statistics = batch_statistics
        self.row_weights = row_weights

    def input_of(self, l: int) -> np.ndarray:
        """What hidden layer l passes on: its output after its dropout mask."""
        return self.A[l] if self.masks[l] is None else self.dropped[l]

    @classmethod
    def holding(cls, values) -> "Workspace":
        """A one-off workspace over given ``(Z, A)`` arrays, with fresh dZ."""
        workspace = cls.__new__(cls)
        workspace.Z = [Z for Z, _ in values]
        workspace.A = [A for _, A in values]
        workspace.dZ = [np.empty_like(A) for _, A in values]
        workspace.logsumexp = None
        hidden = len(values) - 1
        workspace.pre, workspace.hat = [], []
        workspace.mean, workspace.var, workspace.inv = [None] * hidden, [None] * hidden, [None] * hidden
        workspace.mask_buffers, workspace.dropped, workspace.masks = [None] * hidden, [None] * hidden, [None] * hidden
        workspace.batch_statistics = True
        workspace.row_weights = None
        return workspace

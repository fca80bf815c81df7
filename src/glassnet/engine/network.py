"""The engine: a stack of dense layers with one flat parameter vector.

Every weight matrix ``W[l]`` (shape (n_in, n_out)) and bias ``b[l]`` (shape
(n_out,)) is a view into one contiguous array ``params``; their gradients are
views into ``grad`` (see :mod:`.network_views`). Optimisers and L-BFGS then
work on whole vectors. The loss value is :mod:`.network_loss`'s, the
configuration, files and copies :mod:`.network_state`'s; this module holds
the passes.

Layer l computes ``Z = A_prev · W + b`` and ``A = f(Z)``. The backward pass
walks the layers in reverse with ``dZ`` (the gradient of the loss with respect
to ``Z``):

    dW = A_prevᵀ · dZ        db = Σ_rows dZ        dA_prev = dZ · Wᵀ

and ``dZ_prev = f'(Z_prev) ⊙ dA_prev`` through the activation's backward.
Forward values are cached in per-batch-size buffers and reused by backward.

A hidden layer may also normalise its pre-activations (``normalization``:
batch or layer normalisation, with a scale γ and shift β per unit after the
biases in ``params``) and drop its outputs while training (``dropout``);
those layers run through :mod:`.hidden`. Batch normalisation's running
moments are not trained: they sit after ``params`` in ``variables``, the
vector that snapshots of the network (the best epoch's, the last finite
epoch's) copy. Without either, ``variables`` is ``params``.

Two passes differ for such networks. :meth:`forward` (and
:meth:`train_forward`, which draws the dropout masks and updates the running
moments) is the training pass: each batch normalised by its own moments,
outputs dropped. :meth:`predict`, :meth:`output_values` and
:meth:`layer_values` are the inference pass: running moments, no dropout.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from . import kernels
from .activations import get_activation
from .dropout import check_rates, draw_mask
from .hidden import layer_backward, layer_forward
from .initializers import get_initializer
from .losses import REDUCTIONS, get_loss, softmax_logsumexp
from .network_loss import NetworkLoss
from .network_state import NetworkState
from .network_views import NetworkViews
from .normalization import get_normalization, moments, normalize, row_weights, update_running
from .parameters import Workspace
from .validation import check_dtype

__all__ = ["Network", "SMOOTHED_LOSSES"]

_CACHED_BATCH_SIZES = 4

# the losses label smoothing applies to: the cross-entropies of classes
SMOOTHED_LOSSES = ("binary_crossentropy", "categorical_crossentropy")


class Network(NetworkViews, NetworkLoss, NetworkState):
    """A multilayer perceptron: dense layers, activations, a loss.

    Parameters
    ----------
    layer_sizes : sequence of int
        ``[n_inputs, hidden_1, ..., n_outputs]``, at least two entries.
    activation : str or sequence of str
        Activation of the hidden layers (one name, or one per hidden layer).
    output_activation : str
        Activation of the output layer.
    loss : str
        Name from :data:`glassnet.engine.losses.LOSSES`.
    bias : bool
        Whether layers have biases. Without, biases are fixed zeros.
    init : str
        Name from :data:`glassnet.engine.initializers.INITIALIZERS`.
    reduction : {"mean", "sum"}
        How per-sample losses are combined.
    l2 : float
        L2 penalty ``½·l2·Σ‖W‖²`` on the weights (not the biases), divided by
        the number of samples (or the sum of sample weights) under ``"mean"``.
    dtype : "float32" or "float64"
    rng : numpy.random.Generator
        Source of the initial weights.
    dropout : float or sequence of float
        Rate at which each hidden layer's outputs are dropped while training
        (one rate, or one per hidden layer); see :mod:`.dropout`.
    normalization : None, "batch" or "layer"
        Normalisation of every hidden layer's pre-activations; see
        :mod:`.normalization`.
    label_smoothing : float
        ε in [0, 1): the cross-entropies are taken against ``y·(1 − ε) + ε/K``
        (K the number of classes: the softmax's outputs, 2 for each logistic
        output), Szegedy et al. (2016).
    """

    def __init__(
        self,
        layer_sizes,
        activation="relu",
        output_activation="identity",
        loss="squared_error",
        *,
        bias=True,
        init="glorot",
        reduction="mean",
        l2=0.0,
        dtype="float64",
        rng=None,
        dropout=0.0,
        normalization=None,
        label_smoothing=0.0,
    ):
        layer_sizes = [int(s) for s in layer_sizes]
        if len(layer_sizes) < 2 or min(layer_sizes) < 1:
            raise ValueError(
                f"layer sizes must be at least two positive integers [inputs, ..., outputs], got {layer_sizes}"
            )
        n_hidden = len(layer_sizes) - 2
        hidden = [activation] * n_hidden if isinstance(activation, str) else list(activation)
        if len(hidden) != n_hidden:
            raise ValueError(f"got {len(hidden)} hidden activations for {n_hidden} hidden layers")
        self.layer_sizes = layer_sizes
        self.activations = [get_activation(a) for a in hidden] + [get_activation(output_activation)]
        self.loss = get_loss(loss)
        output = self.activations[-1].name
        if self.loss.requires_activation and output != self.loss.fused_with:
            raise ValueError(
                f"loss {self.loss.name!r} is computed from logits and needs output_activation "
                f"{self.loss.fused_with!r}, got {output!r}"
            )
        if reduction not in REDUCTIONS:
            raise ValueError(f"unknown reduction {reduction!r}; expected one of: {', '.join(REDUCTIONS)}")
        if not np.isfinite(l2) or l2 < 0:
            raise ValueError(f"l2 must be a finite number >= 0, got {l2!r}")
        if not (np.isfinite(label_smoothing) and 0 <= label_smoothing < 1):
            raise ValueError(f"label_smoothing must be a number in [0, 1), got {label_smoothing!r}")
        if label_smoothing and self.loss.name not in SMOOTHED_LOSSES:
            raise ValueError(f"label_smoothing applies to the cross-entropies of classes ({', '.join(SMOOTHED_LOSSES)}); "
                             f"the loss is {self.loss.name!r}")
        self.label_smoothing = float(label_smoothing)
        self.normalization = get_normalization(normalization)
        self._dropout = check_rates(dropout, n_hidden)
        self.reduction = reduction
        self.l2 = float(l2)
        self.bias = bool(bias)
        self.dtype = check_dtype(dtype)
        self.init = init
        self._initializer = get_initializer(init)
        self._fused = self.loss.fused_with == output
        # a float64 softmax forward pass keeps the log-sum-exp that the
        # cross-entropy's value needs (same bits as recomputing it); in
        # float32 the value is recomputed in float64 from the logits
        self._float64 = np.dtype(self.dtype) == np.float64
        self._keeps_logsumexp = self._fused and self.loss.from_logsumexp is not None and self._float64
        self._allocate()
        self.initialize(rng if rng is not None else np.random.default_rng())

    # --- forward ---------------------------------------------------------------
    def _workspace(self, n: int) -> Workspace:
        last = self._last_workspace
        if last is not None and last[0] == n:  # the common case: every batch the same size
            return last[1]
        workspace = self._workspaces.get(n)
        if workspace is None:
            workspace = Workspace(self, n)
            self._workspaces[n] = workspace
            if len(self._workspaces) > _CACHED_BATCH_SIZES:
                self._workspaces.popitem(last=False)
        else:
            self._workspaces.move_to_end(n)
        self._last_workspace = (n, workspace)
        return workspace

    def forward(self, X, masks=None, sample_weight=None) -> np.ndarray:
        """Forward pass keeping every layer's Z and A for :meth:`backward`.

        ``X`` : array of shape (n_samples, n_inputs), already validated.
        Returns the output activation, a buffer that the next forward pass
        over the same number of rows overwrites. This is the training pass:
        batch normalisation normalises by the batch's own moments, and
        ``masks`` (one per hidden layer, of shape (n_samples, width), or None)
        are applied as dropout masks. ``sample_weight`` weighs the rows'
        shares of batch normalisation's moments (see :mod:`.normalization`).
        Nothing is drawn or updated here (see :meth:`train_forward`).
        """
        ws = self._workspace(X.shape[0])
        if not self._plain:
            weights = None if self.normalization is None else row_weights(sample_weight, self.dtype)
            ws.begin(masks, batch_statistics=True, row_weights=weights)
        output = self._run(X, ws)
        self._cache = (X, ws)
        return output

    def train_forward(self, X, rng, sample_weight=None) -> np.ndarray:
        """The forward pass of a training step: draws the dropout masks from
        ``rng`` (see :mod:`.dropout`), runs :meth:`forward` with them and folds
        the batch's moments into batch normalisation's running ones (not for
        a batch of one row, whose variance is 0)."""
        if self._plain:
            return self.forward(X)
        n = X.shape[0]
        ws = self._workspace(n)
        masks = [None if buffer is None else draw_mask(rng, rate, buffer)
                 for rate, buffer in zip(self._dropout, ws.mask_buffers)]
        output = self.forward(X, masks, sample_weight)
        if self._running_mean and n > 1:
            for l in range(len(self._running_mean)):
                update_running(self._running_mean[l], self._running_var[l], ws.mean[l], ws.var[l])
        return output

    def set_running_statistics(self, X, sample_weight=None) -> None:
        """Batch normalisation's running moments set to the moments of ``X``
        (every row at once) at the current parameters: the full-batch
        solver's (L-BFGS), for which the training rows are the one batch."""
        if not self._running_mean:
            return
        self.forward(X, None, sample_weight)
        ws = self._cache[1]
        for l in range(len(self._running_mean)):
            self._running_mean[l][...] = ws.mean[l].reshape(-1)
            self._running_var[l][...] = ws.var[l].reshape(-1)
        self.release()

    def _run(self, X, ws) -> np.ndarray:
        """Every layer of one pass into ``ws``; the output activation."""
        kernel = kernels.active()
        A_prev = X
        last = self.n_layers - 1
        keep_at = last if self._keeps_logsumexp else -1
        plain = self._plain
        for l, act in enumerate(self.activations):
            hidden = not plain and l < last
            Z = ws.pre[l] if hidden and self.normalization is not None else ws.Z[l]
            _matmul(A_prev, self._weights[l], Z)
            if hidden:  # bias, normalisation, activation and dropout
                A_prev = layer_forward(self, ws, l, kernel)
                continue
            if l == keep_at:  # the softmax keeps the log-sum-exp the loss value reads
                if self.bias:
                    Z += self._biases[l]
                ws.logsumexp = softmax_logsumexp(Z, ws.A[l])
            elif self.bias:  # Z += b, then A = f(Z): one pass on the numba path
                kernel.bias_activation(act, Z, self._biases[l], ws.A[l])
            else:
                act.forward(Z, ws.A[l])
            A_prev = ws.A[l]
        return A_prev

    def release(self) -> None:
        """Forget the last forward pass (and so the input it keeps alive)."""
        self._cache = None

    @property
    def cached_input(self):
        """The ``X`` of the last :meth:`forward`, or None."""
        cache = getattr(self, "_cache", None)
        return None if cache is None else cache[0]

    def output_values(self, X=None, *, first=None) -> tuple[np.ndarray, np.ndarray]:
        """``(Z, A)`` of the output layer for ``X``, in fresh arrays, no cache.

        Hidden layers are computed in place, so memory stays at two arrays
        of one layer's width. ``first``: the first layer's ``Z``, as for
        :meth:`layer_values` (it is overwritten).
        """
        A = X
        for l, act in enumerate(self.activations):
            Z = self._inference_z(l, A, first)
            A = act.forward(Z, Z if l < self.n_layers - 1 else np.empty_like(Z))
        return Z, A

    def _inference_z(self, l, A, first=None) -> np.ndarray:
        """Layer l's Z at prediction from the previous layer's output ``A``
        (``first``, when given, is layer 0's Z before any normalisation, used
        in place), normalised as prediction normalises."""
        if l == 0 and first is not None:
            Z = first
        else:
            Z = _matmul(A, self._weights[l], None)
            if self.bias:
                Z += self._biases[l]
        if self.normalization is not None and l < self.n_layers - 1:
            self._normalize_inference(l, Z)
        return Z

    def _normalize_inference(self, l, P):
        """Hidden layer l's normalisation at prediction, in place over P."""
        if self.normalization.running:
            mean, var = self._running_mean[l].reshape(1, -1), self._running_var[l].reshape(1, -1)
        else:
            mean, var = moments(P, self.normalization.axis)
        normalize(P, mean, var, self._scales[l], self._shifts[l], P, P)

    def predict(self, X) -> np.ndarray:
        """Output activation for ``X``, shape (n_samples, n_outputs).

        Raises ValueError rather than return NaN or ±inf when the products
        overflow the dtype (inputs of 1e30 against large weights in float32).
        """
        with np.errstate(over="ignore", invalid="ignore"):
            output = self.output_values(X)[1]
        if not np.isfinite(output).all():
            row = int(np.argwhere(~np.isfinite(output))[0][0])
            raise ValueError(
                f"the network's output overflowed {np.dtype(self.dtype).name} for row {row} of the input "
                f"(largest input magnitude {float(np.max(np.abs(X[row].toarray() if hasattr(X, 'toarray') else X[row]))):.3g}); "
                "scale the inputs or use float64"
            )
        return output

    def layer_values(self, X=None, *, first=None) -> list[tuple[np.ndarray, np.ndarray]]:
        """``(Z, A)`` of every layer for ``X``, in fresh arrays (for tracing),
        in the inference pass: Z is the activation's input (after any
        normalisation), A its output (before any dropout, which prediction
        does not apply).

        ``first`` : the first layer's ``Z`` before any normalisation
        (n_samples, n_units of layer 1), when the caller has it more cheaply
        than ``X·W₁ + b₁`` (the playground's grid varies two inputs of many:
        its ``Z`` costs two columns, not every input); ``X`` is then not read.
        """
        if not self._plain and first is None:
            ws = self.inference_pass(X)
            return list(zip(ws.Z, ws.A))
        if first is not None:
            first = np.array(first, dtype=self.dtype)  # a copy: normalisation works in place
        values, A = [], X
        for l, act in enumerate(self.activations):
            Z = self._inference_z(l, A, first)
            A = act.forward(Z, np.empty_like(Z))
            values.append((Z, A))
        return values

    def inference_pass(self, X, masks=None) -> Workspace:
        """Every number of the inference pass for ``X`` in a fresh workspace
        (batch normalisation by its running moments), with ``masks`` applied
        as dropout masks when given (a trace of a training step's dropout).
        The network's own cache is left as it was."""
        ws = Workspace(self, X.shape[0], separate=True)
        ws.begin(masks, batch_statistics=False)
        self._run(X, ws)
        return ws

    # --- loss and backward -----------------------------------------------------
    def backward(self, Y, sample_weight=None) -> np.ndarray:
        """Fill ``grad`` with the loss gradient for the last :meth:`forward`.

        ``Y`` : array of shape (n_samples, n_outputs). Returns ``grad``.
        """
        X, ws = self._cache
        if self.label_smoothing:
            Y = self.smoothed(Y).astype(self.dtype)
        n = X.shape[0]
        last = self.n_layers - 1
        dZ = ws.dZ[last]
        kernel = kernels.active()
        bias_grad = self._bias_grads[last] if self.bias else None
        # the reduction and sample weights scale every row's contribution once,
        # here, so the layer loop below is the same for every loss
        if self._fused and sample_weight is None:
            # dZ = (A − Y)·(1/n) and the bias gradient: one pass on the numba path
            kernel.output_delta(ws.A[last], Y, 1.0 / n if self.reduction == "mean" else None, dZ, bias_grad)
        else:
            if self._fused:
                np.subtract(ws.A[last], Y, out=dZ)
            else:
                self.activations[last].backward(self.loss.output_gradient(Y, ws.A[last]), ws.Z[last], ws.A[last], dZ)
            if sample_weight is not None:
                scale = sample_weight / sample_weight.sum() if self.reduction == "mean" else sample_weight
                dZ *= scale.astype(self.dtype, copy=False)[:, None]
            elif self.reduction == "mean":
                dZ *= 1.0 / n
            if self.bias:
                dZ.sum(axis=0, out=bias_grad)
        plain = self._plain
        for l in range(last, -1, -1):
            A_prev = X if l == 0 else ws.A[l - 1] if plain else ws.input_of(l - 1)
            _matmul_transposed(A_prev, dZ, self._weight_grads[l])
            if l > 0:
                dA = ws.dZ[l - 1]
                np.matmul(dZ, self._weights[l].T, out=dA)
                # dZ of the layer below and, with biases, its bias gradient
                # (its column sums): one pass on the numba path
                bias_grad = self._bias_grads[l - 1] if self.bias else None
                if plain:
                    kernel.activation_backward(self.activations[l - 1], dA, ws.Z[l - 1], ws.A[l - 1], dA, bias_grad)
                else:  # through dropout's mask, the activation and the normalisation
                    layer_backward(self, ws, l - 1, dA, bias_grad, kernel)
                dZ = dA
        if self.l2:
            scale = self.l2 / self._penalty_denominator(n, sample_weight)
            kernel.add_scaled(self.grad[: self.n_weights], self.params[: self.n_weights], scale)
        return self.grad

    def loss_and_gradient(self, X, Y, sample_weight=None, masks=None) -> tuple[float, np.ndarray]:
        """Loss and its gradient (the ``grad`` vector) at the current
        parameters, in the training pass (batch normalisation by the batch's
        moments; dropout only with ``masks`` given, see :meth:`forward`)."""
        self.forward(X, masks, sample_weight)
        loss = self.output_loss(Y, sample_weight)
        return loss, self.backward(Y, sample_weight)

    def backpropagation(self, X, Y, sample_weight=None):
        """One forward and backward pass with every value kept, for tracing.

        Returns ``(loss, values, deltas)``: ``values`` is :meth:`layer_values`
        and ``deltas[l]`` is layer l's ``dZ``, the gradient of the loss with
        respect to its pre-activation, shape (n_samples, width). All are fresh
        arrays; ``grad`` then holds the gradient, as after
        :meth:`loss_and_gradient`. The same :meth:`backward` runs, over a
        workspace holding these arrays instead of the reused buffers, so a
        trace shows exactly what training computes.
        """
        if not self._plain:
            loss, workspace = self.trace_pass(X, Y, sample_weight)
            return loss, list(zip(workspace.Z, workspace.A)), workspace.dZ
        values = self.layer_values(X)
        workspace = Workspace.holding(values)
        self._cache = (X, workspace)
        loss = self.output_loss(Y, sample_weight)
        self.backward(Y, sample_weight)
        return loss, values, workspace.dZ

    def trace_pass(self, X, Y=None, sample_weight=None, masks=None) -> tuple[float | None, Workspace]:
        """The inference pass of :meth:`inference_pass` and, with ``Y``, the
        backward pass through it: ``(loss, workspace)``, every number in
        fresh arrays (``grad`` then holds the gradient). Batch normalisation
        uses its running moments (one row has no batch to normalise by), so
        the gradient is that of the inference pass, with ``masks`` applied as
        dropout when given."""
        workspace = self.inference_pass(X, masks)
        if Y is None:
            return None, workspace
        self._cache = (X, workspace)
        loss = self.output_loss(Y, sample_weight)
        self.backward(Y, sample_weight)
        return loss, workspace

    def draw_masks(self, n: int, rng) -> list | None:
        """Fresh dropout masks for ``n`` rows, one per hidden layer (None
        where a layer has no dropout), drawn from ``rng``; None without
        dropout. For a training pass with fixed masks (a gradient check)."""
        if not any(self._dropout):
            return None
        widths = self.layer_sizes[1:-1]
        return [None if not rate else draw_mask(rng, rate, np.empty((n, width), self.dtype))
                for rate, width in zip(self._dropout, widths)]

    def _repr_html_(self) -> str:
        """The network as a notebook shows it: a picture of its layers and its parameter count."""
        from .._html import card

        figures = [("layers", "-".join(map(str, self.layer_sizes))),
                   ("parameters", self.params.size), ("loss", self.loss.name),
                   ("dtype", np.dtype(self.dtype).name)]
        return card("Network", self.layer_sizes, [a.name for a in self.activations], figures)

    def __repr__(self) -> str:
        hidden = ", ".join(a.name for a in self.activations[:-1]) or "none"
        extras = ""
        if self.normalization is not None:
            extras += f", normalization={self.normalization.name}"
        if any(self._dropout):
            rates = self._dropout
            extras += f", dropout={rates[0] if len(set(rates)) == 1 else rates}"
        if self.label_smoothing:
            extras += f", label_smoothing={self.label_smoothing}"
        return (
            f"Network({self.layer_sizes}, hidden={hidden}, output={self.activations[-1].name}, "
            f"loss={self.loss.name}, bias={self.bias}{extras}, dtype={np.dtype(self.dtype).name})"
        )


def _matmul(A, W, out):
    """``A · W`` into ``out`` (or a fresh array); A may be a scipy.sparse matrix."""
    # the exact-type test first: it is the common case, and scipy's issparse
    # (an isinstance through abc) costs more than a tiny product
    if type(A) is not np.ndarray and sp.issparse(A):
        product = np.asarray(A @ W)
        if out is None:
            return product
        out[...] = product
        return out
    return np.matmul(A, W, out=out)


def _matmul_transposed(A, dZ, out):
    """``Aᵀ · dZ`` into ``out``; A may be a scipy.sparse matrix."""
    if type(A) is not np.ndarray and sp.issparse(A):
        out[...] = np.asarray(A.T @ dZ)
        return out
    return np.matmul(A.T, dZ, out=out)

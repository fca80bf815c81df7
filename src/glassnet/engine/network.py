"""The engine: a stack of dense layers with one flat parameter vector.

Every weight matrix ``W[l]`` (shape (n_in, n_out)) and bias ``b[l]`` (shape
(n_out,)) is a view into one contiguous array ``params``; their gradients are
views into ``grad``. Optimisers and L-BFGS then work on whole vectors.

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

from collections import OrderedDict

import numpy as np
import scipy.sparse as sp

from . import kernels
from .activations import get_activation
from .dropout import check_rates, draw_mask
from .hidden import layer_forward
from .hidden import layer_backward
from .initializers import get_initializer
from .losses import REDUCTIONS, get_loss, reduce_per_sample, softmax_logsumexp
from .normalization import get_normalization, moments, normalize, row_weights, update_running
from .parameters import ParameterList, Workspace
from .validation import check_dtype

__all__ = ["Network", "SMOOTHED_LOSSES"]

_CACHED_BATCH_SIZES = 4

# the losses label smoothing applies to: the cross-entropies of classes
SMOOTHED_LOSSES = ("binary_crossentropy", "categorical_crossentropy")


class Network:
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

    # --- parameters ---------------------------------------------------------
    def _allocate(self):
        shapes = list(zip(self.layer_sizes[:-1], self.layer_sizes[1:]))
        hidden = [(o,) for o in self.layer_sizes[1:-1]]
        self.n_weights = sum(i * o for i, o in shapes)
        n_biases = sum(o for _, o in shapes) if self.bias else 0
        n_scales = sum(o for (o,) in hidden) if self.normalization is not None else 0
        n_params = self.n_weights + n_biases + 2 * n_scales
        # batch normalisation's running means and variances follow the
        # parameters in one vector, so that a snapshot of it is the whole network
        n_statistics = 2 * n_scales if self.normalization is not None and self.normalization.running else 0
        self.variables = np.zeros(n_params + n_statistics, self.dtype)
        self.params = self.variables[:n_params] if n_statistics else self.variables
        self.grad = np.zeros_like(self.params)
        self._weights, self._weight_grads = self._views(shapes, 0)
        self._decayed = self.params[: self.n_weights]
        if self.bias:
            self._biases, self._bias_grads = self._views([(o,) for _, o in shapes], self.n_weights)
        else:
            self._biases = [self._fixed_zeros(o) for _, o in shapes]
            self._bias_grads = [self._fixed_zeros(o) for _, o in shapes]
        start = self.n_weights + n_biases
        self._scales, self._scale_grads = self._views(hidden, start) if n_scales else ([], [])
        self._shifts, self._shift_grads = self._views(hidden, start + n_scales) if n_scales else ([], [])
        statistics = self.variables[n_params:]
        self._running_mean = self._views(hidden, 0, statistics)[0] if n_statistics else []
        self._running_var = self._views(hidden, n_scales, statistics)[0] if n_statistics else []
        self._plain = self.normalization is None and not any(self._dropout)
        self._workspaces = OrderedDict()
        self._last_workspace = None

    def _views(self, shapes, start, vector=None):
        params, grads = [], []
        for shape in shapes:
            stop = start + int(np.prod(shape))
            if vector is None:
                params.append(self.params[start:stop].reshape(shape))
                grads.append(self.grad[start:stop].reshape(shape))
            else:
                params.append(vector[start:stop].reshape(shape))
            start = stop
        return params, grads

    def _fixed_zeros(self, n):
        zeros = np.zeros(n, self.dtype)
        zeros.flags.writeable = False
        return zeros

    def initialize(self, rng: np.random.Generator) -> None:
        """Draw fresh weights (then biases) layer by layer from ``rng``."""
        # the scale of schemes such as Glorot's depends on the hidden activation
        # (the first layer's), as in scikit-learn
        activation = self.activations[0].name
        for l, (fan_in, fan_out) in enumerate(zip(self.layer_sizes[:-1], self.layer_sizes[1:])):
            W, b = self._initializer(rng, fan_in, fan_out, activation)
            self._weights[l][...] = W
            if self.bias:
                self._biases[l][...] = b
        # a normalised layer starts as the plain normalisation (γ = 1, β = 0),
        # its running moments as those of a standard normal; nothing is drawn
        for scale, shift in zip(self._scales, self._shifts):
            scale[...] = 1.0
            shift[...] = 0.0
        for mean, var in zip(self._running_mean, self._running_var):
            mean[...] = 0.0
            var[...] = 1.0

    @property
    def weights(self) -> ParameterList:
        """Weight matrices, each of shape (n_in, n_out): views into ``params``."""
        return ParameterList(self._weights, "weights")

    @weights.setter
    def weights(self, values):
        self._assign(self.weights, values, "weights")

    @property
    def biases(self) -> ParameterList:
        """Bias vectors, each of shape (n_out,): views into ``params``."""
        return ParameterList(self._biases, "biases")

    @biases.setter
    def biases(self, values):
        self._assign(self.biases, values, "biases")

    def _assign(self, target, values, label):
        values = list(values)
        if len(values) != len(target):
            raise ValueError(f"{label} needs {len(target)} arrays, got {len(values)}")
        for i, value in enumerate(values):
            target[i] = value

    @property
    def scales(self) -> ParameterList:
        """Each normalised hidden layer's scale γ, shape (width,): views into ``params``."""
        return ParameterList(self._scales, "scales")

    @scales.setter
    def scales(self, values):
        self._assign(self.scales, values, "scales")

    @property
    def shifts(self) -> ParameterList:
        """Each normalised hidden layer's shift β, shape (width,): views into ``params``."""
        return ParameterList(self._shifts, "shifts")

    @shifts.setter
    def shifts(self, values):
        self._assign(self.shifts, values, "shifts")

    @property
    def running_mean(self) -> ParameterList:
        """Batch normalisation's running mean per hidden layer, used by prediction."""
        return ParameterList(self._running_mean, "running_mean")

    @property
    def running_var(self) -> ParameterList:
        """Batch normalisation's running (biased) variance per hidden layer, used by prediction."""
        return ParameterList(self._running_var, "running_var")

    @property
    def statistics(self) -> np.ndarray:
        """The running means, then variances, of every batch-normalised layer
        (empty otherwise): the part of ``variables`` after ``params``."""
        return self.variables[self.params.size:]

    @property
    def decayed(self) -> np.ndarray:
        """The part of ``params`` weight decay shrinks: the weights (not the
        biases, scales or shifts)."""
        return self._decayed

    @property
    def dropout(self) -> list[float]:
        """The dropout rate of each hidden layer (0: none)."""
        return list(self._dropout)

    @dropout.setter
    def dropout(self, value):
        rates = check_rates(value, self.n_layers - 1)
        if rates != self._dropout:
            self._dropout = rates
            self._plain = self.normalization is None and not any(rates)
            self._workspaces.clear()  # the buffers for the masks change
            self._last_workspace = None

    @property
    def plain(self) -> bool:
        """Whether no hidden layer normalises or drops: then the training and
        inference passes are one and the same."""
        return self._plain

    @property
    def weight_grads(self) -> list:
        return list(self._weight_grads)

    @property
    def scale_grads(self) -> list:
        return list(self._scale_grads)

    @property
    def shift_grads(self) -> list:
        return list(self._shift_grads)

    @property
    def bias_grads(self) -> list:
        return list(self._bias_grads)

    @property
    def n_layers(self) -> int:
        """Number of weight layers (hidden layers + the output layer)."""
        return len(self.layer_sizes) - 1

    @property
    def n_inputs(self) -> int:
        return self.layer_sizes[0]

    @property
    def n_outputs(self) -> int:
        return self.layer_sizes[-1]

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

    def output_values(self, X) -> tuple[np.ndarray, np.ndarray]:
        """``(Z, A)`` of the output layer for ``X``, in fresh arrays, no cache.

        Hidden layers are computed in place, so memory stays at two arrays
        of one layer's width.
        """
        A = X
        for l, act in enumerate(self.activations):
            Z = _matmul(A, self._weights[l], None)
            if self.bias:
                Z += self._biases[l]
            if self.normalization is not None and l < self.n_layers - 1:
                self._normalize_inference(l, Z)
            A = act.forward(Z, Z if l < self.n_layers - 1 else np.empty_like(Z))
        return Z, A

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

    def layer_values(self, X) -> list[tuple[np.ndarray, np.ndarray]]:
        """``(Z, A)`` of every layer for ``X``, in fresh arrays (for tracing),
        in the inference pass: Z is the activation's input (after any
        normalisation), A its output (before any dropout, which prediction
        does not apply)."""
        if not self._plain:
            ws = self.inference_pass(X)
            return list(zip(ws.Z, ws.A))
        values, A = [], X
        for l, act in enumerate(self.activations):
            Z = _matmul(A, self._weights[l], None)
            if self.bias:
                Z += self._biases[l]
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
    def _penalty_denominator(self, n, sample_weight):
        if self.reduction == "sum":
            return 1.0
        return float(n) if sample_weight is None else float(sample_weight.sum())

    def penalty(self, n, sample_weight=None) -> float:
        """The L2 term ``½·l2·Σ‖W‖²`` scaled as the loss is."""
        if self.l2 == 0.0:
            return 0.0
        W = self.params[: self.n_weights]
        return 0.5 * self.l2 * float(np.dot(W, W)) / self._penalty_denominator(n, sample_weight)

    def output_loss(self, Y, sample_weight=None) -> float:
        """Loss (penalty included) of the last :meth:`forward`, against ``Y``."""
        X, ws = self._cache
        if self.label_smoothing:
            Y = self.smoothed(Y)
        if self._keeps_logsumexp and ws.logsumexp is not None:
            # the logits are float64 and the targets only multiply them, so
            # 0/1 indicator targets need no float64 copy
            targets = Y if type(Y) is np.ndarray and Y.dtype.kind in "biu" else _float64(Y)
            per_sample = self.loss.from_logsumexp(targets, ws.Z[-1], ws.logsumexp)
        elif self._float64:
            per_sample = self.loss.per_sample(_float64(Y), ws.Z[-1], ws.A[-1])
        else:
            per_sample = self.loss.per_sample(_float64(Y), _float64(ws.Z[-1]), _float64(ws.A[-1]))
        value = reduce_per_sample(per_sample, self.reduction, sample_weight)
        # the penalty is 0 without l2: skip the call (x + 0.0 is x)
        return value + self.penalty(X.shape[0], sample_weight) if self.l2 else value

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

    def loss_and_output(self, X, Y, sample_weight=None) -> tuple[float, np.ndarray]:
        """Loss and output activation for ``X``, without touching the caches
        (the inference pass)."""
        Z, A = self.output_values(X)
        per_sample = self.sample_losses(*_in_float64(Y, Z, A))
        loss = reduce_per_sample(per_sample, self.reduction, sample_weight)
        return loss + self.penalty(X.shape[0], sample_weight), A

    def sample_losses(self, Y, Z, A) -> np.ndarray:
        """The loss of each row given the output layer's Z and A: the loss's
        ``per_sample`` against the targets as the network trains on them
        (smoothed under ``label_smoothing``)."""
        return self.loss.per_sample(self.smoothed(Y) if self.label_smoothing else Y, Z, A)

    def smoothed(self, Y) -> np.ndarray:
        """The targets under label smoothing, ``y·(1 − ε) + ε/K`` in float64:
        K is the number of classes, the softmax's outputs or 2 for each
        logistic output (Keras's rule for binary targets)."""
        classes = self.n_outputs if self.loss.name == "categorical_crossentropy" else 2
        epsilon = self.label_smoothing
        return np.multiply(Y, 1.0 - epsilon, dtype=np.float64) + epsilon / classes

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

    def loss_value(self, X, Y, sample_weight=None) -> float:
        """Loss (penalty included) at the current parameters, in the inference pass."""
        return self.loss_and_output(X, Y, sample_weight)[0]

    def draw_masks(self, n: int, rng) -> list | None:
        """Fresh dropout masks for ``n`` rows, one per hidden layer (None
        where a layer has no dropout), drawn from ``rng``; None without
        dropout. For a training pass with fixed masks (a gradient check)."""
        if not any(self._dropout):
            return None
        widths = self.layer_sizes[1:-1]
        return [None if not rate else draw_mask(rng, rate, np.empty((n, width), self.dtype))
                for rate, width in zip(self._dropout, widths)]

    # --- configuration ---------------------------------------------------------
    def config(self) -> dict:
        """The constructor arguments, as plain JSON-ready values (dropout,
        normalization and label_smoothing only when set, so that a network
        without them is described as before they existed)."""
        config = {
            "layer_sizes": list(self.layer_sizes),
            "activation": [a.name for a in self.activations[:-1]],
            "output_activation": self.activations[-1].name,
            "loss": self.loss.name,
            "bias": self.bias,
            "init": self.init,
            "reduction": self.reduction,
            "l2": self.l2,
            "dtype": np.dtype(self.dtype).name,
        }
        if any(self._dropout):
            config["dropout"] = list(self._dropout)
        if self.normalization is not None:
            config["normalization"] = self.normalization.name
        if self.label_smoothing:
            config["label_smoothing"] = self.label_smoothing
        return config

    @classmethod
    def from_config(cls, config: dict, params=None, statistics=None) -> "Network":
        """A network built from :meth:`config`, with ``params`` (and batch
        normalisation's running ``statistics``) copied in."""
        network = cls(**config, rng=np.random.default_rng(0))
        for name, values, target in (("parameter vector", params, network.params),
                                     ("running statistics", statistics, network.statistics)):
            if values is None:
                continue
            values = np.asarray(values)
            if values.shape != target.shape:
                raise ValueError(f"the {name} has shape {values.shape}; this network needs {target.shape}")
            target[...] = values
        return network

    # --- model files (see glassnet.persistence) -----------------------------------
    def state_arrays(self) -> dict:
        """The arrays a model file keeps: ``params`` and, with batch
        normalisation, its running ``statistics``."""
        arrays = {"params": self.params.copy()}
        if self.statistics.size:
            arrays["statistics"] = self.statistics.copy()
        return arrays

    def _glassnet_state(self) -> tuple[dict, dict]:
        return {"config": self.config()}, self.state_arrays()

    @classmethod
    def _from_glassnet_state(cls, state: dict, arrays: dict) -> "Network":
        params = arrays["params"]
        dtype = np.dtype(state["config"]["dtype"])
        statistics = arrays.get("statistics")
        for name, values in (("parameters", params), ("running statistics", statistics)):
            if values is not None and values.dtype != dtype:
                raise ValueError(f"the {name} are {values.dtype}; the network's dtype is {dtype}")
        network = cls.from_config(state["config"], params, statistics)
        if network.statistics.size and statistics is None:
            raise ValueError("the network normalises its batches but the file holds no running statistics")
        if not np.isfinite(network.statistics).all() or (network.statistics.size
                                                         and (np.concatenate(network._running_var) < 0).any()):
            raise ValueError("the running statistics must be finite, with variances >= 0")
        return network

    # --- pickling and copying ---------------------------------------------------
    def __getstate__(self) -> dict:
        # weights, biases and their gradients are views into params and grad;
        # pickled as they are they would come back as separate arrays, and
        # training would then change params while the layers read stale
        # copies. So a network travels as its configuration and parameters
        # and is rebuilt with fresh views (work buffers are rebuilt on use).
        return {"config": self.config(), "params": self.params, "statistics": self.statistics}

    def __setstate__(self, state: dict) -> None:
        network = Network.from_config(state["config"], state["params"], state.get("statistics"))
        self.__dict__.update(network.__dict__)

    def copy(self, dtype=None) -> "Network":
        """An independent copy, optionally in another dtype."""
        config = self.config()
        if dtype is not None:
            config["dtype"] = np.dtype(check_dtype(dtype)).name
        return Network.from_config(config, self.params, self.statistics)

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


_FLOAT64 = np.dtype(np.float64)


def _float64(array):
    """An array in float64 for the loss *value*: float32 outputs beyond
    ~1.8e19 would overflow when squared, and the value is only a number to
    report and compare, not part of the gradient. Float64 arrays (the common
    case) pass as they are, after one type test."""
    if type(array) is np.ndarray and array.dtype is _FLOAT64:
        return array
    return np.asarray(array, dtype=np.float64)


def _in_float64(*arrays):
    """:func:`_float64` of each array."""
    return [_float64(array) for array in arrays]


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

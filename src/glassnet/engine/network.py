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
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
import scipy.sparse as sp

from . import kernels
from .activations import get_activation
from .initializers import get_initializer
from .losses import REDUCTIONS, get_loss, reduce_per_sample, softmax_logsumexp
from .parameters import ParameterList, Workspace
from .state_arrays import StateArrays
from .validation import check_dtype

__all__ = ["Network"]

_CACHED_BATCH_SIZES = 4


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
        self.n_weights = sum(i * o for i, o in shapes)
        n_biases = sum(o for _, o in shapes) if self.bias else 0
        self.params = np.zeros(self.n_weights + n_biases, self.dtype)
        self.grad = np.zeros_like(self.params)
        self._weights, self._weight_grads = self._views(shapes, 0)
        if self.bias:
            self._biases, self._bias_grads = self._views([(o,) for _, o in shapes], self.n_weights)
        else:
            self._biases = [self._fixed_zeros(o) for _, o in shapes]
            self._bias_grads = [self._fixed_zeros(o) for _, o in shapes]
        self._workspaces = OrderedDict()
        self._last_workspace = None

    def _views(self, shapes, start):
        params, grads = [], []
        for shape in shapes:
            stop = start + int(np.prod(shape))
            params.append(self.params[start:stop].reshape(shape))
            grads.append(self.grad[start:stop].reshape(shape))
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
    def weight_grads(self) -> list:
        return list(self._weight_grads)

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

    def forward(self, X) -> np.ndarray:
        """Forward pass keeping every layer's Z and A for :meth:`backward`.

        ``X`` : array of shape (n_samples, n_inputs), already validated.
        Returns the output activation, a buffer that the next forward pass
        over the same number of rows overwrites.
        """
        ws = self._workspace(X.shape[0])
        kernel = kernels.active()
        A_prev = X
        keep_at = self.n_layers - 1 if self._keeps_logsumexp else -1
        for l, act in enumerate(self.activations):
            Z = ws.Z[l]
            _matmul(A_prev, self._weights[l], Z)
            if l == keep_at:  # the softmax keeps the log-sum-exp the loss value reads
                if self.bias:
                    Z += self._biases[l]
                ws.logsumexp = softmax_logsumexp(Z, ws.A[l])
            elif self.bias:  # Z += b, then A = f(Z): one pass on the numba path
                kernel.bias_activation(act, Z, self._biases[l], ws.A[l])
            else:
                act.forward(Z, ws.A[l])
            A_prev = ws.A[l]
        self._cache = (X, ws)
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
            if l == 0 and first is not None:
                Z = first
            else:
                Z = _matmul(A, self._weights[l], None)
                if self.bias:
                    Z += self._biases[l]
            A = act.forward(Z, Z if l < self.n_layers - 1 else np.empty_like(Z))
        return Z, A

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
        """``(Z, A)`` of every layer for ``X``, in fresh arrays (for tracing).

        ``first`` : the first layer's ``Z`` (n_samples, n_units of layer 1),
        when the caller has it more cheaply than ``X·W₁ + b₁`` (the
        playground's grid varies two inputs of many: its ``Z`` costs two
        columns, not every input); ``X`` is then not read.
        """
        values, A = [], X
        for l, act in enumerate(self.activations):
            if l == 0 and first is not None:
                Z = np.asarray(first, dtype=self.dtype)
            else:
                Z = _matmul(A, self._weights[l], None)
                if self.bias:
                    Z += self._biases[l]
            A = act.forward(Z, np.empty_like(Z))
            values.append((Z, A))
        return values

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
        for l in range(last, -1, -1):
            A_prev = X if l == 0 else ws.A[l - 1]
            _matmul_transposed(A_prev, dZ, self._weight_grads[l])
            if l > 0:
                dA = ws.dZ[l - 1]
                np.matmul(dZ, self._weights[l].T, out=dA)
                # dZ of the layer below and, with biases, its bias gradient
                # (its column sums): one pass on the numba path
                bias_grad = self._bias_grads[l - 1] if self.bias else None
                kernel.activation_backward(self.activations[l - 1], dA, ws.Z[l - 1], ws.A[l - 1], dA, bias_grad)
                dZ = dA
        if self.l2:
            scale = self.l2 / self._penalty_denominator(n, sample_weight)
            kernel.add_scaled(self.grad[: self.n_weights], self.params[: self.n_weights], scale)
        return self.grad

    def loss_and_gradient(self, X, Y, sample_weight=None) -> tuple[float, np.ndarray]:
        """Loss and its gradient (the ``grad`` vector) at the current parameters."""
        self.forward(X)
        loss = self.output_loss(Y, sample_weight)
        return loss, self.backward(Y, sample_weight)

    def loss_and_output(self, X, Y, sample_weight=None) -> tuple[float, np.ndarray]:
        """Loss and output activation for ``X``, without touching the caches."""
        Z, A = self.output_values(X)
        per_sample = self.loss.per_sample(*_in_float64(Y, Z, A))
        loss = reduce_per_sample(per_sample, self.reduction, sample_weight)
        return loss + self.penalty(X.shape[0], sample_weight), A

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
        values = self.layer_values(X)
        workspace = Workspace.holding(values)
        self._cache = (X, workspace)
        loss = self.output_loss(Y, sample_weight)
        self.backward(Y, sample_weight)
        return loss, values, workspace.dZ

    def loss_value(self, X, Y, sample_weight=None) -> float:
        """Loss (penalty included) at the current parameters."""
        return self.loss_and_output(X, Y, sample_weight)[0]

    # --- configuration ---------------------------------------------------------
    def config(self) -> dict:
        """The constructor arguments, as plain JSON-ready values."""
        return {
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

    @classmethod
    def from_config(cls, config: dict, params=None) -> "Network":
        """A network built from :meth:`config`, with ``params`` copied in."""
        network = cls(**config, rng=np.random.default_rng(0))
        if params is not None:
            params = np.asarray(params)
            if params.shape != network.params.shape:
                raise ValueError(
                    f"the parameter vector has shape {params.shape}; this network needs {network.params.shape}"
                )
            network.params[...] = params
        return network

    # --- model files (see glassnet.persistence) -----------------------------------
    def _glassnet_state(self) -> tuple[dict, dict]:
        return {"config": self.config()}, {"params": self.params.copy()}

    @staticmethod
    def parameter_count(config: dict) -> int:
        """How many parameters a network of ``config`` holds, computed without
        building it (so a file's claimed sizes are checked before any allocation)."""
        sizes = [int(size) for size in config["layer_sizes"]]
        if len(sizes) < 2 or min(sizes) < 1:
            raise ValueError(f"layer sizes must be at least two positive integers, got {config['layer_sizes']!r}")
        biases = sum(sizes[1:]) if config.get("bias", True) else 0
        return sum(n_in * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:])) + biases

    @classmethod
    def _from_glassnet_state(cls, state: dict, arrays) -> "Network":
        config = state["config"]
        dtype = np.dtype(check_dtype(config["dtype"]))
        # the vector the configuration needs, checked before it is read or the network allocated
        params = StateArrays.of(arrays).take("params", shape=(cls.parameter_count(config),), dtype=dtype)
        return cls.from_config(config, params)

    # --- pickling and copying ---------------------------------------------------
    def __getstate__(self) -> dict:
        # weights, biases and their gradients are views into params and grad;
        # pickled as they are they would come back as separate arrays, and
        # training would then change params while the layers read stale
        # copies. So a network travels as its configuration and parameters
        # and is rebuilt with fresh views (work buffers are rebuilt on use).
        return {"config": self.config(), "params": self.params}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(Network.from_config(state["config"], state["params"]).__dict__)

    def copy(self, dtype=None) -> "Network":
        """An independent copy, optionally in another dtype."""
        config = self.config()
        if dtype is not None:
            config["dtype"] = np.dtype(check_dtype(dtype)).name
        return Network.from_config(config, self.params)

    def _repr_html_(self) -> str:
        """The network as a notebook shows it: a picture of its layers and its parameter count."""
        from .._html import card

        figures = [("layers", "-".join(map(str, self.layer_sizes))),
                   ("parameters", Network.parameter_count(self.config())), ("loss", self.loss.name),
                   ("dtype", np.dtype(self.dtype).name)]
        return card("Network", self.layer_sizes, [a.name for a in self.activations], figures)

    def __repr__(self) -> str:
        hidden = ", ".join(a.name for a in self.activations[:-1]) or "none"
        return (
            f"Network({self.layer_sizes}, hidden={hidden}, output={self.activations[-1].name}, "
            f"loss={self.loss.name}, bias={self.bias}, dtype={np.dtype(self.dtype).name})"
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

"""The network's numbers: one flat parameter vector and the views into it.

Every weight matrix ``W[l]`` (shape (n_in, n_out)), bias ``b[l]`` (shape
(n_out,)) and normalised hidden layer's scale γ and shift β (shape
(width,)) is a view into one contiguous array ``params``, laid out as all
the weights, all the biases, all the scales, all the shifts; their
gradients are views into ``grad``. Batch normalisation's running means and
variances, which are not trained, follow ``params`` in ``variables``, so
that one copy of ``variables`` is the whole network. :class:`NetworkViews`
is the part of :class:`~glassnet.engine.network.Network` that allocates
them, draws the initial values and hands out the views.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np

from .dropout import check_rates
from .parameters import ParameterList

__all__ = ["NetworkViews"]


class NetworkViews:
    """The parameter vector, its views and the settings they depend on
    (a mixin of :class:`~glassnet.engine.network.Network`)."""

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

"""The network as plain values: its configuration, the arrays a model file
keeps, pickling and copies. A network travels as its configuration and its
numbers (``params`` and batch normalisation's running ``statistics``) and
is rebuilt with fresh views, so that training a copy never changes the
original and a loaded network is the one saved."""

from __future__ import annotations

import numpy as np

from .normalization import get_normalization
from .state_arrays import StateArrays
from .validation import check_dtype

__all__ = ["NetworkState"]


class NetworkState:
    """Configuration, model-file state, pickling and copying (a mixin of
    :class:`~glassnet.engine.network.Network`)."""

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
    def from_config(cls, config: dict, params=None, statistics=None) -> "NetworkState":
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

    @staticmethod
    def vector_sizes(config: dict) -> tuple[int, int]:
        """``(parameters, running statistics)``: the lengths of the two
        vectors a network of ``config`` holds, computed without building it
        (so a file's declared arrays are checked before any allocation).
        The parameters are every weight and bias, and with a normalisation a
        scale and a shift per hidden unit; batch normalisation also keeps a
        running mean and variance per hidden unit."""
        sizes = [int(size) for size in config["layer_sizes"]]
        if len(sizes) < 2 or min(sizes) < 1:
            raise ValueError(f"layer sizes must be at least two positive integers, got {config['layer_sizes']!r}")
        weights = sum(n_in * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))
        biases = sum(sizes[1:]) if config.get("bias", True) else 0
        normalization = get_normalization(config.get("normalization"))
        per_unit = sum(sizes[1:-1]) if normalization is not None else 0
        statistics = 2 * per_unit if normalization is not None and normalization.running else 0
        return weights + biases + 2 * per_unit, statistics

    @classmethod
    def parameter_count(cls, config: dict) -> int:
        """How many parameters a network of ``config`` holds (see :meth:`vector_sizes`)."""
        return cls.vector_sizes(config)[0]

    @classmethod
    def _from_glassnet_state(cls, state: dict, arrays) -> "NetworkState":
        config = state["config"]
        dtype = np.dtype(check_dtype(config["dtype"]))
        n_params, n_statistics = cls.vector_sizes(config)
        # the vectors the configuration needs, checked before they are read or the network allocated
        arrays = StateArrays.of(arrays)
        params = arrays.take("params", shape=(n_params,), dtype=dtype)
        statistics = None
        if n_statistics:
            if "statistics" not in arrays:
                raise ValueError("the network normalises its batches but the file holds no running statistics")
            statistics = arrays.take("statistics", shape=(n_statistics,), dtype=dtype)
        network = cls.from_config(config, params, statistics)
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
        network = type(self).from_config(state["config"], state["params"], state.get("statistics"))
        self.__dict__.update(network.__dict__)

    def copy(self, dtype=None) -> "NetworkState":
        """An independent copy, optionally in another dtype."""
        config = self.config()
        if dtype is not None:
            config["dtype"] = np.dtype(check_dtype(dtype)).name
        return type(self).from_config(config, self.params, self.statistics)

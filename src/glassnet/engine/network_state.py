"""The network as plain values: its configuration, the arrays a model file
keeps, pickling and copies. A network travels as its configuration and its
numbers (``params`` and batch normalisation's running ``statistics``) and
is rebuilt with fresh views, so that training a copy never changes the
original and a loaded network is the one saved."""

from __future__ import annotations

import numpy as np

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

    @classmethod
    def _from_glassnet_state(cls, state: dict, arrays: dict) -> "NetworkState":
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
        network = type(self).from_config(state["config"], state["params"], state.get("statistics"))
        self.__dict__.update(network.__dict__)

    def copy(self, dtype=None) -> "NetworkState":
        """An independent copy, optionally in another dtype."""
        config = self.config()
        if dtype is not None:
            config["dtype"] = np.dtype(check_dtype(dtype)).name
        return type(self).from_config(config, self.params, self.statistics)

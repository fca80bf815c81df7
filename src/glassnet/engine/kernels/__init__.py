"""Elementwise kernels of a training step: one pure-NumPy path, one optional
numba path.

An optimiser step is elementwise arithmetic over the flat parameter vector.
NumPy does it as a series of whole-array passes (about ten for Adam), each
reading and writing the vector again; the numba kernels do the same
arithmetic, operation for operation and in the same precision, in one pass.
Both give the same numbers to the last bit, which ``tests/test_kernels.py``
checks for both dtypes.

Loading numba and its compiled kernels costs about a second per process
(import, then LLVM start-up; the machine code itself is cached on disk), while
a one-pass step saves about 2 ns per parameter per step. So the numba path is
taken only where it pays: in the default ``"auto"`` mode, with numba
installed (``pip install "glassnet[fast]"``), a training run loads it when its
parameter updates (parameters × steps) reach :data:`WORTH_LOADING`, and once
loaded it serves every later step in the process. ``GLASSNET_KERNELS=numpy``
or ``=numba`` in the environment (read once, at the first step), or
:func:`use`, chooses a path outright.

A kernel module provides::

    adam_step(params, grads, m, v, scratch, rate, beta_1, beta_2, epsilon)
    sgd_step(params, grads, velocity, scratch, rate, momentum, nesterov)
    ADAM_SCRATCH, SGD_SCRATCH   # work arrays shaped like params it needs
    add_scaled(target, source, scale)   # target += scale·source (the L2 term)
    relu_forward(Z, out)                # maximum(Z, 0)
    relu_backward(dA, A, out)           # dA where a > 0, ±0 elsewhere
    bias_activation(activation, Z, b, out)
        # Z += b, then out = activation(Z): a layer's forward after its product
    activation_backward(activation, dA, Z, A, out, bias_grad)
        # out = the gradient through activation; bias_grad (unless None) =
        # the column sums of out: a layer's backward before its products
    output_delta(A, Y, scale, dZ, bias_grad)
        # dZ = (A − Y)·scale (scale None: no product), bias_grad = its column
        # sums: the output layer of a loss fused with its link (softmax, logistic)

The numba module does a layer's bias and activation in one pass for the
activations it has a loop for (relu, leaky_relu, identity forward; relu
backward with the bias sum; the output layer's A − Y with its scale and
bias sum) and hands any other to the NumPy kernels. A hidden layer with
normalisation has its normalisation between the bias and the activation,
so neither fused loop can take it: its bias, normalisation and activation
run on NumPy on both paths, and its activation's backward without the bias
sum (see :mod:`glassnet.engine.hidden`); dropout's masks are NumPy
products on both paths too. The optimiser kernels take every step, the
training rules' clipping and weight decay being NumPy passes before them.

Each kernel casts its scalars (rates, betas, scales) to the parameters'
dtype before use, so a float32 network is updated in float32 throughout.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import warnings

from ..._registry import Registry

__all__ = ["KERNELS", "active", "use", "reset", "available", "plan", "WORTH_LOADING"]

ENVIRONMENT_VARIABLE = "GLASSNET_KERNELS"
MODES = ("auto", "numpy", "numba")

# parameter updates (parameters × steps) whose NumPy optimiser time, at about
# 2 ns each, repays the second or so that loading numba costs
WORTH_LOADING = 5e8

# name -> module path, imported on first use (numba takes a while to import)
KERNELS: Registry[str] = Registry("kernel path")
KERNELS.register("numpy", "glassnet.engine.kernels.numpy_kernels")
KERNELS.register("numba", "glassnet.engine.kernels.numba_kernels")

_chosen: str | None = None  # set by use(); None means the environment decides
_loaded: dict = {}  # name -> imported kernel module, or None if loading it failed
_current = None  # the module active() returns, until use() or plan() changes it


def available() -> list[str]:
    """The kernel paths that can run here (numba is looked for, not imported)."""
    return ["numpy"] + (["numba"] if importlib.util.find_spec("numba") is not None else [])


def _mode() -> str:
    mode = _chosen or os.environ.get(ENVIRONMENT_VARIABLE, "auto")
    if mode not in MODES:
        raise ValueError(f"{ENVIRONMENT_VARIABLE}={mode!r} is not a kernel path; expected one of: {', '.join(MODES)}")
    return mode


def _load(name: str):
    if _loaded.get(name, False) is None:  # tried before, and failed
        raise ValueError(f"the {name} kernels failed to load earlier in this process")
    if name not in _loaded:
        _loaded[name] = importlib.import_module(KERNELS.get(name))
    return _loaded[name]


def use(name: str) -> None:
    """Choose the kernel path: ``"numpy"``, ``"numba"`` (loaded now) or
    ``"auto"``."""
    global _chosen, _current
    if name not in MODES:
        raise ValueError(f"unknown kernel path {name!r}; expected one of: {', '.join(MODES)}")
    if name == "numba":
        if "numba" not in available():
            raise ValueError('kernel path "numba" needs numba, which is not installed; '
                             'install it with: pip install "glassnet[fast]"')
        _load("numba")
    _chosen, _current = name, None


def reset() -> None:
    """Forget :func:`use` and read ``GLASSNET_KERNELS`` again at the next step."""
    global _chosen, _current
    _chosen, _current = None, None


def plan(parameter_updates: float) -> None:
    """Tell the kernels how much work a training run is about to do; in
    ``"auto"`` mode a run big enough loads the numba path."""
    global _current
    worth_it = parameter_updates >= WORTH_LOADING and "numba" not in _loaded  # not loaded, nor failed
    if _mode() == "auto" and worth_it and "numba" in available():
        try:
            _load("numba")
        except Exception as error:  # numba's own failure (a broken install, no cache directory, ...)
            # the NumPy kernels give the same numbers, so training goes on with them
            _loaded["numba"] = None
            warnings.warn(f"the numba kernels could not be loaded ({type(error).__name__}: {error}); "
                          "training goes on with the NumPy kernels, which give the same numbers",
                          RuntimeWarning, stacklevel=3)
        _current = None


def active():
    """The kernel module for the next step (called at every step, so the
    choice is worked out once and kept)."""
    global _current
    if _current is None:
        _current = _resolve()
    return _current


def _resolve():
    mode = _mode()
    if mode == "auto":
        return _loaded.get("numba") or _load("numpy")
    if mode == "numba" and "numba" not in available():
        use("numba")  # raises the clear error
    return _load(mode)

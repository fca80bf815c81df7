"""Optimiser update kernels: one pure-NumPy path, one optional numba path.

An optimiser step is elementwise arithmetic over the flat parameter vector.
NumPy does it as a series of whole-array passes (about ten for Adam), each
reading and writing the vector again; the numba kernels do the same
arithmetic, operation for operation and in the same precision, in one pass.
Both give the same numbers to the last bit, which ``tests/test_kernels.py``
checks for both dtypes.

The numba path is used when numba is installed (``pip install
"glassnet[fast]"``). ``GLASSNET_KERNELS=numpy`` in the environment, or
:func:`use`, chooses a path explicitly.

A kernel module provides::

    adam_step(params, grads, m, v, scratch, rate, beta_1, beta_2, epsilon)
    sgd_step(params, grads, velocity, scratch, rate, momentum, nesterov)
    ADAM_SCRATCH, SGD_SCRATCH   # work arrays shaped like params it needs

Every scalar arrives already cast to the parameters' dtype, so a float32
network is updated in float32 throughout, as NumPy's own arithmetic does.
"""

from __future__ import annotations

import importlib
import os

from .._registry import Registry

__all__ = ["KERNELS", "active", "use", "available"]

ENVIRONMENT_VARIABLE = "GLASSNET_KERNELS"

# name -> module path, imported on first use (numba takes a while to import)
KERNELS: Registry[str] = Registry("kernel path")
KERNELS.register("numpy", "glassnet.kernels.numpy_kernels")
KERNELS.register("numba", "glassnet.kernels.numba_kernels")

_chosen: str | None = None
_module = None


def available() -> list[str]:
    """The kernel paths that can run here."""
    names = ["numpy"]
    try:
        importlib.import_module("numba")
    except ImportError:
        return names
    return names + ["numba"]


def use(name: str) -> None:
    """Choose the kernel path: ``"numpy"``, ``"numba"`` or ``"auto"`` (numba
    when installed)."""
    global _chosen, _module
    if name != "auto":
        KERNELS.get(name)
        if name not in available():
            raise ValueError(f"kernel path {name!r} needs numba, which is not installed; "
                             f"install it with: pip install \"glassnet[fast]\"")
    _chosen, _module = name, None


def active():
    """The kernel module in use (imported, and chosen, on first call)."""
    global _module
    if _module is None:
        name = _chosen or os.environ.get(ENVIRONMENT_VARIABLE, "auto")
        if name == "auto":
            name = available()[-1]
        elif name not in available():
            use(name)  # raises the clear error
        _module = importlib.import_module(KERNELS.get(name))
    return _module

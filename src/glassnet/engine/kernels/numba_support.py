"""What the numba loops share: their typed signatures and an overlap test.

Each loop is compiled for C-contiguous arrays of float32 and of float64
only (``signatures``), eagerly and cached on disk. An array of any other
layout, dtype or writeability then fails numba's own dispatch with a
``TypeError`` before the loop runs, and the caller hands the work to the
NumPy kernels: on small networks a step is dozens of calls of a few
microseconds, and checking flags, shapes and dtypes in Python cost more
than the loops themselves (3 to 4 µs a call on digits' 32×128 layer).
What dispatch does not see, the loops check first and report by returning
False: arrays of different sizes, and arrays that overlap.
"""

from __future__ import annotations

from numba import njit, types

__all__ = ["signatures", "apart", "run_loop", "JIT"]

# error_model="numpy": a division by zero gives inf, as in NumPy, and the
# loops vectorise (a Python-style check in the loop would keep LLVM from it)
JIT = dict(cache=True, nogil=True, error_model="numpy")

_KINDS = {
    "vector": lambda dtype: types.Array(dtype, 1, "C"),
    "matrix": lambda dtype: types.Array(dtype, 2, "C"),
    "scalar": lambda dtype: dtype,
    "flag": lambda dtype: types.boolean,
}


def signatures(*kinds: str) -> list:
    """The loop's signature for float32 and for float64: each argument is a
    "vector", "matrix" (C-contiguous, of that dtype), "scalar" (of that
    dtype) or "flag"; the loop returns True when it did the work."""
    return [types.boolean(*(_KINDS[kind](dtype) for kind in kinds)) for dtype in (types.float32, types.float64)]


@njit(nogil=True, cache=True)
def apart(a, b):
    """True when the memory of arrays a and b does not overlap."""
    a_start, b_start = a.ctypes.data, b.ctypes.data
    return a_start + a.size * a.itemsize <= b_start or b_start + b.size * b.itemsize <= a_start


def run_loop(loop, *arguments) -> bool:
    """Run a typed loop; False when its arrays are not the loop's kind
    (another layout or dtype fails numba's dispatch with a TypeError; other
    sizes or overlap, the loop's own checks), so that the caller hands the
    work to the NumPy kernels."""
    try:
        return loop(*arguments)
    except TypeError:
        return False

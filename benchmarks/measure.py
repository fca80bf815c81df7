"""Time, peak memory and the machine's GEMM rate."""

from __future__ import annotations

import time
import tracemalloc

import numpy as np


def timed(function) -> float:
    """Seconds ``function()`` takes (one call, perf_counter)."""
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def peak_python_memory(function) -> float:
    """Peak bytes allocated through Python's allocator and NumPy's (both
    report to tracemalloc) while ``function()`` runs. PyTorch's own allocator
    does not report there, so its figure is not comparable and is left out."""
    tracemalloc.start()
    try:
        function()
        return float(tracemalloc.get_traced_memory()[1])
    finally:
        tracemalloc.stop()


def gemm_gflops(n: int, repeats: int = 3) -> float:
    """Best float32 matrix-product rate for n×n matrices, in GFLOP/s."""
    rng = np.random.default_rng(0)
    A = rng.standard_normal((n, n)).astype(np.float32)
    B = rng.standard_normal((n, n)).astype(np.float32)
    A @ B  # warm-up
    best = min(timed(lambda: A @ B) for _ in range(repeats))
    return 2 * n**3 / best / 1e9

"""The GEMM floor: the matrix products of a workload's training, and nothing else.

One step of glassnet's training on a batch of b rows does, per layer l with
n_in inputs and n_out outputs, three products (the second and third are what
the backward pass needs):

* forward ``A_{l-1} · W_l`` : (b × n_in) · (n_in × n_out), into Z_l;
* weight gradient ``A_{l-1}ᵀ · dZ_l`` : (n_in × b) · (b × n_out);
* input gradient ``dZ_l · W_lᵀ`` : (b × n_out) · (n_out × n_in), for l > 0.

The floor runs exactly that sequence, with the same shapes, batch sizes (the
last batch of an epoch may be shorter), dtype, memory layouts (transposed
views, as the network uses) and ``out=`` buffers, for as many epochs as the
workload, on fixed arrays prepared before the timing starts. No activation,
loss, optimiser or row gathering runs, so a system's time over the floor's
says how much of its run is not matrix products: 1.0 would be a training
loop whose every other cost is zero on this machine, with this BLAS, in this
run. It replaces the 2048² GEMM rate as the yardstick (that rate stays in the
report as context): a 256-row batch cannot reach the rate of a 2048² product.
"""

from __future__ import annotations

import numpy as np

NAME = "GEMM floor"


class Products:
    """The prepared arrays and the product sequence of one epoch."""

    def __init__(self, workload):
        dtype = np.dtype(workload.dtype)
        sizes = workload.layer_sizes
        n = workload.X_train.shape[0]
        batch = max(1, min(workload.batch_size, n))
        self.batch_sizes = [min(start + batch, n) - start for start in range(0, n, batch)]
        self.epochs = workload.epochs
        rng = np.random.default_rng(0)
        # weights and their gradients: one set, as in the network
        self.W = [(rng.standard_normal((a, b)) / np.sqrt(a)).astype(dtype) for a, b in zip(sizes[:-1], sizes[1:])]
        self.G = [np.empty_like(W) for W in self.W]
        X = np.ascontiguousarray(workload.X_train, dtype=dtype)
        # buffers per batch size (at most two: the full batch and the last one)
        self.buffers = {}
        for size in set(self.batch_sizes):
            inputs = [np.ascontiguousarray(X[:size])] + [rng.random((size, b)).astype(dtype) for b in sizes[1:-1]]
            Z = [np.empty((size, b), dtype) for b in sizes[1:]]
            dZ = [(rng.standard_normal((size, b)) * 0.01).astype(dtype) for b in sizes[1:]]
            self.buffers[size] = (inputs, Z, dZ)

    def step(self, size: int) -> None:
        """The products of one training step on ``size`` rows."""
        inputs, Z, dZ = self.buffers[size]
        W, G = self.W, self.G
        for l in range(len(W)):
            np.matmul(inputs[l], W[l], out=Z[l])
        for l in range(len(W) - 1, -1, -1):
            np.matmul(inputs[l].T, dZ[l], out=G[l])
            if l > 0:
                np.matmul(dZ[l], W[l].T, out=dZ[l - 1])

    def train(self) -> None:
        """Every epoch's products, in training order."""
        for _ in range(self.epochs):
            for size in self.batch_sizes:
                self.step(size)

    def count(self) -> int:
        """Matrix products per run (for the report and the tests)."""
        layers = len(self.W)
        return self.epochs * len(self.batch_sizes) * (3 * layers - 1)

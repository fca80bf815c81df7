"""Who does the work. Each system turns a Workload into a ``Run``: a
``train()`` that is timed and an ``accuracy()`` on the test rows that is not.
A system returns None for a workload it cannot do the same way."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .floor import NAME as FLOOR


@dataclass
class Run:
    train: Callable[[], None]
    accuracy: Callable[[], "float | None"]


def _glassnet(w, kernel_path="numpy", layout=None):
    """glassnet as installed: the NumPy update kernels, which ``auto`` picks
    for runs of these sizes in a fresh process; ``kernel_path="numba"`` is the
    ``fast`` extra, loaded (and its machine code warmed) before any timing."""
    import glassnet
    from glassnet import kernels

    if kernel_path == "numba" and "numba" not in kernels.available():
        return None
    kernels.use(kernel_path)
    kernels.reset()

    def with_kernels(function):
        def run(*args):
            kernels.use(kernel_path)
            try:
                return function(*args)
            finally:
                kernels.reset()
        return run

    if w.name == "tutorial":
        model = glassnet.NeuralNetwork(seed=0)  # the article's network and update rule
        return Run(with_kernels(lambda: model.train(w.X_train, w.y_train, w.epochs)),
                   lambda: float(np.mean((model.network.predict(w.X_test)[:, 0] >= 0.5) == w.y_test)))
    model = glassnet.MLPClassifier(hidden_layer_sizes=w.hidden, activation=w.activation, solver=w.solver,
                                   learning_rate_init=w.learning_rate, batch_size=w.batch_size, max_iter=w.epochs,
                                   tol=0.0, n_iter_no_change=w.epochs + 1, random_state=0, dtype=w.dtype)
    # the input is built before timing; converting it is part of fit, and timed
    X_train, X_test = (w.X_train, w.X_test) if layout is None else (layout(w.X_train), layout(w.X_test))
    return Run(with_kernels(lambda: _quietly(model.fit, X_train, w.y_train)),
               lambda: _quietly(model.score, X_test, w.y_test))


def _glassnet_numba(w):
    return _glassnet(w, "numba")


def _data_frame(X):
    import pandas as pd

    return pd.DataFrame(X, columns=[f"x{j}" for j in range(X.shape[1])])


def _glassnet_on(layout):
    """glassnet given the inputs workload's numbers in another layout; its
    time over glassnet's on the ndarray is the input's cost (goal: at most 1.1)."""
    def system(w):
        return _glassnet(w, layout=layout) if w.name == "inputs" else None

    return system


def _article_loop(w):
    """The article's bare NumPy loop: no biases, W += -gradient, step 1."""
    if w.name != "tutorial":
        return None
    X, y = w.X_train, w.y_train[:, None].astype(float)
    rng = np.random.default_rng(0)
    weights = {}

    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))

    def train():
        W1, W2 = rng.random((3, 3)), rng.random((3, 1))
        for _ in range(w.epochs):
            a1 = sigmoid(X @ W1)
            o = sigmoid(a1 @ W2)
            error = np.mean(np.abs(y - o))  # the article keeps the MAE per epoch
            delta2 = (o - y) * o * (1 - o)
            delta1 = (delta2 @ W2.T) * a1 * (1 - a1)
            W2 -= a1.T @ delta2
            W1 -= X.T @ delta1
        weights.update(W1=W1, W2=W2, error=error)

    def accuracy():
        o = sigmoid(sigmoid(w.X_test @ weights["W1"]) @ weights["W2"])
        return float(np.mean((o[:, 0] >= 0.5) == w.y_test))

    return Run(train, accuracy)


def _sklearn(w):
    from sklearn.neural_network import MLPClassifier

    momentum = 0.0 if w.solver == "sgd" else 0.9
    model = MLPClassifier(hidden_layer_sizes=w.hidden, activation=w.activation, solver=w.solver,
                          learning_rate_init=w.learning_rate, batch_size=w.batch_size, max_iter=w.epochs, tol=0.0,
                          n_iter_no_change=w.epochs + 1, momentum=momentum, random_state=0)
    return Run(lambda: _quietly(model.fit, w.X_train, w.y_train), lambda: _quietly(model.score, w.X_test, w.y_test))


def _torch(w):
    try:
        import torch
    except ImportError:
        return None
    dtype = getattr(torch, w.dtype)
    torch.manual_seed(0)
    sizes = w.layer_sizes
    activation = {"relu": torch.nn.ReLU, "logistic": torch.nn.Sigmoid}[w.activation]
    layers = []
    tutorial = w.name == "tutorial"
    for index, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(torch.nn.Linear(a, b, bias=not tutorial, dtype=dtype))
        if index < len(sizes) - 2 or tutorial:
            layers.append(activation())
    model = torch.nn.Sequential(*layers)
    X = torch.as_tensor(w.X_train, dtype=dtype)
    X_test = torch.as_tensor(w.X_test, dtype=dtype)
    if tutorial:
        y = torch.as_tensor(w.y_train[:, None], dtype=dtype)
        optimizer = torch.optim.SGD(model.parameters(), lr=w.learning_rate)
        loss_of = lambda out, target: 0.5 * ((out - target) ** 2).sum()  # noqa: E731  (the article's loss)
    else:
        y = torch.as_tensor(w.y_train, dtype=torch.long)
        optimizer = torch.optim.Adam(model.parameters(), lr=w.learning_rate)
        loss_of = torch.nn.CrossEntropyLoss()

    def train():
        n = X.shape[0]
        for _ in range(w.epochs):
            order = torch.randperm(n)
            for start in range(0, n, w.batch_size):
                rows = order[start:start + w.batch_size]
                optimizer.zero_grad(set_to_none=True)
                loss = loss_of(model(X[rows]), y[rows])
                loss.backward()
                optimizer.step()

    def accuracy():
        with torch.no_grad():
            out = model(X_test)
        predicted = (out[:, 0] >= 0.5).long() if tutorial else out.argmax(dim=1)
        return float((predicted.numpy() == w.y_test).mean())

    return Run(train, accuracy)


def _gemm_floor(w):
    """The matrix products alone (see :mod:`benchmarks.floor`): nothing is
    learned, so there is no accuracy."""
    from .floor import Products

    return Run(Products(w).train, lambda: None)


def _quietly(method, X, y):
    with warnings.catch_warnings():
        # convergence warnings at a fixed epoch budget; extrapolation notes on test rows
        warnings.simplefilter("ignore")
        return method(X, y)


SYSTEMS = {FLOOR: _gemm_floor, "glassnet": _glassnet, "glassnet+numba": _glassnet_numba, "article loop": _article_loop, "scikit-learn": _sklearn, "pytorch": _torch,
           "glassnet on DataFrame": _glassnet_on(_data_frame), "glassnet on Fortran": _glassnet_on(np.asfortranarray)}
# the systems that time glassnet on another input layout of the same numbers
LAYOUT_SYSTEMS = ("glassnet on DataFrame", "glassnet on Fortran")

"""The work each system does: same data, architecture, optimiser, batch
size, epochs and dtype for every system."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Workload:
    name: str
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    hidden: tuple
    activation: str
    solver: str
    learning_rate: float
    batch_size: int
    epochs: int
    dtype: str
    description: str

    @property
    def layer_sizes(self) -> list[int]:
        classes = len(np.unique(self.y_train))
        return [self.X_train.shape[1], *self.hidden, 1 if classes == 2 and self.name == "tutorial" else classes]

    def flops(self) -> float:
        """Floating-point work of training: per sample and layer, 2·in·out for
        the forward product and 4·in·out for the two backward products."""
        sizes = self.layer_sizes
        per_sample = sum(6 * a * b for a, b in zip(sizes[:-1], sizes[1:]))
        return float(per_sample * self.X_train.shape[0] * self.epochs)


def tutorial(quick: bool = False) -> Workload:
    """The article: 3-3-1 sigmoid, six rows, 200 full-batch epochs, step 1."""
    import glassnet

    data = glassnet.load_tutorial()
    low, high = data.X_train.min(axis=0), data.X_train.max(axis=0)
    scale = lambda X: np.clip((X - low) / (high - low), 0, 1)  # noqa: E731  (min-max fitted on training rows)
    return Workload("tutorial", scale(data.X_train), data.y_train.astype(int), scale(data.X_test), data.y_test.astype(int),
                    (3,), "logistic", "sgd", 1.0, 6, 200, "float64",
                    "3-3-1 sigmoid, 6 rows, 200 full-batch epochs")


def digits(quick: bool = False) -> Workload:
    """scikit-learn's digits: 64-128-10 relu, adam, batch 32, 30 epochs."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0, stratify=y)
    scaler = StandardScaler().fit(X_train)
    epochs = 3 if quick else 30
    return Workload("digits", scaler.transform(X_train), y_train, scaler.transform(X_test), y_test,
                    (128,), "relu", "adam", 1e-3, 32, epochs, "float64",
                    f"64-128-10 relu, adam, batch 32, {epochs} epochs")


def large(quick: bool = False) -> Workload:
    """60000×256 -> 512-512-10 relu, adam, batch 256, one epoch, float32."""
    rng = np.random.default_rng(0)
    n = 2000 if quick else 60000
    X = rng.standard_normal((n + n // 6, 256)).astype(np.float32)
    teacher = rng.standard_normal((256, 10)).astype(np.float32)
    y = np.argmax(X @ teacher, axis=1)
    return Workload("large", X[:n], y[:n], X[n:], y[n:], (512, 512), "relu", "adam", 1e-3, 256, 1, "float32",
                    f"{n}x256 -> 512-512-10 relu, adam, batch 256, 1 epoch, float32")


def inputs(quick: bool = False) -> Workload:
    """100000×20 -> 100-2 relu, adam, batch 200, 3 epochs, float64: the same
    numbers given as an ndarray, a pandas DataFrame and a Fortran-ordered
    array (the systems "glassnet on DataFrame" and "glassnet on Fortran")."""
    rng = np.random.default_rng(0)
    n = 2000 if quick else 100_000
    X = rng.standard_normal((n + n // 5, 20))
    y = (X[:, :5].sum(axis=1) + 0.5 * rng.standard_normal(n + n // 5) > 0).astype(int)
    return Workload("inputs", X[:n], y[:n], X[n:], y[n:], (100,), "relu", "adam", 1e-3, 200, 3, "float64",
                    f"{n}x20 -> 100-2 relu, adam, batch 200, 3 epochs; inputs of several layouts")


WORKLOADS = {"tutorial": tutorial, "digits": digits, "large": large, "inputs": inputs}

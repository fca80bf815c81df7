"""The playground's data sets: TensorFlow Playground's 2-D ones, moons and
blobs, and the tables ``glassnet train --dataset`` knows.

Every set comes out as a table of text cells with its target column, like a
CSV file, so that all of them go through the same tabular pipeline as an
upload. The 2-D sets have inputs ``x1`` and ``x2`` on about [-6, 6] and

* classification: labels ``-1`` and ``1`` (blobs: ``a``, ``b``, ``c``);
* regression: a value in about [-1, 1].

``noise`` is a fraction (TF Playground's 0-50 % slider is 0-0.5); all the
randomness comes from one generator seeded with ``seed``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._registry import Registry
from ..tabular.datasets import DATASETS as TABLES
from ..tabular.datasets import load_dataset

__all__ = ["GENERATED", "DATASET_NAMES", "REGRESSION_SETS", "load", "generate"]

RADIUS = 5.0


def _circle(rng, n, noise):
    # half the points inside half the radius (class 1), half in an outer ring (class -1)
    inner = n // 2
    radius = np.concatenate([rng.uniform(0, RADIUS * 0.5, inner), rng.uniform(RADIUS * 0.7, RADIUS, n - inner)])
    angle = rng.uniform(0, 2 * np.pi, n)
    points = np.column_stack([radius * np.sin(angle), radius * np.cos(angle)])
    points += rng.uniform(-RADIUS, RADIUS, (n, 2)) * noise
    labels = np.where(np.hypot(points[:, 0], points[:, 1]) < RADIUS * 0.5, 1, -1)
    return points, labels


def _xor(rng, n, noise):
    points = rng.uniform(-5, 5, (n, 2))
    # keep the points off the axes, where the class flips
    points += np.where(points > 0, 0.3, -0.3)
    points += rng.uniform(-5, 5, (n, 2)) * noise
    return points, np.where(points[:, 0] * points[:, 1] >= 0, 1, -1)


def _gauss(rng, n, noise):
    spread = np.sqrt(0.5 + 3.5 * noise / 0.5)
    half = n // 2
    positive = rng.normal(2, spread, (half, 2))
    negative = rng.normal(-2, spread, (n - half, 2))
    return np.vstack([positive, negative]), np.r_[np.ones(half, int), -np.ones(n - half, int)]


def _spiral(rng, n, noise):
    half = n // 2
    blocks, labels = [], []
    for label, shift, count in ((1, 0.0, half), (-1, np.pi, n - half)):
        step = np.arange(count) / count
        radius = step * RADIUS
        angle = 1.75 * step * 2 * np.pi + shift
        points = np.column_stack([radius * np.sin(angle), radius * np.cos(angle)])
        blocks.append(points + rng.uniform(-1, 1, (count, 2)) * noise)
        labels.append(np.full(count, label))
    return np.vstack(blocks), np.concatenate(labels)


def _moons(rng, n, noise):
    from sklearn.datasets import make_moons

    points, labels = make_moons(n, noise=noise, random_state=int(rng.integers(2**31)))
    # centred and stretched onto the other sets' scale
    return (points - [0.5, 0.25]) * 3.0, np.where(labels == 1, 1, -1)


def _blobs(rng, n, noise):
    from sklearn.datasets import make_blobs

    centres = [[-3, -2], [3, -2], [0, 3]]
    points, labels = make_blobs(n, centers=centres, cluster_std=0.6 + 4 * noise, random_state=int(rng.integers(2**31)))
    return points, np.array(["a", "b", "c"])[labels]


def _plane(rng, n, noise):
    points = rng.uniform(-6, 6, (n, 2))
    values = (points[:, 0] + points[:, 1]) / 12
    return points + rng.uniform(-6, 6, (n, 2)) * noise, values


def _gauss_regression(rng, n, noise):
    points = rng.uniform(-6, 6, (n, 2))
    bumps = [(-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1)]
    values = np.zeros(n)
    for cx, cy, sign in bumps:
        values += sign * np.exp(-((points[:, 0] - cx) ** 2 + (points[:, 1] - cy) ** 2) / 2)
    return points + rng.uniform(-6, 6, (n, 2)) * noise, values


# name -> (generator(rng, n, noise) -> (points (n, 2), targets (n,)), regression?)
GENERATED: Registry = Registry("2-D data set")
for _name, _make, _regress in (
    ("circle", _circle, False), ("xor", _xor, False), ("gauss", _gauss, False), ("spiral", _spiral, False),
    ("moons", _moons, False), ("blobs", _blobs, False), ("plane", _plane, True),
    ("gauss_regression", _gauss_regression, True),
):
    GENERATED.register(_name, (_make, _regress))

REGRESSION_SETS = [name for name in GENERATED if GENERATED.get(name)[1]]
DATASET_NAMES = list(GENERATED) + list(TABLES)


def generate(name: str, n: int = 500, noise: float = 0.0, seed: int = 0) -> tuple[pd.DataFrame, str]:
    """``(table, target column)`` of a 2-D set: columns x1, x2 and label (or y)."""
    make, regress = GENERATED.get(name)
    if not 0.0 <= noise <= 0.5:
        raise ValueError(f"noise must be between 0 and 0.5, got {noise!r}")
    if not 10 <= n <= 100_000:
        raise ValueError(f"the number of points must be between 10 and 100000, got {n!r}")
    points, targets = make(np.random.default_rng(seed), int(n), float(noise))
    target = "y" if regress else "label"
    table = pd.DataFrame({"x1": points[:, 0], "x2": points[:, 1]})
    # text cells, as a CSV file gives them; repr keeps every float's digits
    table = table.map(repr) if hasattr(table, "map") else table.applymap(repr)
    table[target] = [repr(float(value)) if regress else str(value) for value in targets]
    return table, target


def load(name: str, n: int = 500, noise: float = 0.0, seed: int = 0) -> tuple[pd.DataFrame, str]:
    """A generated 2-D set, or a table bundled with the command line."""
    if name in GENERATED:
        return generate(name, n, noise, seed)
    if name in TABLES:
        return load_dataset(name)
    raise ValueError(f"unknown data set {name!r}; expected one of: {', '.join(DATASET_NAMES)}")

"""The target column and the network's outputs: how a table's labels or
values become the targets a network trains on, and how its outputs become
predictions again.

One encoding per task, fitted on the training part only and kept in the
model file:

* :class:`ClassTarget` (classify): the sorted class labels. Two classes train
  one output, 1.0 for the second label in sorted order (a logistic output
  gives the probability ``[1 − a, a]``); more train one output per class, a
  one-hot row (softmax). This is scikit-learn's ``LabelBinarizer``, so an
  :class:`~glassnet.MLPClassifier` fitted on the labels has the same targets.
* :class:`ValueTarget` (regress): ``(y − mean) / scale`` with the training
  part's mean and standard deviation (scale 1 for a constant target), and
  ``output · scale + mean`` back. A network whose weights start near zero
  reaches values near 0 ± 1 in a few steps; a price near 250,000 it would
  chase for thousands of epochs, its first gradients huge.
"""

from __future__ import annotations

import math

import numpy as np

from .._registry import Registry

__all__ = ["ClassTarget", "ValueTarget", "TARGET_ENCODINGS", "fit_target_encoding", "target_encoding_from_state"]


class ClassTarget:
    """Class labels (strings, sorted) <-> network targets and outputs."""

    kind = "classes"

    def __init__(self, classes):
        classes = np.asarray(classes).astype(str)
        if classes.ndim != 1 or classes.size < 2 or np.any(classes[1:] <= classes[:-1]):
            raise ValueError(f"classes must be at least two distinct labels in sorted order, got {classes.tolist()!r}")
        self.classes = classes

    @classmethod
    def fit(cls, labels) -> "ClassTarget":
        return cls(np.unique(np.asarray(labels).astype(str)))

    @property
    def n_outputs(self) -> int:
        """One output for two classes, else one per class."""
        return 1 if self.classes.size == 2 else int(self.classes.size)

    def encode(self, labels) -> np.ndarray:
        """Labels (n,) -> network targets (n, n_outputs) in float64; ValueError for a label not among the classes."""
        labels = np.asarray(labels).astype(str).reshape(-1)
        index = np.minimum(np.searchsorted(self.classes, labels), self.classes.size - 1)
        unknown = self.classes[index] != labels
        if unknown.any():
            raise ValueError(f"label {str(labels[np.flatnonzero(unknown)[0]])!r} is not one of the classes "
                             f"{', '.join(map(repr, self.classes.tolist()))}")
        if self.classes.size == 2:
            return index.astype(np.float64).reshape(-1, 1)
        return np.eye(self.classes.size)[index]

    def probabilities(self, outputs: np.ndarray) -> np.ndarray:
        """Network outputs (n, n_outputs) -> class probabilities (n, n_classes), columns in ``classes`` order."""
        if self.classes.size == 2:
            return np.hstack([1.0 - outputs, outputs])
        return outputs

    def decode(self, outputs: np.ndarray) -> np.ndarray:
        """Network outputs -> the most probable class of each row, (n,) (the first on a tie)."""
        return self.classes[np.argmax(self.probabilities(outputs), axis=1)]

    def state(self) -> dict:
        return {"kind": self.kind, "classes": self.classes.tolist()}

    @classmethod
    def from_state(cls, state: dict) -> "ClassTarget":
        if not all(isinstance(label, str) for label in state["classes"]):
            raise ValueError("the class labels must be strings")
        return cls(state["classes"])

    def describe(self) -> str:
        return f"classes {', '.join(self.classes.tolist())}"

    def __repr__(self) -> str:
        return f"ClassTarget({self.classes.tolist()!r})"


class ValueTarget:
    """A numeric target standardised for training: ``(y − mean) / scale``."""

    kind = "values"
    n_outputs = 1

    def __init__(self, mean: float = 0.0, scale: float = 1.0):
        mean, scale = float(mean), float(scale)
        if not math.isfinite(mean):
            raise ValueError(f"the target's mean must be a finite number, got {mean!r}")
        if not (math.isfinite(scale) and scale > 0):
            raise ValueError(f"the target's scale must be a positive number, got {scale!r}")
        self.mean = mean
        self.scale = scale

    @classmethod
    def fit(cls, values) -> "ValueTarget":
        """The training part's mean and standard deviation; a constant target keeps scale 1."""
        values = np.asarray(values, dtype=np.float64)
        with np.errstate(over="ignore", invalid="ignore"):
            mean, scale = float(values.mean()), float(values.std())
        return cls.of_moments(mean, scale, lambda: float(np.max(np.abs(values))))

    @classmethod
    def of_moments(cls, mean: float, std: float, largest) -> "ValueTarget":
        """From the training part's mean and (population) standard deviation,
        however gathered; ``largest()`` gives the largest absolute value for
        the message when they overflowed. A constant target keeps scale 1."""
        if not (math.isfinite(mean) and math.isfinite(std)):
            raise ValueError(f"the target's values are too large to standardise (up to {largest():.3g})")
        return cls(mean, std or 1.0)

    def encode(self, values) -> np.ndarray:
        """Values (n,) -> standardised network targets (n, 1)."""
        return ((np.asarray(values, dtype=np.float64) - self.mean) / self.scale).reshape(-1, 1)

    def decode(self, outputs: np.ndarray) -> np.ndarray:
        """Network outputs (n, 1) -> values in the target's own units, (n,)."""
        return outputs[:, 0] * self.scale + self.mean

    def probabilities(self, outputs: np.ndarray) -> np.ndarray:
        raise AttributeError("probabilities are for classes; this model regresses a value")

    def state(self) -> dict:
        return {"kind": self.kind, "mean": self.mean, "scale": self.scale}

    @classmethod
    def from_state(cls, state: dict) -> "ValueTarget":
        return cls(state["mean"], state["scale"])

    @property
    def standardised(self) -> bool:
        """False for the identity (mean 0, scale 1): regressors written before targets were standardised."""
        return (self.mean, self.scale) != (0.0, 1.0)

    def describe(self) -> str:
        if not self.standardised:
            return "the values as they are, not standardised"
        return f"standardised with the training part's mean {self.mean:.6g} and scale {self.scale:.6g}"

    def __repr__(self) -> str:
        return f"ValueTarget(mean={self.mean!r}, scale={self.scale!r})"


# task -> the encoding fitted on its training labels
TARGET_ENCODINGS: Registry = Registry("task")
TARGET_ENCODINGS.register("classify", ClassTarget)
TARGET_ENCODINGS.register("regress", ValueTarget)
_BY_KIND = {cls.kind: cls for cls in (ClassTarget, ValueTarget)}


def fit_target_encoding(task: str, labels) -> ClassTarget | ValueTarget:
    """The encoding of ``task`` fitted on the training part's labels or values."""
    return TARGET_ENCODINGS.get(task).fit(labels)


def target_encoding_from_state(state: dict) -> ClassTarget | ValueTarget:
    """The encoding a model file describes."""
    kind = state.get("kind") if isinstance(state, dict) else None
    if kind not in _BY_KIND:
        raise ValueError(f"unknown target encoding {kind!r}; expected one of: {', '.join(_BY_KIND)}")
    return _BY_KIND[kind].from_state(state)

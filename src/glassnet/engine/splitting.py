"""Holding out validation rows: scikit-learn's ``train_test_split``, drawn
the same way without importing scikit-learn.

Every front door splits through :func:`split_indices` (the Learner's
:meth:`~glassnet.engine.learner.Learner.validation_split`): the estimators'
``early_stopping``, which must hold out scikit-learn's rows for the same
``random_state``, ``NeuralNetwork.train(validation_split=...)`` and, through
the estimators, the command line's ``--early-stopping``.

The draws are scikit-learn's, step for step:

* unstratified (``ShuffleSplit``): ``n_test = ceil(fraction * n)``; one
  ``permutation(n)``, whose first ``n_test`` entries are the test rows and
  the rest the training rows;
* stratified (``StratifiedShuffleSplit``): the classes sorted, each class's
  share of the training and test rows by :func:`approximate_mode` (ties
  broken by ``choice``), one ``permutation`` per class, then one
  ``permutation`` of the training and one of the test indices. A 2-D ``y``
  is stratified by its distinct rows, each read as its values joined by
  spaces, as scikit-learn does.

``rng`` is anything with NumPy's ``permutation`` and ``choice`` (a
``RandomState`` gives scikit-learn's rows; a ``Generator`` works the same
way with its own stream); an integer seeds a ``RandomState``, as
scikit-learn's ``check_random_state`` reads one.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["SplitError", "split_indices", "approximate_mode"]


class SplitError(ValueError):
    """The rows cannot be split as asked (too few rows, or a class too small
    to stratify). A ValueError, so callers that catch those keep working."""


def _generator(rng):
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, (bool, np.bool_)):
        return np.random.RandomState(int(rng))
    if not (hasattr(rng, "permutation") and hasattr(rng, "choice")):
        raise TypeError(f"rng must be an integer seed or a random generator with permutation and choice, "
                        f"got {rng!r}")
    return rng


def approximate_mode(class_counts: np.ndarray, n_draws: int, rng) -> np.ndarray:
    """How many of ``n_draws`` rows each class gets, in proportion to
    ``class_counts`` (scikit-learn's ``_approximate_mode``): the floor of
    each share, then one more row per class in decreasing order of the
    remainders, ties broken at random, until the total is ``n_draws``."""
    continuous = class_counts / class_counts.sum() * n_draws
    floored = np.floor(continuous)
    need_to_add = int(n_draws - floored.sum())
    if need_to_add > 0:
        remainder = continuous - floored
        for value in np.sort(np.unique(remainder))[::-1]:
            (inds,) = np.where(remainder == value)
            add_now = min(len(inds), need_to_add)
            floored[rng.choice(inds, size=add_now, replace=False)] += 1
            need_to_add -= add_now
            if need_to_add == 0:
                break
    return floored.astype(int)


def _sizes(n_samples: int, fraction, name: str) -> tuple[int, int]:
    if isinstance(fraction, (bool, np.bool_)) or not isinstance(fraction, (int, float, np.integer, np.floating)) \
            or not 0.0 < fraction < 1.0:
        raise ValueError(f"{name} must be a real number in (0, 1), got {fraction!r}; a split needs rows on both sides")
    n_test = math.ceil(fraction * n_samples)
    n_train = n_samples - n_test
    if n_train <= 0:
        raise SplitError(f"{name}={fraction} of {n_samples} row(s) holds out {n_test} and leaves 0 training rows; "
                         "expected at least one row on each side")
    return n_train, n_test


def _class_labels(stratify) -> np.ndarray:
    y = np.asarray(stratify)
    if y.ndim == 2:
        # scikit-learn's reading of a 2-D y: each distinct row is a class,
        # named by its values joined with spaces
        y = np.array([" ".join(row.astype("str")) for row in y])
    elif y.ndim != 1:
        raise ValueError(f"stratify must be 1-D or 2-D, got shape {y.shape}")
    return y


def _stratified(stratify, n_samples, n_train, n_test, rng):
    y = _class_labels(stratify)
    if y.shape[0] != n_samples:
        raise ValueError(f"stratify has {y.shape[0]} rows for {n_samples} samples; expected one label per row")
    classes, y_indices, class_counts = np.unique(y, return_inverse=True, return_counts=True)
    n_classes = classes.shape[0]
    # scikit-learn's messages, word for word
    if np.min(class_counts) < 2:
        raise SplitError(
            "The least populated classes in y have only 1 member, which is too few. The minimum number of "
            "groups for any class cannot be less than 2. Classes with too few members are: "
            f"{classes[class_counts < 2].tolist()}"
        )
    if n_train < n_classes:
        raise SplitError(f"The train_size = {n_train} should be greater or equal to the number of classes = {n_classes}")
    if n_test < n_classes:
        raise SplitError(f"The test_size = {n_test} should be greater or equal to the number of classes = {n_classes}")
    class_indices = np.split(np.argsort(y_indices, kind="stable"), np.cumsum(class_counts)[:-1])
    n_i = approximate_mode(class_counts, n_train, rng)
    t_i = approximate_mode(class_counts - n_i, n_test, rng)
    train, test = [], []
    for i in range(n_classes):
        rows = class_indices[i].take(rng.permutation(class_counts[i]), mode="clip")
        train.extend(rows[: n_i[i]])
        test.extend(rows[n_i[i]: n_i[i] + t_i[i]])
    return rng.permutation(train), rng.permutation(test)


def split_indices(n_samples: int, fraction: float, rng, *, stratify=None,
                  name: str = "test_size") -> tuple[np.ndarray, np.ndarray]:
    """``(train, test)`` row indices holding out ``fraction`` of ``n_samples``
    rows, those of ``train_test_split(..., test_size=fraction,
    random_state=rng, stratify=stratify)``.

    stratify : labels of shape (n_samples,) or (n_samples, n_columns), or None.
    name : the parameter that gave ``fraction``, for messages.
    Raises ValueError for a fraction outside (0, 1) and :class:`SplitError`
    when the rows do not split (no training row left, a class with one row,
    fewer rows on a side than classes).
    """
    n_train, n_test = _sizes(int(n_samples), fraction, name)
    rng = _generator(rng)
    if stratify is not None:
        return _stratified(stratify, n_samples, n_train, n_test, rng)
    permutation = rng.permutation(n_samples)
    return permutation[n_test:], permutation[:n_test]

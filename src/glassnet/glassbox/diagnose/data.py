"""Checks on the data as the network sees it: input scaling, class balance,
rows beyond the training range."""

from __future__ import annotations

import numpy as np

from ...parameters import Code, Fix
from .fixes import scale_inputs
from .registry import Skip, check
from .report import Finding

# feature scales (largest magnitudes) differing by more than this factor
SCALE_SPREAD = 100.0
# a feature whose mean is this many standard deviations (and more than 1) from 0
OFF_CENTRE = 3.0
# a feature whose root mean square exceeds this is far beyond unit scale
LARGE = 5.0
# the largest class has this many times the rows of the smallest
IMBALANCE = 4.0
SEVERE_IMBALANCE = 20.0


# rows count as outside when beyond the range by more than this share of its width
MARGIN = 0.05


def _name(evidence, feature) -> str:
    training_range = evidence.view.training_range
    return training_range.name(int(feature)) if training_range is not None else f"x[:, {int(feature)}]"


def _names(evidence, features) -> list:
    return [_name(evidence, j) for j in features]


@check("input_scaling")
def input_scaling(evidence) -> list:
    """The network's inputs should be on comparable, unit-like scales and
    roughly centred: otherwise a single learning rate suits no feature, and
    logistic or tanh units saturate from the first step."""
    X = evidence.X
    if X.shape[0] < 2:
        raise Skip("one row has no spread to judge")
    mean, std = X.mean(axis=0), X.std(axis=0)
    rms = np.sqrt(np.mean(X * X, axis=0))
    # a feature's scale is its largest magnitude: a rare 0/1 indicator or a
    # nearly constant standardised column has a small spread but a unit scale
    peak = np.abs(X).max(axis=0)
    # a column constant on these rows tells the network nothing, whatever its size
    present = np.flatnonzero((peak > 0) & (std > 0))
    # each problem seen: (a phrase with its figures, the numbers behind it)
    problems = []
    if present.size >= 2:
        spread = float(peak[present].max() / peak[present].min())
        if spread > SCALE_SPREAD:
            wide, narrow = present[np.argmax(peak[present])], present[np.argmin(peak[present])]
            problems.append((f"feature scales differ by {spread:.3g} times (largest |x| {peak[wide]:.3g} for "
                             f"{_name(evidence, wide)}, {peak[narrow]:.3g} for {_name(evidence, narrow)})",
                             {"scale_ratio": spread, "largest_scale": float(peak[wide]),
                              "smallest_scale": float(peak[narrow])}))
    off = np.flatnonzero((np.abs(mean) > OFF_CENTRE * std) & (np.abs(mean) > 1))
    if off.size:
        worst = off[np.argmax(np.abs(mean[off]) / np.maximum(std[off], 1e-300))]
        problems.append((f"{off.size} feature(s) are far from centred (e.g. {_name(evidence, worst)}: mean "
                         f"{mean[worst]:.3g}, standard deviation {std[worst]:.3g})",
                         {"off_centre_features": _names(evidence, off), "off_centre_mean": float(mean[worst]),
                          "off_centre_std": float(std[worst])}))
    large = np.flatnonzero(rms > LARGE)
    if large.size:
        worst = large[np.argmax(rms[large])]
        problems.append((f"{large.size} feature(s) are far beyond unit scale (e.g. {_name(evidence, worst)}: root "
                         f"mean square {rms[worst]:.3g})",
                         {"large_features": _names(evidence, large), "largest_rms": float(rms[worst])}))
    if not problems:
        return []
    fixes = ()
    if evidence.view.scales_inputs:
        suggestion = "The model's own scaler does not bring these rows to unit scale: they differ from its training rows."
    elif _training_rows_scaled(evidence.view.training_range):
        suggestion = ("The training rows were on comparable scales and these are not: give them the same "
                      "preprocessing as the training rows.")
    else:
        suggestion = "Fit a scaler on the training rows and use it on every input."
        fixes = (*scale_inputs(evidence), Code("StandardScaler()"))
    numbers = {}
    for _, figures in problems:
        numbers.update(figures)
    message = "the inputs are not scaled for the network: " + "; ".join(phrase for phrase, _ in problems)
    return [Finding("input_scaling", "medium", message, suggestion, numbers, fixes=fixes)]


def _training_rows_scaled(training_range) -> bool:
    """Whether the rows trained on were on comparable, moderate scales, as
    far as their per-feature range tells."""
    if training_range is None:
        return False
    peak = np.maximum(np.abs(training_range.low), np.abs(training_range.high))
    width = training_range.high - training_range.low
    varying = peak[width > 0]
    # standardised columns reach a few units (rare values further); raw ones are wider apart or larger
    return (bool(varying.size) and varying.max() <= SCALE_SPREAD * varying.min()
            and float(np.median(varying)) <= 2 * LARGE)


@check("class_imbalance")
def class_imbalance(evidence) -> list:
    """Rows per class: a rare class is easy to ignore for a loss that
    averages over rows, and accuracy then hides it."""
    if evidence.labels is None:
        raise Skip("no class labels (regression, or no targets given)")
    classes, counts = np.unique(np.asarray(evidence.labels).astype(str), return_counts=True)
    if classes.size < 2:
        raise Skip("the targets hold a single class")
    ratio = float(counts.max() / counts.min())
    if ratio < IMBALANCE:
        return []
    rare = classes[np.argmin(counts)]
    weighted = evidence.view.class_weight is not None
    severity = "low" if weighted else ("high" if ratio >= SEVERE_IMBALANCE else "medium")
    suggestion = ("The classes are weighted already; judge the model by balanced accuracy or f1 per class."
                  if weighted else
                  "Weigh the classes inversely to their frequency (or weigh the rows) and judge by balanced accuracy "
                  "or f1 per class.")
    return [Finding("class_imbalance", severity,
                    f"the classes are imbalanced: the largest has {ratio:.3g} times the rows of the smallest "
                    f"({rare!s}: {counts.min()} of {counts.sum()})", suggestion,
                    {"counts": {str(c): int(n) for c, n in zip(classes, counts)}, "ratio": ratio},
                    fixes=() if weighted else (Fix("class weight", "balanced"),))]


@check("extrapolation")
def extrapolation(evidence) -> list:
    """Rows with a feature beyond the range the network was trained on: its
    outputs there are extrapolations nothing in training vouches for."""
    training_range = evidence.view.training_range
    if training_range is None:
        raise Skip("the model keeps no training range")
    X = evidence.X
    rows, _ = training_range.excursions(X)
    # a value just past the edge is a small extrapolation; count the rows well past it
    margin = MARGIN * (training_range.high - training_range.low)
    beyond = (X < training_range.low - margin) | (X > training_range.high + margin)
    far = np.flatnonzero(beyond.any(axis=1))
    if not far.size:
        return []
    share = far.size / X.shape[0]
    severity = "high" if share >= 0.25 else "medium" if share >= 0.05 else "low"
    per_feature = beyond.sum(axis=0)
    worst = np.argsort(-per_feature, kind="stable")[: min(5, int(np.count_nonzero(per_feature)))]
    named = ", ".join(f"{_name(evidence, j)} ({per_feature[j]})" for j in worst[:3])
    return [Finding("extrapolation", severity,
                    f"{far.size} of {X.shape[0]} rows ({share:.0%}) lie beyond the training range by more than "
                    f"{MARGIN:.0%} of its width, most in {named}",
                    "Clip the inputs to the training range, or train on data that covers these rows.",
                    {"rows_far_outside": int(far.size), "share_far_outside": share, "rows_outside": int(rows),
                     "features": {_name(evidence, j): int(per_feature[j]) for j in worst}},
                    # the command line's minmax scaler clips to the training range
                    fixes=(Fix("scaler", "minmax"), Code("MinMaxScaler(clip=True)")))]

"""The training doctor: ``diagnose(model, X, y=None)`` says in words why a
network does not learn, with the numbers behind each finding.

Each check is a small function registered in :data:`CHECKS` (see
:mod:`.registry`); they read one shared :class:`~.evidence.Evidence` (the
model through its :class:`~glassnet.protocol.ModelAdapter`, the data as the
network sees it) and return :class:`~.report.Finding` objects, gathered in a
:class:`~.report.Diagnosis`:

=================  ============================================================
dead_units         ReLU-like hidden units never active on X
saturated_units    logistic/tanh units with |z| > 4 on more than 95% of rows
gradient_flow      per-layer gradient norms and update-to-weight ratios:
                   vanishing or exploding
learning_rate      from the history: loss rising or oscillating, or steps too
                   small to matter
input_scaling      feature scales differing by more than 100×, far from
                   centred, or far beyond unit scale
class_imbalance    the largest class at least 4× the smallest
fit                overfitting (validation curve), underfitting (no better than
                   a constant guess), training stopped too early
extrapolation      rows outside the training range
=================  ============================================================
"""

from __future__ import annotations

from ...parameters import DOORS
from ...protocol import adapt
# imported in the order their findings are listed within one severity
from . import history, data, gradients, units  # noqa: F401  (register the checks)
from .evidence import Evidence
from .registry import CHECKS, Skip, check
from .report import SEVERITIES, Diagnosis, Finding

__all__ = ["diagnose", "Diagnosis", "Finding", "CHECKS", "check", "Skip"]


def diagnose(model, X, y=None, *, checks=None, door=None) -> Diagnosis:
    """Look for the usual reasons a network does not learn.

    Parameters
    ----------
    model : any glassnet model (see :mod:`glassnet.protocol`): a
        NeuralNetwork, a fitted MLPClassifier/MLPRegressor, a Network, a
        fitted scikit-learn Pipeline or TransformedTargetRegressor ending in
        an estimator (``X`` as the pipeline takes it, e.g. a DataFrame), or a
        model written by ``glassnet train`` (then ``X`` is a DataFrame of the
        table's cells; its target column, when present, gives ``y``).
    X : array of shape (n_samples, n_features)
        Rows to judge the model on, in the model's own input form.
    y : array of shape (n_samples,) or (n_samples, n_outputs), optional
        Targets, as the model's training takes them. Without them the
        checks that need a loss or a gradient are skipped.
    checks : list of str, optional
        Names of the checks to run (default: all of :data:`CHECKS`).
    door : str, optional
        Whose words the suggestions speak: one of
        :data:`glassnet.parameters.DOORS` (default: the model's own door; an
        estimator is advised in its keywords, ``learning_rate_init=0.0001``,
        a model ``glassnet train`` wrote in its flags, ``--learning-rate 0.0001``).

    Returns
    -------
    Diagnosis
        Findings most serious first (``print`` it for a table, ``as_dict()``
        for plain data); ``ok`` when nothing was found.
    """
    if door is not None and door not in DOORS:
        raise ValueError(f"unknown door {door!r}; expected one of: {', '.join(DOORS)}")
    adapter = adapt(model, "diagnose")
    rows = adapter.encode(X, y)
    if rows.X.shape[0] == 0:
        raise ValueError("X has no rows; diagnose needs at least one row to look at")
    evidence = Evidence(adapter, rows.X, rows.Y, rows.labels)
    names = list(CHECKS) if checks is None else [CHECKS.canonical(name) for name in checks]
    findings, ran, skipped = [], [], {}
    for name in names:
        try:
            findings += CHECKS.get(name)(evidence)
            ran.append(name)
        except Skip as reason:
            skipped[name] = str(reason)
    findings.sort(key=lambda finding: SEVERITIES.index(finding.severity))
    diagnosis = Diagnosis(adapter.kind, findings, _summary(evidence), ran, skipped)
    return diagnosis.spoken_in(door or adapter.door)


def _summary(evidence) -> dict:
    """The key numbers, shown whether or not anything was found."""
    network = evidence.network
    summary = {"rows": int(evidence.X.shape[0]), "layers": "-".join(map(str, network.layer_sizes))}
    history = evidence.view.history
    if history is not None and len(history):
        summary["epochs"] = len(history)
        summary["final_training_loss"] = float(history["loss"][-1])
    if evidence.Y is not None:
        summary["loss_per_row"] = evidence.loss
        summary["constant_guess_per_row"] = evidence.baseline_loss
        summary["largest_gradient_norm"] = max(float((g.astype(float) ** 2).sum() ** 0.5)
                                               for g in evidence.weight_gradients)
    if evidence.view.training_range is not None:
        rows, _ = evidence.view.training_range.excursions(evidence.X)
        summary["share_outside_training_range"] = rows / evidence.X.shape[0]
    return summary

"""Evaluation reports built on ``sklearn.metrics``.

:func:`evaluate_outputs` turns network outputs into class decisions and
counts them: for one output, positive means ``output >= limit``; for several,
the class is the argmax. Every call counts afresh (the article's counters
piled up across calls).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["EvaluationResult", "evaluate_outputs"]


@dataclass(eq=False)
class EvaluationResult:
    """Counts and scores of one evaluation.

    For one output (binary) the four counts are integers. For several
    outputs they are arrays with one entry per class (one class against the
    rest), and precision, recall and f1 are macro averages.
    """

    true_positives: int | np.ndarray
    true_negatives: int | np.ndarray
    false_positives: int | np.ndarray
    false_negatives: int | np.ndarray
    accuracy: float
    precision: float
    recall: float
    f1: float
    confusion_matrix: np.ndarray = field(repr=False)
    limit: float = 0.5

    @property
    def binary(self) -> bool:
        return self.confusion_matrix.shape == (2, 2) and np.ndim(self.true_positives) == 0

    def __eq__(self, other) -> bool:
        return isinstance(other, EvaluationResult) and self.as_dict() == other.as_dict()

    def as_dict(self) -> dict:
        def plain(value):
            return value.tolist() if isinstance(value, np.ndarray) else value

        return {name: plain(getattr(self, name)) for name in self.__dataclass_fields__}

    def table(self):
        """A rich Table: the article's counts, or the confusion matrix."""
        from rich.table import Table

        if self.binary:
            table = Table(title=f"Test evaluation, limit {self.limit:g}")
            table.add_column("figure")
            table.add_column("value", justify="right")
            for label, value in (
                ("True positives", self.true_positives),
                ("True negatives", self.true_negatives),
                ("False positives", self.false_positives),
                ("False negatives", self.false_negatives),
                ("Accuracy", f"{self.accuracy:.2f}"),
                ("Precision", f"{self.precision:.2f}"),
                ("Recall", f"{self.recall:.2f}"),
                ("F1", f"{self.f1:.2f}"),
            ):
                table.add_row(label, str(value))
            return table
        table = Table(title=f"Confusion matrix (rows: true class, columns: predicted); accuracy {self.accuracy:.2f}")
        table.add_column("true \\ predicted")
        n = self.confusion_matrix.shape[0]
        for j in range(n):
            table.add_column(str(j), justify="right")
        for i in range(n):
            table.add_row(str(i), *(str(v) for v in self.confusion_matrix[i]))
        return table

    def print(self, console=None) -> None:
        from rich.console import Console

        (console or Console()).print(self.table())


def evaluate_outputs(Y: np.ndarray, outputs: np.ndarray, limit: float = 0.5) -> EvaluationResult:
    """Evaluate ``outputs`` (n_samples, n_outputs) against targets ``Y`` of the same shape."""
    # imported here: the article's class loads scikit-learn only when it evaluates
    from sklearn import metrics

    if outputs.shape[1] == 1:
        y_true = (Y[:, 0] >= 0.5).astype(int)
        y_pred = (outputs[:, 0] >= limit).astype(int)
        matrix = metrics.confusion_matrix(y_true, y_pred, labels=[0, 1])
        tn, fp, fn, tp = (int(v) for v in matrix.ravel())
        average = "binary"
    else:
        labels = np.arange(outputs.shape[1])
        y_true = Y.argmax(axis=1)
        y_pred = outputs.argmax(axis=1)
        matrix = metrics.confusion_matrix(y_true, y_pred, labels=labels)
        tp = np.diag(matrix)
        fp = matrix.sum(axis=0) - tp
        fn = matrix.sum(axis=1) - tp
        tn = matrix.sum() - tp - fp - fn
        average = "macro"
    precision, recall, f1, _ = metrics.precision_recall_fscore_support(
        y_true, y_pred, average=average, labels=None if average == "binary" else np.arange(outputs.shape[1]), zero_division=0
    )
    return EvaluationResult(
        true_positives=tp,
        true_negatives=tn,
        false_positives=fp,
        false_negatives=fn,
        accuracy=float(metrics.accuracy_score(y_true, y_pred)),
        precision=float(precision),
        recall=float(recall),
        f1=float(f1),
        confusion_matrix=matrix,
        limit=limit,
    )

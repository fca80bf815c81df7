"""A table on its way to the network, as ``glassnet train`` prepares it.

An uploaded CSV is read from memory (it is never written to disk) by
:func:`glassnet.tabular.reading.read_bytes`, with the rules of ``glassnet
train``'s reader: every cell text, pandas' missing-value tokens and empty
fields "", the separator sniffed. :func:`prepare_table` then runs the
tabular pipeline: the target is checked and the task inferred
(:func:`glassnet.tabular.fitting.prepare`, rows with an empty cell dropped as
``--drop-missing`` does), the rows are split (stratified for classes), and
the column types, one-hot categories, scaler and training range are fitted
on the training part only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..engine.training_range import TrainingRange
from ..tabular.columns import Columns, drop_missing_rows
from ..tabular.encoding import encode
from ..tabular.fitting import Options, fit_preprocessing, kept_features, prepare
from ..tabular.model import TabularModel, scaled

__all__ = ["Prepared", "prepare_table", "SCALER"]

SCALER = "standard"
# more classes than this would not fit the page's colours and output column
MAX_CLASSES = 50


@dataclass
class Prepared:
    """A table split and encoded for the network.

    ``X_train`` (n_train, n_inputs) and ``X_test`` are the scaled network
    inputs; ``labels_*`` the targets as the file gives them (text labels or
    numbers); ``rows_*`` each row's number in the file (1-based, as
    ``glassnet trace --row`` counts); ``median`` (n_inputs,) the training
    median of each scaled input, where the plots hold the inputs not shown.
    """

    source: str
    target: str
    task: str
    columns: Columns
    scaler: object
    training_range: TrainingRange | None
    X_train: np.ndarray
    X_test: np.ndarray
    labels_train: np.ndarray
    labels_test: np.ndarray
    rows_train: np.ndarray
    rows_test: np.ndarray
    dropped: int
    classes: np.ndarray | None = None
    median: np.ndarray = field(default=None)

    @property
    def input_names(self) -> list[str]:
        return self.columns.input_names

    def tabular_model(self, estimator, settings: dict, report=None) -> TabularModel:
        """The :class:`TabularModel` of this preprocessing and ``estimator``."""
        return TabularModel(target=self.target, task=self.task, columns=self.columns, scaler_name=SCALER,
                            scaler=self.scaler, estimator=estimator, training_range=self.training_range,
                            settings=settings, report=report)


def prepare_table(frame: pd.DataFrame, target: str, test_ratio: float = 0.5, seed: int = 0,
                  source: str = "the data") -> Prepared:
    """Split and encode ``frame`` to predict ``target``; ValueError for a table that cannot be learnt."""
    from sklearn.model_selection import train_test_split

    if not 0.0 < test_ratio < 1.0:
        raise ValueError(f"the test ratio must be between 0 and 1 (exclusive), got {test_ratio!r}")
    # rows with an empty cell are dropped, as --drop-missing does: the page
    # shows the rows as they are, not as an imputer would fill them
    options = Options(target=target, drop_missing=True, impute="none", test_size=test_ratio, seed=seed,
                      scaler=SCALER)
    frame, features = prepare(frame, options, source)
    frame, dropped = drop_missing_rows(frame, features)
    # the target's reading rules (text labels, numbers) are the saved model's own
    reader = TabularModel(target=target, task=options.task, columns=None, scaler_name=SCALER, scaler=None,
                          estimator=None, training_range=None, settings={})
    labels = reader.labels(frame, source)
    classes = None
    if options.task == "classify":
        classes = np.unique(labels)
        if classes.size < 2:
            raise ValueError(f"the target column {target!r} has a single class {str(classes[0])!r}; "
                             "classification needs at least two")
        if classes.size > MAX_CLASSES:
            raise ValueError(f"the target column {target!r} has {classes.size} classes; the playground shows at "
                             f"most {MAX_CLASSES}: choose another target (or train it with glassnet train)")
    if len(frame) < 4:
        raise ValueError(f"{source} has {len(frame)} usable row(s); a training and a test part need at least 4")
    try:
        train, test = train_test_split(frame, test_size=test_ratio, random_state=seed,
                                       stratify=labels if classes is not None else None)
    except ValueError as error:
        raise ValueError(f"too few rows to split off a test part of {test_ratio:g} per class: {error}") from None
    columns = Columns.infer(train, kept_features(train, features))
    _, scaler, X_train, numbers = fit_preprocessing(train, columns, options, source)
    X_test = scaled(scaler, "transform", encode(columns, None, test, source).X, columns, source)
    training_range = TrainingRange.of(numbers, names=columns.numeric) if columns.numeric else None
    return Prepared(
        source=source, target=target, task=options.task, columns=columns, scaler=scaler,
        training_range=training_range, X_train=X_train, X_test=X_test,
        labels_train=reader.labels(train, source), labels_test=reader.labels(test, source),
        rows_train=train.index.to_numpy() + 1, rows_test=test.index.to_numpy() + 1, dropped=dropped,
        classes=classes, median=np.median(X_train, axis=0),
    )

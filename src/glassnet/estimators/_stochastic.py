"""sgd and adam: scikit-learn's stochastic solvers run by glassnet's training loop.

This module only translates. scikit-learn's ``_fit_stochastic`` becomes one
call of :meth:`glassnet.engine.learner.Learner.fit_epochs` with

* an :class:`~glassnet.engine.optimizers.SGD` or :class:`~glassnet.engine.optimizers.Adam`
  whose update rules are scikit-learn's, kept between ``partial_fit`` calls;
* an :class:`~glassnet.engine.training.EarlyStopping` rule with scikit-learn's
  ``n_iter_no_change``/``tol`` test on the training loss, or on the
  validation score with ``early_stopping``. The Learner keeps it, so like
  scikit-learn's counter it carries over between ``warm_start`` fits and
  ``partial_fit`` calls;
* the validation split made by ``sklearn.model_selection.train_test_split``
  with the same RandomState and stratification as scikit-learn.
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split

from ..engine.optimizers import SGD, Adam
from ..engine.history import EarlyStopping, best_weights_tracker
from ..engine.stats import DynamicsRecorder
from ._callbacks import epoch_callbacks

__all__ = ["fit_stochastic"]


class _RowOrder:
    """Each epoch's row order, drawn as scikit-learn draws it: the previous
    epoch's order shuffled again by the same RandomState. The same
    ``random_state`` therefore visits the rows in scikit-learn's order."""

    def __init__(self, random_state):
        self.random_state = random_state
        self.order = None

    def permutation(self, n: int) -> np.ndarray:
        if self.order is None or self.order.shape[0] != n:
            self.order = np.arange(n)
        self.order = self.order[self.random_state.permutation(n)]
        return self.order


def _optimizer(estimator):
    if estimator.solver == "sgd":
        return SGD(
            learning_rate=estimator.learning_rate_init,
            momentum=estimator.momentum,
            nesterov=estimator.nesterovs_momentum,
            schedule=estimator.learning_rate,
            power_t=estimator.power_t,
        )
    # scikit-learn's adam has no schedule: it never lowers its rate and stops
    # at the first plateau whatever learning_rate says
    return Adam(
        learning_rate=estimator.learning_rate_init,
        beta_1=estimator.beta_1,
        beta_2=estimator.beta_2,
        epsilon=estimator.epsilon,
    )


def _split(estimator, X, Y, sample_weight, random_state):
    """scikit-learn's early-stopping split: stratified for one classifier output."""
    stratify = Y if estimator._is_classifier_type and Y.shape[1] == 1 else None
    arrays = (X, Y) if sample_weight is None else (X, Y, sample_weight)
    parts = train_test_split(
        *arrays, random_state=random_state, test_size=estimator.validation_fraction, stratify=stratify
    )
    X_train, X_val, Y_train, Y_val = parts[:4]
    sw_train, sw_val = (parts[4], parts[5]) if sample_weight is not None else (None, None)
    if X_val.shape[0] < 2:
        raise ValueError(
            "The validation set is too small. Increase 'validation_fraction' or the size of your dataset."
        )
    return X_train, Y_train, sw_train, (X_val, Y_val, sw_val)


def _stopping(learner, estimator, monitor, restore):
    """The Learner's rule, kept while it watches the same figure."""
    stopping = learner.stopping
    if stopping is None or stopping.monitor != monitor:
        stopping = learner.stopping = EarlyStopping(monitor=monitor)
    stopping.patience = estimator.n_iter_no_change
    stopping.tol = estimator.tol
    stopping.restore_best = restore
    return stopping


def fit_stochastic(estimator, X, Y, sample_weight, validation, incremental, random_state):
    if incremental and estimator.early_stopping:
        raise ValueError("partial_fit does not support early_stopping=True")
    learner = estimator.learner_
    # scikit-learn starts a new optimiser at every fit, warm_start or not
    if not incremental or learner.optimizer is None:
        learner.optimizer = _optimizer(estimator)
    if estimator.early_stopping and validation is None:
        X, Y, sample_weight, validation = _split(estimator, X, Y, sample_weight, random_state)
    learner.remember_range(X)
    n_samples = X.shape[0]
    if estimator.batch_size == "auto":
        batch_size = min(200, n_samples)
    else:
        if estimator.batch_size > n_samples:
            warnings.warn("Got `batch_size` less than 1 or larger than sample size. It is going to be clipped")
        batch_size = min(estimator.batch_size, n_samples)
    metric = estimator._score_metric()
    # the tol rule watches scikit-learn's figure; the best weights are those
    # of the best validation score whenever there is validation data
    monitor = f"val_{metric}" if estimator.early_stopping else "loss"
    best_by = f"val_{metric}" if validation is not None else "loss"
    restore = estimator.early_stopping if estimator.restore_best_weights is None else estimator.restore_best_weights
    restore = restore and not incremental
    tracker = best_weights_tracker(best_by, True) if restore and best_by != monitor else None
    _stopping(learner, estimator, monitor, restore and tracker is None)
    total = estimator.max_iter if not incremental else 1
    with epoch_callbacks(estimator, total, tracker) as callbacks:
        result = learner.fit_epochs(
            X,
            Y,
            1 if incremental else estimator.max_iter,
            batch_size=batch_size,
            shuffle=estimator.shuffle,
            order=_RowOrder(random_state),
            sample_weight=sample_weight,
            validation=validation,
            validation_metric=metric if validation is not None else None,
            callbacks=callbacks,
            stats=DynamicsRecorder() if estimator.record_stats else None,
        )
    if tracker is not None:
        tracker.restore(learner.network.params)
    estimator.n_iter_ = result.epochs
    if result.epochs:
        estimator.loss_ = learner.history.records[-1]["loss"]
    estimator._report(result)
    if result.stop_reason == "completed" and result.epochs == estimator.max_iter and not incremental:
        warnings.warn(
            f"Stochastic Optimizer: Maximum iterations ({estimator.max_iter}) reached and the "
            "optimization hasn't converged yet.",
            ConvergenceWarning,
            stacklevel=4,
        )

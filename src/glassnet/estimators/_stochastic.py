"""sgd and adam: scikit-learn's stochastic solvers run by glassnet's training loop.

This module only translates. scikit-learn's ``_fit_stochastic`` becomes one
call of :meth:`glassnet.engine.learner.Learner.fit_epochs` with

* an :class:`~glassnet.engine.optimizers.SGD` or :class:`~glassnet.engine.optimizers.Adam`
  whose update rules are scikit-learn's, kept between ``partial_fit`` calls;
* the Learner's one stopping rule (:meth:`Learner.set_stopping
  <glassnet.engine.learner.Learner.set_stopping>`) with scikit-learn's
  ``n_iter_no_change``/``tol`` test on the training loss, or on the
  validation score with ``early_stopping``, keeping the weights of the best
  validation score (or training loss) to put back. The Learner keeps it, so
  like scikit-learn's counter it carries over between ``warm_start`` fits
  and ``partial_fit`` calls;
* the Learner's validation split, which holds out the rows
  ``sklearn.model_selection.train_test_split`` would with the same
  RandomState and stratification.

``n_iter_`` and ``loss_`` are read from the Learner's history (see
:class:`~glassnet.estimators._base.BaseMLP`).

glassnet's training rules go to the optimiser: ``weight_decay``,
``clip_grad_norm``, ``warmup_epochs``, and the 'cosine' and 'one_cycle'
schedules (for adam too), laid over ``max_iter`` epochs counted from the
fit (``partial_fit`` calls continue them). Dropout masks come from the
RandomState of ``random_state``, after each epoch's row order.
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from ..engine.optimizers import SCHEDULES, SGD, Adam
from ..engine.splitting import SplitError
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


def training_rules(estimator) -> dict:
    """glassnet's training rules for the optimiser, those that are set (see
    :class:`~glassnet.engine.optimizers.Optimizer`)."""
    rules = {"weight_decay": float(estimator.weight_decay), "clip_grad_norm": estimator.clip_grad_norm,
             "warmup_epochs": int(estimator.warmup_epochs)}
    rules = {name: value for name, value in rules.items() if value not in (0, 0.0, None)}
    if rules or SCHEDULES.get(estimator.learning_rate).shaped:
        rules["schedule_epochs"] = int(estimator.max_iter)
    return rules


def _optimizer(estimator):
    rules = training_rules(estimator)
    if estimator.solver == "sgd":
        return SGD(
            learning_rate=estimator.learning_rate_init,
            momentum=estimator.momentum,
            nesterov=estimator.nesterovs_momentum,
            schedule=estimator.learning_rate,
            power_t=estimator.power_t,
            **rules,
        )
    # scikit-learn's adam has no schedule: it never lowers its rate and stops
    # at the first plateau whatever learning_rate says; glassnet's shaped
    # schedules (cosine, one_cycle) are the exception, for sgd and adam alike
    shaped = SCHEDULES.get(estimator.learning_rate).shaped
    return Adam(
        learning_rate=estimator.learning_rate_init,
        beta_1=estimator.beta_1,
        beta_2=estimator.beta_2,
        epsilon=estimator.epsilon,
        schedule=estimator.learning_rate if shaped else "constant",
        **rules,
    )


def _split(estimator, X, Y, sample_weight, random_state):
    """scikit-learn's early-stopping split: stratified for one classifier output."""
    stratify = estimator._stratify_labels(Y)
    X, Y, sample_weight, validation = estimator.learner_.validation_split(
        X, Y, estimator.validation_fraction, sample_weight=sample_weight, stratify=stratify, rng=random_state,
        name="validation_fraction",
    )
    if validation[0].shape[0] < 2:
        raise SplitError(
            "The validation set is too small. Increase 'validation_fraction' or the size of your dataset."
        )
    return X, Y, sample_weight, validation


def fit_stochastic(estimator, X, Y, sample_weight, validation, incremental, random_state):
    if incremental and estimator.early_stopping:
        raise ValueError("partial_fit does not support early_stopping=True")
    learner = estimator.learner_
    # scikit-learn starts a new optimiser at every fit, warm_start or not
    if not incremental or learner.optimizer is None:
        learner.optimizer = _optimizer(estimator)
    if estimator.early_stopping and validation is None:
        X, Y, sample_weight, validation = _split(estimator, X, Y, sample_weight, random_state)
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
    restore = estimator.early_stopping if estimator.restore_best_weights is None else estimator.restore_best_weights
    learner.set_stopping(f"val_{metric}" if estimator.early_stopping else "loss",
                         patience=estimator.n_iter_no_change, tol=estimator.tol,
                         restore_best=bool(restore) and not incremental,
                         restore_by=f"val_{metric}" if validation is not None else "loss")
    total = estimator.max_iter if not incremental else 1
    with epoch_callbacks(estimator, total) as callbacks:
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
            noise=random_state,
        )
    estimator._report(result)
    if result.stop_reason == "completed" and result.epochs == estimator.max_iter and not incremental:
        warnings.warn(
            f"Stochastic Optimizer: Maximum iterations ({estimator.max_iter}) reached and the "
            "optimization hasn't converged yet.",
            ConvergenceWarning,
            stacklevel=4,
        )

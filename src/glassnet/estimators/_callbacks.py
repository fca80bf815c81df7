"""The per-epoch callbacks an estimator hands to the training loop:
``verbose`` printing (scikit-learn's lines), the ``progress`` bar (or live curve) and the
user's ``callbacks``, each called with the epoch's record."""

from __future__ import annotations

from contextlib import contextmanager

from ..progress import progress_display

__all__ = ["epoch_callbacks"]


def _verbose_printer(estimator):
    count = 0

    def report(record):
        nonlocal count
        count += 1
        print("Iteration %d, loss = %.8f" % (count, record["loss"]))
        score = record.get(f"val_{estimator._score_metric()}")
        if score is not None:
            print("Validation score: %f" % score)

    return report


def _user_callback(estimator, callback):
    def call(record):
        # a copy, so that a callback cannot change the recorded history
        return callback(estimator, dict(record))

    return call


@contextmanager
def epoch_callbacks(estimator, total_epochs: int):
    """Yield the list of callbacks ``record -> stop?`` for one training run."""
    callbacks = []
    if estimator.verbose:
        callbacks.append(_verbose_printer(estimator))
    # progress=True: the bar; "live": the loss curve under a notebook cell (the bar elsewhere)
    bar = progress_display(estimator.progress, total_epochs, type(estimator).__name__)
    if bar is not None:
        callbacks.append(bar)
    callbacks.extend(_user_callback(estimator, callback) for callback in estimator.callbacks or ())
    try:
        yield callbacks
    finally:
        if bar is not None:
            bar.close()

"""Model files of kind "tabular" written before the target encoding was the
:class:`~.model.TabularModel`'s own (glassnet up to the commit that made
one table pipeline): their trained model sits under "estimator", and

* ``glassnet train`` wrote an MLPClassifier (its classes are the encoding's)
  or an MLPRegressor trained on the target's own values (mean 0, scale 1);
* the playground wrote a "NetworkEstimator": a NeuralNetwork with the class
  labels, or the mean and scale that standardised a regression target.

Both load as they predicted: the same network, the same decoding.
"""

from __future__ import annotations

import numpy as np

from ..protocol import embedded_object
from .target import ClassTarget, ValueTarget

__all__ = ["legacy_trained"]

_PREFIX = "estimator."
# what the playground's NeuralNetwork-with-labels wrapper was saved as
_NETWORK_ESTIMATOR = "NetworkEstimator"


def _network_estimator(entry: dict, arrays: dict):
    state = entry["state"]
    trained = embedded_object(state["model"], arrays, _PREFIX + "model.")
    classes = state["classes"]
    if classes is not None:
        return trained, ClassTarget([str(label) for label in classes])
    return trained, ValueTarget(state["target_mean"], state["target_scale"])


def legacy_trained(state: dict, arrays: dict):
    """``(trained model, target encoding)`` of an older "tabular" state."""
    entry = state["estimator"]
    if isinstance(entry, dict) and entry.get("kind") == _NETWORK_ESTIMATOR:
        return _network_estimator(entry, arrays)
    estimator = embedded_object(entry, arrays, _PREFIX)
    if state["task"] == "classify":
        return estimator, ClassTarget(np.asarray(estimator.classes_).astype(str))
    return estimator, ValueTarget(0.0, 1.0)

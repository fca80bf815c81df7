"""MLPClassifier: scikit-learn's MLP classifier on glassnet's engine.

Targets are encoded by scikit-learn's ``LabelBinarizer``, as scikit-learn
does: two classes give one logistic output with binary cross-entropy, more
classes a softmax output with categorical cross-entropy, and a label
indicator matrix (multilabel) one logistic output per label. Both losses
are computed from the logits by the engine, so no probability is ever
clipped.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils import column_or_1d
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import _check_partial_fit_first_call, check_classification_targets, type_of_target, unique_labels
from sklearn.utils.validation import check_array

from .._typing import Array, ArrayLike
from .._docstring import with_sections
from ._attributes import attribute_entries
from ._base import BaseMLP, stochastic_solver, store_parameters
from ._params import parameter_entries
from ._state import classifier_labels_from_state, classifier_labels_state

__all__ = ["MLPClassifier"]


class MLPClassifier(ClassifierMixin, BaseMLP):
    """Multilayer perceptron classifier, a drop-in for scikit-learn's.

    The parameters are scikit-learn 1.9's, with the same names, defaults and
    meanings, plus glassnet's ``class_weight``, ``restore_best_weights``,
    ``callbacks``, ``progress``, ``extrapolation``, ``record_stats`` and ``dtype``. The
    sections below come from :data:`glassnet.parameters.TABLE` (every door's
    settings) and the attributes table, where each is described once. ``trace(x, y)`` shows
    every number of one sample's forward and backward pass.
    """

    def __init__(
        self,
        hidden_layer_sizes: int | Sequence[int] = (100,),
        activation: str = "relu",
        *,
        solver: str = "adam",
        alpha: float = 0.0001,
        batch_size: int | str = "auto",
        learning_rate: str = "constant",
        learning_rate_init: float = 0.001,
        power_t: float = 0.5,
        max_iter: int = 200,
        shuffle: bool = True,
        random_state: int | np.random.RandomState | None = None,
        tol: float = 1e-4,
        verbose: bool | int = False,
        warm_start: bool = False,
        momentum: float = 0.9,
        nesterovs_momentum: bool = True,
        early_stopping: bool = False,
        validation_fraction: float = 0.1,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-8,
        n_iter_no_change: int | float = 10,
        max_fun: int = 15000,
        class_weight: dict[Any, float] | str | None = None,
        restore_best_weights: bool | None = None,
        callbacks: Sequence[Callable[..., Any]] | None = None,
        progress: bool = False,
        extrapolation: str = "warn",
        record_stats: bool = False,
        dtype: str | type | None = None,
    ) -> None:
        # __init__ only stores its arguments, as scikit-learn requires
        store_parameters(self, locals())

    # --- targets -------------------------------------------------------------------
    def _validate_targets(self, y, incremental):
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        if not hasattr(self, "classes_") or (not self.warm_start and not incremental):
            self._label_binarizer = LabelBinarizer().fit(y)
            self.classes_ = self._label_binarizer.classes_
        elif self.warm_start and not incremental:
            classes = unique_labels(y)
            if set(classes) != set(self.classes_):
                raise ValueError(
                    "warm_start can only be used where `y` has the same classes as in the previous call "
                    f"to fit. Previously got {self.classes_}, `y` has {classes}"
                )
        else:
            self._check_known_classes(y)
        # 0/1 indicators in one byte each: an eighth of float64's memory for
        # the whole training set, and the engine reads them exactly
        return self._label_binarizer.transform(y).astype(np.uint8)

    def _check_known_classes(self, y, name="y"):
        if self._label_binarizer.y_type_.startswith("multilabel"):
            return
        classes = unique_labels(y)
        if len(np.setdiff1d(classes, self.classes_)):
            raise ValueError(
                f"`{name}` has classes not in `self.classes_`. `self.classes_` has {self.classes_}. "
                f"'{name}' has {classes}."
            )

    def _encode_validation_targets(self, y_val, name="y_val"):
        y_val = check_array(y_val, ensure_2d=False, dtype=None, input_name=name)
        if y_val.ndim == 2 and y_val.shape[1] == 1:
            y_val = column_or_1d(y_val)
        self._check_known_classes(y_val, name)
        return self._label_binarizer.transform(y_val).astype(np.float64)

    def _sample_target(self, y):
        if self._label_binarizer.y_type_.startswith("multilabel"):
            Y = np.asarray(y).reshape(1, -1)
            if Y.shape[1] != len(self.classes_):
                raise ValueError(
                    f"y has {Y.shape[1]} labels; expected the indicator row of one sample ({len(self.classes_)} labels)"
                )
            return self._label_binarizer.transform(Y).astype(np.float64)
        labels = np.asarray(y).reshape(-1)
        if labels.size != 1:
            raise ValueError(f"y has {labels.size} values; expected the class label of one sample")
        if labels[0] not in self.classes_:
            raise ValueError(
                f"y = {labels[0].item()!r} is not a class of this classifier; expected one of {self.classes_.tolist()}"
            )
        return self._label_binarizer.transform(labels).astype(np.float64)

    def _class_sample_weight(self, y):
        if self.class_weight is None:
            return None
        return compute_sample_weight(self.class_weight, y)

    def _stratify_labels(self, Y):
        # scikit-learn stratifies a single-output classifier by its 0/1
        # targets; for two classes the labels hold out the same rows (they
        # sort as their targets do) and an error names the class
        if Y.shape[1] != 1:
            return None
        return self.classes_[Y[:, 0]] if self._label_binarizer.y_type_ == "binary" else Y

    def _output_and_loss(self, Y):
        if self._label_binarizer.y_type_ == "multiclass":
            return "softmax", "categorical_crossentropy"
        # two classes (one output) and multilabel (one output per label)
        return "logistic", "binary_crossentropy"

    def _score_metric(self):
        # score() is accuracy_score on the decoded labels: for multilabel that
        # is the share of rows with every label right
        if self._label_binarizer.y_type_.startswith("multilabel"):
            return "subset_accuracy"
        return "accuracy"

    # --- scikit-learn's methods ----------------------------------------------------------
    @available_if(stochastic_solver)
    def partial_fit(self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None,
                    classes: ArrayLike | None = None) -> MLPClassifier:
        """One epoch of sgd/adam on ``(X, y)``; ``classes`` is required on the first call.

        classes : array of shape (n_classes,), every class that any call will see.
        """
        if self.class_weight == "balanced":
            raise ValueError(
                "class_weight='balanced' needs every label at once, so partial_fit cannot use it; "
                "pass class_weight as a dict {class: weight} instead"
            )
        if _check_partial_fit_first_call(self, classes):
            self._label_binarizer = LabelBinarizer()
            if type_of_target(y).startswith("multilabel"):
                self._label_binarizer.fit(y)
            else:
                self._label_binarizer.fit(classes)
        return self._fit(X, y, sample_weight, incremental=True)

    def predict(self, X: ArrayLike) -> Array:
        """Class labels, shape (n_samples,), or (n_samples, n_labels) for multilabel."""
        return self._decode(self._forward(X))

    def _decode(self, output):
        """Network outputs (n_samples, n_outputs) -> class labels."""
        if output.shape[1] == 1:
            output = output.ravel()
        return self._label_binarizer.inverse_transform(output)

    def predict_proba(self, X: ArrayLike) -> Array:
        """Probabilities, shape (n_samples, n_classes), columns in ``classes_`` order."""
        output = self._forward(X)
        if self.n_outputs_ == 1:
            p = output.ravel()
            return np.vstack([1 - p, p]).T
        return output

    def predict_log_proba(self, X: ArrayLike) -> Array:
        """``log(predict_proba(X))``; a probability of exactly 0 gives -inf."""
        probabilities = self.predict_proba(X)
        with np.errstate(divide="ignore"):
            return np.log(probabilities, out=probabilities)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags

    # --- model files -----------------------------------------------------------------------
    def _glassnet_state(self):
        meta, arrays = super()._glassnet_state()
        labels_meta, labels_arrays = classifier_labels_state(self)
        meta["labels"] = labels_meta
        arrays.update(labels_arrays)
        return meta, arrays

    @classmethod
    def _from_glassnet_state(cls, meta, arrays):
        estimator = super()._from_glassnet_state(meta, arrays)
        estimator._label_binarizer = classifier_labels_from_state(meta["labels"], arrays,
                                                                  estimator.learner_.network.layer_sizes[-1])
        estimator.classes_ = estimator._label_binarizer.classes_
        return estimator


# the numpydoc sections, from the one table of parameters and of attributes
MLPClassifier.__doc__ = with_sections(MLPClassifier.__doc__, Parameters=parameter_entries(MLPClassifier),
                             Attributes=attribute_entries(regressor=False))

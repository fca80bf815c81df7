"""What the classifier and the regressor share: scikit-learn's MLP API
translated onto glassnet's engine.

The fitted estimator keeps one :class:`~glassnet.engine.learner.Learner` in
``learner_``: the network (``network_``), the optimiser and its state, the
history (``loss_curve_``, the validation curves, and ``n_iter_`` and
``loss_``, read from it), the stopping rule, the training range
(``training_range_``) and the samples seen (``t_``).
``coefs_`` and ``intercepts_`` are views into the network's flat parameter
vector, so the engine, scikit-learn's attribute names and glassnet's tools
(``check_gradients``, ``trace``, model files) all see the same numbers.

How scikit-learn's model maps onto the engine:

* ``Network(layer_sizes, activation, output_activation, loss, l2=alpha,
  reduction="mean", init="glorot")``: the loss is a (weighted) mean over
  samples plus ``½·alpha·Σ‖W‖²`` divided by the number of samples (or the sum
  of sample weights), scikit-learn's objective;
* the initial weights are drawn by glassnet's Glorot initialiser from the
  RandomState that ``random_state`` gives, in scikit-learn's order, so the
  same ``random_state`` starts from the same weights;
* sgd and adam run in :meth:`Learner.fit_epochs` (see :mod:`._stochastic`),
  lbfgs in :meth:`Learner.fit_lbfgs` (see :mod:`.lbfgs`).
"""

from __future__ import annotations

import warnings

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, is_classifier
from sklearn.utils import check_random_state
from sklearn.utils.validation import _check_sample_weight, check_consistent_length, check_is_fitted, validate_data

from .._typing import ArrayLike, EstimatorT
from ..engine.learner import Learner
from ..glassbox.extrapolation import warn_extrapolation
from ..engine.network import Network
from ..engine.training import DivergenceWarning, StalledTrainingWarning
from ..engine.validation import check_representable
from ..glassbox.trace import Trace, trace
from ._params import validate_parameters
from ..engine.solvers import SOLVERS
from ._solvers import SOLVER_FUNCTIONS
from ._state import estimator_from_state, estimator_state

__all__ = ["BaseMLP", "stochastic_solver", "store_parameters"]


def store_parameters(estimator, arguments: dict) -> None:
    """Set each constructor argument (``locals()`` of ``__init__``) as an attribute."""
    for name, value in arguments.items():
        if name != "self":
            setattr(estimator, name, value)


def stochastic_solver(estimator) -> bool:
    """Whether ``partial_fit`` exists: only sgd and adam learn batch by batch."""
    if not SOLVERS.get(estimator.solver).stochastic:
        raise AttributeError(
            f"partial_fit is only available for stochastic optimizers. {estimator.solver} is not stochastic."
        )
    return True


def _training_layout(X, dtype):
    """``X`` in the training dtype, and a dense ``X`` C-ordered and aligned.

    Converted once per fit: a DataFrame's values (Fortran-ordered), a
    Fortran-ordered, misaligned or foreign buffer then trains as fast as a
    C-ordered ndarray, and gives the same numbers to the last bit (matrix
    products may round differently on another memory layout).
    """
    if sp.issparse(X):
        return X.astype(dtype, copy=False)
    return np.require(X, dtype, ["C_CONTIGUOUS", "ALIGNED"])


class BaseMLP(BaseEstimator):
    """Base of :class:`MLPClassifier` and :class:`MLPRegressor` (not for direct use)."""

    # --- what each subclass defines ---------------------------------------------
    def _validate_targets(self, y, incremental):
        """``y`` -> float target matrix Y of shape (n_samples, n_outputs)."""
        raise NotImplementedError

    def _encode_validation_targets(self, y_val, name="y_val"):
        """``y_val`` -> target matrix, encoded as the training targets were."""
        raise NotImplementedError

    def _output_and_loss(self, Y) -> tuple[str, str]:
        """The engine's output activation and loss for targets ``Y``."""
        raise NotImplementedError

    def _score_metric(self) -> str:
        """The engine metric equal to :meth:`score` on the network outputs."""
        raise NotImplementedError

    def _class_sample_weight(self, y):
        """Per-row weights from ``class_weight`` (None for the regressor)."""
        return None

    def _stratify_labels(self, Y):
        """What the early-stopping split is stratified by (None: not stratified)."""
        return None

    def _sample_target(self, y) -> np.ndarray:
        """The target of one sample -> engine target row, shape (1, n_outputs)."""
        raise NotImplementedError

    # --- fitting -------------------------------------------------------------------
    def fit(self: EstimatorT, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None, *,
            X_val: ArrayLike | None = None, y_val: ArrayLike | None = None,
            sample_weight_val: ArrayLike | None = None) -> EstimatorT:
        """Fit the network to ``X`` (n_samples, n_features) and ``y``.

        y : (n_samples,) or (n_samples, n_outputs): class labels, a label
            indicator matrix (multilabel), or real targets.
        sample_weight : (n_samples,), optional.
        X_val, y_val, sample_weight_val : optional validation data (glassnet).
            Every solver records the validation loss and score per epoch
            (``validation_loss_curve_``, ``validation_scores_``); with
            ``early_stopping`` they replace the held-out split.
        Returns self.
        """
        validation = None if X_val is None and y_val is None else (X_val, y_val, sample_weight_val)
        return self._fit(X, y, sample_weight, incremental=False, validation=validation)

    def _fit(self, X, y, sample_weight, incremental, validation=None):
        validate_parameters(self)
        first_pass = not hasattr(self, "learner_") or (not self.warm_start and not incremental)
        dtype = self._fit_dtype(first_pass)
        if not isinstance(dtype, tuple):  # a chosen dtype, into which X is cast
            check_representable(X, dtype)
        X, y = validate_data(
            self, X, y, accept_sparse=["csr", "csc"], multi_output=True, dtype=dtype,
            y_numeric=not self._is_classifier_type, reset=first_pass,
        )
        Y = self._validate_targets(y, incremental)
        sample_weight = self._weights(sample_weight, X, y)
        if validation is not None:
            validation = self._validation_data(validation, X.dtype)
        random_state = check_random_state(self.random_state)
        if first_pass:
            self._initialize(X, Y, random_state)
        elif Y.shape[1] != self.n_outputs_:
            raise ValueError(f"y has {Y.shape[1]} outputs, the fitted network has {self.n_outputs_}")
        if Y.dtype.kind == "f":
            # a classifier's uint8 indicators stay as they are: subtracting
            # them from float outputs, or multiplying by them, is exact
            Y = Y.astype(self.network_.dtype, copy=False)
        X = _training_layout(X, self.network_.dtype)
        # scikit-learn reads alpha at every step, so set_params(alpha=...)
        # between warm-started fits takes effect
        self.network_.l2 = float(self.alpha)
        fit_solver = SOLVER_FUNCTIONS.get(self.solver)
        fit_solver(self, X, Y, sample_weight, validation, incremental, random_state)
        self.network_.release()
        return self

    @property
    def _is_classifier_type(self) -> bool:
        return is_classifier(self)

    def _fit_dtype(self, first_pass):
        if not first_pass:
            return self.network_.dtype
        if self.dtype is not None:
            return np.dtype(self.dtype).type
        # scikit-learn's rule: float32 stays float32, anything else is float64
        return (np.float64, np.float32)

    def _weights(self, sample_weight, X, y):
        class_weights = self._class_sample_weight(y)
        if sample_weight is None and class_weights is None:
            return None
        sample_weight = _check_sample_weight(sample_weight, X, dtype=X.dtype)
        if class_weights is not None:
            sample_weight = sample_weight * class_weights.astype(X.dtype)
        if not sample_weight.sum() > 0:
            raise ValueError("the sample weights (times class weights) sum to zero; expected a positive total")
        return sample_weight

    def _validation_data(self, validation, dtype):
        """``(X_val, Y_val, sample_weight_val)`` checked like the training data."""
        X_val, y_val, sample_weight_val = validation
        if X_val is None or y_val is None:
            raise ValueError("validation data needs both X_val and y_val")
        X_val = _training_layout(validate_data(self, X_val, accept_sparse=["csr", "csc"], dtype=dtype, reset=False), dtype)
        check_consistent_length(X_val, y_val)
        Y_val = self._encode_validation_targets(y_val).astype(dtype, copy=False)
        if sample_weight_val is not None:
            sample_weight_val = _check_sample_weight(sample_weight_val, X_val, dtype=dtype)
        return X_val, Y_val, sample_weight_val

    def _initialize(self, X, Y, random_state):
        """Build the network; draw the weights from ``random_state``."""
        output_activation, loss = self._output_and_loss(Y)
        hidden = self._hidden_layer_sizes()
        self.n_outputs_ = Y.shape[1]
        self.n_layers_ = len(hidden) + 2
        self.out_activation_ = output_activation
        network = Network(
            [X.shape[1], *hidden, Y.shape[1]],
            activation=self.activation,
            output_activation=output_activation,
            loss=loss,
            init="glorot",
            reduction="mean",
            l2=self.alpha,
            dtype=X.dtype,
            rng=random_state,
        )
        # the solver sets the optimiser and the stopping rule; the training
        # range comes from the rows it trains on, after any early-stopping split
        self.learner_ = Learner(network)

    def _hidden_layer_sizes(self) -> list[int]:
        sizes = self.hidden_layer_sizes
        return [int(s) for s in (sizes if hasattr(sizes, "__iter__") else [sizes])]

    # --- outcome of a solver ---------------------------------------------------------
    def _report(self, result) -> None:
        """Warn as scikit-learn does about how training ended.

        Called by a solver, itself called by ``_fit`` from ``fit`` or
        ``partial_fit``: stacklevel 5 names the user's line."""
        if result.stop_reason == "interrupted":
            warnings.warn("Training interrupted by user.", stacklevel=5)
        elif result.stop_reason == "diverged":
            # the engine's message already recommends a lower learning rate,
            # which the estimators set with learning_rate_init
            hint = " (the learning rate is learning_rate_init)" if SOLVERS.get(self.solver).stochastic else ""
            warnings.warn(
                f"{type(self).__name__}: {result.message}{hint}",
                DivergenceWarning,
                stacklevel=5,
            )
        if result.stalled:
            warnings.warn(f"{type(self).__name__}: {result.stalled}", StalledTrainingWarning, stacklevel=5)

    # --- prediction --------------------------------------------------------------------
    def _forward(self, X) -> np.ndarray:
        """Output activation for ``X``: shape (n_samples, n_outputs).

        Warns with an :class:`~glassnet.ExtrapolationWarning`, pointing at
        the user's call, when rows lie outside ``training_range_`` (once per
        fitted model; never with ``extrapolation="ignore"``).
        """
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse=["csr", "csc"], reset=False)
        check_representable(X, self.network_.dtype)
        # compared in the network's dtype, the one the range was measured in:
        # a float32 model's own training rows, given in float64, are inside it
        X = X.astype(self.network_.dtype, copy=False)
        warn_extrapolation(self, X)
        return self.network_.predict(X)

    # --- the glass box -------------------------------------------------------------------
    def trace(self, x: ArrayLike, y: ArrayLike | None = None, *, verbose: bool = True) -> Trace:
        """Every number of one sample's forward pass, and backward pass with ``y``.

        ``x`` : one sample (a vector of ``n_features_in_`` numbers, one row,
        or a pandas row); ``y`` : its class label (classifier) or target
        values (regressor). Returns a :class:`~glassnet.glassbox.trace.Trace` with one
        record per layer (``z``, ``a`` and, with ``y``, ``delta``,
        ``grad_weights``, ``grad_bias``) and prints it as a table unless
        ``verbose=False``. The last ``a`` is the network's output for ``x``
        (``predict_proba`` of a classifier, ``predict`` of a regressor); the
        gradients are those of the training loss, L2 term (``alpha``)
        included, on this one sample, as training computes them.
        """
        return trace(self, x, y, verbose=verbose)

    def _one_sample(self, x) -> np.ndarray:
        """One sample, validated as ``predict`` validates rows: shape (1, n_features_in_)."""
        if hasattr(x, "to_frame") and getattr(x, "ndim", 0) == 1:
            x = x.to_frame().T  # a pandas row keeps its feature names
        elif not hasattr(x, "columns") and not sp.issparse(x):
            x = np.asarray(x)
            x = x.reshape(1, -1) if x.ndim == 1 else x
        X = validate_data(self, x, accept_sparse=["csr", "csc"], reset=False)
        if X.shape[0] != 1:
            raise ValueError(
                f"x has {X.shape[0]} rows; expected one sample: a vector of {self.n_features_in_} numbers or a single row"
            )
        X = X.toarray() if sp.issparse(X) else X
        check_representable(X, self.network_.dtype)
        return X.astype(self.network_.dtype, copy=False)

    def _engine_data(self, X, y) -> tuple:
        """``(X, Y)`` as the engine trains on them: validated rows and encoded targets."""
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse=["csr", "csc"], reset=False)
        check_consistent_length(X, y)
        return X, self._encode_validation_targets(y, "y")

    # --- scikit-learn's fitted attributes, read from the Learner ------------------------
    @property
    def network_(self) -> Network:
        """The engine's :class:`~glassnet.engine.network.Network` being trained."""
        return self.learner_.network

    @property
    def n_iter_(self) -> int:
        """Epochs (lbfgs: iterations) run by the last ``fit`` or ``partial_fit``
        call, as scikit-learn counts them: the history records of that call."""
        return self.learner_.last_call_epochs

    @property
    def loss_(self) -> float | None:
        """The training loss of the last recorded epoch or iteration (None before any)."""
        return self.learner_.last_loss

    @property
    def t_(self) -> int:
        """Training samples seen by the solver, across warm starts (scikit-learn's ``t_``)."""
        return self.learner_.samples_seen

    @property
    def training_range_(self) -> np.ndarray | None:
        """Per-feature range of the rows trained on: shape (2, n_features),
        lows then highs, or None. Continued training (warm start,
        ``partial_fit``) widens it; rows held out by ``early_stopping`` are
        not part of it."""
        training_range = self.learner_.training_range
        return None if training_range is None else training_range.as_array()

    @property
    def coefs_(self):
        """Weight matrices, ``coefs_[i]`` of shape (units of layer i, units of layer i+1)."""
        return self.network_.weights

    @coefs_.setter
    def coefs_(self, values):
        self.network_.weights = values

    @property
    def intercepts_(self):
        """Bias vectors, ``intercepts_[i]`` of shape (units of layer i+1,)."""
        return self.network_.biases

    @intercepts_.setter
    def intercepts_(self, values):
        self.network_.biases = values

    @property
    def loss_curve_(self) -> list[float]:
        """Training loss per epoch (lbfgs: per iteration), across warm starts."""
        return self.learner_.history["loss"]

    @property
    def validation_loss_curve_(self) -> list[float] | None:
        """Validation loss per epoch when validation data is used, else None (glassnet)."""
        return self.learner_.history["val_loss"] if "val_loss" in self.learner_.history else None

    @property
    def validation_scores_(self) -> list[float] | None:
        """Validation score (accuracy or R²) per epoch when validation data is used, else None."""
        key = f"val_{self._score_metric()}"
        return self.learner_.history[key] if key in self.learner_.history else None

    @property
    def best_validation_score_(self) -> float | None:
        scores = self.validation_scores_
        return max(scores) if scores else None

    @property
    def best_loss_(self) -> float | None:
        """Lowest training loss; None with early stopping, as in scikit-learn."""
        if self.early_stopping and SOLVERS.get(self.solver).stochastic:
            return None
        curve = self.loss_curve_
        return min(curve) if curve else self.loss_

    # --- model files (see ._state) ------------------------------------------------------
    def _glassnet_state(self) -> tuple[dict, dict]:
        """``(meta, arrays)``: JSON-ready metadata and numeric arrays that rebuild this estimator."""
        check_is_fitted(self)
        return estimator_state(self)

    @classmethod
    def _from_glassnet_state(cls, meta: dict, arrays: dict):
        """The fitted estimator that :meth:`_glassnet_state` described."""
        return estimator_from_state(cls, meta, arrays)

    # --- in a notebook: scikit-learn's HTML box, and the network once fitted -----------------
    def _with_card(self, html: str) -> str:
        if not hasattr(self, "learner_"):
            return html
        from ..glassbox.card import card

        return f"{html}{card(self)}"

    def _repr_html_inner(self) -> str:
        return self._with_card(super()._repr_html_inner())

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        if "text/html" in bundle:
            bundle["text/html"] = self._with_card(bundle["text/html"])
        return bundle

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags

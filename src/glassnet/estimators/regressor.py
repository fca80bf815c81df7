"""MLPRegressor: scikit-learn's MLP regressor on glassnet's engine.

``loss`` picks the engine's loss and output activation: squared_error and,
glassnet only, absolute_error and huber with an identity output; poisson with
the exp output (the log link), as scikit-learn.

The reported loss (``loss_``, ``loss_curve_``) of squared_error with several
outputs: scikit-learn reports ½·mean over samples *and outputs* of (y−ŷ)²,
but trains on the gradient of ½·mean over samples of Σ_outputs (y−ŷ)², a
value n_outputs times larger, so its reported loss is not the function its
gradient belongs to (and its lbfgs receives the mismatched pair). glassnet
reports the function it trains on: ½·Σ_outputs (y−ŷ)², averaged over samples,
plus the L2 term, for every solver. With one output, and for every other
loss, the two conventions agree, so ``loss_`` equals scikit-learn's. The
n_iter_no_change/tol rule reads this same value.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np
from sklearn.base import RegressorMixin
from sklearn.utils import column_or_1d
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_array

from .._typing import Array, ArrayLike
from .._docstring import with_sections
from ._attributes import attribute_entries
from ._base import BaseMLP, stochastic_solver, store_parameters
from ._params import REGRESSION_OUTPUTS, parameter_entries

__all__ = ["MLPRegressor"]



class MLPRegressor(RegressorMixin, BaseMLP):
    """Multilayer perceptron regressor, a drop-in for scikit-learn's.

    The parameters are scikit-learn 1.9's, with the same names, defaults and
    meanings (``loss`` also takes "absolute_error" and "huber",
    ``learning_rate`` 'cosine' and 'one_cycle'), plus glassnet's
    ``restore_best_weights``, ``callbacks``, ``progress``, ``extrapolation``,
    ``record_stats``, ``dtype``, ``dropout``, ``normalization``,
    ``weight_decay``, ``clip_grad_norm`` and ``warmup_epochs``. The sections below come from
    :data:`glassnet.parameters.TABLE` (every door's settings) and the
    attributes table, where each is described once. ``trace(x, y)`` shows every number of one
    sample's forward and backward pass.
    """

    def __init__(
        self,
        loss: str = "squared_error",
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
        restore_best_weights: bool | None = None,
        callbacks: Sequence[Callable[..., Any]] | None = None,
        progress: bool = False,
        extrapolation: str = "warn",
        record_stats: bool = False,
        dtype: str | type | None = None,
        dropout: float | Sequence[float] = 0.0,
        normalization: str | None = None,
        weight_decay: float = 0.0,
        clip_grad_norm: float | None = None,
        warmup_epochs: int = 0,
    ) -> None:
        # __init__ only stores its arguments, as scikit-learn requires
        store_parameters(self, locals())

    def _validate_targets(self, y, incremental):
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        return self._as_target_matrix(y, "y")

    def _encode_validation_targets(self, y_val, name="y_val"):
        y_val = check_array(y_val, ensure_2d=False, dtype="numeric", input_name=name)
        if y_val.ndim == 2 and y_val.shape[1] == 1:
            y_val = column_or_1d(y_val)
        return self._as_target_matrix(y_val, name)

    def _sample_target(self, y):
        Y = check_array(np.reshape(np.asarray(y), (1, -1)), dtype=np.float64, input_name="y")
        if Y.shape[1] != self.n_outputs_:
            raise ValueError(
                f"y has {Y.shape[1]} values; expected the target of one sample ({self.n_outputs_} number(s))"
            )
        return Y

    def _as_target_matrix(self, y, name):
        Y = np.asarray(y, dtype=np.float64)
        Y = Y.reshape(-1, 1) if Y.ndim == 1 else Y
        if self.loss == "poisson" and (Y < 0).any():
            raise ValueError(f"loss='poisson' needs {name} >= 0 (counts or rates), got a minimum of {Y.min():g}")
        return Y

    def _output_and_loss(self, Y):
        return REGRESSION_OUTPUTS[self.loss]

    def _score_metric(self):
        return "r2"

    @available_if(stochastic_solver)
    def partial_fit(self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None) -> MLPRegressor:
        """One epoch of sgd/adam on ``(X, y)``, continuing from the current weights."""
        return self._fit(X, y, sample_weight, incremental=True)

    def predict(self, X: ArrayLike) -> Array:
        """Predictions, shape (n_samples,) for one output, else (n_samples, n_outputs)."""
        return self._decode(self._forward(X))

    def _decode(self, output):
        """Network outputs (n_samples, n_outputs) -> predictions."""
        return output.ravel() if output.shape[1] == 1 else output


# the numpydoc sections, from the one table of parameters and of attributes
MLPRegressor.__doc__ = with_sections(MLPRegressor.__doc__, Parameters=parameter_entries(MLPRegressor),
                             Attributes=attribute_entries(regressor=True))

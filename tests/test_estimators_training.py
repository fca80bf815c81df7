"""How training ends: Ctrl-C, divergence, callbacks, best weights, and the
per-epoch figures (validation_loss_curve_, progress)."""

import io
import warnings

import numpy as np
import pytest
from rich.console import Console
from sklearn.datasets import make_classification, make_regression

import glassnet
from glassnet import DivergenceWarning, MLPClassifier, MLPRegressor
from glassnet.engine.optimizers import Adam
from glassnet.progress import ProgressBar, format_figures

X, y = make_classification(150, 6, n_informative=4, n_classes=3, random_state=0)
X_reg, y_reg = make_regression(150, 4, noise=5.0, random_state=0)
y_reg = y_reg / 100
X_val, y_val = make_regression(60, 4, noise=5.0, random_state=1)
y_val = y_val / 100

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def quick(cls=MLPClassifier, **settings):
    return cls(**{"hidden_layer_sizes": (10,), "random_state": 0, "max_iter": 30, **settings})


def _params(model):
    return model.network_.params.copy()


# --- Ctrl-C ----------------------------------------------------------------------
def test_ctrl_c_mid_epoch_keeps_the_last_complete_epoch(monkeypatch):
    steps = 0
    original = Adam.step

    def interrupted_step(self, params, grads):
        nonlocal steps
        steps += 1
        if steps == 13:  # 5 steps per epoch: the middle of epoch 3
            raise KeyboardInterrupt
        original(self, params, grads)

    monkeypatch.setattr(Adam, "step", interrupted_step)
    model = quick(batch_size=30)
    with pytest.warns(UserWarning, match="Training interrupted by user."):
        assert model.fit(X, y) is model
    monkeypatch.setattr(Adam, "step", original)
    assert model.n_iter_ == 2 and len(model.loss_curve_) == 2 and model.t_ == 300
    two_epochs = quick(batch_size=30, max_iter=2).fit(X, y)
    np.testing.assert_array_equal(_params(model), _params(two_epochs))
    np.testing.assert_array_equal(model.predict_proba(X), two_epochs.predict_proba(X))


def test_ctrl_c_during_lbfgs_keeps_the_last_complete_iteration(monkeypatch):
    model = quick(MLPRegressor, solver="lbfgs", max_iter=200)
    evaluations = 0
    original = glassnet.engine.network.Network.loss_and_gradient

    def interrupted(self, *args):
        nonlocal evaluations
        evaluations += 1
        if evaluations == 12:
            raise KeyboardInterrupt
        return original(self, *args)

    monkeypatch.setattr(glassnet.engine.network.Network, "loss_and_gradient", interrupted)
    with pytest.warns(UserWarning, match="Training interrupted by user."):
        model.fit(X_reg, y_reg)
    monkeypatch.setattr(glassnet.engine.network.Network, "loss_and_gradient", original)
    completed = model.n_iter_
    assert 1 <= completed < 12 and len(model.loss_curve_) == completed
    same = quick(MLPRegressor, solver="lbfgs", max_iter=completed).fit(X_reg, y_reg)
    np.testing.assert_array_equal(_params(model), _params(same))


# --- divergence ---------------------------------------------------------------------
def test_divergence_warns_and_leaves_finite_weights():
    with pytest.warns(DivergenceWarning, match="lower learning rate.*learning_rate_init"):
        model = quick(MLPRegressor, solver="sgd", learning_rate_init=10.0, max_iter=50).fit(X_reg, y_reg * 1000)
    assert np.isfinite(_params(model)).all() and np.isfinite(model.predict(X_reg)).all()
    assert model.n_iter_ < 50 and all(np.isfinite(model.loss_curve_))


def test_lbfgs_without_one_finite_iteration_raises_and_keeps_the_starting_weights():
    model = quick(MLPRegressor, solver="lbfgs")
    start = MLPRegressor(hidden_layer_sizes=(10,), random_state=0, max_iter=1, solver="sgd", learning_rate_init=1e-300)
    with pytest.raises(ValueError, match="Solver produced non-finite parameter weights. The input data may "
                                         "contain large values and need to be preprocessed."):
        model.fit(X_reg * 1e300, y_reg)
    start.fit(X_reg, y_reg)
    np.testing.assert_array_equal(_params(model), _params(start))


# --- callbacks ------------------------------------------------------------------------
@pytest.mark.parametrize("solver", ["adam", "sgd", "lbfgs"])
def test_callbacks_see_every_epoch_and_can_stop_training(solver):
    seen = []

    def stop_at_four(estimator, figures):
        seen.append((estimator, figures))
        return figures["epoch"] == 4

    model = quick(solver=solver, callbacks=[stop_at_four])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.fit(X, y)
    assert model.n_iter_ == 4 and [f["epoch"] for _, f in seen] == [1, 2, 3, 4]
    assert all(estimator is model for estimator, _ in seen)
    assert [f["loss"] for _, f in seen] == model.loss_curve_


def test_callbacks_receive_validation_figures():
    figures = []
    model = quick(MLPRegressor, callbacks=[lambda estimator, record: figures.append(record)], max_iter=5)
    model.fit(X_reg, y_reg, X_val=X_val, y_val=y_val)
    assert set(figures[0]) == {"epoch", "loss", "val_loss", "val_r2", "learning_rate"}
    assert [f["val_r2"] for f in figures] == model.validation_scores_


# --- validation curves ------------------------------------------------------------------
@pytest.mark.parametrize("solver", ["adam", "sgd", "lbfgs"])
def test_validation_loss_curve_is_the_validation_loss_of_each_epoch(solver):
    alpha = 0.01
    recomputed = []

    def validation_loss(estimator, figures):
        # ½·mean (y − ŷ)² plus the L2 term over the validation rows, by hand
        residual = y_val - estimator.predict(X_val)
        penalty = 0.5 * alpha * sum(float(np.sum(W * W)) for W in estimator.coefs_) / len(y_val)
        recomputed.append(0.5 * np.mean(residual**2) + penalty)

    model = quick(MLPRegressor, solver=solver, alpha=alpha, max_iter=15, callbacks=[validation_loss])
    model.fit(X_reg, y_reg, X_val=X_val, y_val=y_val)
    assert len(model.validation_loss_curve_) == model.n_iter_ == len(model.validation_scores_)
    np.testing.assert_allclose(model.validation_loss_curve_, recomputed, rtol=1e-12)
    assert model.best_validation_score_ == max(model.validation_scores_)


def test_early_stopping_records_the_validation_loss_of_its_split():
    model = quick(early_stopping=True, max_iter=20).fit(X, y)
    assert len(model.validation_loss_curve_) == len(model.validation_scores_) == model.n_iter_
    assert quick(max_iter=3).fit(X, y).validation_loss_curve_ is None


# --- restoring the best weights -----------------------------------------------------------
def _snapshots():
    kept = []

    def keep(estimator, figures):
        kept.append((figures, estimator.network_.params.copy()))

    return kept, keep


@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
def test_restore_best_weights_puts_back_the_best_validation_epoch(solver):
    kept, keep = _snapshots()
    # a wide network on few rows overfits, so the validation score peaks early
    model = quick(MLPRegressor, solver=solver, hidden_layer_sizes=(50,), alpha=0.0, learning_rate_init=0.05,
                  max_iter=60, restore_best_weights=True, callbacks=[keep])
    model.fit(X_reg[:30], y_reg[:30], X_val=X_val, y_val=y_val)
    scores = [figures["val_r2"] for figures, _ in kept]
    best = int(np.argmax(scores))
    assert best < len(scores) - 1  # the test would prove nothing if the last were best
    np.testing.assert_array_equal(_params(model), kept[best][1])


def test_restore_best_weights_false_keeps_the_last_epoch_even_with_early_stopping():
    kept, keep = _snapshots()
    model = quick(early_stopping=True, restore_best_weights=False, max_iter=200, callbacks=[keep]).fit(X, y)
    np.testing.assert_array_equal(_params(model), kept[-1][1])
    # scikit-learn's default (None) puts back the best validation epoch
    kept, keep = _snapshots()
    model = quick(early_stopping=True, max_iter=200, callbacks=[keep]).fit(X, y)
    best = int(np.argmax([figures["val_accuracy"] for figures, _ in kept]))
    np.testing.assert_array_equal(_params(model), kept[best][1])


def test_restore_best_weights_without_validation_uses_the_training_loss():
    kept, keep = _snapshots()
    model = quick(solver="sgd", learning_rate_init=1.0, momentum=0.99, restore_best_weights=True, callbacks=[keep])
    model.fit(X, y)
    losses = [figures["loss"] for figures, _ in kept]
    best = int(np.argmin(losses))
    assert best < len(losses) - 1
    np.testing.assert_array_equal(_params(model), kept[best][1])
    assert model.best_loss_ == losses[best]


# --- progress -----------------------------------------------------------------------------
def test_progress_bar_shows_epochs_loss_and_validation():
    output = io.StringIO()
    bar = ProgressBar(total=3, console=Console(file=output, width=150, force_terminal=False))
    with bar:
        for epoch in (1, 2, 3):
            bar({"epoch": epoch, "loss": 1.0 / epoch, "val_loss": 2.0 / epoch, "val_accuracy": 0.5})
    text = output.getvalue()
    assert "3/3" in text and "loss 0.3333" in text and "val_accuracy 0.5" in text and "val_loss 0.6667" in text
    assert format_figures({"epoch": 1, "loss": 0.25, "learning_rate": 0.1}) == "loss 0.25"


def test_progress_true_draws_a_bar_on_standard_error(capsys):
    quick(progress=True, max_iter=4, early_stopping=True, n_iter_no_change=50).fit(X, y)
    err = capsys.readouterr().err
    assert "MLPClassifier" in err and "4/4" in err and "val_accuracy" in err

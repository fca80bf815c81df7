"""Schedules (cosine, one_cycle, linear warm-up), decoupled weight decay and
gradient clipping: the optimiser against the formulas re-derived, the
history and learning_rate_curve_ they leave, pieces against one run."""

import math
import warnings

import numpy as np
import pytest
from sklearn.datasets import load_iris

import glassnet
from glassnet.engine.optimizers import CLIP_EPSILON, SGD, Adam
from glassnet.engine.schedules import SCHEDULES

X_IRIS, y_IRIS = load_iris(return_X_y=True)
X_IRIS = (X_IRIS - X_IRIS.mean(axis=0)) / X_IRIS.std(axis=0)


def rates(optimizer, epochs):
    """The rate of each epoch of a run of ``epochs``, as training reads them."""
    optimizer.begin(epochs)
    used = []
    for _ in range(epochs):
        used.append(optimizer.learning_rate)
        optimizer.epoch_end(0)
    return used


# --- the shapes --------------------------------------------------------------------------------------
def test_cosine_is_half_a_cosine_over_the_run():
    used = rates(SGD(learning_rate=0.4, schedule="cosine"), 10)
    assert used == [0.4 * 0.5 * (1 + math.cos(math.pi * k / 10)) for k in range(10)]
    assert used[0] == 0.4 and 0 < used[-1] < 0.01


def _pytorch_one_cycle(max_lr, total, step):
    """torch.optim.lr_scheduler.OneCycleLR's rate (defaults: pct_start 0.3,
    div_factor 25, final_div_factor 1e4, cosine annealing), written out."""
    initial, minimum = max_lr / 25, max_lr / 25 / 1e4
    phases = [(0.3 * total - 1, initial, max_lr), (total - 1, max_lr, minimum)]
    start = 0
    for index, (end, low, high) in enumerate(phases):
        if step <= end or index == len(phases) - 1:
            pct = (step - start) / (end - start)
            return high + (low - high) / 2 * (math.cos(math.pi * pct) + 1)
        start = end


@pytest.mark.parametrize("epochs", [10, 37, 200])
def test_one_cycle_is_pytorchs_per_epoch(epochs):
    used = rates(Adam(learning_rate=0.01, schedule="one_cycle"), epochs)
    expected = [_pytorch_one_cycle(0.01, epochs, k) for k in range(epochs)]
    np.testing.assert_allclose(used, expected, rtol=1e-15)
    assert used[0] == pytest.approx(0.01 / 25) and max(used) == pytest.approx(0.01, rel=0.05)


def test_a_linear_warm_up_comes_before_any_schedule():
    used = rates(SGD(learning_rate=0.3, schedule="cosine", warmup_epochs=4), 14)
    assert used[:4] == [0.3 * (k + 1) / 4 for k in range(4)]
    assert used[3] == 0.3  # the last warm-up epoch at exactly the rate
    # then the cosine over the 10 epochs left
    assert used[4:] == [0.3 * 0.5 * (1 + math.cos(math.pi * k / 10)) for k in range(10)]
    # a constant rate after a warm-up stays at the rate
    assert rates(Adam(learning_rate=0.01, warmup_epochs=2), 5) == [0.005, 0.01, 0.01, 0.01, 0.01]
    # one_cycle starts low: the warm-up rises to its first rate, and the cycle follows without a jump
    cycle = rates(Adam(learning_rate=0.01, schedule="one_cycle", warmup_epochs=3), 23)
    np.testing.assert_allclose(cycle[:3], [0.01 / 25 * (k + 1) / 3 for k in range(3)], rtol=1e-13)
    assert cycle[3:] == [_pytorch_one_cycle(0.01, 20, k) for k in range(20)] and cycle[3] == cycle[2]


def test_beyond_its_run_a_shaped_schedule_holds_its_last_rate():
    optimizer = SGD(learning_rate=1.0, schedule="cosine", schedule_epochs=4)
    used = [optimizer.learning_rate]
    for _ in range(6):
        optimizer.epoch_end(0)
        used.append(optimizer.learning_rate)
    assert used[3:] == [used[3]] * 4


def test_without_schedule_epochs_each_call_is_a_run_of_its_own():
    optimizer = SGD(learning_rate=1.0, schedule="cosine")
    first = rates(optimizer, 5)
    assert rates(optimizer, 5) == first  # a warm restart
    fixed = SGD(learning_rate=1.0, schedule="cosine", schedule_epochs=10)
    assert rates(fixed, 5) + rates(fixed, 5) == rates(SGD(learning_rate=1.0, schedule="cosine", schedule_epochs=10), 10)


def test_the_schedules_are_registered():
    assert SCHEDULES.names() == ["constant", "invscaling", "adaptive", "cosine", "one_cycle"]
    assert [SCHEDULES.get(name).shaped for name in SCHEDULES.names()] == [False, False, False, True, True]


# --- decoupled weight decay and clipping, step by step ---------------------------------------------------
def test_adam_decays_the_given_weights_as_pytorchs_adamw():
    rng = np.random.default_rng(0)
    params = rng.normal(size=8)
    grads = rng.normal(size=8)
    weights = params[:5]  # the rest (biases) do not decay
    optimizer = Adam(learning_rate=0.1, weight_decay=0.5)
    expected = params.copy()
    m, v = np.zeros(8), np.zeros(8)
    for step in (1, 2):
        optimizer.step(params, grads.copy(), weights)
        # torch.optim.AdamW: p ← p·(1 − lr·wd), then Adam's update
        expected[:5] *= 1 - 0.1 * 0.5
        m = 0.9 * m + 0.1 * grads
        v = 0.999 * v + 0.001 * grads**2
        rate = 0.1 * math.sqrt(1 - 0.999**step) / (1 - 0.9**step)
        expected += -rate * m / (np.sqrt(v) + 1e-8)
    np.testing.assert_allclose(params, expected, rtol=1e-14)


def test_sgd_decay_without_momentum_is_pytorchs_sgd_weight_decay():
    params = np.array([1.0, -2.0, 0.5])
    grads = np.array([0.1, 0.2, -0.3])
    SGD(learning_rate=0.1, weight_decay=0.01).step(params, grads.copy())
    # torch.optim.SGD(weight_decay=0.01): p − lr·(g + wd·p)
    np.testing.assert_allclose(params, np.array([1.0, -2.0, 0.5]) - 0.1 * (grads + 0.01 * np.array([1.0, -2.0, 0.5])),
                               rtol=1e-15)


def test_clipping_scales_the_whole_gradient_and_keeps_the_norm_before():
    grads = np.array([3.0, 4.0])  # norm 5
    optimizer = SGD(learning_rate=1.0, clip_grad_norm=2.0)
    params = np.zeros(2)
    optimizer.step(params, grads)
    np.testing.assert_allclose(params, -np.array([3.0, 4.0]) * 2.0 / (5.0 + CLIP_EPSILON), rtol=1e-15)
    optimizer.step(params, np.array([0.3, 0.4]))  # below the threshold: as it is
    assert optimizer.take_grad_norms() == [5.0, pytest.approx(0.5)] and optimizer.take_grad_norms() == []


def test_the_rules_refuse_bad_values_in_the_engine():
    for options, message in ((dict(weight_decay=-1), "weight_decay must be a finite number >= 0, got -1"),
                             (dict(clip_grad_norm=0), "clip_grad_norm must be a number > 0 or None, got 0"),
                             (dict(warmup_epochs=1.5), "warmup_epochs must be an integer >= 0, got 1.5"),
                             (dict(schedule_epochs=0), "schedule_epochs must be an integer >= 1, got 0")):
        with pytest.raises(ValueError, match=message):
            Adam(**options)


# --- through the doors ---------------------------------------------------------------------------------
def fit(**settings):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return glassnet.MLPClassifier((12,), random_state=0, **{"max_iter": 20, **settings}).fit(X_IRIS, y_IRIS)


def test_learning_rate_curve_is_the_rate_of_each_epoch():
    model = fit(learning_rate="cosine", warmup_epochs=5, learning_rate_init=0.01, solver="adam")
    assert model.learning_rate_curve_ == rates(Adam(learning_rate=0.01, schedule="cosine", warmup_epochs=5,
                                                    schedule_epochs=20), 20)
    assert fit(solver="sgd", learning_rate="invscaling", learning_rate_init=0.1, batch_size=50).learning_rate_curve_ == [
        0.1] + [0.1 / (150 * k + 1) ** 0.5 for k in range(1, 20)]
    assert fit().learning_rate_curve_ == [0.001] * 20
    assert fit(solver="lbfgs").learning_rate_curve_ is None


def test_adam_takes_the_shaped_schedules_and_ignores_sgds_as_scikit_learn_does():
    assert fit(learning_rate="one_cycle").learning_rate_curve_[0] == pytest.approx(0.001 / 25)
    # invscaling and adaptive are sgd's: scikit-learn's adam ignores them, and so does glassnet's
    np.testing.assert_array_equal(fit(learning_rate="invscaling").coefs_[0], fit().coefs_[0])


def test_partial_fit_continues_the_schedule_over_max_iter():
    model = glassnet.MLPClassifier((8,), learning_rate="cosine", max_iter=6, random_state=0, shuffle=False)
    for _ in range(6):
        model.partial_fit(X_IRIS, y_IRIS, classes=[0, 1, 2])
    assert model.learning_rate_curve_ == rates(Adam(schedule="cosine", schedule_epochs=6), 6)


def test_the_history_records_the_gradient_norm_before_clipping():
    model = fit(clip_grad_norm=0.05, batch_size=50, max_iter=4)
    history = model.learner_.history
    assert {"grad_norm", "grad_norm_max", "clipped_share"} <= set(history.keys())
    assert all(record["grad_norm_max"] >= record["grad_norm"] > 0.05 for record in history.records)
    assert history["clipped_share"] == [1.0] * 4
    # without clipping nothing is recorded, as before
    assert "grad_norm" not in fit(max_iter=2).learner_.history


def test_weight_decay_shrinks_the_weights_and_not_the_biases():
    decayed = fit(weight_decay=5.0, learning_rate_init=0.01, max_iter=30)
    plain = fit(learning_rate_init=0.01, max_iter=30)
    assert np.linalg.norm(decayed.coefs_[0]) < 0.7 * np.linalg.norm(plain.coefs_[0])
    # the decay alone, on a network with zero gradient: w·(1 − lr·wd) per step, biases untouched
    network = glassnet.Network([2, 2, 1], rng=np.random.default_rng(0))
    weights, biases = network.params[:network.n_weights].copy(), network.params[network.n_weights:].copy()
    optimizer = SGD(learning_rate=0.1, weight_decay=2.0)
    optimizer.step(network.params, np.zeros_like(network.params), network.decayed)
    np.testing.assert_allclose(network.params[:network.n_weights], weights * (1 - 0.2), rtol=1e-15)
    np.testing.assert_array_equal(network.params[network.n_weights:], biases)


def test_defaults_change_nothing_bit_for_bit():
    """Every new keyword at its default is the code without it, in every door."""
    settings = dict(dropout=0.0, normalization=None, weight_decay=0.0, clip_grad_norm=None, warmup_epochs=0,
                    label_smoothing=0.0)
    for solver in ("adam", "sgd", "lbfgs"):
        a, b = fit(solver=solver), fit(solver=solver, **settings)
        np.testing.assert_array_equal(a.network_.params, b.network_.params)
        assert a.loss_curve_ == b.loss_curve_
    Y = np.eye(3)[y_IRIS]
    article = dict(layers=[4, 5, 3], seed=0)
    rules = dict(dropout=0.0, normalization=None, weight_decay=0.0, clip_grad_norm=None, schedule="constant",
                 schedule_epochs=None, warmup_epochs=0)
    a = glassnet.NeuralNetwork(**article).train(X_IRIS, Y, 5)
    b = glassnet.NeuralNetwork(**article, **rules, label_smoothing=0.0).train(X_IRIS, Y, 5)
    np.testing.assert_array_equal(a.network.params, b.network.params)
    assert a.history.records == b.history.records


def test_lbfgs_refuses_the_step_rules_with_the_reason():
    for settings in (dict(dropout=0.2), dict(weight_decay=0.1), dict(clip_grad_norm=1.0), dict(warmup_epochs=2),
                     dict(learning_rate="cosine")):
        with pytest.raises(ValueError, match="solver='lbfgs' takes no"):
            fit(solver="lbfgs", **settings)
    with pytest.raises(ValueError, match="optimizer='lbfgs' takes no weight_decay"):
        glassnet.NeuralNetwork(optimizer="lbfgs", weight_decay=0.1)
    with pytest.raises(ValueError, match="optimizer='lbfgs' cannot train with dropout"):
        glassnet.NeuralNetwork(optimizer="lbfgs", dropout=0.1)
    with pytest.raises(ValueError, match="are set on an Optimizer instance, not beside it"):
        glassnet.NeuralNetwork(optimizer=SGD(), schedule="cosine")
    # normalisation and label smoothing are the loss's, which L-BFGS minimises like any
    model = fit(solver="lbfgs", normalization="batch", label_smoothing=0.1, max_iter=40)
    assert model.score(X_IRIS, y_IRIS) > 0.9


@pytest.mark.parametrize("door, name, value, message", [
    ("estimator", "dropout", 1.0, r"dropout must be a real number in \[0, 1\), got 1.0"),
    ("estimator", "normalization", "group", "unknown normalization 'group'; expected one of: batch, layer"),
    ("estimator", "weight_decay", -1, r"weight_decay must be a real number in \[0, inf\), got -1"),
    ("estimator", "clip_grad_norm", 0, r"clip_grad_norm must be a real number in \(0, inf\), got 0"),
    ("estimator", "learning_rate", "cosin", "unknown learning_rate 'cosin'; expected one of: constant, invscaling, "
                                            "adaptive, cosine, one_cycle"),
    ("estimator", "warmup_epochs", -1, "warmup_epochs must be an integer >= 0, got -1"),
    ("estimator", "label_smoothing", 1, r"label_smoothing must be a real number in \[0, 1\), got 1"),
    ("NeuralNetwork", "schedule", "linear", "unknown schedule 'linear'"),
    ("NeuralNetwork", "schedule_epochs", 0, "schedule_epochs must be an integer >= 1, got 0"),
    ("cli", "--dropout", "0.1,2", r"--dropout must be .* got \[0.1, 2\]"),
    ("cli", "--clip-grad-norm", "-1", r"--clip-grad-norm must be a real number in \(0, inf\), got -1"),
    ("playground", "dropout", 0.99, r"dropout must be a real number in \[0, 0.95\], got 0.99"),
    ("playground", "schedule", "cosine", None),
])
def test_one_table_checks_the_new_settings_in_every_door(door, name, value, message):
    if message is None:
        assert glassnet.parameters.check(door, name, value) == value
        return
    with pytest.raises(ValueError, match=message):
        glassnet.parameters.check(door, name, value)


def test_the_estimators_check_their_new_parameters_when_fit_starts():
    with pytest.raises(ValueError, match=r"weight_decay must be a real number in \[0, inf\), got -0.5"):
        glassnet.MLPRegressor(weight_decay=-0.5).fit(X_IRIS, y_IRIS.astype(float))
    with pytest.raises(ValueError, match=r"dropout has 3 rates for 1 hidden layer\(s\)"):
        fit(dropout=[0.1, 0.2, 0.3])
    assert "label_smoothing" not in glassnet.MLPRegressor().get_params()

import math
import warnings

import numpy as np
import pytest

from glassnet import DivergenceWarning, EarlyStopping, History, NeuralNetwork
from glassnet.engine.network import Network
from glassnet.engine.optimizers import SGD, Adam
from glassnet.engine.training import train


def regression(n=80, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    Y = (X @ np.array([[1.0], [-2.0], [0.5]])) + 0.1 * rng.normal(size=(n, 1))
    return X, Y


def make_net(seed=0, **kwargs):
    return Network([3, 8, 1], "tanh", "identity", rng=np.random.default_rng(seed), **kwargs)


def test_history_records_loss_metric_and_validation():
    X, Y = regression()
    net = make_net()
    history = History()
    result = train(net, Adam(0.01), X[:60], Y[:60], epochs=5, batch_size=16, rng=np.random.default_rng(0),
                   validation=(X[60:], Y[60:]), metric="mse", history=history)
    assert result.epochs == 5 and result.stop_reason == "completed" and result.samples_seen == 300
    assert len(history) == 5
    assert set(history.keys()) == {"epoch", "loss", "mse", "val_loss", "val_mse", "learning_rate"}
    assert history["epoch"] == [1, 2, 3, 4, 5]
    # the validation figures are those of the final weights of each epoch
    assert history["val_loss"][-1] == pytest.approx(net.loss_value(X[60:], Y[60:]))
    assert history["val_mse"][-1] == pytest.approx(np.mean((net.predict(X[60:]) - Y[60:]) ** 2))


def test_full_batch_loss_is_the_loss_before_the_update():
    X, Y = regression()
    net = make_net()
    before = net.loss_value(X, Y)
    history = History()
    train(net, SGD(0.01), X, Y, epochs=1, history=history)
    assert history["loss"][0] == pytest.approx(before)


def test_minibatch_loss_is_the_row_weighted_mean_of_batch_losses():
    X, Y = regression(n=10)
    net = make_net()
    start = net.params.copy()
    history = History()
    train(net, SGD(0.0), X, Y, epochs=1, batch_size=4, shuffle=False, history=history)
    np.testing.assert_array_equal(net.params, start)  # learning rate 0 changes nothing
    expected = (4 * net.loss_value(X[:4], Y[:4]) + 4 * net.loss_value(X[4:8], Y[4:8]) + 2 * net.loss_value(X[8:], Y[8:])) / 10
    assert history["loss"][0] == pytest.approx(expected)


def test_minibatch_sgd_matches_a_hand_loop():
    X, Y = regression(n=9)
    net, ref = make_net(), make_net()
    order_rng = np.random.default_rng(4)
    train(net, SGD(0.05), X, Y, epochs=2, batch_size=4, rng=np.random.default_rng(4))
    for _ in range(2):
        order = order_rng.permutation(9)
        for start in range(0, 9, 4):
            rows = order[start:start + 4]
            _, grad = ref.loss_and_gradient(X[rows], Y[rows])
            ref.params -= 0.05 * grad
    np.testing.assert_allclose(net.params, ref.params, rtol=1e-13)


def test_sample_weight_two_equals_a_duplicated_row():
    X, Y = regression(n=6)
    w = np.array([2.0, 1, 1, 1, 1, 1])
    a, b = make_net(), make_net()
    loss_a, grad_a = a.loss_and_gradient(X, Y, w)
    loss_b, grad_b = b.loss_and_gradient(np.vstack([X[:1], X]), np.vstack([Y[:1], Y]))
    assert loss_a == pytest.approx(loss_b)
    np.testing.assert_allclose(grad_a, grad_b, rtol=1e-12)


def test_early_stopping_restores_the_best_weights():
    from glassnet.engine.learner import Learner

    X, Y = regression(n=40)
    X_val, Y_val = X[:10] + 3.0, -Y[:10]  # a validation set that training makes worse
    net = make_net()
    stopping = EarlyStopping("val_loss", patience=3, tol=0.0)
    learner = Learner(net, Adam(0.05), rng=np.random.default_rng(0), stopping=stopping)
    # the loop stops on the plateau; the Learner, the one owner of the rule, puts the best weights back
    result = learner.fit_epochs(X, Y, 200, validation=(X_val, Y_val))
    history = learner.history
    assert result.stop_reason == "plateau" and result.epochs < 200
    best = int(np.argmin(history["val_loss"]))
    assert stopping.best_epoch == best + 1
    assert result.epochs == best + 1 + 4  # patience 3 means the 4th non-improving epoch stops
    assert net.loss_value(X_val, Y_val) == pytest.approx(history["val_loss"][best])


def test_accuracy_monitor_is_maximised():
    stopping = EarlyStopping("val_accuracy", patience=0, tol=0.0)
    params = np.zeros(2)
    assert stopping.update({"epoch": 1, "val_accuracy": 0.5}, params) is False
    assert stopping.update({"epoch": 2, "val_accuracy": 0.7}, params + 1) is False
    assert stopping.update({"epoch": 3, "val_accuracy": 0.6}, params + 2) is True
    stopping.restore(params)
    np.testing.assert_array_equal(params, [1.0, 1.0])


def test_adaptive_schedule_lowers_the_rate_instead_of_stopping():
    X, Y = regression(n=30)
    opt = SGD(0.01, schedule="adaptive")
    result = train(make_net(), opt, X, Y, epochs=60, stopping=EarlyStopping("loss", patience=1, tol=10.0, restore_best=False))
    assert opt.learning_rate < 0.01
    assert math.isclose(opt.learning_rate, 0.01 / 5 ** round(math.log(0.01 / opt.learning_rate, 5)))
    assert result.stop_reason in ("plateau", "completed")


def test_callback_can_stop_training():
    X, Y = regression(n=20)
    seen = []

    def stop_at_three(record):
        seen.append(record["epoch"])
        return record["epoch"] == 3

    result = train(make_net(), SGD(0.01), X, Y, epochs=10, callbacks=[stop_at_three])
    assert result.stop_reason == "callback" and result.epochs == 3 and seen == [1, 2, 3]


def test_divergence_stops_at_once_and_keeps_finite_weights():
    X, Y = regression(n=20)
    nn = NeuralNetwork(layers=[3, 8, 1], activation="relu", output_activation="identity", bias=True, init="glorot", learning_rate=1e3, seed=0)
    with pytest.warns(DivergenceWarning, match=r"diverged at epoch \d+.*lower learning rate"):
        nn.train(X, Y, 100)
    assert np.isfinite(nn.network.params).all()
    assert 0 < len(nn.error_list) < 100 and all(np.isfinite(nn.error_list))
    assert np.isfinite(nn.predict(X)).all()


def test_interrupt_leaves_weights_and_history_of_the_last_epoch():
    X, Y = regression(n=20)
    net = make_net()
    snapshots = []

    def interrupt_in_epoch_four(record):
        snapshots.append(net.params.copy())
        if record["epoch"] == 3:
            # the next forward pass raises, in the middle of epoch 4
            original = net.forward

            def boom(X):
                net.forward = original
                raise KeyboardInterrupt

            net.forward = boom
        return False

    history = History()
    result = train(net, SGD(0.01), X, Y, epochs=10, batch_size=5, callbacks=[interrupt_in_epoch_four], history=history)
    assert result.stop_reason == "interrupted" and result.epochs == 3 and len(history) == 3
    np.testing.assert_array_equal(net.params, snapshots[-1])
    with pytest.raises(KeyboardInterrupt):
        result.raise_if_interrupted()


def test_neural_network_early_stopping_with_validation_split():
    X, Y = regression(n=50)
    nn = NeuralNetwork(layers=[3, 6, 1], activation="tanh", output_activation="identity", bias=True, init="glorot", optimizer="adam", learning_rate=0.05, reduction="mean", seed=0)
    nn.train(X, Y, 500, validation_split=0.2, early_stopping=True, patience=5)
    assert "val_loss" in nn.history and "val_mae" in nn.history
    assert len(nn.error_list) < 500


def test_no_warning_when_training_is_healthy():
    X, Y = regression()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        NeuralNetwork(layers=[3, 4, 1], output_activation="identity", learning_rate=0.001, seed=0).train(X, Y, 20)


@pytest.mark.parametrize("metric", [None, "accuracy"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_uint8_class_indicators_train_exactly_as_float_targets(dtype, metric):
    # classifiers keep their one-hot targets as uint8; the engine must read
    # them as the same 0s and 1s, with per-batch gathering (no metric) or a
    # shuffled copy (metric), in either dtype
    rng = np.random.default_rng(0)
    X = rng.normal(size=(90, 4)).astype(dtype)
    Y = np.eye(3, dtype=np.uint8)[rng.integers(0, 3, 90)]
    runs = []
    for targets in (Y, Y.astype(dtype)):
        net = Network([4, 6, 3], "relu", "softmax", "categorical_crossentropy", l2=1e-3, dtype=dtype,
                      rng=np.random.default_rng(1))
        history = History()
        train(net, Adam(0.01), X, targets, epochs=4, batch_size=16, rng=np.random.default_rng(2),
              metric=metric, history=history)
        runs.append((net.params, history.records))
    np.testing.assert_array_equal(runs[0][0], runs[1][0])
    assert runs[0][1] == runs[1][1]


def test_gathering_each_batch_or_a_shuffled_copy_gives_the_same_weights():
    # without a training metric each batch gathers its own rows of Y; with
    # one, the epoch's targets are gathered whole (the metric needs them)
    X, Y = regression(n=70)
    weights = []
    for metric in (None, "mse"):
        net = make_net(seed=3)
        train(net, SGD(0.05, momentum=0.9), X, Y, epochs=3, batch_size=8, rng=np.random.default_rng(4), metric=metric)
        weights.append(net.params)
    np.testing.assert_array_equal(weights[0], weights[1])

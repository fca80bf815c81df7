import numpy as np
import pytest

from glassnet.engine.optimizers import SGD, Adam, make_optimizer


def run(optimizer, grads_sequence, start):
    params = start.copy()
    for g in grads_sequence:
        optimizer.step(params, g)
    return params


@pytest.fixture
def grads():
    rng = np.random.default_rng(0)
    return [rng.normal(size=5) for _ in range(4)]


def test_plain_sgd_is_params_minus_rate_times_grad(grads):
    start = np.arange(5.0)
    expected = start.copy()
    for g in grads:
        expected = expected - 0.3 * g
    np.testing.assert_array_equal(run(SGD(0.3), grads, start), expected)


@pytest.mark.parametrize("nesterov", [False, True])
def test_sgd_momentum_rederived(grads, nesterov):
    # v ← μv − ηg; step = v, or μv − ηg with Nesterov (scikit-learn's rule)
    lr, mu = 0.1, 0.9
    p, v = np.arange(5.0), np.zeros(5)
    for g in grads:
        v = mu * v - lr * g
        p = p + (mu * v - lr * g if nesterov else v)
    np.testing.assert_allclose(run(SGD(lr, momentum=mu, nesterov=nesterov), grads, np.arange(5.0)), p, rtol=1e-15)


def test_adam_rederived(grads):
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-8
    p, m, v = np.arange(5.0), np.zeros(5), np.zeros(5)
    for t, g in enumerate(grads, start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g**2
        rate = lr * np.sqrt(1 - b2**t) / (1 - b1**t)
        p = p + -rate * m / (np.sqrt(v) + eps)
    np.testing.assert_array_equal(run(Adam(lr), grads, np.arange(5.0)), p)


def test_adam_first_step_moves_each_weight_by_the_rate():
    # after one step m/sqrt(v) = sign(g), so every weight moves by ≈ lr
    p = np.zeros(3)
    Adam(0.5).step(p, np.array([3.0, -0.5, 100.0]))
    np.testing.assert_allclose(p, [-0.5, 0.5, -0.5], rtol=1e-6)


def test_invscaling_schedule():
    opt = SGD(0.5, schedule="invscaling", power_t=0.5)
    opt.epoch_end(samples_seen=99)
    assert opt.learning_rate == pytest.approx(0.5 / 100**0.5)


def test_adaptive_schedule_divides_by_five_then_stops():
    opt = SGD(1e-5, schedule="adaptive")
    assert opt.on_plateau() is False and opt.learning_rate == pytest.approx(2e-6)
    assert opt.on_plateau() is False and opt.learning_rate == pytest.approx(4e-7)
    assert opt.on_plateau() is True


def test_constant_schedule_stops_on_plateau():
    assert SGD(0.1).on_plateau() is True


def test_float32_step_stays_float32():
    p = np.ones(4, np.float32)
    Adam(0.1).step(p, np.ones(4, np.float32))
    SGD(0.1, momentum=0.5).step(p, np.ones(4, np.float32))
    assert p.dtype == np.float32


def test_make_optimizer_and_bad_names():
    assert isinstance(make_optimizer("adam", 0.1), Adam)
    assert make_optimizer("sgd", 0.2).learning_rate == 0.2
    with pytest.raises(ValueError, match="unknown optimizer 'rmsprop'; expected one of: sgd, adam"):
        make_optimizer("rmsprop")
    with pytest.raises(ValueError, match="unknown learning-rate schedule 'cosin'; expected one of: constant, "
                                         "invscaling, adaptive, cosine, one_cycle"):
        SGD(schedule="cosin")
    with pytest.raises(ValueError, match="momentum must be in"):
        SGD(momentum=2)

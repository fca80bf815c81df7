"""The update kernels: the numba path gives the NumPy path's numbers to the
last bit, in both dtypes, step by step and over whole training runs."""

import warnings

import numpy as np
import pytest
from sklearn.datasets import load_digits

import glassnet
from glassnet import kernels
from glassnet.engine.kernels import numba_kernels, numpy_kernels
from glassnet.engine.optimizers import SGD, Adam

PATHS = (numpy_kernels, numba_kernels)


@pytest.fixture(autouse=True)
def restore_choice():
    yield
    kernels.reset()


# one block, and several blocks of the NumPy path's blocked passes
SIZES = [1001, 2 * numpy_kernels.BLOCK + 7]


def gradient_sequence(dtype, size=1001, steps=25):
    """Gradients of very different sizes, with exact zeros and a huge value."""
    rng = np.random.default_rng(0)
    sequence = []
    for step in range(steps):
        g = rng.standard_normal(size) * 10.0 ** rng.integers(-6, 3, size)
        g[::97] = 0.0
        g[5] = 1e30 if step == 3 else g[5]
        sequence.append(g.astype(dtype))
    return sequence


def run_adam(kernel, dtype, size=1001):
    params = np.random.default_rng(1).standard_normal(size).astype(dtype)
    m, v = np.zeros_like(params), np.zeros_like(params)
    scratch = [np.zeros_like(params) for _ in range(kernel.ADAM_SCRATCH)]
    for t, g in enumerate(gradient_sequence(dtype, size), start=1):
        # the rate arrives as a NumPy float64, as Adam computes it
        rate = 1e-3 * np.sqrt(1 - 0.999**t) / (1 - 0.9**t)
        with np.errstate(over="ignore"):  # 1e30² overflows float32 to inf, on both paths
            kernel.adam_step(params, g, m, v, scratch, rate, 0.9, 0.999, 1e-8)
    return params, m, v


def run_sgd(kernel, dtype, momentum, nesterov):
    params = np.random.default_rng(1).standard_normal(1001).astype(dtype)
    velocity = np.zeros_like(params)
    scratch = [np.zeros_like(params) for _ in range(kernel.SGD_SCRATCH)]
    for g in gradient_sequence(dtype):
        kernel.sgd_step(params, g * 1e-20, velocity, scratch, 0.1, momentum, nesterov)
    return params, velocity


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_adam_kernels_are_bit_equal(dtype, size):
    numpy_result, numba_result = (run_adam(kernel, dtype, size) for kernel in PATHS)
    for ours, theirs in zip(numpy_result, numba_result):
        assert ours.dtype == theirs.dtype == dtype
        np.testing.assert_array_equal(ours, theirs)
    assert np.isfinite(numpy_result[0]).all()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("momentum, nesterov", [(0.0, False), (0.9, False), (0.9, True)])
def test_sgd_kernels_are_bit_equal(dtype, momentum, nesterov):
    numpy_result, numba_result = (run_sgd(kernel, dtype, momentum, nesterov) for kernel in PATHS)
    for ours, theirs in zip(numpy_result, numba_result):
        np.testing.assert_array_equal(ours, theirs)


def test_float32_adam_is_computed_in_float32():
    # the whole update in float32 arithmetic, written out by hand
    f = np.float32
    rng = np.random.default_rng(2)
    p, g = rng.standard_normal(500).astype(f), rng.standard_normal(500).astype(f)
    rate = 0.01 * np.sqrt(1 - 0.999) / (1 - 0.9)  # a NumPy float64
    m = g * f(1 - 0.9)
    v = (g * g) * f(1 - 0.999)
    expected = p + (m * f(-rate)) / (np.sqrt(v) + f(1e-8))
    for kernel in PATHS:
        params, scratch = p.copy(), [np.zeros_like(p) for _ in range(kernel.ADAM_SCRATCH)]
        kernel.adam_step(params, g, np.zeros_like(p), np.zeros_like(p), scratch, rate, 0.9, 0.999, 1e-8)
        np.testing.assert_array_equal(params, expected)
    # in float64 the rounding would differ: the test would catch an upcast
    upcast = (p.astype(float) + (m.astype(float) * -rate) / (np.sqrt(v.astype(float)) + 1e-8)).astype(f)
    assert not np.array_equal(upcast, expected)


def fit_digits(path, dtype, solver):
    kernels.use(path)
    X, y = load_digits(return_X_y=True)
    X = X[:400] / 16.0
    model = glassnet.MLPClassifier(hidden_layer_sizes=(32,), solver=solver, momentum=0.9, batch_size=32,
                                   max_iter=5, random_state=0, dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(X[:300], y[:300])
    return model, X[300:]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("solver", ["adam", "sgd"])
def test_training_gives_the_same_model_on_both_paths(dtype, solver):
    plain, X_test = fit_digits("numpy", dtype, solver)
    fast, _ = fit_digits("numba", dtype, solver)
    assert kernels.active() is numba_kernels
    np.testing.assert_array_equal(plain.network_.params, fast.network_.params)
    assert plain.loss_curve_ == fast.loss_curve_
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a few test rows leave the training range
        np.testing.assert_array_equal(plain.predict_proba(X_test), fast.predict_proba(X_test))


def test_use_chooses_the_path():
    kernels.use("numpy")
    assert kernels.active() is numpy_kernels
    kernels.use("numba")
    assert kernels.active() is numba_kernels


def test_auto_loads_numba_only_for_runs_that_repay_it(monkeypatch):
    monkeypatch.setattr(kernels, "_loaded", {})
    kernels.use("auto")
    kernels.plan(kernels.WORTH_LOADING - 1)
    assert kernels.active() is numpy_kernels and "numba" not in kernels._loaded
    kernels.plan(kernels.WORTH_LOADING)
    assert kernels.active() is numba_kernels
    # once loaded it serves small runs too: the numbers are the same
    kernels.plan(10)
    assert kernels.active() is numba_kernels


def test_a_big_training_run_plans_the_numba_path(monkeypatch):
    monkeypatch.setattr(kernels, "_loaded", {})
    monkeypatch.setattr(kernels, "WORTH_LOADING", 1e6)
    kernels.use("auto")
    X = np.random.default_rng(0).standard_normal((200, 10))
    model = glassnet.MLPRegressor(hidden_layer_sizes=(50,), max_iter=2, batch_size=20, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(X[:, :9], X[:, 9])  # 551 parameters × 20 steps: below 1e6, stays on NumPy
        assert "numba" not in kernels._loaded
        model.set_params(max_iter=200).fit(X[:, :9], X[:, 9])  # 551 × 2000 steps
    assert kernels.active() is numba_kernels


def test_environment_variable_chooses_the_path(monkeypatch):
    monkeypatch.setenv("GLASSNET_KERNELS", "numpy")
    kernels.reset()
    assert kernels.active() is numpy_kernels
    monkeypatch.setenv("GLASSNET_KERNELS", "numba")
    kernels.reset()
    assert kernels.active() is numba_kernels


def test_a_bad_environment_variable_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("GLASSNET_KERNELS", "fortran")
    kernels.reset()
    with pytest.raises(ValueError, match=r"GLASSNET_KERNELS='fortran' is not a kernel path; expected one of: auto, numpy, numba"):
        Adam(0.1).step(np.zeros(3), np.ones(3))


def test_unknown_path_is_a_clear_error():
    with pytest.raises(ValueError, match=r"unknown kernel path 'fortran'; expected one of: auto, numpy, numba"):
        kernels.use("fortran")


def test_numba_path_without_numba_says_how_to_install(monkeypatch):
    monkeypatch.setattr(kernels, "available", lambda: ["numpy"])
    monkeypatch.setattr(kernels, "_loaded", {})
    with pytest.raises(ValueError, match=r"needs numba.*pip install \"glassnet\[fast\]\""):
        kernels.use("numba")
    # auto stays on NumPy, however big the run
    kernels.use("auto")
    kernels.plan(1e12)
    assert kernels.active() is numpy_kernels


def test_switching_paths_keeps_the_optimizer_state():
    params = np.zeros(4)
    grads = np.array([1.0, -2.0, 0.5, 0.0])
    reference = Adam(0.1)
    expected = params.copy()
    for _ in range(3):
        reference.step(expected, grads)
    switching = Adam(0.1)
    for path in ("numba", "numpy", "numba"):
        kernels.use(path)
        switching.step(params, grads)
    np.testing.assert_array_equal(params, expected)
    sgd = SGD(0.1, momentum=0.5)
    kernels.use("numpy")
    sgd.step(params, grads)
    assert len(sgd._state) == 1 + numpy_kernels.SGD_SCRATCH


def bits(array):
    """The raw bits, so that −0 and 0 (equal as numbers) count as different."""
    return array.view(np.uint32 if array.dtype == np.float32 else np.uint64)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_relu_backward_kernels_are_bit_equal_to_the_last_sign(dtype):
    rng = np.random.default_rng(3)
    A = np.maximum(rng.standard_normal((37, 11)), 0).astype(dtype)
    dA = rng.standard_normal((37, 11)).astype(dtype)
    dA[0, :3] = [np.inf, -np.inf, np.nan]
    with np.errstate(invalid="ignore"):  # ±inf·0 is NaN, on both paths
        results = [kernel.relu_backward(dA, A, np.empty_like(dA)) for kernel in PATHS]
    np.testing.assert_array_equal(bits(results[0]), bits(results[1]))
    on = A > 0
    np.testing.assert_array_equal(results[1][on], dA[on])
    assert (results[1][~on & np.isfinite(dA)] == 0).all()
    # a transposed (non-contiguous) array takes the NumPy route, same numbers
    with np.errstate(invalid="ignore"):
        np.testing.assert_array_equal(bits(numba_kernels.relu_backward(dA.T, A.T, np.empty_like(dA.T))),
                                      bits(numpy_kernels.relu_backward(dA.T, A.T, np.empty_like(dA.T))))


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_add_scaled_kernels_are_bit_equal(dtype, size):
    rng = np.random.default_rng(4)
    source = rng.standard_normal(size).astype(dtype)
    targets = [rng.standard_normal(size).astype(dtype) for _ in PATHS]
    targets[1][...] = targets[0]
    for kernel, target in zip(PATHS, targets):
        kernel.add_scaled(target, source, np.float64(1e-4) / 3)
    np.testing.assert_array_equal(bits(targets[0]), bits(targets[1]))
    # and both are the plain expression, in the target's dtype
    expected = targets[0].copy()
    expected[...] = rng.standard_normal(size).astype(dtype)
    original = expected.copy()
    expected += np.float64(1e-4) / 3 * source if dtype == np.float64 else np.float32(1e-4 / 3) * source
    numpy_kernels.add_scaled(original, source, np.float64(1e-4) / 3)
    np.testing.assert_array_equal(bits(original), bits(expected))


def test_numpy_blocked_passes_are_safe_in_two_threads_at_once():
    import threading

    expected = run_adam(numpy_kernels, np.float64, SIZES[1])
    results = [None, None]

    def train(slot):
        results[slot] = run_adam(numpy_kernels, np.float64, SIZES[1])

    threads = [threading.Thread(target=train, args=(slot,)) for slot in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for result in results:
        for ours, theirs in zip(result, expected):
            np.testing.assert_array_equal(ours, theirs)


def test_auto_goes_on_with_numpy_when_numba_fails_to_load(monkeypatch):
    monkeypatch.setattr(kernels, "_loaded", {})
    real_import = kernels.importlib.import_module

    def broken(name):
        if name.endswith("numba_kernels"):
            raise RuntimeError("cannot cache function '_adam': no locator available")
        return real_import(name)

    monkeypatch.setattr(kernels.importlib, "import_module", broken)
    kernels.use("auto")
    with pytest.warns(RuntimeWarning, match=r"numba kernels could not be loaded \(RuntimeError: cannot cache.*same numbers"):
        kernels.plan(kernels.WORTH_LOADING)
    assert kernels.active() is numpy_kernels
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # said once, not at every run
        kernels.plan(kernels.WORTH_LOADING)
    assert kernels.active() is numpy_kernels
    with pytest.raises(ValueError, match="failed to load earlier"):
        kernels.use("numba")


def test_numba_path_takes_any_layout_and_gives_numpys_numbers():
    # a user's own 2-D and strided arrays given to Optimizer.step
    rng = np.random.default_rng(5)
    grads = rng.standard_normal((6, 8))
    results = []
    for path in ("numpy", "numba"):
        kernels.use(path)
        square, strided = np.ones((6, 8)), np.ones((6, 16))[:, ::2]
        for params in (square, strided):
            adam, sgd = Adam(0.1), SGD(0.1, momentum=0.9)
            for _ in range(3):
                adam.step(params, grads)
                sgd.step(params, grads)
        results.append((square, strided))
    for ours, theirs in zip(*results):
        np.testing.assert_array_equal(ours, theirs)
    assert not np.array_equal(results[1][0], np.ones((6, 8)))

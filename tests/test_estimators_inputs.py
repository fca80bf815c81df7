"""Every kind of input trains like a C-ordered ndarray of the same values:
pandas and polars DataFrames, Fortran-ordered, misaligned and read-only
arrays, dask arrays. The weights are bit-identical, and the training loop
only ever sees one C-ordered, aligned copy. (Speed is measured in
benchmarks/, workload "inputs", never in a test.)"""

import tracemalloc

import numpy as np
import pandas as pd
import pytest

import glassnet.engine.training as training
from glassnet import MLPClassifier, MLPRegressor


def _data(n=300, features=6, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, features))
    y = np.where(X[:, 0] + X[:, 1] ** 2 > 1, "yes", "no")
    return X, y


def _misaligned(X):
    """The values of X in a C-ordered buffer that starts one byte off alignment."""
    buffer = np.empty(X.nbytes + 1, dtype=np.uint8)
    array = np.frombuffer(buffer[1:].data, dtype=X.dtype).reshape(X.shape)
    array[...] = X
    assert not array.flags.aligned
    return array


def _read_only(X):
    array = X.copy()
    array.flags.writeable = False
    return array


def _polars(X):
    polars = pytest.importorskip("polars")
    return polars.DataFrame({f"x{j}": X[:, j] for j in range(X.shape[1])})


def _dask(X):
    dask_array = pytest.importorskip("dask.array")
    return dask_array.from_array(X, chunks=(97, X.shape[1]))


LAYOUTS = {
    "pandas": lambda X: pd.DataFrame(X, columns=[f"x{j}" for j in range(X.shape[1])]),
    "fortran": np.asfortranarray,
    "misaligned": _misaligned,
    "read-only": _read_only,
    "strided view": lambda X: np.repeat(X, 2, axis=1)[:, ::2],
    "polars": _polars,
    "dask": _dask,
}

SETTINGS = {
    "adam": dict(solver="adam", max_iter=5, batch_size=32),
    "sgd": dict(solver="sgd", max_iter=5, batch_size=50, momentum=0.9),
    "lbfgs": dict(solver="lbfgs", max_iter=20),
    "early stopping": dict(solver="adam", max_iter=8, early_stopping=True, n_iter_no_change=100),
}


def _assert_same_weights(a, b):
    for W_a, W_b in zip(a.coefs_ + a.intercepts_, b.coefs_ + b.intercepts_):
        assert np.array_equal(W_a, W_b)
    assert a.loss_curve_ == b.loss_curve_


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("settings", list(SETTINGS))
@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_every_layout_trains_to_the_ndarrays_weights_bit_for_bit(layout, settings):
    X, y = _data()
    reference = MLPClassifier(hidden_layer_sizes=(7,), random_state=0, **SETTINGS[settings]).fit(X, y)
    model = MLPClassifier(hidden_layer_sizes=(7,), random_state=0, **SETTINGS[settings]).fit(LAYOUTS[layout](X), y)
    _assert_same_weights(model, reference)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("layout", ["pandas", "fortran", "misaligned"])
def test_regressor_partial_fit_and_validation_data_of_any_layout(layout):
    X, _ = _data(seed=1)
    y = X[:, 0] - 2 * X[:, 2]
    convert = LAYOUTS[layout]
    reference = MLPRegressor(hidden_layer_sizes=(5,), random_state=0, batch_size=40)
    model = MLPRegressor(hidden_layer_sizes=(5,), random_state=0, batch_size=40)
    for _ in range(3):
        reference.partial_fit(X[:200], y[:200])
        model.partial_fit(convert(X[:200]), y[:200])
    _assert_same_weights(model, reference)
    reference.fit(X[:200], y[:200], X_val=X[200:], y_val=y[200:])
    model.fit(convert(X[:200]), y[:200], X_val=convert(X[200:]), y_val=y[200:])
    _assert_same_weights(model, reference)
    assert model.validation_loss_curve_ == reference.validation_loss_curve_


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("layout", ["pandas", "fortran", "misaligned"])
def test_the_training_loop_gathers_batches_from_one_c_ordered_aligned_copy(layout, monkeypatch):
    X, y = _data()
    seen = []
    gatherer = training._gatherer

    # each shuffled epoch chooses its gather for the training rows once
    def spy(array):
        if array is not None and array.ndim == 2 and array.shape[1] == X.shape[1]:
            seen.append((array.flags.c_contiguous, array.flags.aligned, id(array)))
        return gatherer(array)

    monkeypatch.setattr(training, "_gatherer", spy)
    MLPClassifier(hidden_layer_sizes=(4,), max_iter=3, batch_size=50, random_state=0).fit(LAYOUTS[layout](X), y)
    assert seen and all(c_ordered and aligned for c_ordered, aligned, _ in seen)
    assert len({identity for _, _, identity in seen}) == 1  # converted once, not per batch or epoch


@pytest.mark.parametrize("layout", ["fortran", "misaligned"])
def test_gathering_a_batch_does_not_copy_the_whole_array(layout):
    # np.take copies an array of these layouts whole before gathering: with
    # 200 rows of 20 000 that is a 32 MB temporary per batch
    X = LAYOUTS[layout](np.random.default_rng(0).standard_normal((20_000, 200)))
    index = np.random.default_rng(1).permutation(20_000)[:200]
    tracemalloc.start()
    try:
        batch = training._rows(X, index)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    np.testing.assert_array_equal(batch, np.ascontiguousarray(X)[index])
    assert peak < 4 * batch.nbytes  # the batch itself, not the array

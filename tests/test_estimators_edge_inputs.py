"""Inputs that crashed the estimators with a chosen dtype: ±inf in float32
(an IndexError), and scipy.sparse formats without a ``data`` array (an
AttributeError). Now a ValueError naming the problem, or the same result as
the dense array."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp

import glassnet

FORMATS = ["csr", "csc", "coo", "bsr", "dia", "dok", "lil"]


def _data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 4))
    X[rng.random(X.shape) < 0.5] = 0.0
    return X, np.arange(30) % 3


@pytest.mark.parametrize("value", [np.inf, -np.inf])
@pytest.mark.parametrize("method", ["fit", "partial_fit"])
@pytest.mark.parametrize("estimator", ["classifier", "regressor"])
def test_infinity_with_float32_is_a_value_error_naming_it(value, method, estimator):
    X, y = _data()
    X[7, 2] = value
    model = (glassnet.MLPClassifier if estimator == "classifier" else glassnet.MLPRegressor)(dtype="float32", max_iter=3)
    extra = {"classes": [0, 1, 2]} if method == "partial_fit" and estimator == "classifier" else {}
    with pytest.raises(ValueError, match="infinity"):
        getattr(model, method)(X, y, **extra)


def test_a_finite_value_beyond_float32_is_still_named_with_its_place():
    X, y = _data()
    X[7, 2] = np.inf
    X[9, 1] = -1e300  # the finite one is named, not the infinity
    with pytest.raises(ValueError, match=r"X holds -1e\+300 at index \[9, 1\], beyond the float32 range"):
        glassnet.MLPClassifier(dtype="float32", max_iter=3).fit(X, y)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_sparse_format_trains_as_its_dense_array(fmt, dtype):
    X, y = _data()
    sparse = sp.csr_matrix(X).asformat(fmt)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dense_model = glassnet.MLPClassifier(hidden_layer_sizes=(5,), max_iter=4, random_state=0, dtype=dtype).fit(X, y)
        sparse_model = glassnet.MLPClassifier(hidden_layer_sizes=(5,), max_iter=4, random_state=0, dtype=dtype)
        sparse_model.fit(sparse, y)
        sparse_model.partial_fit(sparse, y)
        dense_model.partial_fit(X, y)
    np.testing.assert_allclose(sparse_model.predict_proba(sparse), dense_model.predict_proba(X), rtol=1e-5)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_sparse_value_beyond_float32_is_named_by_row_and_column(fmt):
    X = sp.lil_matrix((20, 3))
    X[4, 2] = 1e300
    X[1, 1] = 2.0
    with pytest.raises(ValueError, match=r"X holds 1e\+300 at index \[4, 2\], beyond the float32 range"):
        glassnet.MLPRegressor(dtype="float32", max_iter=3).fit(X.asformat(fmt), np.arange(20.0))

"""The default path of every door reaches the numbers it reached before the
training keywords (dropout, normalization, weight decay, gradient clipping,
cosine and one-cycle schedules, warm-up, label smoothing) existed: the
numbers recorded then (tests/data/default-path/record.py) are compared
within a few units in the last place, as the legacy model files are (another
NumPy or BLAS build may round the last bit differently)."""

import warnings
from pathlib import Path

import numpy as np
import pytest

from default_path_cases import CASES

EXPECTED = np.load(Path(__file__).parent / "data" / "default-path" / "expected.npz")


@pytest.mark.parametrize("name", CASES)
def test_the_default_path_reaches_the_recorded_numbers(name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reached = CASES[name]()
    for key, value in reached.items():
        expected = EXPECTED[f"{name}/{key}"]
        value = np.asarray(value)
        assert value.dtype == expected.dtype and value.shape == expected.shape, key
        np.testing.assert_allclose(value, expected, rtol=1e-12 if value.dtype == np.float64 else 1e-5, atol=0,
                                   err_msg=f"{name}: {key}")

"""Which rows of a streamed table are held out, and which are sampled: a
hash of each row's number, so every pass over the file (and every run with
the same seed) picks the same rows whatever the chunk size.

A row is held out for testing when ``u(row) < test_size``, ``u`` the row
number mixed with the seed by SplitMix64's finaliser (a bijection of 64-bit
integers whose outputs pass BigCrush) and scaled to [0, 1). The held-out
share is therefore ``test_size`` up to sampling noise (for a million rows,
0.2 ± 0.0004), not exactly; and unlike the in-memory split it is not
stratified: with many rows, each class's share of the test part is its share
of the table up to the same noise.

The rows kept in a bounded sample (the fill values of empty cells are fitted
on it) are those with the smallest keys ``u'(row)`` of a second salt: a
uniform sample without replacement, the same in every pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["RowHash", "uniform"]

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_SPLIT, _SAMPLE = 1, 2


def _mix(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser on uint64 arrays (wrapping arithmetic)."""
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def uniform(rows, seed: int, salt: int) -> np.ndarray:
    """A number in [0, 1) for each row number in ``rows``, fixed by ``seed`` and ``salt``."""
    rows = np.asarray(rows, dtype=np.int64).astype(np.uint64)
    offset = _mix(np.array([seed * 4 + salt], dtype=np.uint64))
    with np.errstate(over="ignore"):
        mixed = _mix(rows * _GOLDEN + offset)
    # the top 53 bits: exactly representable in float64
    return (mixed >> np.uint64(11)).astype(np.float64) * 2.0**-53


@dataclass(frozen=True)
class RowHash:
    """The held-out rows and the sample keys of a table streamed with ``test_size`` and ``seed``."""

    test_size: float
    seed: int

    def held_out(self, rows) -> np.ndarray:
        """Boolean mask: the rows (numbers from 0) held out for testing."""
        return uniform(rows, self.seed, _SPLIT) < self.test_size

    def sample_keys(self, rows) -> np.ndarray:
        """Each row's key for the bounded sample (the smallest keys are kept)."""
        return uniform(rows, self.seed, _SAMPLE)

"""Numbers as JSON can hold them.

JSON has no NaN or infinity, and NumPy scalars are not JSON types: floats
that are not finite are written as the strings "nan", "inf", "-inf" and read
back as floats; NumPy scalars become Python ones.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["number_to_json", "number_from_json", "records_to_json", "records_from_json"]

_NON_FINITE = {"nan", "inf", "-inf"}


def number_to_json(value):
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return value if math.isfinite(value) else str(value)
    if isinstance(value, (list, tuple)):  # per-layer figures (record_stats)
        return [number_to_json(item) for item in value]
    return value


def number_from_json(value):
    if isinstance(value, list):
        return [number_from_json(item) for item in value]
    return float(value) if isinstance(value, str) and value in _NON_FINITE else value


def records_to_json(records) -> list[dict]:
    """A history's records (dicts of numbers) as JSON-ready dicts."""
    return [{str(key): number_to_json(value) for key, value in record.items()} for record in records]


def records_from_json(records) -> list[dict]:
    if not isinstance(records, list) or not all(isinstance(record, dict) for record in records):
        raise ValueError("the training history is malformed; expected a list of records")
    return [{key: number_from_json(value) for key, value in record.items()} for record in records]

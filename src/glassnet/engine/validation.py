"""Input validation at the edge: every public entry point passes its arrays
through here once, and the engine then trusts them.

Each check raises ``ValueError`` naming the problem and the expected value, so
no NumPy broadcasting error or IndexError reaches the user.
"""

from __future__ import annotations

import numpy as np

__all__ = ["check_X", "check_y", "check_sample", "check_sample_target", "check_dtype", "check_positive_int",
           "check_representable", "DTYPES"]

DTYPES = {"float32": np.float32, "float64": np.float64}


def check_dtype(dtype) -> type:
    """``np.float32`` or ``np.float64`` from a name, a NumPy type or a dtype."""
    if isinstance(dtype, str) and dtype in DTYPES:
        return DTYPES[dtype]
    try:
        resolved = np.dtype(dtype).type
    except TypeError:
        resolved = None
    if resolved not in (np.float32, np.float64):
        raise ValueError(f"dtype must be 'float32' or 'float64', got {dtype!r}")
    return resolved


def check_positive_int(value, name: str, minimum: int = 1) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value}")
    return int(value)


def _as_numeric(data, name: str, dtype) -> np.ndarray:
    try:
        array = np.asarray(data)
    except ValueError as error:  # ragged nested lists
        raise ValueError(f"{name} must be a rectangular numeric array: {error}") from None
    if array.dtype.kind not in "biuf":
        try:
            array = array.astype(np.float64)
        except (TypeError, ValueError):
            raise ValueError(
                f"{name} must be numeric, got values of type {array.dtype}; "
                "convert or encode text columns first"
            ) from None
    if array.dtype.kind == "c":
        raise ValueError(f"{name} must be real numbers, got complex values")
    with np.errstate(over="ignore"):
        converted = array.astype(dtype, copy=False)
    if converted is not array and converted.dtype.kind == "f" and array.dtype.kind == "f":
        _check_representable(array, converted, name)
    return converted


def check_representable(X, dtype, name: str = "X") -> None:
    """ValueError when finite values of ``X`` (array or sparse matrix) would
    overflow to ±inf in ``dtype``; nothing is converted."""
    target = np.dtype(dtype)
    if hasattr(X, "tocsr"):
        # csr, csc, coo and bsr keep their stored values in a numeric ``data``;
        # dok, lil and dia do not (or pad it), so they are read as csr
        data = X.data if X.format in ("csr", "csc", "coo", "bsr") else X.tocsr().data
    else:
        data = X
    data = np.asarray(data) if not hasattr(data, "columns") else data.to_numpy()
    if target.kind != "f" or data.dtype.kind != "f" or data.dtype.itemsize <= target.itemsize:
        return
    limit = np.finfo(target).max
    with np.errstate(invalid="ignore"):
        # ±inf is not "too large" here: the finiteness check refuses it by name
        too_large = (np.abs(data) > limit) & np.isfinite(data)
    if too_large.any():
        if hasattr(X, "tocsr"):  # the matrix's row and column, not the place in its storage
            coo = X.tocoo()
            first = int(np.flatnonzero((np.abs(coo.data) > limit) & np.isfinite(coo.data))[0])
            value, where = coo.data[first], (coo.row[first], coo.col[first])
        else:
            where = tuple(np.argwhere(too_large)[0])
            value = data[where]
        raise ValueError(
            f"{name} holds {value:g} at index {list(map(int, where))}, beyond the {target} range "
            f"(±{limit:.3g}); use dtype='float64' or scale the data"
        )


def _check_representable(original: np.ndarray, converted: np.ndarray, name: str) -> None:
    """Refuse finite values that became ±inf in a narrower float type (1e39 in float32)."""
    overflowed = np.isinf(converted) & np.isfinite(original)
    if overflowed.any():
        where = tuple(np.argwhere(overflowed)[0])
        limit = np.finfo(converted.dtype).max
        raise ValueError(
            f"{name} holds {original[where]:g} at index {list(map(int, where))}, beyond the {converted.dtype} range "
            f"(±{limit:.3g}); use dtype='float64' or scale the data"
        )


def _check_finite(array: np.ndarray, name: str) -> None:
    finite = np.isfinite(array)
    if not finite.all():
        row, *column = np.argwhere(~finite)[0]
        where = f"row {row}" + (f", column {column[0]}" if column else "")
        value = array[(row, *column)]
        raise ValueError(f"{name} contains {value} at {where}; expected finite numbers only")


def check_X(X, n_features: int | None, dtype=np.float64, name: str = "X") -> np.ndarray:
    """``X`` as a finite 2-D array of ``dtype`` with ``n_features`` columns.

    A single vector is read as one row.
    """
    X = _as_numeric(X, name, dtype)
    if X.ndim == 1 and X.shape[0] > 0:
        X = X[None, :]
    if X.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D array of shape (n_samples, n_features), got {X.ndim} dimension(s)"
            + (f" with shape {X.shape}" if X.ndim else "")
        )
    if X.shape[0] == 0:
        raise ValueError(f"{name} is empty: expected at least one row")
    if n_features is not None and X.shape[1] != n_features:
        raise ValueError(f"{name} has {X.shape[1]} features, the network expects {n_features}")
    _check_finite(X, name)
    return X


def check_y(y, n_samples: int, n_outputs: int | None, dtype=np.float64, name: str = "y") -> np.ndarray:
    """``y`` as a finite (n_samples, n_outputs) array; a 1-D y is one output."""
    y = _as_numeric(y, name, dtype)
    if y.ndim == 1:
        y = y[:, None]
    if y.ndim != 2:
        raise ValueError(f"{name} must be 1-D or 2-D of shape (n_samples, n_outputs), got shape {y.shape}")
    if y.shape[0] != n_samples:
        raise ValueError(f"X has {n_samples} rows but {name} has {y.shape[0]}; expected the same number")
    if n_outputs is not None and y.shape[1] != n_outputs:
        raise ValueError(f"{name} has {y.shape[1]} columns, the network has {n_outputs} output(s)")
    _check_finite(y, name)
    return y


def check_sample(x, n_inputs: int, dtype, name: str = "x") -> np.ndarray:
    """One sample as a (1, n_inputs) array: a vector, or a single row."""
    X = check_X(x, n_inputs, dtype, name)
    if X.shape[0] != 1:
        raise ValueError(
            f"{name} has {X.shape[0]} rows; expected one sample: a vector of {n_inputs} numbers or a single row"
        )
    return X


def check_sample_target(y, n_outputs: int, dtype) -> np.ndarray:
    """The target of one sample as a (1, n_outputs) array: a number, a vector or a single row."""
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[0] != 1:
        raise ValueError(f"y has {y.shape[0]} rows; expected the target of one sample ({n_outputs} number(s))")
    return check_y(np.reshape(y, (1, -1)), 1, n_outputs, dtype)

"""Names for the types of glassnet's public signatures (PEP 561: the package
ships ``py.typed``, so type checkers read these annotations)."""

from __future__ import annotations

from typing import Any, TypeVar

from numpy.typing import ArrayLike, NDArray

__all__ = ["ArrayLike", "Array", "EstimatorT"]

# what predict and friends return
Array = NDArray[Any]
# fit and partial_fit return the estimator itself, typed as its own class
EstimatorT = TypeVar("EstimatorT")

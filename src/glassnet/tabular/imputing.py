"""Filling empty cells: scikit-learn's ``SimpleImputer``, fitted on the
training part only and kept in the model file.

Numeric columns are filled with the training part's median, mean or most
frequent value (``--impute``); text columns with their most frequent
category, as a mean or median means nothing for categories. In a model file
the imputer is its fill values: the numbers as an array, the categories in
the JSON. Loading refits a ``SimpleImputer`` on the one row of fill values,
which gives back those exact values (the median, mean or mode of one value
is that value), so nothing is pickled and nothing private is set.
"""

from __future__ import annotations

import numpy as np
from sklearn.impute import SimpleImputer

__all__ = ["Imputation", "STRATEGIES"]

STRATEGIES = ("none", "median", "mean", "most_frequent")
_TEXT_STRATEGY = "most_frequent"


def _imputer(strategy: str, text: bool) -> SimpleImputer:
    # all-empty columns are left out before fitting; keep_empty_features
    # keeps the shapes fixed should one reach the imputer anyway
    if text:
        return SimpleImputer(strategy=_TEXT_STRATEGY, missing_values="", keep_empty_features=True)
    return SimpleImputer(strategy=strategy, keep_empty_features=True)


class Imputation:
    """Fill values for the numeric and the text feature columns.

    numeric : a fitted SimpleImputer over the numeric columns (NaN = empty), or None
    text : a fitted SimpleImputer over the text columns ("" = empty), or None
    """

    def __init__(self, strategy: str, numeric: SimpleImputer | None, text: SimpleImputer | None):
        if strategy not in STRATEGIES[1:]:
            raise ValueError(f"unknown imputation {strategy!r}; expected one of: {', '.join(STRATEGIES[1:])}")
        self.strategy = strategy
        self.numeric = numeric
        self.text = text

    @classmethod
    def fit(cls, strategy: str, numbers: np.ndarray, texts: np.ndarray) -> "Imputation | None":
        """Fitted on the training part: ``numbers`` (n, n_numeric) float with
        NaN for empty cells, ``texts`` (n, n_text) object with "". None for
        strategy "none"."""
        if strategy == "none":
            return None
        numeric = _imputer(strategy, text=False).fit(numbers) if numbers.shape[1] else None
        text = _imputer(strategy, text=True).fit(texts) if texts.shape[1] else None
        return cls(strategy, numeric, text)

    @property
    def numeric_values(self) -> np.ndarray:
        return np.empty(0) if self.numeric is None else self.numeric.statistics_.astype(np.float64)

    @property
    def text_values(self) -> list[str]:
        return [] if self.text is None else [str(value) for value in self.text.statistics_]

    def fill(self, numbers: np.ndarray, texts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(numbers, texts)`` with their empty cells filled (copies)."""
        if self.numeric is not None and numbers.shape[0]:
            numbers = self.numeric.transform(numbers)
        if self.text is not None and texts.shape[0]:
            texts = self.text.transform(texts)
        return numbers, texts

    def describe(self, numeric_names, text_names) -> str:
        """``median (bill_length_mm 44.5, ...); text: most frequent (sex 'male')``, for inspect."""
        numbers = ", ".join(f"{name} {value:g}" for name, value in zip(numeric_names, self.numeric_values))
        texts = ", ".join(f"{name} {value!r}" for name, value in zip(text_names, self.text_values))
        parts = [f"{self.strategy.replace('_', ' ')} of the training part" + (f" ({numbers})" if numbers else "")]
        if texts:
            parts.append(f"text columns: most frequent ({texts})")
        return "; ".join(parts)

    # --- model files -------------------------------------------------------------------
    def state(self, prefix: str) -> tuple[dict, dict]:
        arrays = {prefix + "numeric": self.numeric_values} if self.numeric is not None else {}
        return {"strategy": self.strategy, "numeric": self.numeric is not None, "text": self.text_values}, arrays

    @classmethod
    def from_state(cls, state: dict, arrays: dict, prefix: str, n_numeric: int | None = None) -> "Imputation":
        strategy = state["strategy"]
        if strategy not in STRATEGIES[1:]:
            raise ValueError(f"unknown imputation {strategy!r}; expected one of: {', '.join(STRATEGIES[1:])}")
        numeric = None
        if state["numeric"]:
            values = np.asarray(arrays.take(prefix + "numeric", shape=(n_numeric,), kind="f"), dtype=np.float64)
            numeric = _imputer(strategy, text=False).fit(values[None, :])
        text = None
        if state["text"]:
            if not all(isinstance(value, str) for value in state["text"]):
                raise ValueError("the imputer's text fill values must be strings")
            text = _imputer(strategy, text=True).fit(np.array([state["text"]], dtype=object))
        return cls(strategy, numeric, text)

"""Tables in, a trained pipeline out: what ``glassnet train`` builds.

- :mod:`.reading`: CSV/Parquet to a DataFrame of text cells, clear errors
- :mod:`.columns`: numeric vs text columns, one-hot encoding, bad cells named
- :mod:`.model`: :class:`TabularModel`, the saved pipeline (model-file kind "tabular")
- :mod:`.fitting`: split, fit the preprocessing on the training part, train
- :mod:`.report`: the metrics of ``evaluate``, from sklearn.metrics
"""

from .model import TabularModel

__all__ = ["TabularModel"]

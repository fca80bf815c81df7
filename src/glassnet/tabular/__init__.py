"""Tables in, a trained pipeline out: what ``glassnet train`` and the playground build.

- :mod:`.reading`: CSV/TSV (pandas' reader: missing-value tokens, sniffed separator, encodings) and Parquet
  to a DataFrame of text cells, clear errors
- :mod:`.columns`: numeric vs text columns, columns left out (identifier-like text columns too), the
  encoded table's size limits, finding columns by (close) name
- :mod:`.imputing`: filling empty cells with scikit-learn's SimpleImputer, kept in the model file
- :mod:`.encoding`: cells to network inputs, strictly (bad cells named) or row by row
- :mod:`.target`: the target's encoding (class labels, or a standardised value) and its decoding
- :mod:`.pipeline`: the one table pipeline of every door: split, fit the preprocessing and the
  target encoding on the training part, encode both parts
- :mod:`.model`: :class:`TabularModel`, the saved pipeline (model-file kind "tabular");
  :mod:`.legacy` reads its older files
- :mod:`.fitting`: ``glassnet train``: the pipeline, then an estimator trained
- :mod:`.report`: the metrics of ``evaluate``, from sklearn.metrics
- :mod:`.predictions`: ``predict``'s table, one row out per row in
- :mod:`.notes`: what the pipeline tells its user, as warnings the commands print
"""

from .model import TabularModel

__all__ = ["TabularModel"]

"""The tabular benchmark: real tables, 5-fold cross-validation, four models.

    python -m benchmarks --workloads tabular            # 9 tables, 5 folds
    python -m benchmarks --workloads tabular --quick    # 2 tables, 2 folds, few epochs: a smoke test

Every table ships inside a package the tests already install (scikit-learn's
bundled sets, palmerpenguins), so nothing is downloaded. Classification is
scored by accuracy, regression by R², each on the held-out fold; the score of
a table is the mean over its folds, and a model's summary is the median over
the tables (and the total time of its fits and predictions).

Every model sees the same preprocessing, fitted on the training folds only
(the one pipeline :func:`preprocessing` builds): numeric columns imputed by
their median and standardised, text columns imputed by their most frequent
value and one-hot encoded; a regression target is standardised too
(``TransformedTargetRegressor``) for the networks, as ``glassnet train`` does.
The models (:data:`MODELS`):

* **glassnet defaults**: ``MLPClassifier()`` / ``MLPRegressor()``, which are
  scikit-learn's MLP (one hidden layer of 100 relu units, adam, 200 epochs);
* **glassnet recipe**: the training rules together (:data:`RECIPE`), in the
  spirit of RealMLP's tuned defaults (Holzmüller et al., 2024): a wider
  network, batch normalisation, dropout, decoupled weight decay, gradient
  clipping, a warm-up then a one-cycle schedule, and label smoothing for
  classes; the same settings for every table, not tuned per table;
* **scikit-learn MLP**: ``sklearn.neural_network``'s, at its defaults;
* **gradient boosting**: ``HistGradientBoostingClassifier`` / ``Regressor``
  at their defaults.
"""

from __future__ import annotations

import statistics
import time
import warnings
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

__all__ = ["TABLES", "MODELS", "RECIPE", "run", "table", "markdown"]

# the glassnet recipe: every training rule at once, the same for every table
RECIPE = dict(hidden_layer_sizes=(256, 256), activation="relu", solver="adam", learning_rate_init=0.003,
              batch_size=64, max_iter=100, learning_rate="one_cycle", warmup_epochs=5, normalization="batch",
              dropout=0.15, weight_decay=0.02, clip_grad_norm=1.0, alpha=0.0)
# classifiers only: the cross-entropy against smoothed targets
RECIPE_CLASSES = dict(label_smoothing=0.1)


@dataclass(frozen=True)
class Table:
    """A table of a package: ``load()`` gives (features as a DataFrame, target)."""

    name: str
    task: str  # "classify" or "regress"
    load: Callable[[], tuple[pd.DataFrame, pd.Series]]
    note: str


def _sklearn(loader):
    def load():
        frame = loader(as_frame=True)
        return frame.data, frame.target
    return load


def _penguins(target, raw=False, drop=()):
    def load():
        from palmerpenguins import load_penguins, load_penguins_raw

        frame = load_penguins_raw() if raw else load_penguins()
        frame = frame.dropna(subset=[target]).drop(columns=list(drop))
        return frame.drop(columns=[target]).reset_index(drop=True), frame[target].reset_index(drop=True)
    return load


def _tables() -> dict[str, Table]:
    from sklearn import datasets

    # penguins_raw's identifiers, dates and free text say nothing a model should learn from
    raw_ids = ("studyName", "Sample Number", "Individual ID", "Date Egg", "Comments", "Region", "Stage")
    tables = [
        Table("iris", "classify", _sklearn(datasets.load_iris), "150 rows, 4 numeric, 3 classes"),
        Table("wine", "classify", _sklearn(datasets.load_wine), "178 rows, 13 numeric, 3 classes"),
        Table("breast_cancer", "classify", _sklearn(datasets.load_breast_cancer), "569 rows, 30 numeric, 2 classes"),
        Table("digits", "classify", _sklearn(datasets.load_digits), "1797 rows, 64 numeric, 10 classes"),
        Table("penguins species", "classify", _penguins("species"),
              "344 rows, 5 numeric and 2 text columns, empty cells, 3 classes"),
        Table("penguins_raw sex", "classify", _penguins("Sex", raw=True, drop=raw_ids),
              "333 rows, 6 numeric and 3 text columns, empty cells, 2 classes"),
        Table("diabetes", "regress", _sklearn(datasets.load_diabetes), "442 rows, 10 numeric"),
        Table("penguins body mass", "regress", _penguins("body_mass_g"),
              "342 rows, 4 numeric and 3 text columns, empty cells"),
        Table("penguins_raw delta 15 N", "regress", _penguins("Delta 15 N (o/oo)", raw=True, drop=raw_ids),
              "330 rows, 5 numeric and 4 text columns, empty cells"),
    ]
    return {table.name: table for table in tables}


TABLES = _tables()
# the quick mode's tables: one of each task, one with empty cells and text
QUICK_TABLES = ("iris", "penguins body mass")


def preprocessing(features: pd.DataFrame):
    """Numeric columns: median imputation and standardisation; text columns:
    most frequent value and one-hot encoding (categories unseen in training: zeros)."""
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    numeric = [column for column in features if pd.api.types.is_numeric_dtype(features[column])]
    text = [column for column in features if column not in numeric]
    parts = [("numeric", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric)]
    if text:
        parts.append(("text", make_pipeline(SimpleImputer(strategy="most_frequent"),
                                            OneHotEncoder(handle_unknown="ignore", sparse_output=False)), text))
    return ColumnTransformer(parts)


def _glassnet_defaults(task, quick):
    import glassnet

    epochs = dict(max_iter=20) if quick else {}
    return glassnet.MLPClassifier(random_state=0, **epochs) if task == "classify" else \
        _standardised(glassnet.MLPRegressor(random_state=0, **epochs))


def _glassnet_recipe(task, quick):
    import glassnet

    settings = {**RECIPE, **(dict(max_iter=10) if quick else {})}
    if task == "classify":
        return glassnet.MLPClassifier(random_state=0, **settings, **RECIPE_CLASSES)
    return _standardised(glassnet.MLPRegressor(random_state=0, **settings))


def _sklearn_mlp(task, quick):
    from sklearn.neural_network import MLPClassifier, MLPRegressor

    epochs = dict(max_iter=20) if quick else {}
    return MLPClassifier(random_state=0, **epochs) if task == "classify" else \
        _standardised(MLPRegressor(random_state=0, **epochs))


def _gradient_boosting(task, quick):
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

    iterations = dict(max_iter=20) if quick else {}
    return HistGradientBoostingClassifier(random_state=0, **iterations) if task == "classify" else \
        HistGradientBoostingRegressor(random_state=0, **iterations)


def _standardised(regressor):
    from sklearn.compose import TransformedTargetRegressor
    from sklearn.preprocessing import StandardScaler

    return TransformedTargetRegressor(regressor=regressor, transformer=StandardScaler())


MODELS = {
    "glassnet defaults": _glassnet_defaults,
    "glassnet recipe": _glassnet_recipe,
    "scikit-learn MLP": _sklearn_mlp,
    "gradient boosting": _gradient_boosting,
}


def _folds(task, n_folds):
    from sklearn.model_selection import KFold, StratifiedKFold

    kind = StratifiedKFold if task == "classify" else KFold
    return kind(n_splits=n_folds, shuffle=True, random_state=0)


def score_table(table: Table, model_name: str, n_folds: int, quick: bool) -> dict:
    """The model's mean held-out score over the folds of one table, and the seconds its fits and predictions took."""
    from sklearn.base import clone
    from sklearn.metrics import accuracy_score, r2_score
    from sklearn.pipeline import make_pipeline

    features, target = table.load()
    model = make_pipeline(preprocessing(features), MODELS[model_name](table.task, quick))
    scores, seconds = [], 0.0
    for train, test in _folds(table.task, n_folds).split(features, target):
        fitted = clone(model)
        start = time.perf_counter()
        with warnings.catch_warnings():
            # convergence warnings at a fixed epoch budget; extrapolation notes on held-out rows
            warnings.simplefilter("ignore")
            fitted.fit(features.iloc[train], target.iloc[train])
            predicted = fitted.predict(features.iloc[test])
        seconds += time.perf_counter() - start
        truth = target.iloc[test]
        scores.append(accuracy_score(truth, predicted) if table.task == "classify" else r2_score(truth, predicted))
    return {"table": table.name, "task": table.task, "model": model_name, "score": float(np.mean(scores)),
            "fold_scores": [float(score) for score in scores], "seconds": seconds}


def run(quick: bool = False, models=None, tables=None) -> dict:
    """Every model on every table: the rows, and per model the median score and total time."""
    n_folds = 2 if quick else 5
    names = list(tables or (QUICK_TABLES if quick else TABLES))
    models = list(models or MODELS)
    rows = [score_table(TABLES[name], model, n_folds, quick) for name in names for model in models]
    summary = {model: {"median": statistics.median(row["score"] for row in rows if row["model"] == model),
                       "seconds": sum(row["seconds"] for row in rows if row["model"] == model)} for model in models}
    return {"folds": n_folds, "tables": {name: TABLES[name].note for name in names}, "rows": rows,
            "summary": summary, "verdict": verdict(summary)}


def verdict(summary: dict) -> dict:
    """The goal, measured: does the recipe beat scikit-learn's MLP on the median
    and come within one point (0.01) of gradient boosting's median?"""
    if not {"glassnet recipe", "scikit-learn MLP", "gradient boosting"} <= set(summary):
        return {}
    recipe = summary["glassnet recipe"]["median"]
    return {"beats_sklearn_mlp": recipe > summary["scikit-learn MLP"]["median"],
            "within_one_point_of_boosting": recipe >= summary["gradient boosting"]["median"] - 0.01,
            "recipe_minus_sklearn_mlp": recipe - summary["scikit-learn MLP"]["median"],
            "recipe_minus_boosting": recipe - summary["gradient boosting"]["median"]}


def _columns(results):
    models = list(results["summary"])
    names = list(dict.fromkeys(row["table"] for row in results["rows"]))
    scores = {(row["table"], row["model"]): row for row in results["rows"]}
    return models, names, scores


def table(results: dict) -> str:
    """The results as text: a row per table, a column per model, then the medians and times."""
    models, names, scores = _columns(results)
    width = max(len(name) for name in names) + 2
    lines = [f"{results['folds']}-fold cross-validation: accuracy (classification) or R² (regression), mean over "
             "the held-out folds", "", f"{'table':<{width}}{'task':<10}" + "".join(f"{m:>20}" for m in models)]
    for name in names:
        task = scores[(name, models[0])]["task"]
        lines.append(f"{name:<{width}}{task:<10}" + "".join(f"{scores[(name, m)]['score']:>20.4f}" for m in models))
    summary = results["summary"]
    lines.append(f"{'median':<{width}}{'':<10}" + "".join(f"{summary[m]['median']:>20.4f}" for m in models))
    lines.append(f"{'seconds':<{width}}{'':<10}" + "".join(f"{summary[m]['seconds']:>20.1f}" for m in models))
    lines += ["", _verdict_text(results.get("verdict", {}))]
    return "\n".join(lines)


def _verdict_text(verdict: dict) -> str:
    if not verdict:
        return ""
    beats = "beats" if verdict["beats_sklearn_mlp"] else "does not beat"
    within = "is within" if verdict["within_one_point_of_boosting"] else "is not within"
    return (f"the recipe {beats} scikit-learn's MLP on the median ({verdict['recipe_minus_sklearn_mlp']:+.4f}) and "
            f"{within} one point of gradient boosting's median ({verdict['recipe_minus_boosting']:+.4f})")


def markdown(results: dict) -> str:
    """The same table in Markdown, for the performance page (docs/guides/performance.md)."""
    models, names, scores = _columns(results)
    lines = ["| table | task | " + " | ".join(models) + " |", "|---|---|" + "---:|" * len(models)]
    for name in names:
        row = [f"{scores[(name, m)]['score']:.4f}" for m in models]
        lines.append(f"| {name} | {scores[(name, models[0])]['task']} | " + " | ".join(row) + " |")
    summary = results["summary"]
    lines.append("| **median** | | " + " | ".join(f"**{summary[m]['median']:.4f}**" for m in models) + " |")
    lines.append("| time (s) | | " + " | ".join(f"{summary[m]['seconds']:.1f}" for m in models) + " |")
    return "\n".join(lines)

"""The one table pipeline leaves out text columns like identifiers (a note
names them; --keep keeps them) and refuses a table whose encoding would be too
wide or too large, naming the columns, the size and the limit."""

import warnings

import numpy as np
import pandas as pd
import pytest

from glassnet.parameters import PLAYGROUND, phrased
from glassnet.tabular.columns import MAX_CATEGORIES, MAX_INPUTS
from glassnet.tabular.fitting import Options, fit_table
from glassnet.tabular.notes import DataNote
from glassnet.tabular.pipeline import TableOptions, prepare_table
from glassnet.tabular.report import report


def cars_like(n=392, seed=0) -> pd.DataFrame:
    """Shaped like the auto-mpg table of the reproduction: 392 cars whose name
    column holds 294 distinct names (the real one 301), 256 of them in the
    training part, beside numbers that explain the fuel use."""
    rng = np.random.default_rng(seed)
    cylinders = rng.choice([4, 6, 8], n, p=[0.5, 0.2, 0.3])
    displacement = cylinders * 40 + rng.normal(0, 20, n)
    horsepower = displacement * 0.45 + rng.normal(0, 10, n)
    weight = 1500 + displacement * 7 + rng.normal(0, 200, n)
    year = rng.integers(70, 83, n)
    origin = np.where(cylinders == 4, rng.choice(["usa", "europe", "japan"], n), "usa")
    mpg = 48 - 0.006 * weight - 0.03 * horsepower + 0.7 * (year - 76) + rng.normal(0, 2.0, n)
    names = [f"make{rng.integers(0, 30)} model{rng.integers(0, 22)}" for _ in range(n)]
    return pd.DataFrame({"name": names, "mpg": mpg.round(1).astype(str), "cylinders": cylinders.astype(str),
                         "displacement": displacement.round(0).astype(str),
                         "horsepower": horsepower.round(0).astype(str), "weight": weight.round(0).astype(str),
                         "year": year.astype(str), "origin": origin})


def _fit(frame, **options):
    """``(model, held-out R², notes)`` of glassnet train's pipeline and estimator on ``frame``."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model, test, _ = fit_table(frame, Options(target="mpg", seed=0, **options), "'cars.csv'")
        figures = report(model, test, "the test part")
    notes = [item.message for item in caught if issubclass(item.category, DataNote)]
    return model, figures["r2"], notes


def test_a_name_column_is_left_out_and_the_held_out_r2_recovers():
    """The reproduction: a car-model name column one-hot encoded into 252
    inputs (here 256) made the held-out R² fall from 0.87 to 0.19."""
    frame = cars_like()
    assert frame["name"].nunique() == 294
    kept, kept_r2, _ = _fit(frame, keep=["name"])
    assert len(kept.columns.input_names) == 8 + 256 and kept_r2 < 0.65
    model, r2, notes = _fit(frame)
    ignored, ignored_r2, _ = _fit(frame, ignore=["name"])
    # left out as if ignored: the same inputs, the same network, the same R²
    assert model.columns.features == ignored.columns.features == [
        "cylinders", "displacement", "horsepower", "weight", "year", "origin"]
    assert r2 == ignored_r2 > 0.83 and r2 > kept_r2 + 0.15
    [note] = [note for note in notes if "identifier" in str(note)]
    assert str(note) == ("text column 'name' (256 distinct values in 313 rows, 207 of them in one row only, like an "
                         "identifier) left out: one-hot encoded, each value would be an input of its own, which "
                         "teaches the network its training rows rather than anything that holds for new ones "
                         "(--keep name keeps it)")
    # the page has no --keep: it says what was done, without the flag
    assert phrased(note, PLAYGROUND) == str(note).removesuffix(" (--keep name keeps it)")
    assert model.settings["keep"] == [] and kept.settings["keep"] == ["name"]


def test_more_categories_than_the_limit_is_left_out_too():
    rng = np.random.default_rng(1)
    n = 2000
    code = rng.integers(0, MAX_CATEGORIES + 20, n)  # every code on about 17 rows: no identifier, but too many
    frame = pd.DataFrame({"code": [f"c{value}" for value in code], "x": rng.normal(size=n).round(3).astype(str),
                          "y": rng.choice(["a", "b"], n)})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        prepared = prepare_table(frame, TableOptions(target="y"), "t")
    assert prepared.columns.features == ["x"]
    assert str(caught[0].message).startswith(f"text column 'code' (120 distinct values, more than {MAX_CATEGORIES}) "
                                             "left out: ")
    kept = prepare_table(frame, TableOptions(target="y", keep=["code"]), "t")
    assert kept.X_train.shape[1] == 1 + MAX_CATEGORIES + 20


def test_a_table_too_wide_or_too_large_is_refused_before_it_is_encoded():
    """The reproduction's third upload: 10,000 columns of 40 rows."""
    rng = np.random.default_rng(2)
    wide = pd.DataFrame(rng.integers(0, 9, size=(40, 10_000)).astype(str),
                        columns=[f"f{j}" for j in range(10_000)])
    wide["y"] = np.tile(["a", "b"], 20)
    with pytest.raises(ValueError) as refused:
        prepare_table(wide, TableOptions(target="y"), "'wide.csv'")
    assert str(refused.value) == ("the table would be encoded 10000 inputs wide at least (one per feature column of "
                                  f"'wide.csv'), more than the limit of {MAX_INPUTS}")
    # the width once the text columns are counted: the widest named, and how to leave them out
    with pytest.raises(ValueError) as refused:
        prepare_table(cars_like(), TableOptions(target="mpg", keep=["name"], max_inputs=200), "'cars.csv'")
    assert str(refused.value) == ("the table would be encoded 264 inputs wide, more than the limit of 200; inputs per "
                                  "column: 'name' 256, 'origin' 3, 5 numeric column(s) 1 each (leave columns out: "
                                  "--ignore name,origin)")
    # the cells: a stated limit
    with pytest.raises(ValueError) as refused:
        prepare_table(cars_like(), TableOptions(target="mpg", keep=["name"], max_cells=50_000), "'cars.csv'")
    assert str(refused.value) == ("the table would be encoded 103488 cells (392 rows x 264 inputs), more than the "
                                  "limit of 50000; inputs per column: 'name' 256, 'origin' 3, 5 numeric column(s) 1 "
                                  "each (leave columns out: --ignore name,origin)")


@pytest.mark.parametrize("options, message", [
    (dict(keep=["nmae"]), "lacks the --keep column(s) 'nmae' (did you mean 'name'? --keep name)"),
    (dict(keep=["name"], ignore=["name"]), "--keep and --ignore both name 'name'; a column is either kept or left out"),
])
def test_keep_names_columns_of_the_table(options, message):
    with pytest.raises(ValueError) as refused:
        prepare_table(cars_like(), TableOptions(target="mpg", **options), "'cars.csv'")
    assert message in str(refused.value)

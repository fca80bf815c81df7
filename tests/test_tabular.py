"""TabularModel and its pieces, in-process: encoding, task inference, exact
round trips through model files."""

import numpy as np
import pandas as pd
import pytest

import glassnet
from glassnet.tabular.columns import Columns
from glassnet.tabular.encoding import encode
from glassnet.tabular.fitting import Options, fit_table, infer_task
from glassnet.tabular.reading import read_table


def _frame(text):
    return pd.DataFrame([row.split(",") for row in text.strip().splitlines()[1:]],
                        columns=text.strip().splitlines()[0].split(","))


def test_columns_one_hot_encodes_text_with_training_categories_only():
    train = _frame("size,colour\n1,red\n2,blue\n3,red")
    columns = Columns.infer(train, ["size", "colour"])
    assert columns.numeric == ["size"] and columns.categories == {"colour": ["blue", "red"]}
    assert columns.input_names == ["size", "colour=blue", "colour=red"]
    later = _frame("size,colour\n5,green\n0.5,blue")
    # a category never seen in training encodes as all zeros
    encoded = encode(columns, None, later, "later")
    np.testing.assert_array_equal(encoded.X, [[5, 0, 0], [0.5, 1, 0]])
    assert encoded.unseen == {"colour": {"green": 1}}


def test_a_mostly_numeric_column_names_its_bad_cell_by_file_row():
    frame = _frame("a,b\n1,x\n2,y\nthree,z")
    columns = Columns.infer(frame, ["a", "b"])
    with pytest.raises(ValueError, match=r"row 3, column 'a': 'three' is not a finite number"):
        encode(columns, None, frame, "f")


@pytest.mark.parametrize("cells, task", [("a b a c", "classify"), ("0 1 1 0", "classify"),
                                         ("1.5 2 3 4", "regress"), (" ".join(map(str, range(25))), "regress")])
def test_task_inference(cells, task):
    assert infer_task(pd.Series(cells.split())) == task


def test_tabular_model_round_trip_is_bit_identical(tmp_path):
    frame = read_table(glassnet.__path__[0] + "/../../examples/data/fruit.csv")
    model, test, _ = fit_table(frame, Options(target="fruit", hidden=(5,), epochs=20, scaler="minmax"), "fruit")
    loaded = glassnet.load(glassnet.save(model, tmp_path / "fruit.glassnet"))
    assert np.array_equal(loaded.predict_proba(test), model.predict_proba(test))
    assert list(loaded.predict(test)) == list(model.predict(test))
    assert loaded.columns == model.columns and loaded.settings == model.settings
    np.testing.assert_array_equal(loaded.scaler.data_min_, model.scaler.data_min_)
    # the scaler and the one-hot columns were fitted on the training part only
    train_rows = frame.drop(index=test.index)
    np.testing.assert_array_equal(model.scaler.data_max_[:3],
                                  train_rows[["weight_g", "diameter_cm", "firmness"]].astype(float).max().to_numpy())


def test_regression_target_and_report(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (60, 2))
    frame = pd.DataFrame({"a": X[:, 0], "b": X[:, 1], "y": 3 * X[:, 0] - X[:, 1] + 0.5}).astype(str)
    model, test, _ = fit_table(frame, Options(target="y", hidden=(8,), epochs=200, learning_rate=0.01), "f")
    assert model.task == "regress"
    from sklearn.metrics import mean_absolute_error

    assert model.report is None  # the CLI adds the report
    from glassnet.tabular.report import report

    figures = report(model, test)
    assert set(figures) == {"mae", "mse", "rmse", "r2"}
    assert figures["mae"] == pytest.approx(mean_absolute_error(test["y"].astype(float), model.predict(test)))
    assert figures["rmse"] == pytest.approx(figures["mse"] ** 0.5)


def test_parquet_reads_like_the_same_csv(tmp_path):
    pytest.importorskip("pyarrow")  # the "parquet" extra; the test extra installs it
    csv = tmp_path / "t.csv"
    csv.write_text("a,b,label\n1,x,yes\n2.5,,no\n")
    frame = pd.read_csv(csv)
    frame.to_parquet(tmp_path / "t.parquet")
    from_parquet = read_table(tmp_path / "t.parquet")
    assert from_parquet.to_dict("list") == {"a": ["1.0", "2.5"], "b": ["x", ""], "label": ["yes", "no"]}
    assert read_table(csv).to_dict("list") == {"a": ["1", "2.5"], "b": ["x", ""], "label": ["yes", "no"]}


def test_numbers_too_large_to_scale_name_their_column():
    frame = pd.DataFrame({"a": [str(i) for i in range(20)], "b": ["0"] * 14 + ["1e300"] * 6,
                          "target": ["x", "y"] * 10})
    with pytest.raises(ValueError, match=r"column 'b' of f holds numbers too large to scale \(up to 1e\+300\)"):
        fit_table(frame, Options(target="target", epochs=1, test_size=0.25), "f")

"""Real-shaped files, read and fitted in-process: missing-value tokens,
separators, encodings, identifier and empty columns, imputation fitted on
the training part, unseen labels, old model files."""

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn import metrics

import glassnet
from glassnet.tabular.columns import check_has_columns
from glassnet.engine.splitting import split_indices
from glassnet.tabular.fitting import Options, fit_table
from glassnet.tabular.notes import DataNote, ImbalanceWarning
from glassnet.tabular.reading import read_table
from glassnet.tabular.report import report

DATA = Path(__file__).parent / "data"
FRUIT_TEST = Path(__file__).parents[1] / "examples" / "data" / "fruit_test.csv"


def penguin_like(n=120, seed=0) -> pd.DataFrame:
    """A table shaped like the penguins file: text and numeric features, NA
    cells, an identifier, an all-empty column and a constant one."""
    rng = np.random.default_rng(seed)
    species = rng.choice(["Adelie", "Gentoo", "Chinstrap"], n)
    bill = np.where(species == "Gentoo", 47.5, np.where(species == "Adelie", 38.8, 48.8)) + rng.normal(0, 1.5, n)
    depth = np.where(species == "Gentoo", 15.0, 18.4) + rng.normal(0, 0.8, n)
    frame = pd.DataFrame({
        "tag": [f"N{i}A{i % 2 + 1}" for i in range(n)],
        "species": species,
        "island": np.where(species == "Gentoo", "Biscoe", rng.choice(["Dream", "Torgersen"], n)),
        "bill_length_mm": bill.round(1).astype(str),
        "bill_depth_mm": depth.round(1).astype(str),
        "sex": rng.choice(["male", "female"], n),
        "comments": [""] * n,
        "region": ["Anvers"] * n,
    })
    frame.loc[[3, n // 3, 2 * n // 3], "bill_length_mm"] = "NA"
    frame.loc[[5, n // 3 + 1], "sex"] = "NA"
    frame.loc[[9], "bill_depth_mm"] = "N/A"
    return frame


def written(tmp_path, frame, name="penguins.csv", **to_csv) -> pd.DataFrame:
    """``frame`` written as a file and read back as glassnet reads it."""
    path = tmp_path / name
    frame.to_csv(path, index=False, **to_csv)
    return read_table(path)


def _fit(frame, **options):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model, test, dropped = fit_table(frame, Options(**{"target": "species", "hidden": (6,), "epochs": 30, **options}),
                                         "penguins")
    notes = [str(item.message) for item in caught if issubclass(item.category, (DataNote, ImbalanceWarning))]
    return model, test, notes


# --- reading --------------------------------------------------------------------------

def test_pandas_missing_value_tokens_are_empty_cells(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b,c\n1,NA,x\nN/A,2,null\nNaN,,NULL\n#N/A,None,n/a\n4,5,y\n")
    frame = read_table(path)
    assert frame.to_dict("list") == {"a": ["1", "", "", "", "4"], "b": ["", "2", "", "", "5"],
                                     "c": ["x", "", "", "", "y"]}


@pytest.mark.parametrize("separator, suffix", [(",", ".csv"), (";", ".csv"), ("\t", ".csv"), ("|", ".csv"),
                                               ("\t", ".tsv"), (";", ".txt"), ("|", ".txt")])
def test_separators_are_sniffed(tmp_path, separator, suffix):
    table = penguin_like(30)
    path = tmp_path / f"penguins{suffix}"
    table.to_csv(path, sep=separator, index=False)
    frame = read_table(path)
    expected = table.replace({"NA": "", "N/A": ""})
    pd.testing.assert_frame_equal(frame, expected, check_dtype=False)


def test_semicolons_with_decimal_commas_and_quoted_separators(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text('name;comment;weight\nx;"a; b, c";39,1\ny;"d";40,2\nz;NA;41,0\n')
    assert read_table(path).to_dict("list") == {"name": ["x", "y", "z"], "comment": ["a; b, c", "d", ""],
                                                "weight": ["39,1", "40,2", "41,0"]}


def test_a_forced_separator_and_what_a_wrong_one_says(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("species;island;bill\nA;B;1\nC;D;2\n")
    assert list(read_table(path, sep=";").columns) == ["species", "island", "bill"]
    frame = read_table(path, sep=",")
    with pytest.raises(ValueError) as error:
        check_has_columns(frame, ["species"], "'d.csv'", what="the --target")
    assert "the header was read as one column 'species;island;bill'" in str(error.value)
    assert "the separator looks like ';': pass --sep ';'" in str(error.value)


def test_latin1_needs_encoding_and_the_error_says_which(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("island,size\nBíscoe,1\nDréam,2\n".encode("latin-1"))
    with pytest.raises(ValueError, match=r"'.*latin.csv' is not UTF-8 text \(byte 0xed at position 13 cannot be "
                                         r"decoded\); it looks like Windows-1252 text: pass --encoding cp1252"):
        read_table(path)
    assert read_table(path, encoding="latin-1")["island"].tolist() == ["Bíscoe", "Dréam"]
    assert read_table(path, encoding="cp1252")["island"].tolist() == ["Bíscoe", "Dréam"]
    with pytest.raises(ValueError, match="--encoding 'latin-9x' is not an encoding Python knows"):
        read_table(path, encoding="latin-9x")


def test_utf16_with_a_byte_order_mark_reads_without_options(tmp_path):
    path = tmp_path / "u16.csv"
    path.write_bytes("a,b\n1,é\n".encode("utf-16"))
    assert read_table(path).to_dict("list") == {"a": ["1"], "b": ["é"]}


def test_close_names_only_else_the_list_of_columns():
    frame = pd.DataFrame(columns=["species", "bill_length_mm", "flipper_length_mm"], data=[["a", "1", "2"]])
    with pytest.raises(ValueError) as error:
        check_has_columns(frame, ["bill_depth_mm"], "f")
    assert "did you mean" not in str(error.value)
    assert str(error.value).endswith("it has: 'species', 'bill_length_mm', 'flipper_length_mm'")
    with pytest.raises(ValueError, match=r"lacks the model's column\(s\) 'Species' \(did you mean 'species'\?\)"):
        check_has_columns(frame, ["Species"], "f")


# --- columns and missing cells -----------------------------------------------------------

def test_identifier_empty_and_constant_columns_and_the_imputer_fitted_on_the_training_part(tmp_path):
    frame = written(tmp_path, penguin_like())
    model, test, notes = _fit(frame, id_column="tag")
    assert model.columns.features == ["island", "bill_length_mm", "bill_depth_mm", "sex"]
    assert model.id_column == "tag" and model.settings["id"] == "tag"
    assert "column 'comments' left out: entirely empty in the training part" in notes
    assert "column 'region' left out: the same value 'Anvers' in every filled cell in the training part" in notes
    train = frame.drop(index=test.index)
    bills = pd.to_numeric(train["bill_length_mm"], errors="coerce")
    depths = pd.to_numeric(train["bill_depth_mm"], errors="coerce")
    # the medians of the training part alone, NA cells ignored
    assert model.imputation.numeric_values.tolist() == [np.nanmedian(bills), np.nanmedian(depths)]
    assert model.imputation.text_values == [train["island"].mode()[0], train["sex"].replace("", np.nan).mode()[0]]
    expected_filled = {"bill_length_mm": int(bills.isna().sum()), "bill_depth_mm": int(depths.isna().sum()),
                       "sex": int((train["sex"] == "").sum())}
    filled = [note for note in notes if note.startswith("filled") and "the training part" in note]
    assert filled and all(f"{name} {count} " in filled[0] for name, count in expected_filled.items() if count)
    # the imputed rows go through the network with the fill values in place
    row = train[train["bill_length_mm"] == ""].iloc[[0]]
    filled_row = row.assign(bill_length_mm=repr(float(np.nanmedian(bills))))
    assert np.array_equal(model.predict_proba(row), model.predict_proba(filled_row))


@pytest.mark.parametrize("strategy", ["mean", "most_frequent"])
def test_other_strategies_and_an_exact_round_trip(tmp_path, strategy):
    frame = written(tmp_path, penguin_like())
    model, test, _ = _fit(frame, impute=strategy, ignore=["tag"])
    train = frame.drop(index=test.index)
    bills = pd.to_numeric(train["bill_length_mm"], errors="coerce").dropna()
    expected = bills.mean() if strategy == "mean" else bills.mode().min()
    assert model.imputation.numeric_values[0] == pytest.approx(expected, rel=1e-15)
    loaded = glassnet.load(glassnet.save(model, tmp_path / "m.glassnet"))
    assert loaded.imputation.strategy == strategy
    assert np.array_equal(loaded.imputation.numeric_values, model.imputation.numeric_values)
    assert loaded.imputation.text_values == model.imputation.text_values
    assert np.array_equal(loaded.predict_proba(frame), model.predict_proba(frame))
    assert loaded.settings["ignore"] == ["tag"] and "tag" not in loaded.columns.features


def test_impute_none_keeps_empty_cells_errors(tmp_path):
    with pytest.raises(ValueError, match=r"empty cell in row \d+, column 'bill_length_mm'; fill it in or pass "
                                         r"--drop-missing"):
        _fit(written(tmp_path, penguin_like()), impute="none", ignore=["tag"])
    model, test, _ = _fit(written(tmp_path, penguin_like()), impute="none", drop_missing=True, ignore=["tag"])
    assert model.imputation is None and model.settings["rows_dropped"] == 6


def test_rows_without_a_target_are_left_out_with_a_note(tmp_path):
    frame = penguin_like()
    frame.loc[[0, 1], "species"] = "NA"
    frame = written(tmp_path, frame)
    model, test, notes = _fit(frame, ignore=["tag"])
    assert "2 rows with an empty target 'species' left out of training and testing" in notes
    assert model.settings["rows_train"] + model.settings["rows_test"] == len(frame) - 2


@pytest.mark.parametrize("option, message", [
    (dict(ignore=["bill_lenght_mm"]),
     "lacks the --ignore column(s) 'bill_lenght_mm' (did you mean 'bill_length_mm'? --ignore bill_length_mm)"),
    (dict(id_column="species"), "--id names the target 'species'"),
    (dict(ignore=["species"]), "--ignore names the target 'species'"),
])
def test_bad_column_options(tmp_path, option, message):
    with pytest.raises(ValueError) as error:
        _fit(written(tmp_path, penguin_like()), **option)
    assert message in str(error.value)


@pytest.mark.parametrize("cells, task, cli, page", [
    (["1.5", "2", "x", "4", "5", "6"], "regress",
     "row 3, column 'y': 'x' is not a finite number, and the target is regressed (--task classify)",
     "row 3, column 'y': 'x' is not a finite number, and the target is regressed"),
    (["a"] * 6, None, "the target column 'y' has a single class 'a'; classification needs at least two "
                      "(--task regress, or --target COLUMN)",
     "the target column 'y' has a single class 'a'; classification needs at least two (change the Target)"),
    ([""] * 6, None, "the target column 'y' of t is entirely empty; nothing to learn (--target COLUMN)",
     "the target column 'y' of t is entirely empty; nothing to learn (change the Target)"),
])
def test_the_targets_refusals_say_their_fix_in_each_door(cells, task, cli, page):
    from glassnet.parameters import PLAYGROUND, phrased
    from glassnet.tabular.pipeline import TableOptions, prepare_table

    frame = pd.DataFrame({"x": ["1", "2", "3", "4", "5", "6"], "y": cells})
    with pytest.raises(ValueError) as refused:
        prepare_table(frame, TableOptions(target="y", task=task), "t")
    assert str(refused.value) == cli and phrased(refused.value, PLAYGROUND) == page


def test_an_identifier_like_column_is_left_out_with_a_note(tmp_path):
    model, _, notes = _fit(written(tmp_path, penguin_like()))
    assert "tag" not in model.columns.features
    assert any(note.startswith("text column 'tag' (96 distinct values in 96 rows, 96 of them in one row only, like "
                               "an identifier) left out") and note.endswith("(--keep tag keeps it)") for note in notes)


# --- unseen values, imbalance -------------------------------------------------------------

def test_unseen_labels_get_their_own_confusion_matrix_row_and_a_note(tmp_path):
    frame = written(tmp_path, penguin_like())
    model, test, _ = _fit(frame, ignore=["tag"])
    later = test.copy()
    later.iloc[:4, later.columns.get_loc("species")] = "Emperor"
    later.iloc[4, later.columns.get_loc("island")] = "Atlantis"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figures = report(model, later, "'later.csv'")
    notes = [str(item.message) for item in caught]
    assert figures["labels"] == ["Adelie", "Chinstrap", "Gentoo", "Emperor"]
    assert figures["unseen_labels"] == {"Emperor": 4}
    y_true, y_pred = later["species"].to_numpy(), model.predict(later)
    assert figures["confusion_matrix"] == metrics.confusion_matrix(y_true, y_pred, labels=figures["labels"]).tolist()
    assert sum(figures["confusion_matrix"][3]) == 4 and all(row[3] == 0 for row in figures["confusion_matrix"])
    assert figures["accuracy"] == metrics.accuracy_score(y_true, y_pred)
    known = y_true != "Emperor"
    proba = model.predict_proba(later)
    assert figures["roc_auc"] == metrics.roc_auc_score(y_true[known], proba[known], multi_class="ovr",
                                                       labels=model.classes_)
    assert any("holds label(s) of 'species' not seen in training" in note and "'Emperor' (4 rows)" in note
               for note in notes)
    assert any("roc_auc leaves out the 4 rows whose label the model never saw" in note for note in notes)
    assert any("categories not seen in training" in note and "island: 'Atlantis' (1 row)" in note for note in notes)


def test_the_early_stopping_split_is_the_estimators_stratified_split(tmp_path):
    # the engine's split, which the estimator's early stopping makes, keeps each class's share
    labels = np.array(["rare"] * 10 + ["common"] * 490)
    train, held_out = split_indices(500, 0.2, np.random.RandomState(0), stratify=labels)
    assert np.sum(labels[held_out] == "rare") == 2 and np.sum(labels[train] == "rare") == 8
    # glassnet train hands the estimator --test-size of the training part to hold out
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.normal(size=200).round(3), "b": rng.normal(size=200).round(3)})
    frame["label"] = np.where(frame["a"] > 0, "yes", "no")
    model, test, _ = _fit(written(tmp_path, frame, "two.csv"), target="label", early_stopping=True, epochs=3,
                          test_size=0.25)
    estimator, part = model.estimator, len(frame) - len(test)
    assert estimator.early_stopping and estimator.validation_fraction == 0.25
    assert estimator.t_ == estimator.n_iter_ * (part - int(np.ceil(0.25 * part))) > 0
    assert len(estimator.validation_scores_) == estimator.n_iter_


def test_a_class_the_model_never_recognises_is_a_warning_with_advice(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((1000, 3))
    score = X[:, 0] + 0.5 * X[:, 1]
    frame = pd.DataFrame(X.round(4).astype(str), columns=["a", "b", "c"])
    frame["label"] = np.where(score > np.quantile(score, 0.985), "fraud", "ok")
    frame = written(tmp_path, frame, "imbalanced.csv")
    model, test, notes = _fit(frame, target="label", hidden=(8,), early_stopping=True, epochs=200)
    warning = [note for note in notes if "predicts no training row of class 'fraud'" in note]
    assert warning and f"early stopping ended training at epoch {model.estimator.n_iter_}" in warning[0]
    assert "try --class-weight balanced, or a larger --test-size" in warning[0]
    # it is true: no fraud row the model was trained on is predicted as fraud
    train = frame.drop(index=test.index)
    assert not np.any(model.predict(train[train["label"] == "fraud"]) == "fraud")


# --- model files written before imputation -------------------------------------------------

def test_a_model_file_from_before_imputation_loads_and_predicts_as_it_did():
    model = glassnet.load(DATA / "fruit-before-imputation.glassnet")
    assert model.imputation is None and model.id_column is None
    frame = read_table(FRUIT_TEST)
    expected = pd.read_csv(DATA / "fruit-before-imputation.predictions.csv")
    assert list(model.predict(frame)) == expected["predicted_fruit"].tolist()
    # the CSV holds the old code's probabilities; a few units in the last place allow for the
    # text round trip and today's NumPy/BLAS rounding, nothing more
    np.testing.assert_allclose(model.predict_proba(frame), expected.iloc[:, 1:].to_numpy(), rtol=1e-12, atol=1e-15)
    with pytest.raises(ValueError, match=r"empty cell in row 1, column 'colour'"):
        model.predict(frame.assign(colour=[""] + list(frame["colour"][1:])))


def test_roc_auc_on_a_single_class_is_explained(tmp_path):
    model, test, _ = _fit(written(tmp_path, penguin_like()), ignore=["tag"])
    only = test[test["species"] == "Gentoo"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figures = report(model, only, "'gentoo.csv'")
    assert figures["roc_auc"] is None
    assert any("roc_auc is not defined on 'gentoo.csv': it needs rows of at least two of the model's classes, "
               "and all are 'Gentoo'" in str(item.message) for item in caught)


def test_prediction_table_keeps_every_row_and_says_why_some_are_empty(tmp_path):
    from glassnet.tabular.predictions import prediction_table

    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"small": rng.normal(0, 1e-3, 60).round(6), "colour": rng.choice(["red", "blue"], 60),
                          "y": rng.normal(0, 1, 60).round(3)})
    model, _, _ = _fit(written(tmp_path, frame, "r.csv"), target="y", impute="none", epochs=5)
    new = written(tmp_path, pd.DataFrame({"small": ["0.001", "abc", "1e306", "", "0.002"],
                                          "colour": ["red", "red", "blue", "blue", "green"]}), "new.csv",
                  na_rep="NA")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table, encoded = prediction_table(model, new, "'new.csv'")
    assert table["row"].tolist() == [1, 2, 3, 4, 5] and list(table.columns) == ["row", "predicted_y", "note"]
    assert table["note"].tolist() == ["", "not predicted: 'small' is 'abc', not a finite number",
                                      "not predicted: numbers too large to scale",
                                      "not predicted: an empty cell in 'small' (the model does not impute)", ""]
    assert table["predicted_y"].isna().tolist() == [False, True, True, True, False]
    assert table.loc[[0, 4], "predicted_y"].tolist() == model.predict(new.iloc[[0, 4]]).tolist()
    messages = [str(item.message) for item in caught]
    assert any("colour: 'green' (1 row)" in message for message in messages)
    assert any(message.startswith("3 rows of 5 could not be predicted") for message in messages)

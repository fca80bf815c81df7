"""The command line on real-shaped files (written here) and on the real
penguins file of the palmerpenguins package, through the real command."""

import io
import itertools
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import glassnet
from cli_helpers import glassnet as run_glassnet
from glassnet.cli import main
from glassnet.tabular.reading import read_table
from test_tabular_files import penguin_like


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """A semicolon-separated Latin-1 penguins-like file with NA cells, an
    identifier, an all-empty and a constant column; a model trained on it
    with --id, and one trained with --impute none."""
    folder = tmp_path_factory.mktemp("real")
    frame = penguin_like(150)
    frame["island"] = frame["island"].replace("Biscoe", "Bíscoe")
    frame.to_csv(folder / "penguins.csv", sep=";", index=False, encoding="latin-1")
    common = ["--target", "species", "--hidden", "8", "--epochs", "60", "--encoding", "latin-1"]
    train = run_glassnet("train", "penguins.csv", *common, "--id", "tag", "-o", "m.glassnet", cwd=folder)
    assert train.returncode == 0, train.stderr
    strict = run_glassnet("train", "penguins.csv", *common, "--ignore", "tag", "--impute", "none", "--drop-missing",
                          "-o", "strict.glassnet", cwd=folder)
    assert strict.returncode == 0, strict.stderr
    return folder, frame, train


def test_train_reads_the_file_and_says_what_it_did(files):
    folder, frame, train = files
    assert "note: column 'comments' left out: entirely empty in the training part" in train.stderr
    assert "note: column 'region' left out: the same value 'Anvers'" in train.stderr
    assert "note: filled " in train.stderr and "bill_length_mm" in train.stderr
    model = glassnet.load(folder / "m.glassnet")
    assert model.columns.features == ["island", "bill_length_mm", "bill_depth_mm", "sex"]
    assert model.columns.categories["island"] == ["Bíscoe", "Dream", "Torgersen"]
    assert model.id_column == "tag" and model.settings["impute"] == "median"
    assert "test report (30 held-out rows)" in train.stdout


def test_a_latin1_file_without_encoding_is_one_error_naming_the_option(files):
    folder, _, _ = files
    run = run_glassnet("train", "penguins.csv", "--target", "species", "-o", "x.glassnet", cwd=folder)
    assert run.returncode == 1 and "Traceback" not in run.stderr and not (folder / "x.glassnet").exists()
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: 'penguins.csv' is not UTF-8 text (byte 0xed at position")
    assert lines[0].endswith("pass --encoding cp1252")


def test_the_penguins_na_and_semicolon_problems(tmp_path):
    """The NA cells that stopped training, and a semicolon file read as one column."""
    frame = penguin_like(60)
    frame.to_csv(tmp_path / "comma.csv", index=False)
    frame.to_csv(tmp_path / "semi.csv", index=False, sep=";")
    for name in ("comma.csv", "semi.csv"):
        run = run_glassnet("train", name, "--target", "species", "--ignore", "tag", "--epochs", "5", "--quiet",
                           "-o", f"{name}.glassnet", cwd=tmp_path)
        assert run.returncode == 0, run.stderr
    forced = run_glassnet("train", "semi.csv", "--target", "species", "--sep", "comma", "-o", "x.glassnet", cwd=tmp_path)
    assert forced.returncode == 1
    assert "the header was read as one column 'tag;species;island;" in forced.stderr
    assert "the separator looks like ';': pass --sep ';'" in forced.stderr


def _predict_arguments(folder, model, data, *flags):
    """The arguments of ``glassnet predict`` run in-process (the real command's code), and where it writes."""
    output = folder / "out.csv"
    output.unlink(missing_ok=True)
    arguments = ["predict", str(folder / model), str(folder / data), *flags]
    with_output = "-o" in flags
    if with_output:
        arguments[arguments.index("-o") + 1] = str(output)
    return arguments, output, with_output


FLAGS = {"--id": [[], ["--id", "tag"]], "--sep": [[], ["--sep", ";"]], "-o": [[], ["-o", "OUT"]]}


@pytest.mark.parametrize("model", ["m.glassnet", "strict.glassnet"])
@pytest.mark.parametrize("flags", [sum(combo, []) for combo in itertools.product(*FLAGS.values())],
                         ids=lambda flags: " ".join(flags) or "no flags")
def test_predict_writes_one_row_per_input_row_in_order(files, model, flags, capsys):
    folder, frame, _ = files
    new = frame.copy()
    new.loc[7, "bill_length_mm"] = "abc"        # not a number: no prediction, a note
    new.loc[11, "island"] = "Atlantis"            # unseen category: predicted, named on stderr
    new.to_csv(folder / "new.csv", sep=";", index=False, encoding="latin-1")
    arguments, output, with_output = _predict_arguments(folder, model, "new.csv", *flags, "--encoding", "latin-1")
    assert main(arguments) == 0
    captured = capsys.readouterr()
    table = pd.read_csv(output if with_output else io.StringIO(captured.out), dtype=str, keep_default_na=False)
    assert len(table) == len(new)
    identifier = table.columns[0]
    if "--id" in flags or model == "m.glassnet":
        assert identifier == "tag" and table["tag"].tolist() == new["tag"].tolist()
    else:
        assert identifier == "row" and table["row"].tolist() == [str(i) for i in range(1, len(new) + 1)]
    assert table.columns[-1] == "note"
    assert table.loc[7, "predicted_species"] == "" and table.loc[7, "probability_Adelie"] == ""
    assert table.loc[7, "note"] == "not predicted: 'bill_length_mm' is 'abc', not a finite number"
    assert "island: 'Atlantis' (1 row)" in captured.err
    loaded = glassnet.load(folder / model)
    empty_rows = new.index[new[loaded.columns.features].isin(["NA", "N/A"]).any(axis=1)]
    assert len(empty_rows) >= 3
    if model == "strict.glassnet":  # no imputation: rows with an empty cell keep empty predictions
        assert all(table.loc[row, "note"].startswith("not predicted: an empty cell in ") for row in empty_rows)
    else:
        assert all(table.loc[row, "note"] == "" for row in empty_rows)
    predicted = table["note"] == ""
    good = read_table(folder / "new.csv", encoding="latin-1")[predicted.to_numpy()]
    expected = loaded.predict_proba(good)
    np.testing.assert_array_equal(table.loc[predicted, "probability_Adelie"].astype(float), expected[:, 0])


def test_predict_refuses_drop_missing_with_the_reason(files):
    folder, _, _ = files
    run = run_glassnet("predict", "m.glassnet", "penguins.csv", "--encoding", "latin-1", "--drop-missing", cwd=folder)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.startswith("error: predict never drops a row")


def test_evaluate_names_unseen_labels_and_categories(files):
    folder, frame, _ = files
    later = frame.copy()
    later.loc[:2, "species"] = "Emperor"
    later.loc[3, "island"] = "Atlantis"
    later.to_csv(folder / "later.csv", sep=";", index=False, encoding="latin-1")
    run = run_glassnet("evaluate", "m.glassnet", "later.csv", "--encoding", "latin-1", "--json", cwd=folder)
    assert run.returncode == 0, run.stderr
    figures = json.loads(run.stdout)
    assert figures["labels"][-1] == "Emperor" and figures["unseen_labels"] == {"Emperor": 3}
    assert sum(figures["confusion_matrix"][-1]) == 3
    assert "holds label(s) of 'species' not seen in training, which the model cannot predict: 'Emperor' (3 rows)" \
        in run.stderr
    assert "island: 'Atlantis' (1 row)" in run.stderr
    text = run_glassnet("evaluate", "m.glassnet", "later.csv", "--encoding", "latin-1", cwd=folder)
    assert "Emperor (unseen)" in text.stdout


def test_imbalanced_target_with_early_stopping_warns(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((1000, 3))
    score = X[:, 0] + 0.5 * X[:, 1]
    frame = pd.DataFrame(X.round(4), columns=["a", "b", "c"])
    frame["label"] = np.where(score > np.quantile(score, 0.985), "fraud", "ok")
    frame.to_csv(tmp_path / "imbalanced.csv", index=False)
    run = run_glassnet("train", "imbalanced.csv", "--target", "label", "--early-stopping", "--hidden", "8",
                       "-o", "m.glassnet", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    warning = [line for line in run.stderr.splitlines() if line.startswith("warning: ")]
    assert len(warning) == 1 and "predicts no training row of class 'fraud'" in warning[0]
    assert "--class-weight balanced" in warning[0] and "a larger --test-size" in warning[0]


def test_evaluate_plot_for_a_regressor_draws_and_prints_the_metrics(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (80, 2))
    frame = pd.DataFrame({"a": X[:, 0], "b": X[:, 1], "y": 3 * X[:, 0] - X[:, 1]}).round(5)
    frame.loc[4, "a"] = np.nan
    frame.to_csv(tmp_path / "r.csv", index=False, na_rep="NA")
    assert run_glassnet("train", "r.csv", "--target", "y", "--hidden", "6", "--epochs", "50", "--quiet",
                        "-o", "r.glassnet", cwd=tmp_path).returncode == 0
    run = run_glassnet("evaluate", "r.glassnet", "r.csv", "--plot", "fit.png", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    model = glassnet.load(tmp_path / "r.glassnet")
    from sklearn.metrics import mean_absolute_error

    data = read_table(tmp_path / "r.csv")
    assert f"mae {mean_absolute_error(data['y'].astype(float), model.predict(data)):.4f}" in run.stdout
    assert (tmp_path / "fit.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_real_penguins_file(tmp_path):
    palmerpenguins = pytest.importorskip("palmerpenguins")
    path = Path(palmerpenguins.__file__).parent / "data" / "penguins.csv"
    run = run_glassnet("train", path, "--target", "species", "--hidden", "16", "--epochs", "150",
                       "-o", "p.glassnet", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    model = glassnet.load(tmp_path / "p.glassnet")
    assert model.report["accuracy"] > 0.9  # three well-separated species
    assert "note: filled" in run.stderr and "sex" in run.stderr
    predict = run_glassnet("predict", "p.glassnet", path, "-o", "p.csv", cwd=tmp_path)
    assert predict.returncode == 0, predict.stderr
    table = pd.read_csv(tmp_path / "p.csv", keep_default_na=False)
    assert len(table) == 344 and table["row"].tolist() == list(range(1, 345))
    assert (table["predicted_species"] != "").all()  # row 4, all NA but the island and year, is imputed
    strict = run_glassnet("train", path, "--target", "species", "--impute", "none", "--drop-missing", "--epochs", "5",
                          "--quiet", "-o", "s.glassnet", cwd=tmp_path)
    assert strict.returncode == 0, strict.stderr
    predict = run_glassnet("predict", "s.glassnet", path, cwd=tmp_path)
    table = pd.read_csv(io.StringIO(predict.stdout), keep_default_na=False)
    assert len(table) == 344
    raw = pd.read_csv(path)
    missing = raw.drop(columns="species").isna().any(axis=1).to_numpy()
    assert (table["predicted_species"] == "").to_numpy().tolist() == missing.tolist()


def test_trace_and_gradcheck_read_the_file_as_train_did(files):
    folder, frame, _ = files
    model = glassnet.load(folder / "m.glassnet")
    run = run_glassnet("trace", "m.glassnet", "penguins.csv", "--encoding", "latin-1", "--sep", ";", "--row", "4",
                       cwd=folder)
    assert run.returncode == 0, run.stderr
    # row 4's bill length is NA: the network sees the training median, scaled
    median = model.imputation.numeric_values[model.columns.numeric.index("bill_length_mm")]
    scaled = (median - model.scaler.mean_[0]) / model.scaler.scale_[0]
    assert frame.loc[3, "bill_length_mm"] == "NA" and f"bill_length_mm={scaled:.4g}" in run.stdout
    check = run_glassnet("gradcheck", "m.glassnet", "penguins.csv", "--encoding", "latin-1", cwd=folder)
    assert check.returncode == 0 and "they agree" in check.stdout


def test_too_few_rows_for_the_early_stopping_split_is_one_clear_error(tmp_path):
    # half the rows are the test part, so the training part keeps one row of class "b": the
    # estimator's stratified early-stopping split cannot hold it out and keep it
    frame = pd.DataFrame({"x": np.arange(12.0), "label": ["a"] * 10 + ["b"] * 2})
    frame.to_csv(tmp_path / "few.csv", index=False)
    run = run_glassnet("train", "few.csv", "--target", "label", "--early-stopping", "--test-size", "0.5",
                       "-o", "m.glassnet", cwd=tmp_path)
    assert run.returncode != 0 and "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: too few rows for the early-stopping validation split "
                                                   "(--test-size 0.5 of the training part)")
    assert "The least populated classes in y have only 1 member" in lines[0] and "are: ['b']" in lines[0]

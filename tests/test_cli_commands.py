"""The four data commands through the real command line (subprocesses)."""

import json

import numpy as np
import pandas as pd
import pytest
from sklearn import metrics

import glassnet
from cli_helpers import FRUIT, FRUIT_NEW, FRUIT_TEST, glassnet as run_glassnet


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    run = run_glassnet("train", FRUIT, "--target", "fruit", "-o", "fruit.glassnet", "--hidden", "12",
                       "--epochs", "150", "--plot", "curves.png", cwd=folder)
    return folder, run


def test_train_writes_a_model_and_prints_the_test_report(trained):
    folder, run = trained
    assert run.returncode == 0, run.stderr
    model = glassnet.load(folder / "fruit.glassnet")
    assert model.target == "fruit" and model.task == "classify"
    assert list(model.classes_) == ["apple", "lemon", "orange"]
    assert model.columns.numeric == ["weight_g", "diameter_cm", "firmness"]
    assert model.columns.categories["colour"] == ["green", "orange", "red", "yellow"]
    assert model.estimator.n_iter_ == 150 and len(model.estimator.loss_curve_) == 150
    # 75 rows, 20% held out: 60 to train on, 15 in the report
    assert "on 60 rows" in run.stdout and "test report (15 held-out rows)" in run.stdout
    assert f"accuracy {model.report['accuracy']:.4f}" in run.stdout
    assert "epoch" not in run.stderr  # no progress bar when stderr is not a terminal
    assert (folder / "curves.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_evaluate_json_matches_sklearn_metrics(trained):
    folder, _ = trained
    run = run_glassnet("evaluate", "fruit.glassnet", FRUIT_TEST, "--json", "--plot", "cm.svg", cwd=folder)
    assert run.returncode == 0, run.stderr
    figures = json.loads(run.stdout)
    assert set(figures) == {"labels", "confusion_matrix", "accuracy", "precision", "recall", "f1", "roc_auc"}
    model = glassnet.load(folder / "fruit.glassnet")
    frame = pd.read_csv(FRUIT_TEST, dtype=str, keep_default_na=False)
    y, predicted = frame["fruit"].to_numpy(), model.predict(frame)
    assert figures["accuracy"] == metrics.accuracy_score(y, predicted)
    assert figures["f1"] == metrics.f1_score(y, predicted, average="macro")
    assert figures["confusion_matrix"] == metrics.confusion_matrix(y, predicted, labels=model.classes_).tolist()
    assert b"<svg" in (folder / "cm.svg").read_bytes()[:500]


def test_evaluate_binary_reports_tp_tn_fp_fn(tmp_path):
    run = run_glassnet("train", "--dataset", "tutorial", "-o", "t.glassnet", "--hidden", "4", "--epochs", "30",
                       "--quiet", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout == ""  # --quiet: no report
    model = glassnet.load(tmp_path / "t.glassnet")
    figures = model.report
    counts = np.array([[figures["tn"], figures["fp"]], [figures["fn"], figures["tp"]]])
    assert counts.tolist() == figures["confusion_matrix"] and counts.sum() == 3  # 12 rows, 20% held out


def test_predict_writes_one_row_per_input_and_counts_extrapolations(trained):
    folder, _ = trained
    run = run_glassnet("predict", "fruit.glassnet", FRUIT_NEW, "-o", "predictions.csv", cwd=folder)
    assert run.returncode == 0, run.stderr
    out = pd.read_csv(folder / "predictions.csv")
    new = pd.read_csv(FRUIT_NEW, dtype=str, keep_default_na=False)
    assert list(out.columns) == ["row", "predicted_fruit", "probability_apple", "probability_lemon",
                                 "probability_orange", "note"]
    assert len(out) == len(new) and out["row"].tolist() == list(range(1, len(new) + 1))
    assert out["note"].isna().all()  # every row predicted
    model = glassnet.load(folder / "fruit.glassnet")
    np.testing.assert_allclose(out.iloc[:, 2:5].to_numpy(), model.predict_proba(new), rtol=1e-12)
    assert out["predicted_fruit"].tolist() == list(model.predict(new))
    rows, excursions = model.outside(new)
    assert rows >= 1  # the last row (320 g, 11.2 cm) is beyond every training fruit
    assert f"note: {rows} of {len(new)} rows lie outside the training range" in run.stderr
    assert all(item.name in run.stderr for item in excursions)


def test_inspect_shows_layers_parameters_preprocessing_and_metrics(trained):
    folder, _ = trained
    run = run_glassnet("inspect", "fruit.glassnet", cwd=folder)
    assert run.returncode == 0, run.stderr
    # 7 inputs (3 numbers + 4 colours) -> 12 -> 3: 7*12+12 + 12*3+3 parameters
    assert f"{7 * 12 + 12 + 12 * 3 + 3} parameters" in run.stdout
    assert "one-hot 'colour': 4 categories (green, orange, red, yellow)" in run.stdout
    assert "scaler: standard" in run.stdout and "training data columns: weight_g, diameter_cm, colour, firmness" in run.stdout
    assert "final metrics (test part)" in run.stdout and "epochs: 150" in run.stdout

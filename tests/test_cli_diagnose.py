"""``glassnet diagnose`` through the real command."""

import json

import pandas as pd
import pytest

import glassnet
from cli_helpers import FRUIT, FRUIT_NEW, FRUIT_TEST, glassnet as run_glassnet
from glassnet.cli import main
from glassnet.tabular.datasets import load_dataset


@pytest.fixture(scope="module")
def fruit_model(tmp_path_factory):
    path = tmp_path_factory.mktemp("diagnose") / "fruit.glassnet"
    assert main(["train", str(FRUIT), "--target", "fruit", "-o", str(path), "--hidden", "8", "--epochs", "300",
                 "--quiet"]) == 0
    return path


@pytest.fixture(scope="module")
def unscaled_cancer(tmp_path_factory):
    """breast cancer trained without scaling, and its table as a CSV file."""
    folder = tmp_path_factory.mktemp("cancer")
    frame, _ = load_dataset("breast_cancer")
    data = folder / "cancer.csv"
    frame.to_csv(data, index=False)
    model = folder / "cancer.glassnet"
    assert main(["train", str(data), "--target", "target", "--scaler", "none", "--hidden", "16", "--epochs", "50",
                 "-o", str(model), "--quiet"]) == 0
    return model, data


def test_json_is_the_python_diagnosis(fruit_model):
    run = run_glassnet("diagnose", fruit_model, FRUIT_TEST, "--json")
    assert run.returncode == 0, run.stderr
    figures = json.loads(run.stdout)
    frame = pd.read_csv(FRUIT_TEST, dtype=str, keep_default_na=False)
    expected = glassnet.diagnose(glassnet.load(fruit_model), frame).as_dict()
    assert figures == json.loads(json.dumps(expected))
    assert figures["model"] == "TabularModel" and figures["summary"]["rows"] == 15
    assert figures["skipped"] == {}


def test_the_table_and_a_file_without_targets(fruit_model):
    run = run_glassnet("diagnose", fruit_model, FRUIT_NEW)
    assert run.returncode == 0, run.stderr
    # fruit_new.csv has rows beyond the training range, named by their columns
    assert "extrapolation" in run.stdout and "weight_g" in run.stdout
    assert "has no column 'fruit': the checks that need targets were skipped" in run.stderr


def test_the_doctor_finds_unscaled_inputs(unscaled_cancer):
    model, data = unscaled_cancer
    run = run_glassnet("diagnose", model, data, "--json")
    assert run.returncode == 0, run.stderr
    findings = json.loads(run.stdout)["findings"]
    scaling = [finding for finding in findings if finding["check"] == "input_scaling"]
    frame = pd.read_csv(data)
    peak = frame.drop(columns="target").abs().max()
    assert scaling and scaling[0]["numbers"]["scale_ratio"] == pytest.approx(peak.max() / peak.min(), rel=1e-9)
    # the fix in the command line's words: a flag of glassnet train, not Python
    assert {"setting": "scaler", "said": "--scaler standard", "value": "standard"} in scaling[0]["fixes"]
    assert "(--scaler standard)." in scaling[0]["suggestion"]
    table = run_glassnet("diagnose", model, data, env={"COLUMNS": "300"})
    assert "input_scaling" in table.stdout and "--scaler standard" in table.stdout
    said = json.dumps(findings) + table.stdout
    assert not any(python in said for python in ("StandardScaler", "MinMaxScaler", "init=", "class_weight=", "_init="))


@pytest.mark.parametrize("arguments, message", [
    (["missing.glassnet", str(FRUIT_TEST)], "error: no such file: 'missing.glassnet'"),
    (["{model}", str(FRUIT)[:-4] + "_nope.csv"], "error: no such file"),
])
def test_bad_input_is_one_error_line(fruit_model, arguments, message):
    arguments = [argument.format(model=fruit_model) for argument in arguments]
    run = run_glassnet("diagnose", *arguments)
    assert run.returncode == 1 and run.stdout == ""
    assert run.stderr.startswith(message) and "Traceback" not in run.stderr


def test_a_table_missing_the_model_columns(fruit_model, tmp_path):
    table = tmp_path / "other.csv"
    table.write_text("a,b\n1,2\n")
    run = run_glassnet("diagnose", fruit_model, table)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert run.stderr.startswith("error: ") and len(run.stderr.strip().splitlines()) == 1


def test_train_records_stats_for_the_doctor(tmp_path):
    path = tmp_path / "fruit.glassnet"
    run = run_glassnet("train", FRUIT, "--target", "fruit", "-o", path, "--hidden", "8", "--epochs", "30",
                       "--record-stats", "--quiet")
    assert run.returncode == 0, run.stderr
    history = glassnet.load(path).estimator.learner_.history
    assert len(history["layer_update_ratio"]) == 30
    figures = json.loads(run_glassnet("diagnose", path, FRUIT_TEST, "--json").stdout)
    assert "gradient_flow" in figures["checks"]
    # the doctor judges the steps by the last recorded epoch's update ratios
    from glassnet.glassbox.diagnose.evidence import Evidence
    from glassnet.glassbox.diagnose.gradients import update_ratios
    from glassnet.protocol import adapt

    adapter = adapt(glassnet.load(path), "diagnose")
    rows = adapter.encode(pd.read_csv(FRUIT_TEST, dtype=str, keep_default_na=False))
    assert update_ratios(Evidence(adapter, rows.X, rows.Y, rows.labels), None) == history.records[-1]["layer_update_ratio"]

"""``glassnet trace`` and ``glassnet gradcheck`` through the real command."""

import re

import pandas as pd
import pytest

import glassnet
from cli_helpers import FRUIT, FRUIT_TEST, glassnet as run_glassnet
from glassnet.cli import main
from gradient_helpers import scaled_derivative


@pytest.fixture(scope="module")
def model_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("glassbox") / "fruit.glassnet"
    assert main(["train", str(FRUIT), "--target", "fruit", "-o", str(path), "--hidden", "5", "--epochs", "40",
                 "--quiet"]) == 0
    return path


def test_trace_shows_the_rows_inputs_outputs_and_gradients(model_path):
    run = run_glassnet("trace", model_path, FRUIT_TEST, "--row", "3")
    assert run.returncode == 0, run.stderr
    model = glassnet.load(model_path)
    frame = pd.read_csv(FRUIT_TEST, dtype=str, keep_default_na=False)
    row = frame.iloc[[2]]
    assert f"row 3 of {FRUIT_TEST}, target fruit = {row['fruit'].iloc[0]}" in run.stdout
    # the output layer's activations are the row's class probabilities
    proba = model.predict_proba(row)[0]
    assert re.search(r"│ softmax\s+│ a\s+│\s+" + r"\s+".join(f"{p:.4f}" for p in proba), run.stdout), run.stdout
    assert "∂loss/∂W" in run.stdout and "delta" in run.stdout


def test_trace_row_outside_the_file(model_path):
    run = run_glassnet("trace", model_path, FRUIT_TEST, "--row", "99")
    assert run.returncode == 1
    assert run.stderr.strip() == f"error: --row 99 is outside '{FRUIT_TEST}', whose rows are numbered 1 to 15"


def test_gradcheck_agrees_and_reports_the_error(model_path, capsys):
    assert main(["gradcheck", str(model_path), str(FRUIT_TEST)]) == 0
    out = capsys.readouterr().out
    error = float(re.search(r"on 15 rows: (\S+) \(tolerance 1e-06\): they agree", out).group(1))
    model = glassnet.load(model_path)
    frame = pd.read_csv(FRUIT_TEST, dtype=str, keep_default_na=False)
    expected = glassnet.check_gradients(model.estimator, model.inputs(frame), model.labels(frame))
    assert error == pytest.approx(expected, rel=1e-2, abs=1e-12) and error < 1e-6
    # the per-layer table: one row per layer's weights and biases
    assert len(re.findall(r"│ [12]\s+│ (weights|biases) \(\d+\)", out)) == 4 and "DISAGREE" not in out


def test_gradcheck_catches_a_wrong_derivative(model_path, capsys):
    # the hidden relu's derivative 1% too large: a bug the check must see
    with scaled_derivative("relu", 1.01):
        assert main(["gradcheck", str(model_path), str(FRUIT_TEST)]) == 1
    captured = capsys.readouterr()
    assert "DISAGREE" in captured.out
    assert captured.err.startswith("error: the gradients disagree with finite differences")


def test_gradcheck_through_a_real_process(model_path):
    run = run_glassnet("gradcheck", model_path, FRUIT_TEST, "--max-rows", "4")
    assert run.returncode == 0 and "on 4 rows" in run.stdout and "they agree" in run.stdout

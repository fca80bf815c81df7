"""Every script in examples/ runs in its quick mode and says what it should."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
PNG = b"\x89PNG\r\n\x1a\n"


def run_example(name, out):
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / name), "--quick", "--out", str(out)],
        capture_output=True, text=True, timeout=300, env={**os.environ, "MPLBACKEND": "Agg"},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def assert_pictures(out, names):
    for name in names:
        assert (out / name).read_bytes()[:8] == PNG, name


def test_every_example_is_tested():
    assert sorted(p.name for p in EXAMPLES.glob("*.py")) == ["01_article.py", "02_xor.py", "03_digits.py"]


def test_article_example(tmp_path):
    out = run_example("01_article.py", tmp_path)
    assert "True positives  │     2" in out and "Accuracy        │  1.00" in out
    assert "accuracy 6/6 for 10 of 10 seeds" in out
    error = float(re.search(r"gradient disagreement beyond finite-difference noise: (\S+)", out).group(1))
    assert error < 1e-6
    assert "ExtrapolationWarning: 2 of 6 rows are outside the training range" in out
    assert "x[:, 2] leaves its range [0, 1] in 2 rows: up to 9 above" in out
    assert_pictures(tmp_path, ["article_error.png", "article_network.png"])


def test_xor_example_needs_biases(tmp_path):
    out = run_example("02_xor.py", tmp_path)
    without = float(re.search(r"without biases: training accuracy (\S+)", out).group(1))
    with_biases = float(re.search(r"with biases: training accuracy (\S+)", out).group(1))
    assert with_biases == 1.0 and without < 0.8
    assert float(re.search(r"gradient check: (\S+)", out).group(1)) < 1e-6
    assert_pictures(tmp_path, ["xor_without_biases.png", "xor_with_biases.png", "xor_network.png"])


def test_digits_example(tmp_path):
    out = run_example("03_digits.py", tmp_path)
    assert float(re.search(r"test accuracy: (\S+)", out).group(1)) > 0.93
    assert float(re.search(r"gradient disagreement beyond finite-difference noise on 20 rows: (\S+)", out).group(1)) < 1e-6
    assert re.search(r"digit \d: the network says \d with probability 0\.\d+", out)
    assert "ExtrapolationWarning:" in out and "outside the training range" in out
    assert re.search(r"layer 1 \(relu\): \d+ of 32 units dead", out)
    assert_pictures(tmp_path, ["digits_activations.png", "digits_network.png", "digits_accuracy.png"])


def test_the_notebook_runs_the_tutorial_with_the_widget(tmp_path, monkeypatch):
    """examples/04_article_notebook.ipynb from top to bottom in a real kernel, no button pressed."""
    try:
        import nbformat
        from nbclient import NotebookClient
    except ImportError:
        if os.environ.get("CI", "").lower() == "true":
            raise
        pytest.skip("running the notebook needs nbclient: pip install -e '.[test]'")

    # the kernel imports the glassnet under test
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(sys.path))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    notebook = nbformat.read(EXAMPLES / "04_article_notebook.ipynb", as_version=4)
    NotebookClient(notebook, kernel_name="python3", timeout=300, resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = {cell.source.splitlines()[0]: cell.outputs for cell in notebook.cells if cell.cell_type == "code"}

    def text(first_line):
        return "".join(output.get("text", "") + "".join(output.get("data", {}).get("text/plain", ""))
                       for output in outputs[first_line])

    def html(first_line):
        return "".join(output.get("data", {}).get("text/html", "") for output in outputs[first_line])

    widgets = [output for output in outputs["w = glassnet.widget(model=nn, X=X_train, y=data.y_train, X_test=X_test, y_test=data.y_test)"]
               if "application/vnd.jupyter.widget-view+json" in output.get("data", {})]
    assert len(widgets) == 1
    assert "the widget trained 0 epochs" in text("w.pause()")
    assert re.search(r'data-figure="epochs"[^>]*>200<', html("w.pause()"))
    assert re.search(r'data-figure="parameters"[^>]*>12<', html("nn = glassnet.NeuralNetwork(seed=0)"))
    evaluation = text("result = nn.test_evaluation(X_test, data.y_test)")
    assert "True positives  │     2" in evaluation and "Accuracy        │  1.00" in evaluation
    # the live curve: one display, updated in place to its last epoch
    live = outputs["glassnet.NeuralNetwork(seed=1).train(X_train, data.y_train, 200, live=True)"]
    assert [output.output_type for output in live].count("display_data") == 1
    assert "epoch 200/200" in html("glassnet.NeuralNetwork(seed=1).train(X_train, data.y_train, 200, live=True)")
    assert all(output.output_type != "error" for cell_outputs in outputs.values() for output in cell_outputs)

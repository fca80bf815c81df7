"""Every script in examples/ runs in its quick mode and says what it should.

The scripts run once, as the site's gallery runs them (docs/hooks/gallery.py,
two at a time): these tests read what each printed and drew, and the site's
build in tests/test_site.py shows the same run."""

import os
import re
import sys
from pathlib import Path

import pytest

from docs_helpers import example_runs

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
PNG = b"\x89PNG\r\n\x1a\n"


def run_example(name):
    """(what the script printed, the folder it wrote to)."""
    example = example_runs()[name]
    return example.output, example.pictures[0].parent


def assert_pictures(out, names):
    for name in names:
        assert (out / name).read_bytes()[:8] == PNG, name


def test_every_example_is_tested():
    assert sorted(p.name for p in EXAMPLES.glob("*.py")) == [
        "01_article.py", "02_xor.py", "03_digits.py", "04_spirals.py", "05_penguins.py", "06_doctor.py",
        "07_dynamics.py", "08_extrapolation.py", "09_onnx.py", "10_benchmark_chart.py"]


def test_article_example():
    out, folder = run_example("01_article.py")
    assert "True positives  │     2" in out and "Accuracy        │  1.00" in out
    assert "accuracy 6/6 for 10 of 10 seeds" in out
    error = float(re.search(r"gradient disagreement beyond finite-difference noise: (\S+)", out).group(1))
    assert error < 1e-6
    assert "ExtrapolationWarning: 2 of 6 rows are outside the training range" in out
    assert "x[:, 2] leaves its range [0, 1] in 2 rows: up to 9 above" in out
    assert_pictures(folder, ["article_error.png", "article_network.png"])


def test_xor_example_needs_biases():
    out, folder = run_example("02_xor.py")
    without = float(re.search(r"without biases: training accuracy (\S+)", out).group(1))
    with_biases = float(re.search(r"with biases: training accuracy (\S+)", out).group(1))
    assert with_biases == 1.0 and without < 0.8
    assert float(re.search(r"gradient check: (\S+)", out).group(1)) < 1e-6
    assert_pictures(folder, ["xor_without_biases.png", "xor_with_biases.png", "xor_network.png"])


def test_digits_example():
    out, folder = run_example("03_digits.py")
    assert float(re.search(r"test accuracy: (\S+)", out).group(1)) > 0.93
    assert float(re.search(r"gradient disagreement beyond finite-difference noise on 20 rows: (\S+)", out).group(1)) < 1e-6
    assert re.search(r"digit \d: the network says \d with probability 0\.\d+", out)
    assert "ExtrapolationWarning:" in out and "outside the training range" in out
    assert re.search(r"layer 1 \(relu\): \d+ of 32 units dead", out)
    assert_pictures(folder, ["digits_confusion.png", "digits_activations.png", "digits_network.png",
                               "digits_accuracy.png"])


def number(pattern, text):
    return float(re.search(pattern, text).group(1))


def test_spirals_example():
    out, folder = run_example("04_spirals.py")
    assert number(r"training accuracy (\S+),", out) >= 0.95
    assert number(r"validation accuracy (\S+)", out) >= 0.9
    assert "after 400 epochs" in out
    assert number(r"gradient check: (\S+)", out) < 1e-6
    assert_pictures(folder, ["spirals_boundary.png", "spirals_curves.png"])


def test_penguins_example_runs_the_command_line_on_a_file_with_empty_cells():
    out, folder = run_example("05_penguins.py")
    assert "344 penguins, 19 empty cells" in out
    assert "$ glassnet train penguins_train.csv --target species --ignore year" in out
    assert re.search(r"note: filled \d+ empty cells in the training part \(--impute median\)", out)
    assert "trained a classifier 9-16-3 on 192 rows of 'penguins_train.csv'" in out
    assert number(r"83 rows of 'penguins_test.csv', target 'species'\n(?:.*\n)*?  accuracy (\S+)", out) > 0.9
    predictions = (folder / "predictions.csv").read_text().splitlines()
    assert predictions[0].startswith("row,predicted_species,probability_Adelie") and len(predictions) == 22
    assert_pictures(folder, ["penguins_curves.png", "penguins_confusion.png"])


def test_doctor_example_finds_the_learning_rate_and_clears_the_fix():
    out, folder = run_example("06_doctor.py")
    assert re.search(r"learning rate 1.0: test accuracy \S+; the doctor's findings: \['learning_rate'\]", out)
    assert "the loss oscillates" in out
    assert re.search(r"learning rate 0.1: test accuracy \S+; the doctor's findings: \[\]", out)
    assert "no problems found in MLPClassifier" in out
    assert_pictures(folder, ["doctor_loss_curves.png"])


def test_dynamics_example_shows_the_vanishing_gradient():
    out, folder = run_example("07_dynamics.py")
    logistic, relu = re.findall(r"the output layer's gradient is (\d+) times the first layer's", out)
    assert int(logistic) > 100 and int(relu) < 3
    assert number(r"logistic: training accuracy (\S+)", out) < 0.5
    assert number(r"relu: training accuracy (\S+)", out) > 0.95
    assert_pictures(folder, ["dynamics_logistic.png", "dynamics_relu.png"])


def test_extrapolation_example_warns_once():
    out, folder = run_example("08_extrapolation.py")
    assert out.count("ExtrapolationWarning:") == 1
    assert "122 of 241 rows are outside the training range; worst x[:, 0]" in out
    assert number(r"largest error inside the training range: (\S+);", out) < 0.1
    assert number(r"outside: (\S+)", out) > 1.0
    assert_pictures(folder, ["extrapolation.png"])


def test_onnx_example_agrees_with_onnxruntime():
    out, folder = run_example("09_onnx.py")
    assert "onnxruntime's labels equal predict's for 100% of 1797 rows" in out
    differences = [float(value) for value in re.findall(r"largest probability difference (\S+)", out)]
    assert len(differences) == 2 and max(differences) < 1e-5
    assert "inputs ['weight_g', 'diameter_cm', 'colour', 'firmness']" in out
    assert_pictures(folder, ["onnx_agreement.png"])


def test_benchmark_chart_example_reads_the_recorded_results():
    out, folder = run_example("10_benchmark_chart.py")
    # the recorded goals of the performance page, read back from the JSON files
    assert "tutorial against article loop  glassnet 1.45x, glassnet+numba 1.40x" in out
    assert "digits against scikit-learn  glassnet 0.49x, glassnet+numba 0.35x" in out
    assert "large against pytorch       glassnet 0.88x, glassnet+numba 0.78x" in out
    assert_pictures(folder, ["benchmark_times.png", "benchmark_ratios.png"])


def test_the_notebook_runs_the_tutorial_with_the_widget(tmp_path, monkeypatch):
    """examples/11_article_notebook.ipynb from top to bottom in a real kernel, no button pressed."""
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
    notebook = nbformat.read(EXAMPLES / "11_article_notebook.ipynb", as_version=4)
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

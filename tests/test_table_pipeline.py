"""One table pipeline under every door: ``glassnet train`` and the playground
prepare a CSV with the same function, empty cells are filled the same way,
a regression target is standardised for training and its predictions come
back in its own units (model file, commands and ONNX alike), and the model
files written before all this still load and predict as they did."""

import importlib
import io
import json
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn import metrics

import glassnet
from glassnet.playground.session import Session
from glassnet.tabular.fitting import Options, fit_table
from glassnet.tabular.notes import DataNote
from glassnet.tabular.pipeline import TableOptions, prepare_table
from glassnet.tabular.predictions import prediction_table
from glassnet.tabular.reading import read_bytes, read_table
from glassnet.tabular.target import ClassTarget, ValueTarget

from cli_helpers import glassnet as run
from playground_helpers import rich_trace_numbers
from onnx_helpers import column_feeds

LEGACY = Path(__file__).parent / "data" / "table-legacy"
PENGUINS_SMALL = LEGACY / "penguins-small.csv"

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def houses(path: Path) -> Path:
    """House prices around 230,000: area, rooms, age (12 empty cells), a text
    district (8 empty cells) and the price, a clear function of them plus noise."""
    rng = np.random.default_rng(7)
    n = 400
    area = rng.uniform(40, 200, n).round(1)
    rooms = rng.integers(1, 7, n)
    age = rng.integers(0, 80, n)
    district = rng.choice(["centre", "harbour", "hills", "suburb"], n)
    premium = pd.Series(district).map({"centre": 60000, "harbour": 30000, "hills": 15000, "suburb": 0}).to_numpy()
    price = 60000 + 1200 * area + 8000 * rooms - 700 * age + premium + rng.normal(0, 15000, n)
    frame = pd.DataFrame({"area_m2": area, "rooms": rooms, "age_years": age, "district": district,
                          "price": price.round(-2)}).astype(object)
    frame.loc[rng.choice(n, 12, replace=False), "age_years"] = np.nan
    frame.loc[rng.choice(n, 8, replace=False), "district"] = np.nan
    frame.to_csv(path, index=False)
    return path


def penguins(path: Path) -> Path:
    """The real penguins file of the palmerpenguins package: NA cells in numbers and text."""
    import palmerpenguins

    path.write_bytes((Path(palmerpenguins.__file__).parent / "data" / "penguins.csv").read_bytes())
    return path


def playground_file(csv: Path, target: str, path: Path, epochs: int, **settings) -> Path:
    """The model file the playground's *Download model* gives after ``epochs`` on ``csv`` uploaded."""
    upload = (read_bytes(csv.read_bytes(), csv.name), csv.name)
    session = Session(lambda: upload)
    session.apply({"dataset": "file", "target": target, **settings})
    session.train(epochs)
    path.write_bytes(session.model_file())
    return path


# --- the target encodings ------------------------------------------------------------------------

def test_class_targets_are_label_binarizer_rows_and_decode_back():
    from sklearn.preprocessing import LabelBinarizer

    labels = np.array(["b", "a", "c", "a"])
    three = ClassTarget.fit(labels)
    assert three.classes.tolist() == ["a", "b", "c"] and three.n_outputs == 3
    np.testing.assert_array_equal(three.encode(labels), LabelBinarizer().fit(labels).transform(labels))
    outputs = np.array([[0.2, 0.5, 0.3], [0.4, 0.4, 0.2]])
    assert three.decode(outputs).tolist() == ["b", "a"]  # the first of a tie, as argmax
    two = ClassTarget.fit(["no", "yes", "yes"])
    np.testing.assert_array_equal(two.encode(["yes", "no"]), [[1.0], [0.0]])
    np.testing.assert_array_equal(two.probabilities(np.array([[0.75], [0.5]])), [[0.25, 0.75], [0.5, 0.5]])
    assert two.decode(np.array([[0.75], [0.5]])).tolist() == ["yes", "no"]
    with pytest.raises(ValueError, match="label 'maybe' is not one of the classes 'no', 'yes'"):
        two.encode(["maybe"])
    with pytest.raises(ValueError, match="at least two distinct labels in sorted order"):
        ClassTarget(["b", "a"])


def test_value_targets_are_standardised_on_the_training_part_and_undone():
    values = np.array([240_000.0, 250_000.0, 265_000.0, 255_000.0])
    encoding = ValueTarget.fit(values)
    assert (encoding.mean, encoding.scale) == (values.mean(), values.std())
    Y = encoding.encode(values)
    # (y - mean) / scale: mean 0 and standard deviation 1 on the training part
    assert Y.shape == (4, 1) and abs(Y.mean()) < 1e-12 and Y.std() == pytest.approx(1.0)
    np.testing.assert_allclose(encoding.decode(Y), values, rtol=1e-15)
    # a constant target keeps scale 1: its standardised value is 0, and 0 decodes to it
    constant = ValueTarget.fit([7.5, 7.5, 7.5])
    assert (constant.mean, constant.scale) == (7.5, 1.0) and constant.decode(np.zeros((1, 1)))[0] == 7.5
    with pytest.raises(ValueError, match="the target's scale must be a positive number, got 0.0"):
        ValueTarget(0.0, 0.0)


# --- model files written before one pipeline ----------------------------------------------------

def test_network_estimator_is_gone():
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("glassnet.tabular.network_model")
    from glassnet.persistence import KINDS, kind_class

    kind_class("tabular")  # the built-in kinds, registered
    assert "NetworkEstimator" not in KINDS


@pytest.mark.parametrize("name, trained, encoding", [
    ("playground-penguins", "NeuralNetwork", ClassTarget(["Adelie", "Chinstrap", "Gentoo"])),
    ("playground-sex", "NeuralNetwork", ClassTarget(["female", "male"])),
    ("playground-mass", "NeuralNetwork", None),
    ("cli-mass", "MLPRegressor", ValueTarget(0.0, 1.0)),
])
def test_files_written_before_load_and_predict_as_they_did(name, trained, encoding, tmp_path):
    model = glassnet.load(LEGACY / f"{name}.glassnet")
    assert type(model.trained).__name__ == trained
    if isinstance(encoding, ClassTarget):
        assert model.classes_.tolist() == encoding.classes.tolist()
    elif encoding is not None:
        assert (model.target_encoding.mean, model.target_encoding.scale) == (encoding.mean, encoding.scale)
    else:  # the playground's standardisation, read from the old file's NetworkEstimator state
        with zipfile.ZipFile(LEGACY / f"{name}.glassnet") as archive:
            old = json.loads(archive.read("glassnet.json"))["state"]["estimator"]["state"]
        assert model.target_encoding.mean == old["target_mean"] > 3000
        assert model.target_encoding.scale == old["target_scale"] > 100
    frame = read_table(PENGUINS_SMALL)
    expected = pd.read_csv(LEGACY / f"{name}.predictions.csv", keep_default_na=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataNote)
        table, _ = prediction_table(model, frame, "x")
        # saved again, in today's layout, it predicts the same
        again, _ = prediction_table(glassnet.load(glassnet.save(model, tmp_path / "again.glassnet")), frame, "x")
    for predicted in (table, again):
        assert list(predicted.columns) == list(expected.columns)
        assert predicted["note"].tolist() == expected["note"].tolist()
        numbers = [column for column in expected.columns if column.startswith(("probability_", "predicted_"))]
        if model.task == "classify":
            assert predicted[numbers[0]].fillna("").tolist() == expected[numbers[0]].tolist()
            numbers = numbers[1:]
        # a few units in the last place allow for the CSV's text and today's BLAS rounding
        np.testing.assert_allclose(predicted[numbers].to_numpy(float),
                                   pd.to_numeric(expected[numbers].stack(), errors="coerce").unstack().to_numpy(float),
                                   rtol=1e-12, atol=1e-15)


# --- the same CSV, the same rows and inputs -------------------------------------------------------

def test_the_same_csv_with_empty_cells_keeps_the_same_rows_through_train_and_the_playground(tmp_path):
    csv = penguins(tmp_path / "penguins.csv")
    frame = read_table(csv)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model, test, _ = fit_table(frame, Options(target="species", test_size=0.5, seed=0, hidden=(4,), epochs=2),
                                   "'penguins.csv'")
    cli_notes = [str(item.message) for item in caught if issubclass(item.category, DataNote)]
    train = frame.drop(index=test.index)
    session = Session(lambda: (read_bytes(csv.read_bytes(), "penguins.csv"), "penguins.csv"))
    session.apply({"dataset": "file", "target": "species", "test_ratio": 0.5, "seed": 0})
    data = session.data
    # every row kept (344; the page used to drop the 11 with an empty cell), split alike
    assert len(train) + len(test) == 344 == data.X_train.shape[0] + data.X_test.shape[0]
    assert data.rows_test.tolist() == (test.index + 1).tolist()
    assert sorted(data.rows_train.tolist()) == (train.index + 1).tolist()
    # the same filled and encoded inputs, bit for bit, row 4 (nothing but species, island, year) too
    assert 4 in data.rows_train.tolist() + data.rows_test.tolist()
    np.testing.assert_array_equal(data.X_train, model.inputs(frame.iloc[data.rows_train - 1]))
    np.testing.assert_array_equal(data.X_test, model.inputs(test))
    assert data.input_names == model.columns.input_names and "sex=male" in data.input_names
    np.testing.assert_array_equal(session.tabular.imputation.numeric_values, model.imputation.numeric_values)
    # the same note, which the page shows instead of printing it, without the command line's flag
    filled = [note for note in cli_notes if note.startswith("filled ")]
    assert len(filled) == 1 and " (--impute median): " in filled[0]
    assert filled[0].replace(" (--impute median)", "") in session.notes
    assert not any("--" in note for note in session.notes)
    description = session.description()
    assert description["notes"] == session.notes
    assert description["filled"] == frame[model.columns.features].eq("").to_numpy().sum() > 11


# --- a regression target on its own scale ---------------------------------------------------------

@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("tables")


@pytest.fixture(scope="module")
def cli_regressor(folder):
    csv = houses(folder / "houses.csv")
    trained = run("train", csv, "--target", "price", "-o", folder / "houses.glassnet", cwd=folder)
    assert trained.returncode == 0, trained.stderr
    return folder / "houses.glassnet", csv, trained.stdout


def test_glassnet_train_standardises_a_regression_target_and_predicts_in_its_units(cli_regressor):
    path, csv, output = cli_regressor
    # the held-out R² of the default network: -11.8 when it trained on prices near 230,000 themselves
    r2 = float(output.split(" r2 ")[1].split()[0])
    assert r2 > 0.85, output
    model = glassnet.load(path)
    frame = read_table(csv)
    train_part = prepare_table(frame, TableOptions(target="price"), "x").labels_train
    with zipfile.ZipFile(path) as archive:
        state = json.loads(archive.read("glassnet.json"))["state"]
    assert state["target_encoding"] == {"kind": "values", "mean": train_part.mean(), "scale": train_part.std()}
    assert state["trained"]["kind"] == "MLPRegressor" and "estimator" not in state
    # the estimator learnt the standardised price; the model answers in currency
    complete = frame[frame.ne("").all(axis=1)]
    raw = model.trained.predict(model.inputs(complete))
    np.testing.assert_allclose(model.predict(complete), raw * train_part.std() + train_part.mean(), rtol=1e-12)
    assert abs(raw.mean()) < 0.5 and 150_000 < model.predict(complete).mean() < 300_000


# --- every command on every kind of table model ---------------------------------------------------

@pytest.fixture(scope="module")
def model_files(folder, cli_regressor):
    # (a command-line classifier goes through every command in test_cli_commands and test_export)
    houses_csv = cli_regressor[1]
    penguins_csv = penguins(folder / "penguins.csv")
    return {
        "cli-regressor": (cli_regressor[0], houses_csv),
        "playground-classifier": (playground_file(penguins_csv, "species", folder / "page-penguins.glassnet", 20,
                                                  hidden=[6], activations=["tanh"]), penguins_csv),
        "playground-regressor": (playground_file(houses_csv, "price", folder / "page-houses.glassnet", 30,
                                                 hidden=[8], activations=["relu"], optimizer="adam",
                                                 learning_rate=0.01), houses_csv),
    }


def _onnx_outputs(onnx_path, frame):
    import onnx
    import onnxruntime

    proto = onnx.load(onnx_path)
    feeds = column_feeds(proto, frame)
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3
    session = onnxruntime.InferenceSession(proto.SerializeToString(), options, providers=["CPUExecutionProvider"])
    return dict(zip([value.name for value in proto.graph.output], session.run(None, feeds)))


@pytest.mark.parametrize("kind", ["cli-regressor", "playground-classifier", "playground-regressor"])
def test_every_command_reads_every_table_model_alike(kind, model_files, folder):
    path, csv = model_files[kind]
    model = glassnet.load(path)
    frame = read_table(csv)
    frame = frame[frame[model.target] != ""]  # (penguins: two rows without a species)
    rows = folder / f"{kind}.csv"
    frame.to_csv(rows, index=False)
    truth = model.labels(frame)

    predicted = run("predict", path, rows)
    assert predicted.returncode == 0, predicted.stderr
    table = pd.read_csv(io.StringIO(predicted.stdout))
    # empty cells are filled as glassnet train fills them: every row has its prediction
    assert len(table) == len(frame) and table["note"].isna().all()
    values = table[f"predicted_{model.target}"].to_numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataNote)
        expected = model.predict(frame)
    evaluated = run("evaluate", path, rows, "--json")
    assert evaluated.returncode == 0, evaluated.stderr
    figures = json.loads(evaluated.stdout)
    if model.task == "regress":
        np.testing.assert_allclose(values, expected, rtol=1e-12)
        # the report is in the target's own units
        assert figures["mae"] == pytest.approx(metrics.mean_absolute_error(truth, values), rel=1e-9)
        assert figures["r2"] == pytest.approx(metrics.r2_score(truth, values), rel=1e-9) and figures["r2"] > 0.5
    else:
        assert values.tolist() == expected.tolist()
        assert figures["accuracy"] == pytest.approx(np.mean(values == truth)) and figures["accuracy"] > 0.7

    # the row traced is the row predicted; its target is encoded as in training
    traced = run("trace", path, rows, "--row", 4, env={"COLUMNS": "200"})
    assert traced.returncode == 0, traced.stderr
    numbers = rich_trace_numbers(traced.stdout)
    np.testing.assert_allclose(numbers["x"], model.inputs(frame.iloc[[3]])[0], rtol=1e-3, atol=6e-5)
    output = numbers[f"{model.network.n_layers}.a"]
    np.testing.assert_allclose(numbers["y"], model.targets(truth[3:4])[0], rtol=1e-3, atol=6e-5)
    if model.task == "regress":
        # 4 decimals of a standardised output: within 1e-4 of a scale near 65,000
        assert abs(output[0] * model.target_encoding.scale + model.target_encoding.mean - values[3]) < 10
    else:
        np.testing.assert_allclose(model.probabilities(output[None, :])[0],
                                   table.filter(like="probability_").iloc[3].to_numpy(float), atol=6e-5)

    checked = run("gradcheck", path, rows, "--max-rows", 30)
    assert checked.returncode == 0 and "they agree" in checked.stdout, checked.stdout + checked.stderr
    diagnosed = run("diagnose", path, rows, "--json")
    assert diagnosed.returncode == 0, diagnosed.stderr
    summary = json.loads(diagnosed.stdout)
    assert summary["model"] == "TabularModel" and summary["summary"]["rows"] == len(frame)
    inspected = run("inspect", path)
    assert inspected.returncode == 0, inspected.stderr
    described = "standardised with the training part's mean" if model.task == "regress" else "classes Adelie, "
    assert described in inspected.stdout and "empty cells: filled with the median" in inspected.stdout

    exported = run("export", path, "-o", folder / f"{kind}.onnx", "--quiet")
    assert exported.returncode == 0, exported.stderr
    outputs = _onnx_outputs(folder / f"{kind}.onnx", frame)
    if model.task == "regress":
        np.testing.assert_allclose(outputs["variable"][:, 0], values, rtol=1e-5)
    else:
        probabilities = table.filter(like="probability_").to_numpy(float)
        np.testing.assert_allclose(outputs["probabilities"], probabilities, atol=1e-5)
        assert outputs["label"].tolist() == values.tolist()


def test_a_confusion_matrix_of_long_class_names_numbers_its_columns():
    """palmerpenguins' raw species names are 33-41 characters: as column heads they made each column that wide
    and the matrix wrapped in a terminal; numbered, each name is written once. Short names head their columns."""
    from glassnet.tabular.report import format_report

    long = {"labels": ["Adelie Penguin (Pygoscelis adeliae)", "Chinstrap penguin (Pygoscelis antarctica)",
                       "Gentoo penguin (Pygoscelis papua)"],
            "confusion_matrix": [[31, 0, 0], [1, 12, 0], [0, 0, 121]], "accuracy": 0.9953}
    assert format_report(long) == [
        "confusion matrix (rows: true, columns: predicted)",
        "                                                   1     2     3",
        "  1. Adelie Penguin (Pygoscelis adeliae)          31     0     0",
        "  2. Chinstrap penguin (Pygoscelis antarctica)     1    12     0",
        "  3. Gentoo penguin (Pygoscelis papua)             0     0   121",
        "accuracy 0.9953"]
    short = {"labels": ["apple", "lemon"], "confusion_matrix": [[5, 0], [1, 4]], "accuracy": 0.9}
    assert format_report(short)[1:4] == ["               apple     lemon", "     apple         5         0",
                                         "     lemon         1         4"]

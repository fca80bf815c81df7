"""ONNX export: every model kind, activation and output link, checked against onnxruntime."""

from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pandas as pd
import pytest
import skl2onnx
from sklearn.compose import ColumnTransformer
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris, load_wine, make_multilabel_classification
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MaxAbsScaler, MinMaxScaler, OneHotEncoder, RobustScaler, StandardScaler

import glassnet
from glassnet.engine.activations import ACTIVATIONS
from glassnet.estimators._params import HIDDEN_ACTIVATIONS
from glassnet.export import to_onnx
from glassnet.export._graph import Graph
from glassnet.export.activations import ONNX_ACTIVATIONS
from glassnet.export.steps import write_step
from glassnet.tabular.datasets import load_dataset
from glassnet.tabular.fitting import Options, fit_table
from cli_helpers import FRUIT, FRUIT_TEST, glassnet as run_glassnet
from onnx_helpers import column_feeds

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning",
                                        "ignore::glassnet.ExtrapolationWarning")
TOLERANCE = 1e-5


def session(proto):
    options = ort.SessionOptions()
    options.log_severity_level = 3
    return ort.InferenceSession(proto.SerializeToString(), options, providers=["CPUExecutionProvider"])


def run(proto, **feeds):
    outputs = session(proto).run(None, feeds)
    return dict(zip([value.name for value in proto.graph.output], outputs))


def f32(X):
    return np.asarray(X, dtype=np.float32)


def scaled(X):
    return StandardScaler().fit_transform(X)


def test_every_engine_activation_has_an_onnx_form():
    assert set(ACTIVATIONS) == set(ONNX_ACTIVATIONS)


# --- NeuralNetwork ------------------------------------------------------------------------
@pytest.mark.parametrize("activation", [name for name in ACTIVATIONS if name not in ("softmax", "exp")])
@pytest.mark.parametrize("bias", [False, True])
def test_neural_network_hidden_activations_match(activation, bias):
    X, y = load_iris(return_X_y=True)
    X = scaled(X)
    nn = glassnet.NeuralNetwork(layers=[4, 7, 5, 3], activation=activation, output_activation="identity",
                                bias=bias, init="glorot", optimizer="adam", learning_rate=0.01, seed=1)
    nn.train(X, np.eye(3)[y], 30)
    outputs = run(to_onnx(nn), X=f32(X))
    assert outputs["output"].shape == (150, 3)
    np.testing.assert_allclose(outputs["output"], nn.predict(X), atol=TOLERANCE, rtol=TOLERANCE)


@pytest.mark.parametrize("loss, output", [("squared_error", "logistic"), ("binary_crossentropy", "logistic"),
                                          ("categorical_crossentropy", "softmax"), ("poisson", "exp"),
                                          ("huber", "identity")])
def test_neural_network_output_links_match(loss, output):
    X, y = load_wine(return_X_y=True)
    X = scaled(X)
    targets = {"categorical_crossentropy": np.eye(3)[y], "poisson": y[:, None] + 1.0}.get(loss, (y == 1)[:, None] * 1.0)
    nn = glassnet.NeuralNetwork(layers=[13, 8, targets.shape[1]], activation="tanh", loss=loss,
                                output_activation=output, bias=True, init="glorot", optimizer="adam",
                                learning_rate=0.01, reduction="mean", seed=0)
    nn.train(X, targets, 40)
    assert nn.network.activations[-1].name == output
    np.testing.assert_allclose(run(to_onnx(nn), X=f32(X))["output"], nn.predict(X), atol=TOLERANCE, rtol=TOLERANCE)


def test_the_article_network_and_a_bare_engine_export():
    data = glassnet.load_tutorial()
    nn = glassnet.NeuralNetwork(seed=0).train(data.X_train / 10, data.y_train, 200)
    X = data.X_test / 10
    np.testing.assert_allclose(run(to_onnx(nn), X=f32(X))["output"], nn.predict(X), atol=TOLERANCE)
    np.testing.assert_allclose(run(to_onnx(nn.network), X=f32(X))["output"], nn.network.predict(X), atol=TOLERANCE)


# --- estimators ------------------------------------------------------------------------------
@pytest.mark.parametrize("activation", HIDDEN_ACTIVATIONS)
def test_classifier_every_hidden_activation_binary_and_multiclass(activation):
    for X, y in (load_breast_cancer(return_X_y=True), load_wine(return_X_y=True)):
        X = scaled(X)
        model = glassnet.MLPClassifier((10, 6), activation=activation, max_iter=60, random_state=0).fit(X, y)
        outputs = run(to_onnx(model), X=f32(X))
        np.testing.assert_allclose(outputs["probabilities"], model.predict_proba(X), atol=TOLERANCE)
        probabilities = model.predict_proba(X)
        # a label may differ only where two probabilities tie to float32 rounding
        clear = np.sort(probabilities, axis=1)[:, -1] - np.sort(probabilities, axis=1)[:, -2] > 1e-5
        assert np.array_equal(outputs["label"][clear], model.predict(X)[clear])
        assert clear.mean() > 0.95


def test_classifier_string_labels_and_float32_training():
    X, y = load_iris(return_X_y=True)
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    model = glassnet.MLPClassifier((8,), dtype="float32", max_iter=200, random_state=0).fit(X, names)
    outputs = run(to_onnx(model), X=f32(X))
    assert outputs["label"].dtype == object and set(outputs["label"]) <= set(model.classes_)
    assert np.array_equal(outputs["label"], model.predict(X))
    np.testing.assert_allclose(outputs["probabilities"], model.predict_proba(X), atol=TOLERANCE)


def test_multilabel_classifier():
    X, Y = make_multilabel_classification(300, 8, n_classes=4, random_state=0)
    model = glassnet.MLPClassifier((16,), activation="gelu", max_iter=300, random_state=0).fit(X, Y)
    outputs = run(to_onnx(model), X=f32(X))
    assert outputs["label"].shape == (300, 4) and outputs["label"].dtype == np.int64
    np.testing.assert_allclose(outputs["probabilities"], model.predict_proba(X), atol=TOLERANCE)
    assert np.array_equal(outputs["label"], model.predict(X))


@pytest.mark.parametrize("loss", ["squared_error", "absolute_error", "huber", "poisson"])
def test_regressor_every_loss_one_and_several_outputs(loss):
    X, y = load_diabetes(return_X_y=True)
    y = (y - y.min()) / y.std()  # >= 0 for poisson
    for target in (y, np.column_stack([y, y ** 2 / 4, 1 + 0 * y])):
        model = glassnet.MLPRegressor(loss=loss, hidden_layer_sizes=(12,), activation="swish", solver="lbfgs",
                                      max_iter=80, random_state=0).fit(X, target)
        predicted = run(to_onnx(model), X=f32(X))["variable"]
        assert predicted.shape == (len(X), 1 if target.ndim == 1 else 3)
        np.testing.assert_allclose(predicted.reshape(model.predict(X).shape), model.predict(X),
                                   atol=TOLERANCE, rtol=TOLERANCE)


def test_export_writes_a_valid_file(tmp_path):
    X, y = load_iris(return_X_y=True)
    model = glassnet.MLPClassifier((5,), max_iter=50, random_state=0).fit(X, y)
    proto = glassnet.to_onnx(model, tmp_path / "iris.onnx")
    loaded = onnx.load(tmp_path / "iris.onnx")
    onnx.checker.check_model(loaded, full_check=True)
    assert loaded.SerializeToString() == proto.SerializeToString()
    assert [value.name for value in loaded.graph.input] == ["X"]


# --- scikit-learn pipelines through skl2onnx -----------------------------------------------------
@pytest.mark.parametrize("input_dtype", [np.float32, np.float64])
def test_skl2onnx_converts_a_pipeline_holding_a_glassnet_classifier(input_dtype):
    X, y = load_breast_cancer(return_X_y=True)
    pipeline = make_pipeline(StandardScaler(), glassnet.MLPClassifier((20,), activation="elu", max_iter=100,
                                                                      random_state=0)).fit(X, y)
    proto = skl2onnx.to_onnx(pipeline, X[:1].astype(input_dtype), options={glassnet.MLPClassifier: {"zipmap": False}})
    label, probabilities = session(proto).run(None, {proto.graph.input[0].name: X.astype(input_dtype)})
    np.testing.assert_allclose(probabilities, pipeline.predict_proba(X), atol=TOLERANCE)
    assert np.array_equal(label, pipeline.predict(X))


def test_skl2onnx_zipmap_output_and_a_column_transformer_with_a_regressor():
    X, y = load_iris(return_X_y=True)
    pipeline = make_pipeline(MinMaxScaler(), glassnet.MLPClassifier((6,), max_iter=100, random_state=0)).fit(X, y)
    proto = skl2onnx.to_onnx(pipeline, f32(X[:1]))
    _, maps = session(proto).run(None, {"X": f32(X)})
    assert [maps[3][k] for k in range(3)] == pytest.approx(pipeline.predict_proba(X[3:4])[0], abs=TOLERANCE)

    frame = pd.DataFrame({"size": X[:, 0], "width": X[:, 1], "kind": np.array(["a", "b", "c"])[y]})
    regressor = make_pipeline(
        ColumnTransformer([("numbers", RobustScaler(), ["size", "width"]), ("text", OneHotEncoder(), ["kind"])]),
        glassnet.MLPRegressor(hidden_layer_sizes=(8,), activation="leaky_relu", solver="lbfgs", max_iter=100, random_state=0),
    ).fit(frame, X[:, 2])
    proto = skl2onnx.to_onnx(regressor, initial_types=[
        ("size", skl2onnx.common.data_types.FloatTensorType([None, 1])),
        ("width", skl2onnx.common.data_types.FloatTensorType([None, 1])),
        ("kind", skl2onnx.common.data_types.StringTensorType([None, 1]))])
    predicted = session(proto).run(None, {"size": f32(X[:, :1]), "width": f32(X[:, 1:2]),
                                          "kind": frame[["kind"]].to_numpy()})[0]
    np.testing.assert_allclose(predicted[:, 0], regressor.predict(frame), atol=1e-4, rtol=TOLERANCE)


def test_glassnet_to_onnx_and_the_export_command_take_a_pipeline(tmp_path):
    X, y = load_wine(return_X_y=True)
    pipeline = make_pipeline(StandardScaler(), glassnet.MLPClassifier((9,), max_iter=80, random_state=0)).fit(X, y)
    outputs = session(glassnet.to_onnx(pipeline)).run(None, {"X": f32(X)})
    np.testing.assert_allclose(outputs[1], pipeline.predict_proba(X), atol=TOLERANCE)
    glassnet.save(pipeline, tmp_path / "wine.glassnet")
    exported = run_glassnet("export", "wine.glassnet", "-o", "wine.onnx", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    label, probabilities = session(onnx.load(tmp_path / "wine.onnx")).run(None, {"X": f32(X)})
    np.testing.assert_allclose(probabilities, pipeline.predict_proba(X), atol=TOLERANCE)
    assert np.array_equal(label, pipeline.predict(X))
    frame = pd.DataFrame(X, columns=[f"c{index}" for index in range(X.shape[1])])
    fitted_on_frame = make_pipeline(StandardScaler(), glassnet.MLPClassifier((3,), max_iter=5)).fit(frame, y)
    proto = glassnet.to_onnx(fitted_on_frame)
    # one input per column, named as the column, as skl2onnx does for tables
    assert [value.name for value in proto.graph.input] == list(frame.columns)
    _, probabilities = session(proto).run(None, {name: f32(frame[[name]]) for name in frame.columns})
    np.testing.assert_allclose(probabilities, fitted_on_frame.predict_proba(frame), atol=TOLERANCE)


def test_a_pipeline_fitted_on_a_table_of_numbers_and_text_exports_one_input_per_column():
    import palmerpenguins

    penguins = palmerpenguins.load_penguins().dropna().reset_index(drop=True)
    numbers = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
    text = ["island", "sex"]
    frame = penguins[numbers + text + ["year"]]
    pipeline = make_pipeline(
        ColumnTransformer([("numbers", StandardScaler(), numbers),
                           ("text", OneHotEncoder(handle_unknown="ignore"), text)], remainder="drop"),
        glassnet.MLPClassifier((8,), max_iter=150, random_state=0),
    ).fit(frame, penguins["species"])
    proto = glassnet.to_onnx(pipeline)
    kinds = {value.name: value.type.tensor_type.elem_type for value in proto.graph.input}
    assert kinds == {**dict.fromkeys(numbers + ["year"], onnx.TensorProto.FLOAT),
                     **dict.fromkeys(text, onnx.TensorProto.STRING)}
    feeds = {name: (frame[[name]].to_numpy(dtype=object) if name in text else f32(frame[[name]])) for name in kinds}
    label, probabilities = session(proto).run(None, feeds)
    np.testing.assert_allclose(probabilities, pipeline.predict_proba(frame), atol=TOLERANCE)
    assert np.array_equal(label, pipeline.predict(frame))


# --- preprocessing steps ------------------------------------------------------------------------------
@pytest.mark.parametrize("step", [StandardScaler(), StandardScaler(with_mean=False), MinMaxScaler(clip=True),
                                  MinMaxScaler((-1, 2)), RobustScaler(), MaxAbsScaler(),
                                  SimpleImputer(strategy="median"), SimpleImputer(strategy="constant", fill_value=7.5)],
                         ids=repr)
def test_each_preprocessing_step_matches_scikit_learn(step):
    X = load_diabetes(return_X_y=True)[0][:, :5] * 100
    X_new = X * 1.5
    if isinstance(step, SimpleImputer):
        X = X.copy()
        X[::7, 1] = X_new[::5, 3] = np.nan
    step.fit(X)
    graph = Graph()
    x = graph.add_input("X", onnx.TensorProto.FLOAT, [None, 5])
    graph.node("Identity", [write_step(graph, step, x)], output="Y")
    graph.add_output("Y", onnx.TensorProto.FLOAT, [None, 5])
    np.testing.assert_allclose(run(graph.model(), X=f32(X_new))["Y"], step.transform(X_new), rtol=1e-6, atol=1e-5)


# --- command-line model files -------------------------------------------------------------------
def raw_feeds(proto, frame):
    """The ONNX inputs from a table of text cells, as a deployment would build them."""
    feeds = {}
    for value in proto.graph.input:
        cells = frame[value.name].str.strip()
        string = value.type.tensor_type.elem_type == onnx.TensorProto.STRING
        feeds[value.name] = (cells.to_numpy(dtype=object) if string else cells.astype(np.float32).to_numpy()).reshape(-1, 1)
    return feeds


@pytest.mark.parametrize("scaler", ["standard", "minmax", "robust", "maxabs", "none"])
@pytest.mark.parametrize("dataset", ["wine", "diabetes"])
def test_tabular_models_take_the_raw_columns(scaler, dataset):
    frame, target = load_dataset(dataset)
    if dataset == "diabetes":
        frame[target] = (frame[target].astype(float) / 100).astype(str)
    options = Options(target=target, hidden=(10,), activation="tanh", solver="lbfgs", epochs=60, scaler=scaler)
    model, test, _ = fit_table(frame, options, dataset)
    proto = to_onnx(model)
    assert [value.name for value in proto.graph.input] == model.columns.features
    outputs = run(proto, **raw_feeds(proto, test))
    if model.task == "classify":
        np.testing.assert_allclose(outputs["probabilities"], model.predict_proba(test), atol=TOLERANCE)
        assert np.array_equal(outputs["label"], model.predict(test))
    else:
        np.testing.assert_allclose(outputs["variable"][:, 0], model.predict(test), atol=TOLERANCE, rtol=TOLERANCE)


def test_glassnet_export_command_on_a_trained_file_with_text_columns(tmp_path):
    trained = run_glassnet("train", FRUIT, "--target", "fruit", "-o", "fruit.glassnet", "--hidden", "12",
                           "--epochs", "100", "--quiet", cwd=tmp_path)
    assert trained.returncode == 0, trained.stderr
    exported = run_glassnet("export", "fruit.glassnet", "-o", "fruit.onnx", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert "inputs: weight_g, diameter_cm, colour, firmness; outputs: label, probabilities" in exported.stderr
    proto = onnx.load(tmp_path / "fruit.onnx")
    frame = pd.read_csv(FRUIT_TEST, dtype=str, keep_default_na=False)
    model = glassnet.load(tmp_path / "fruit.glassnet")
    outputs = run(proto, **raw_feeds(proto, frame))
    np.testing.assert_allclose(outputs["probabilities"], model.predict_proba(frame), atol=TOLERANCE)
    assert outputs["label"].tolist() == model.predict(frame).tolist()
    # a colour never seen in training is all zeros in the one-hot block, as in glassnet
    unseen = frame.head(3).assign(colour="purple")
    np.testing.assert_allclose(run(proto, **raw_feeds(proto, unseen))["probabilities"], model.predict_proba(unseen),
                               atol=TOLERANCE)


def test_glassnet_export_command_on_an_estimator_file(tmp_path):
    X, y = load_iris(return_X_y=True)
    model = glassnet.MLPClassifier((5,), max_iter=50, random_state=0).fit(X, y)
    glassnet.save(model, tmp_path / "iris.glassnet")
    exported = run_glassnet("export", "iris.glassnet", "-o", "iris.onnx", "--quiet", cwd=tmp_path)
    assert exported.returncode == 0 and exported.stderr == ""
    outputs = run(onnx.load(tmp_path / "iris.onnx"), X=f32(X))
    np.testing.assert_allclose(outputs["probabilities"], model.predict_proba(X), atol=TOLERANCE)


# --- bad input --------------------------------------------------------------------------------------
def test_unfitted_models_and_foreign_objects_are_refused(tmp_path):
    with pytest.raises(ValueError, match="not fitted yet: call fit before exporting to ONNX"):
        to_onnx(glassnet.MLPRegressor())
    with pytest.raises(ValueError, match="not fitted yet"):
        to_onnx(make_pipeline(StandardScaler(), glassnet.MLPClassifier()))
    with pytest.raises(ValueError, match="cannot export a StandardScaler to ONNX; expected a NeuralNetwork"):
        to_onnx(StandardScaler())
    assert not list(tmp_path.iterdir())


def test_export_command_errors_are_one_line_and_write_nothing(tmp_path):
    (tmp_path / "junk.glassnet").write_bytes(b"not a model")
    for args, message in (
        (("junk.glassnet", "-o", "out.onnx"), "is not a glassnet model file"),
        (("missing.glassnet", "-o", "out.onnx"), "no such file: 'missing.glassnet'"),
        (("junk.glassnet", "-o", "nowhere/out.onnx"), "the folder of 'nowhere/out.onnx' does not exist"),
    ):
        result = run_glassnet("export", *args, cwd=tmp_path)
        assert result.returncode == 1
        assert result.stderr.startswith("error: ") and message in result.stderr and "Traceback" not in result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["junk.glassnet"]


def test_a_command_line_model_with_empty_cells_imputes_them_in_onnx(tmp_path):
    # the real penguins file: NA cells in numeric and text columns, filled by --impute (the default)
    import palmerpenguins

    penguins = Path(palmerpenguins.__file__).parent / "data" / "penguins.csv"
    trained = run_glassnet("train", penguins, "--target", "species", "--ignore", "year", "-o", "penguins.glassnet",
                           "--hidden", "8", "--epochs", "60", "--quiet", cwd=tmp_path)
    assert trained.returncode == 0, trained.stderr
    assert run_glassnet("export", "penguins.glassnet", "-o", "penguins.onnx", "--quiet", cwd=tmp_path).returncode == 0
    proto = onnx.load(tmp_path / "penguins.onnx")
    model = glassnet.load(tmp_path / "penguins.glassnet")
    frame = pd.read_csv(penguins, dtype=str).fillna("")
    empty = frame[[value.name for value in proto.graph.input]].eq("")
    assert empty.any(axis=1).sum() >= 10 and empty["sex"].sum() >= 5  # numbers and text both have holes
    feeds = column_feeds(proto, frame)
    outputs = run(proto, **feeds)
    np.testing.assert_allclose(outputs["probabilities"], model.predict_proba(frame), atol=TOLERANCE)
    assert outputs["label"].tolist() == model.predict(frame).tolist()

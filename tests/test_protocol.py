"""The model protocol: every kind of model answers the tools' questions the
same way, so trace, gradcheck, the doctor, extrapolation, the plots, files and
export work on what users fit -- a Pipeline fed a DataFrame, a
TransformedTargetRegressor -- as they do on a bare estimator."""

import warnings

import numpy as np
import palmerpenguins
import pandas as pd
import pytest
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
from sklearn.datasets import load_diabetes, load_iris
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

import glassnet
from glassnet import plot
from glassnet.protocol import adapt

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

NUMBERS = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
TEXT = ["island", "sex"]


@pytest.fixture(scope="module")
def penguins():
    """palmerpenguins' table (empty cells included) and a pipeline fitted on it as a DataFrame."""
    table = palmerpenguins.load_penguins().dropna(subset=["species"]).reset_index(drop=True)
    frame, species = table[NUMBERS + TEXT], table["species"]
    pipeline = make_pipeline(
        ColumnTransformer([
            ("numbers", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), NUMBERS),
            ("text", make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")),
             TEXT),
        ]),
        glassnet.MLPClassifier(hidden_layer_sizes=(6,), max_iter=60, random_state=0),
    ).fit(frame, species)
    return frame, species, pipeline


def _network_rows(pipeline, frame):
    return np.asarray(pipeline[:-1].transform(frame), dtype=np.float64)


def test_a_pipeline_is_encoded_through_its_steps(penguins):
    frame, species, pipeline = penguins
    adapter = adapt(pipeline, "testing")
    rows = adapter.encode(frame, species)
    np.testing.assert_array_equal(rows.X, _network_rows(pipeline, frame))
    estimator = pipeline[-1]
    np.testing.assert_array_equal(rows.Y, estimator._encode_validation_targets(species))
    assert adapter.learner is estimator.learner_
    assert list(adapter.classes) == ["Adelie", "Chinstrap", "Gentoo"]
    # the network's inputs are named after the table's columns, through the steps
    assert adapter.input_names[:2] == ("numbers__bill_length_mm", "numbers__bill_depth_mm")
    assert "text__island_Biscoe" in adapter.input_names
    assert adapter.feature_names == tuple(NUMBERS + TEXT)
    np.testing.assert_array_equal(adapter.decode(adapter.outputs(frame)), pipeline.predict(frame))


def test_trace_of_a_pipeline_row_is_the_estimator_trace_of_its_network_inputs(penguins):
    frame, species, pipeline = penguins
    traced = glassnet.trace(pipeline, frame.iloc[3], species[3], verbose=False)
    direct = pipeline[-1].trace(_network_rows(pipeline, frame.iloc[[3]])[0], species[3], verbose=False)
    assert traced.loss == direct.loss
    for mine, theirs in zip(traced, direct):
        np.testing.assert_array_equal(mine.a, theirs.a)
        np.testing.assert_array_equal(mine.grad_weights, theirs.grad_weights)
    # the output is predict_proba of that row
    np.testing.assert_allclose(traced[-1].a, pipeline.predict_proba(frame.iloc[[3]])[0], rtol=1e-12)


def test_gradient_check_and_the_doctor_read_a_pipeline(penguins):
    frame, species, pipeline = penguins
    assert glassnet.check_gradients(pipeline, frame.iloc[:40], species[:40]) < 1e-6
    diagnosis = glassnet.diagnose(pipeline, frame, species)
    assert diagnosis.model == "Pipeline of MLPClassifier"
    assert diagnosis.summary["rows"] == len(frame)
    assert diagnosis.summary["epochs"] == pipeline[-1].n_iter_
    # the loss per row is the network's own on the transformed rows
    from sklearn.metrics import log_loss

    expected = log_loss(species, pipeline.predict_proba(frame), labels=pipeline.classes_)
    assert diagnosis.summary["loss_per_row"] == pytest.approx(expected, rel=1e-9)


def test_extrapolation_of_a_pipeline_names_the_columns(penguins):
    frame, _, pipeline = penguins
    heavy = frame.assign(body_mass_g=frame["body_mass_g"] * 3)
    report = glassnet.explain_extrapolation(pipeline, heavy)
    assert report.worst.name == "numbers__body_mass_g"
    assert report.n_rows > 0 and report.n_total == len(frame)


def test_the_plots_draw_a_pipeline(penguins, tmp_path):
    frame, species, pipeline = penguins
    plot.learning_curves(pipeline, tmp_path / "curves.png")
    figure = plot.confusion_matrix(pipeline, frame, species, tmp_path / "confusion.png")
    counts = figure.axes[0].images[0].get_array()
    from sklearn.metrics import confusion_matrix

    np.testing.assert_array_equal(counts, confusion_matrix(species, pipeline.predict(frame)))
    plot.network(pipeline, tmp_path / "network.png", x=frame.iloc[0])
    plot.activations(pipeline, frame, tmp_path / "activations.png")
    assert all((tmp_path / name).stat().st_size > 1000
               for name in ("curves.png", "confusion.png", "network.png", "activations.png"))


def test_an_unfitted_pipeline_and_a_foreign_last_step_are_refused():
    from sklearn.linear_model import LogisticRegression

    X, y = load_iris(return_X_y=True)
    with pytest.raises(ValueError, match="this Pipeline is not fitted yet: call fit before diagnose"):
        glassnet.diagnose(make_pipeline(StandardScaler(), glassnet.MLPClassifier()), X, y)
    foreign = make_pipeline(StandardScaler(), LogisticRegression(max_iter=200)).fit(X, y)
    with pytest.raises(ValueError, match="diagnose needs a glassnet model .*got LogisticRegression"):
        glassnet.diagnose(foreign, X, y)


# --- a regression target through a transformer --------------------------------------------------
@pytest.fixture(scope="module")
def prices():
    """A target on the scale of a price (diabetes progression ×1000 + 250,000) through a StandardScaler."""
    X, y = load_diabetes(return_X_y=True)
    y = y * 1000 + 250_000
    model = TransformedTargetRegressor(
        regressor=glassnet.MLPRegressor(hidden_layer_sizes=(16,), max_iter=150, random_state=0),
        transformer=StandardScaler()).fit(X, y)
    return X, y, model


def test_a_transformed_target_regressor_saves_loads_and_is_read_in_target_units(prices, tmp_path):
    X, y, model = prices
    loaded = glassnet.load(glassnet.save(model, tmp_path / "prices.glassnet"))
    assert type(loaded) is TransformedTargetRegressor
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
    adapter = adapt(loaded, "testing")
    np.testing.assert_array_equal(adapter.decode(adapter.outputs(X)), model.predict(X))
    # the network trains on the scaled target: encoded targets are the scaler's
    np.testing.assert_allclose(adapter.encode(X, y).Y[:, 0], model.transformer_.transform(y[:, None])[:, 0])
    assert glassnet.check_gradients(loaded, X[:30], y[:30]) < 1e-6
    figure = plot.predicted_vs_actual(loaded, X, y)
    points = figure.axes[0].collections[0].get_offsets()
    np.testing.assert_allclose(points[:, 1], model.predict(X))


def test_a_transformed_target_regressor_with_a_named_numpy_function_round_trips(tmp_path):
    X, y = load_diabetes(return_X_y=True)
    model = TransformedTargetRegressor(regressor=glassnet.MLPRegressor(hidden_layer_sizes=(8,), max_iter=30,
                                                                       random_state=0),
                                       func=np.log1p, inverse_func=np.expm1).fit(X, y)
    loaded = glassnet.load(glassnet.save(model, tmp_path / "log.glassnet"))
    assert loaded.func is np.log1p and loaded.inverse_func is np.expm1
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))


def test_a_transformed_target_regressor_calling_other_code_is_refused(tmp_path):
    X, y = load_diabetes(return_X_y=True)
    model = TransformedTargetRegressor(regressor=glassnet.MLPRegressor(hidden_layer_sizes=(4,), max_iter=3),
                                       func=lambda v: v / 2, inverse_func=lambda v: v * 2).fit(X, y)
    with pytest.raises(ValueError, match="its func calls '<lambda>', code a glassnet model file never holds"):
        glassnet.save(model, tmp_path / "code.glassnet")
    assert not (tmp_path / "code.glassnet").exists()


# --- the doctor reads the Learner, whatever the door -----------------------------------------------
def test_the_doctor_reports_the_current_learning_rate_of_an_estimator_whose_schedule_lowered_it():
    X, y = load_iris(return_X_y=True)
    X = (X - X.mean(0)) / X.std(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = glassnet.MLPClassifier(hidden_layer_sizes=(8,), solver="sgd", learning_rate="adaptive",
                                       learning_rate_init=5.0, n_iter_no_change=2, max_iter=300,
                                       random_state=0).fit(X, y)
    current = model.learner_.optimizer.learning_rate
    assert current < 1e-6  # the adaptive schedule divided it by 5 until it gave up
    finding, = glassnet.diagnose(model, X, y, checks=["learning_rate"]).findings
    assert finding.numbers["learning_rate"] == current
    assert finding.numbers["initial_learning_rate"] == 5.0
    assert "it started at 5 (the schedule has lowered it to 5.12e-07 since); start lower" in finding.suggestion
    assert "(learning_rate_init=0.5)" in finding.advice()


def test_a_neural_network_trained_on_a_dataframe_names_its_columns_in_warnings():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(40, 3)), columns=["width", "height", "area"])
    nn = glassnet.NeuralNetwork(layers=[3, 4, 1], seed=0).train(frame, frame["area"].to_numpy() > 0, 5)
    shifted = frame.assign(area=frame["area"] * 10)
    with pytest.warns(glassnet.ExtrapolationWarning, match="worst area: up to"):
        nn.predict(shifted)
    assert glassnet.explain_extrapolation(nn, shifted).worst.name == "area"


def test_every_kind_answers_the_protocol():
    X, y = load_iris(return_X_y=True)
    models = {
        "Network": glassnet.Network([4, 3, 3], "tanh", "softmax", "categorical_crossentropy",
                                    rng=np.random.default_rng(0)),
        "NeuralNetwork": glassnet.NeuralNetwork(layers=[4, 3, 3], loss="categorical_crossentropy",
                                                seed=0).train(X, np.eye(3)[y], 3),
        "MLPClassifier": glassnet.MLPClassifier(hidden_layer_sizes=(3,), max_iter=3, random_state=0).fit(X, y),
        "Pipeline of MLPClassifier": make_pipeline(StandardScaler(), glassnet.MLPClassifier(
            hidden_layer_sizes=(3,), max_iter=3, random_state=0)).fit(X, y),
    }
    for kind, model in models.items():
        adapter = adapt(model, "testing")
        assert adapter.kind == kind
        assert list(adapter.network.layer_sizes) == [4, 3, 3]
        assert adapter.encode(X).X.shape == (150, 4)
        assert adapter.is_classifier

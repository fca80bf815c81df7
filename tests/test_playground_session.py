"""The playground's Python side: data sets, the session's training, frames,
traces and the model file, each against an independent computation."""

import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import glassnet
from glassnet.engine.activations import ACTIVATIONS
from glassnet.glassbox.gradcheck import check_gradients
from glassnet.playground import datasets
from glassnet.playground.frames import BOUNDARY_SIZE, GRID_SIZE, decode_header
from glassnet.playground.session import Session, Settings
from glassnet.playground.tables import page_table
from glassnet.tabular.reading import read_bytes as read_upload
from glassnet.tabular import TabularModel


@pytest.mark.parametrize("name", list(datasets.GENERATED))
def test_generated_sets_are_seeded_and_shaped(name):
    table, target = datasets.generate(name, n=200, noise=0.2, seed=3)
    again, _ = datasets.generate(name, n=200, noise=0.2, seed=3)
    other, _ = datasets.generate(name, n=200, noise=0.2, seed=4)
    pd.testing.assert_frame_equal(table, again)
    assert not table.equals(other)
    assert list(table.columns) == ["x1", "x2", target] and len(table) == 200
    points = table[["x1", "x2"]].astype(float).to_numpy()
    assert np.isfinite(points).all() and np.abs(points).max() < 20
    if name in datasets.REGRESSION_SETS:
        assert target == "y" and table[target].astype(float).std() > 0.1
    else:
        counts = table[target].value_counts()
        assert len(counts) >= 2 and counts.min() >= 50


def test_circle_labels_follow_the_radius():
    table, _ = datasets.generate("circle", n=300, noise=0.0, seed=0)
    radius = np.hypot(table["x1"].astype(float), table["x2"].astype(float))
    inside = table["label"] == "1"
    assert radius[inside].max() < 2.5 <= radius[~inside].min()


def test_generated_sets_refuse_bad_noise():
    with pytest.raises(ValueError, match="noise must be between 0 and 0.5"):
        datasets.generate("xor", noise=0.7)


def test_session_trains_exactly_as_a_neural_network():
    session = Session()
    session.apply({"dataset": "xor", "hidden": [5, 3], "activations": ["relu", "elu"], "optimizer": "adam",
                   "learning_rate": 0.01, "batch_size": 16, "l2": 0.001, "seed": 11})
    for epochs in (1, 4, 7):
        assert session.train(epochs) is None
    data = session.data
    # the same run written out by hand with the public API
    model = glassnet.NeuralNetwork(layers=[2, 5, 3, 1], activation=["relu", "elu"], output_activation="logistic",
                                   loss="binary_crossentropy", bias=True, init="glorot", optimizer="adam",
                                   learning_rate=0.01, batch_size=16, reduction="mean", l2=0.001, metric="accuracy",
                                   seed=11)
    y = (data.labels_train == "1").astype(float)
    model.train(data.X_train, y, 12)
    assert session.epoch == 12
    np.testing.assert_array_equal(session.model.network.params, model.network.params)
    assert [a.name for a in session.model.network.activations] == ["relu", "elu", "logistic"]


def test_reset_gives_the_same_start():
    session = Session()
    session.apply({"dataset": "spiral", "seed": 5})
    start = session.model.network.params.copy()
    session.train(3)
    session.reset()
    assert session.epoch == 0
    np.testing.assert_array_equal(session.model.network.params, start)


def test_frame_holds_every_neuron_over_the_grid():
    session = Session()
    session.apply({"dataset": "iris", "hidden": [6], "activations": ["tanh"], "feature_x": 2, "feature_y": 3})
    session.train(5)
    header, payload = decode_header(session.frame())
    network = session.model.network
    assert header["epoch"] == 5 and header["metric"] == "accuracy"
    assert header["train_loss"] == pytest.approx(network.loss_value(session.data.X_train,
                                                                    session.tabular.targets(session.data.labels_train)))
    # independently: the grid of inputs, the other two held at the training median
    grid = session.grid.points(GRID_SIZE)
    assert grid.shape == (GRID_SIZE**2, 4)
    np.testing.assert_array_equal(grid[:, 0], np.median(session.data.X_train[:, 0]))
    x_low, x_high, y_low, y_high = session.grid.extent
    assert grid[0, 2] == x_low and grid[GRID_SIZE - 1, 2] == x_high and grid[0, 3] == y_high and grid[-1, 3] == y_low

    def outputs(inputs):
        hidden = np.tanh(inputs @ network.weights[0] + network.biases[0])
        logits = hidden @ network.weights[1] + network.biases[1]
        softmax = np.exp(logits - logits.max(axis=1, keepdims=True))
        return hidden, softmax / softmax.sum(axis=1, keepdims=True)

    hidden, softmax = outputs(grid)
    n, b = GRID_SIZE**2, BOUNDARY_SIZE**2
    np.testing.assert_allclose(payload[: 6 * n], hidden.T.ravel(), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(payload[6 * n: 9 * n], softmax.T.ravel(), rtol=1e-5, atol=1e-6)
    # the decision boundary on its finer grid, over the same extent
    fine = session.grid.points(BOUNDARY_SIZE)
    assert fine.shape == (b, 4) and fine[0, 2] == x_low and fine[-1, 2] == x_high and fine[-1, 3] == y_low
    np.testing.assert_allclose(payload[9 * n: 9 * n + 3 * b], outputs(fine)[1].T.ravel(), rtol=1e-5, atol=1e-6)
    weights = payload[9 * n + 3 * b: 9 * n + 3 * b + 4 * 6 + 6 * 3]
    np.testing.assert_allclose(weights, np.concatenate([w.ravel() for w in network.weights]), rtol=1e-6)
    assert payload.size == 9 * n + 3 * b + 4 * 6 + 6 * 3 + 6 + 3 == header["floats"]


def test_trace_and_model_file_agree_with_the_saved_model(tmp_path):
    session = Session()
    session.apply({"dataset": "wine", "hidden": [4], "activations": ["swish"], "l2": 0.01})
    session.train(8)
    trace = session.trace("test", 2)
    path = tmp_path / "model.glassnet"
    path.write_bytes(session.model_file())
    model = glassnet.load(path)
    assert isinstance(model, TabularModel) and model.task == "classify"
    frame, _ = datasets.load("wine")
    row = frame.iloc[[trace["row"] - 1]]
    x = model.inputs(row)[0]
    np.testing.assert_allclose(x, trace["x"], rtol=1e-12)
    again = glassnet.trace(model, row, model.labels(row)[0], verbose=False)
    for record, layer in zip(again, trace["layers"]):
        np.testing.assert_array_equal(record.grad_weights, layer["grad_weights"])
        np.testing.assert_array_equal(record.a, layer["a"])
    np.testing.assert_array_equal(model.predict_proba(row)[0], trace["layers"][-1]["a"])
    # the saved network is the trained one, and its gradients check out
    np.testing.assert_array_equal(model.network.params, session.model.network.params)
    assert check_gradients(model, frame.iloc[:20], model.labels(frame.iloc[:20])) < 1e-6


def test_the_command_line_reads_the_model_file(tmp_path):
    from cli_helpers import glassnet as run

    session = Session()
    session.apply({"dataset": "iris", "hidden": [5], "activations": ["relu"]})
    session.train(20)
    model = tmp_path / "iris.glassnet"
    model.write_bytes(session.model_file())
    frame, _ = datasets.load("iris")
    data = tmp_path / "iris.csv"
    frame.to_csv(data, index=False)
    inspected = run("inspect", model)
    assert inspected.returncode == 0 and "trained for 20 epoch(s)" in inspected.stdout
    assert re.search(r"hidden 1\s+5\s+relu", inspected.stdout) and "trained_by: glassnet playground" in inspected.stdout
    evaluated = run("evaluate", model, data, "--json")
    assert evaluated.returncode == 0
    import json

    figures = json.loads(evaluated.stdout)
    tabular = session.tabular
    predicted = tabular.decode(tabular.outputs(np.vstack([session.data.X_train, session.data.X_test])))
    truth = np.concatenate([session.data.labels_train, session.data.labels_test])
    assert figures["accuracy"] == pytest.approx(np.mean(predicted == truth))
    checked = run("gradcheck", model, data)
    assert checked.returncode == 0 and "they agree" in checked.stdout


def test_regression_targets_are_standardised_and_undone():
    session = Session()
    session.apply({"dataset": "diabetes", "hidden": [8], "activations": ["relu"], "optimizer": "adam",
                   "learning_rate": 0.01})
    session.train(30)
    encoding = session.tabular.target_encoding
    values = session.data.labels_train.astype(float)
    assert encoding.mean == pytest.approx(values.mean()) and encoding.scale == pytest.approx(values.std())
    np.testing.assert_allclose(session.Y_train[:, 0], (values - values.mean()) / values.std())
    raw = session.model.network.predict(session.data.X_test)[:, 0]
    np.testing.assert_allclose(session.tabular.decode(session.tabular.outputs(session.data.X_test)),
                               raw * values.std() + values.mean())
    header, _ = decode_header(session.frame())
    assert header["metric"] == "r2" and 0.2 < header["test_metric"] < 1


def test_history_csv_has_every_epoch():
    session = Session()
    session.apply({"dataset": "moons"})
    session.train(3)
    session.frame()
    session.train(2)
    table = pd.read_csv(io.StringIO(session.history_csv()))
    assert table["epoch"].tolist() == [1, 2, 3, 4, 5]
    np.testing.assert_allclose(table["loss"], session.model.history["loss"])
    assert table["test_loss"].notna().tolist() == [False, False, True, False, False]


def test_layer_stats_are_recorded_on_request_and_downloaded_one_column_per_layer():
    session = Session()
    session.apply({"dataset": "xor", "hidden": [5, 3], "activations": ["relu", "tanh"], "record_stats": "true"})
    session.train(4)
    records = session.model.history.records
    assert len(records[-1]["layer_weight_norm"]) == 3  # two hidden layers and the output layer
    table = pd.read_csv(io.StringIO(session.history_csv()))
    for layer in (1, 2, 3):
        np.testing.assert_allclose(table[f"layer_weight_norm_{layer}"],
                                   [record["layer_weight_norm"][layer - 1] for record in records])
    # dead shares are for relu-like layers, saturation for tanh (the others are empty)
    assert table["layer_dead_fraction_1"].notna().all() and table["layer_dead_fraction_2"].isna().all()
    assert table["layer_saturated_fraction_2"].notna().all()
    plain = Session()
    plain.apply({"dataset": "xor", "hidden": [5, 3], "activations": ["relu", "tanh"], "record_stats": "false"})
    plain.train(4)
    assert "layer_weight_norm" not in plain.model.history
    np.testing.assert_array_equal(plain.model.network.params, session.model.network.params)


@pytest.mark.parametrize("settings, message", [
    ({"record_stats": "yes"}, "record_stats must be True or False, got 'yes'"),
    ({"activations": ["rleu"]}, "unknown activations 'rleu'"),
    ({"loss": "nope"}, "unknown loss 'nope'; expected one of: auto, squared_error"),
    ({"optimizer": "rmsprop"}, "unknown optimizer 'rmsprop'"),
    ({"optimizer": "lbfgs"}, "optimizer must be one of 'sgd', 'adam', got 'lbfgs'"),
    ({"learning_rate": -1}, r"learning_rate must be a real number in \(0, inf\), got -1"),
    # the page's own limits, within what every door allows
    ({"learning_rate": 500}, r"learning_rate must be a real number in \(0, 100\], got 500"),
    ({"hidden": [0]}, r"hidden must be a sequence of integers >= 1, got \[0\]"),
    ({"hidden": [300]}, r"hidden must be a sequence of at most 10 integers in \[1, 256\], got \[300\]"),
    ({"hidden": [2] * 11}, r"hidden must be a sequence of at most 10 integers in \[1, 256\]"),
    ({"hidden": "a,b"}, r"hidden must be a sequence of integers >= 1, got \['a', 'b'\]"),
    ({"noise": 2}, r"noise must be a real number in \[0, 0.5\], got 2"),
    ({"test_ratio": 0.99}, r"test_ratio must be a real number in \[0.05, 0.95\], got 0.99"),
    ({"color": "red"}, "unknown playground setting 'color'; expected one of: hidden, activations"),
    ({"dataset": "mnist"}, "unknown data set 'mnist'"),
    ({"dataset": "file"}, "the playground was started without a file; choose a data set, or your own CSV file"),
    ({"dataset": "upload", "upload": "0123"}, "the uploaded file this page used is no longer on the server"),
])
def test_bad_settings_name_the_problem_and_change_nothing(settings, message):
    session = Session()
    session.apply({"dataset": "circle"})
    before = session.model
    with pytest.raises(ValueError, match=message):
        session.apply({"dataset": "circle", **settings})
    assert session.model is before


def test_every_registered_activation_is_offered():
    from glassnet.playground.session import choices

    from glassnet.engine.activations import hidden_activations

    offered = choices()["activations"]
    # the engine's hidden activations (its output links, softmax and exp, are not offered)
    assert offered == hidden_activations() and set(offered) == set(ACTIVATIONS.names()) - {"softmax", "exp"}
    for name in offered:
        Settings.parse({"activations": [name, name]})


def test_uploads_are_read_like_files_and_prepared_like_glassnet_train():
    data = b"size,colour,fruit\n1.5,red,apple\n,green,apple\n2.5,yellow,banana\n3.0,yellow,banana\n" \
           b"1.2,red,apple\n2.9,green,banana\n1.1,green,apple\n2.7,yellow,banana\n"
    frame = read_upload(data, "fruit.csv")
    assert frame.loc[1, "size"] == "" and list(frame.columns) == ["size", "colour", "fruit"]
    prepared, notes = page_table(frame, "fruit", test_ratio=0.25, seed=0, source="'fruit.csv'")
    # the empty cell is filled with the training part's median, as glassnet train fills it
    assert prepared.dropped == 0 and prepared.task == "classify"
    assert sum(prepared.filled["train"].values()) + sum(prepared.filled["test"].values()) == 1
    assert prepared.input_names == ["size", "colour=green", "colour=red", "colour=yellow"]
    # the scaler was fitted on the training part only
    np.testing.assert_allclose(prepared.X_train[:, 0].mean(), 0, atol=1e-12)
    assert sorted(prepared.rows_train.tolist() + prepared.rows_test.tolist()) == [1, 2, 3, 4, 5, 6, 7, 8]
    with pytest.raises(ValueError, match="single class"):
        page_table(frame.assign(fruit="apple"), "fruit")
    many = pd.DataFrame({"x": [str(i) for i in range(120)], "name": [f"n{i // 2}" for i in range(120)]})
    with pytest.raises(ValueError, match="'name' has 60 classes; the playground shows at most 50"):
        page_table(many, "name")
    with pytest.raises(ValueError, match="not UTF-8"):
        read_upload(b"a,b\n\xff\xfe,1\n", "x.csv")
    with pytest.raises(ValueError, match="header but no rows"):
        read_upload(b"a,b\n", "x.csv")


def test_a_class_loss_on_values_and_divergence_are_explained():
    session = Session()
    with pytest.raises(ValueError, match="'binary_crossentropy' is for classes, and the target 'y' is regressed"):
        session.apply({"dataset": "plane", "loss": "binary_crossentropy"})
    session.apply({"dataset": "plane", "learning_rate": 100, "batch_size": 500, "activations": ["identity"] * 2})
    message = session.train(50)
    assert message.startswith("training diverged") and message.endswith("Press Reset to start again.")


def test_a_big_table_draws_a_sample_of_its_points():
    from glassnet.playground.frames import MAX_POINTS

    session = Session()
    session.apply({"dataset": "gauss", "points": 6000})
    part = session.description()["train"]
    assert part["total"] == 3000 and len(part["x"]) == len(part["index"]) == MAX_POINTS
    index = np.array(part["index"])
    assert np.all(np.diff(index) > 0)
    np.testing.assert_array_equal(part["x"], session.data.X_train[index, 0])
    np.testing.assert_array_equal(part["row"], session.data.rows_train[index])


def test_neural_network_takes_an_activation_per_hidden_layer():
    model = glassnet.NeuralNetwork(layers=[2, 3, 4, 1], activation=["relu", "tanh"], bias=True, seed=0)
    assert [a.name for a in model.network.activations] == ["relu", "tanh", "identity"]
    X = np.array([[0.5, -1.0], [2.0, 0.25]])
    hidden = np.maximum(X @ model.weights[0] + model.biases[0], 0)
    hidden = np.tanh(hidden @ model.weights[1] + model.biases[1])
    np.testing.assert_allclose(model.forward(X), hidden @ model.weights[2] + model.biases[2])
    with pytest.raises(ValueError, match="got 1 hidden activations for 2 hidden layers"):
        glassnet.NeuralNetwork(layers=[2, 3, 4, 1], activation=["relu"])
    assert [a.name for a in glassnet.NeuralNetwork(activation="tanh").network.activations] == ["tanh", "tanh"]


def test_an_upload_is_read_as_glassnet_train_reads_the_file(tmp_path):
    # the real penguins file: NA tokens; and the same table semicolon-separated in Windows-1252
    import palmerpenguins

    from glassnet.tabular.reading import read_table

    path = Path(palmerpenguins.__file__).parent / "data" / "penguins.csv"
    uploaded = read_upload(path.read_bytes(), "penguins.csv")
    pd.testing.assert_frame_equal(uploaded, read_table(path))
    assert uploaded.loc[3, "bill_length_mm"] == ""  # "NA" in the file
    other = tmp_path / "penguins.csv"
    other.write_bytes(path.read_text().replace(",", ";").replace("Adelie", "Adélie").encode("cp1252"))
    pd.testing.assert_frame_equal(read_upload(other.read_bytes(), "penguins.csv", encoding="cp1252"),
                                  read_table(other, encoding="cp1252"))
    with pytest.raises(ValueError, match="'penguins.csv' is not UTF-8 text .* pass --encoding cp1252"):
        read_upload(other.read_bytes(), "penguins.csv")


def test_ticks_check_measure_and_fingerprint_the_table_once(monkeypatch):
    """A tick of a few epochs trains on data bound once per table (Learner.bind): no tick validates
    the rows again, measures their range or fingerprints them."""
    import glassnet.article
    import glassnet.engine.bound
    import glassnet.engine.training
    from glassnet.engine.training_range import TrainingRange

    session = Session()
    session.apply({"dataset": "spiral", "points": 400})
    calls = []

    def counting(module, name):
        original = getattr(module, name)

        def counted(*args, **kwargs):
            calls.append(name)
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)

    counting(glassnet.engine.training, "_fingerprint")
    counting(glassnet.engine.bound, "_fingerprint")
    counting(glassnet.article, "check_X")
    monkeypatch.setattr(TrainingRange, "of", classmethod(lambda cls, *a, **k: calls.append("range") or None))
    for _ in range(4):
        assert session.train(3) is None
    assert calls == [] and session.epoch == 12


def test_the_training_rules_train_as_a_neural_network_over_one_run_of_ticks(tmp_path):
    rules = {"dropout": 0.2, "normalization": "batch", "weight_decay": 0.01, "clip_grad_norm": 2.0,
             "schedule": "cosine", "schedule_epochs": 12, "warmup_epochs": 2, "label_smoothing": 0.1}
    session = Session()
    session.apply({"dataset": "xor", "hidden": [5, 3], "activations": ["relu", "tanh"], "optimizer": "adam",
                   "learning_rate": 0.01, "batch_size": 16, "seed": 11, "record_stats": True, **rules})
    for epochs in (1, 4, 7):  # three ticks: one run of the schedule, not three
        assert session.train(epochs) is None
    data = session.data
    model = glassnet.NeuralNetwork(layers=[2, 5, 3, 1], activation=["relu", "tanh"], output_activation="logistic",
                                   loss="binary_crossentropy", bias=True, init="glorot", optimizer="adam",
                                   learning_rate=0.01, batch_size=16, reduction="mean", metric="accuracy", seed=11,
                                   **rules)
    model.train(data.X_train, (data.labels_train == "1").astype(float), 12, record_stats=True)
    np.testing.assert_array_equal(session.model.network.variables, model.network.variables)
    rates = session.model.history["learning_rate"]
    assert rates[:2] == [0.005, 0.01] and rates[-1] < 0.001
    history = pd.read_csv(io.StringIO(session.history_csv()))
    assert {"grad_norm", "clipped_share", "layer_dropped_fraction_1", "layer_scale_norm_1", "learning_rate"} <= set(
        history.columns)
    # the trace shows the normalisation, and the model file keeps every rule
    trace = session.trace("train", 0)
    first = trace["layers"][0]
    assert first["normalization"] == "batch" and first["dropout"] == 0.2 and len(first["mean"]) == 5
    path = tmp_path / "page.glassnet"
    path.write_bytes(session.model_file())
    saved = glassnet.load(path)
    np.testing.assert_array_equal(saved.network.variables, session.model.network.variables)
    assert saved.settings["normalization"] == "batch" and saved.settings["schedule"] == "cosine"


def test_label_smoothing_is_left_out_of_a_regression_and_empty_boxes_mean_none():
    session = Session()
    session.apply({"dataset": "plane", "label_smoothing": 0.2, "clip_grad_norm": "", "normalization": "none"})
    network = session.model.network
    assert network.label_smoothing == 0.0 and network.normalization is None
    assert session.model.optimizer.clip_grad_norm is None
    session.apply({"dataset": "circle", "label_smoothing": 0.2, "normalization": "layer"})
    assert session.model.network.label_smoothing == 0.2 and session.model.network.normalization.name == "layer"


def test_settings_back_from_the_page_change_nothing():
    """The page sends back the settings it was sent, through JSON (0.0 comes back as 0): no new data, no reset."""
    import json

    session = Session()
    session.apply({"dataset": "circle"})
    session.train(3)
    model = session.model
    change = session.apply(json.loads(json.dumps(session.settings.as_dict()).replace(".0,", ",")))
    assert change.kind == "none" and session.model is model and session.epoch == 3


def test_a_frame_of_a_wide_table_costs_what_a_narrow_one_does():
    """The plotting grid does not grow with the inputs: the grid and a frame of a table of 2,000 inputs
    allocate about what those of 2 inputs do (a 96×96 boundary over every input would be 147 MB), and
    show the same numbers as the network over every input of the grid."""
    import tracemalloc

    from glassnet.playground.frames import Grid

    rng = np.random.default_rng(0)
    wide = pd.DataFrame(rng.random((60, 2000)).round(3), columns=[f"c{j}" for j in range(2000)]).astype(str)
    wide["label"] = np.where(rng.random(60) > 0.5, "a", "b")
    session = Session(start=(wide, "wide.csv"))
    session.apply({"dataset": "file", "target": "label", "hidden": [4, 2], "feature_x": 3, "feature_y": 7})
    assert len(session.data.input_names) == 2000
    session.frame()  # the network's work arrays, once
    tracemalloc.start()
    session.grid = Grid.over(session.data, 3, 7)
    frame = session.frame()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 10 * 2**20, peak
    network = session.model.network
    _, payload = decode_header(frame)
    n = GRID_SIZE**2
    full = network.layer_values(session.grid.points(GRID_SIZE))
    np.testing.assert_allclose(payload[: 4 * n], full[0][1].T.ravel(), rtol=1e-5, atol=1e-6)
    boundary = network.predict(session.grid.points(BOUNDARY_SIZE))
    start = (4 + 2 + 1) * n
    np.testing.assert_allclose(payload[start: start + BOUNDARY_SIZE**2], boundary.ravel(), rtol=1e-5, atol=1e-6)


def test_a_grid_over_a_table_without_test_rows_spans_the_training_rows():
    from types import SimpleNamespace

    from glassnet.playground.frames import Grid

    X = np.array([[0.0, 1.0, 5.0], [2.0, -1.0, 7.0], [4.0, 0.0, 6.0]])
    grid = Grid.over(SimpleNamespace(X_train=X, X_test=np.empty((0, 3))), 0, 1)
    # the training points' range with a tenth of it (at least 0.5) on each side; the third input held at its median
    assert grid.extent == (-0.5, 4.5, -1.5, 1.5)
    np.testing.assert_array_equal(grid.points(2), [[-0.5, 1.5, 6.0], [4.5, 1.5, 6.0], [-0.5, -1.5, 6.0],
                                                   [4.5, -1.5, 6.0]])


def test_a_live_rate_under_a_schedule_is_the_schedules_new_base_from_the_next_epoch():
    """Under a cosine schedule a live edit of the rate keeps the run (no reset) and the schedule goes on
    from the epoch reached with the new rate as its base: lr_e = lr · ½(1 + cos(π e / E))."""
    import math

    session = Session()
    session.apply({"dataset": "xor", "optimizer": "sgd", "learning_rate": 0.1, "schedule": "cosine",
                   "schedule_epochs": 10, "seed": 2})
    session.train(3)
    model = session.model
    change = session.apply({**session.settings.as_dict(), "learning_rate": 0.2})
    assert change.kind == "live" and session.model is model and session.epoch == 3
    session.train(3)
    cosine = [0.5 * (1 + math.cos(math.pi * epoch / 10)) for epoch in range(6)]
    expected = [0.1 * factor for factor in cosine[:3]] + [0.2 * factor for factor in cosine[3:]]
    np.testing.assert_allclose(session.model.history["learning_rate"], expected, rtol=1e-12)

"""glassnet.widget from Python: one model shared by the view and the cells,
training in a background thread, pieces equal to one run, the page's own
modules and frames. (The view in a real JupyterLab: test_notebook_browser.py.)"""

import os
import re
import threading
import time

import numpy as np
import pandas as pd
import pytest

try:
    import anywidget  # noqa: F401
except ImportError:
    if os.environ.get("CI", "").lower() == "true":
        raise
    pytest.skip("the widget needs anywidget: pip install -e '.[notebook]'", allow_module_level=True)

import glassnet
from glassnet.notebook.view import STATIC, page_modules
from glassnet.playground.frames import decode_header


@pytest.fixture
def tutorial():
    data = glassnet.load_tutorial()
    # the training rows' range, as the article scales (the test rows clipped to it)
    low, high = data.X_train.min(axis=0), data.X_train.max(axis=0)
    return (data.X_train - low) / (high - low), data.y_train, np.clip((data.X_test - low) / (high - low), 0, 1), \
        data.y_test


def frame_header(w) -> dict:
    return decode_header(w._frame)[0]


def wait_for_epochs(w, epochs, timeout=60):
    deadline = time.monotonic() + timeout
    while w.epoch < epochs:
        assert time.monotonic() < deadline, f"still at epoch {w.epoch}"
        time.sleep(0.01)


def test_the_view_is_the_pages_own_modules_without_its_entry():
    modules = page_modules()
    assert "main.js" not in modules
    assert {"boundary.js", "curves.js", "heatmap.js", "network.js", "trace.js"} <= set(modules)
    assert modules["network.js"] == (STATIC / "network.js").read_text()
    w = glassnet.widget()
    assert w._modules == modules and w._uplot.startswith("/*! https://github.com/leeoniya/uPlot")
    w.close()


def test_a_data_set_widget_describes_the_data_and_draws_its_first_frame():
    w = glassnet.widget(dataset="circle", hidden=[3], activations=["relu"], seed=1)
    description = w._description
    assert description["layers"] == [2, 3, 1] and description["activations"] == ["relu", "logistic"]
    assert description["source"] == "the circle data set" and description["classes"] == ["-1", "1"]
    header = frame_header(w)
    assert header["epoch"] == 0 and header["version"] == description["version"]
    assert header["train_loss"] == pytest.approx(w.model.loss(w.X, w.y))
    w.close()


def test_play_then_pause_leaves_the_model_where_the_view_shows_it_and_the_next_cell_continues_one_run():
    w = glassnet.widget(dataset="circle", seed=3)
    w.play()
    assert w.running
    wait_for_epochs(w, 15)
    w.pause()
    assert not w.running
    shown = frame_header(w)["epoch"]
    assert shown == w.epoch == len(w.model.error_list) == len(w.model.history) >= 15
    time.sleep(0.2)
    assert w.epoch == shown  # paused means paused
    # a cell trains on: the same run as training at once, bit for bit
    w.model.train(w.X, w.y, 7)
    once = glassnet.widget(dataset="circle", seed=3)
    once.model.train(once.X, once.y, shown + 7)
    assert np.array_equal(w.model.network.params, once.model.network.params)
    assert w.model.error_list == once.model.error_list
    w.close()
    once.close()


def test_your_own_network_trained_in_the_widget_then_in_a_cell_is_one_run(tutorial):
    X, y, X_test, y_test = tutorial
    nn = glassnet.NeuralNetwork(seed=0)
    w = glassnet.widget(model=nn, X=X, y=y, X_test=X_test, y_test=y_test)
    assert w.model is nn and w._description["layers"] == [3, 3, 1] and w._description["classes"] == [0, 1]
    w.step(5)
    w.play()
    wait_for_epochs(w, 40)
    w.pause()
    trained = len(nn.error_list)
    assert frame_header(w)["epoch"] == trained
    nn.train(X, y, 10)
    once = glassnet.NeuralNetwork(seed=0).train(X, y, trained + 10)
    assert np.array_equal(nn.network.params, once.network.params) and nn.error_list == once.error_list
    # the frame's figures are the model's own
    header = frame_header(w)
    w.step()
    header = frame_header(w)
    assert header["train_loss"] == pytest.approx(nn.loss(X, y)) and header["test_loss"] == pytest.approx(nn.loss(X_test, y_test))
    assert header["test_metric"] == nn.test_evaluation(X_test, y_test, verbose=False).accuracy
    # Reset: your model as you gave it, the same object
    w.reset()
    assert w.model is nn and len(nn.history) == 0
    assert np.array_equal(nn.network.params, glassnet.NeuralNetwork(seed=0).network.params)
    w.close()


def test_an_estimator_trains_one_partial_fit_per_epoch(tutorial):
    X, y, _, _ = tutorial
    labels = np.where(y == 1, "ten", "other")
    model = glassnet.MLPClassifier(hidden_layer_sizes=(4,), learning_rate_init=0.05, random_state=0)
    w = glassnet.widget(model=model, X=X, y=labels)
    # unfitted: its first epoch gives the network its shape
    assert w.epoch == 1 and w._description["classes"] == ["other", "ten"]
    w.step(4)
    same = glassnet.MLPClassifier(hidden_layer_sizes=(4,), learning_rate_init=0.05, random_state=0)
    for _ in range(5):
        same.partial_fit(X, labels, classes=["other", "ten"])
    assert np.array_equal(model.network_.params, same.network_.params) and model.loss_curve_ == same.loss_curve_
    w._on_message(w, {"type": "trace", "part": "train", "index": 3}, [])
    assert w._trace["label"] == "ten" and w._trace["row"] == 3
    w.close()


def test_lbfgs_estimators_and_early_stopping_are_refused_with_their_reason(tutorial):
    X, y, _, _ = tutorial
    with pytest.raises(ValueError, match="solver='lbfgs' lacks; expected solver='sgd' or 'adam'"):
        glassnet.widget(model=glassnet.MLPRegressor(solver="lbfgs"), X=X, y=y)
    with pytest.raises(ValueError, match="early_stopping=True"):
        glassnet.widget(model=glassnet.MLPClassifier(early_stopping=True), X=X, y=y)


def test_a_dataframe_goes_through_the_one_table_pipeline():
    from palmerpenguins import load_penguins

    from glassnet.playground.tables import page_table
    from glassnet.tabular.reading import text_cells

    frame = load_penguins()
    w = glassnet.widget(data=frame, target="species", hidden=[5], seed=2)
    prepared, _ = page_table(text_cells(frame), "species", 0.5, 2)
    assert w._description["inputs"] == prepared.input_names and np.array_equal(w.X, prepared.X_train)
    assert w._description["classes"] == ["Adelie", "Chinstrap", "Gentoo"]
    assert any("empty cells" in note for note in w._description["notes"])
    w.step(3)
    assert len(w.model.history) == 3
    w.close()


def test_text_cells_read_a_dataframe_as_a_csv_file_would():
    from glassnet.tabular.reading import read_bytes, text_cells

    frame = pd.DataFrame({"a": [0.1, np.nan, 3.0], 7: ["x", None, "z"]}, index=[10, 11, 12])
    cells = text_cells(frame)
    assert cells.to_dict("list") == {"a": ["0.1", "", "3.0"], "7": ["x", "", "z"]}
    assert list(cells.index) == [0, 1, 2]
    assert read_bytes(frame.to_csv(index=False).encode(), "t.csv")["a"].tolist() == ["0.1", "", "3.0"]


def test_choosing_the_plotted_inputs_keeps_your_model(tutorial):
    X, y, _, _ = tutorial
    nn = glassnet.NeuralNetwork(seed=0)
    w = glassnet.widget(model=nn, X=X, y=y)
    w.step(3)
    version = w._description["version"]
    w._on_message(w, {"type": "plot", "feature_x": 2, "feature_y": 0}, [])
    assert w._description["settings"] == {"feature_x": 2, "feature_y": 0}
    assert w._description["version"] == frame_header(w)["version"] == version + 1
    assert len(nn.history) == 3
    w._on_message(w, {"type": "plot", "feature_x": 3, "feature_y": 0}, [])
    assert w.error == "feature_x must be an input's index, 0 to 2, got 3"
    w.close()


def test_closing_the_widget_stops_its_thread():
    w = glassnet.widget(dataset="xor")
    w.play()
    wait_for_epochs(w, 2)
    thread = w._player._thread
    w.close()
    assert not thread.is_alive()
    epoch = w.epoch
    time.sleep(0.1)
    assert w.epoch == epoch
    assert not any(t.name == "glassnet widget" for t in threading.enumerate())


def test_a_diverging_run_stops_and_says_so():
    w = glassnet.widget(dataset="plane", learning_rate=100, batch_size=500, activations=["identity"] * 2)
    w.play()
    deadline = time.monotonic() + 60
    while w.running and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not w.running and "Press Reset to start again." in w.error
    w.close()


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(dataset="circle", data=pd.DataFrame({"a": [1]})), ValueError,
     "give one source of data: dataset, model (with X and y) or data, got dataset and data"),
    (dict(model=glassnet.NeuralNetwork()), ValueError, "model needs X and y"),
    (dict(model=glassnet.NeuralNetwork(), X=np.eye(3), y=[0, 1, 0], hidden=[3]), ValueError,
     "hidden: settings of a network the widget builds; your model keeps its own; expected only feature_x and feature_y"),
    (dict(dataset="circle", X=np.eye(3)), ValueError, "X goes with model="),
    (dict(data=[[1, 2]]), TypeError, "data must be a pandas DataFrame, got list"),
    (dict(dataset="circle", learning_rate=-1), ValueError, "learning_rate must be a real number"),
    (dict(dataset="nowhere"), ValueError, "unknown data set 'nowhere'"),
    (dict(model="a model", X=np.eye(3), y=[0, 1, 0]), TypeError,
     "model must be a glassnet NeuralNetwork, MLPClassifier or MLPRegressor, got str"),
])
def test_bad_arguments_say_what_is_allowed(kwargs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        glassnet.widget(**kwargs)


def test_a_bad_command_from_the_view_shows_as_an_error_and_the_next_one_clears_it():
    w = glassnet.widget()
    w._on_message(w, {"type": "jump"}, [])
    assert w.error == "unknown command 'jump'; expected one of: play, pause, step, reset, trace, plot"
    w._on_message(w, {"type": "trace", "part": "train", "index": 10**6}, [])
    assert w.error.startswith("index must be a row of the train part")
    w._on_message(w, {"type": "step"}, [])
    assert w.error == "" and w.epoch == 1
    w.close()


def test_a_cell_that_trains_the_model_on_is_shown_when_it_ends(tutorial):
    from IPython.core.interactiveshell import InteractiveShell

    X, y, _, _ = tutorial
    shell = InteractiveShell.instance()
    try:
        nn = glassnet.NeuralNetwork(seed=0)
        w = glassnet.widget(model=nn, X=X, y=y)
        nn.train(X, y, 4)
        assert frame_header(w)["epoch"] == 0
        shell.events.trigger("post_run_cell", None)
        assert frame_header(w)["epoch"] == 4
        w.close()
        assert w._after_cell not in shell.events.callbacks["post_run_cell"]
    finally:
        InteractiveShell.clear_instance()

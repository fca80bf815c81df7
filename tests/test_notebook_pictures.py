"""Models that draw themselves (``_repr_html_``) and live loss curves in a
plain fit (``train(..., live=True)``, ``progress="live"``): their SVG and
their figures, the fallback to the progress bar outside a notebook, and an
import of glassnet that loads no notebook library."""

import re
import subprocess
import sys
import warnings

import numpy as np
import pytest

import glassnet
from glassnet import parameters
from glassnet.progress import LiveCurve, ProgressBar, in_notebook, progress_display


def figures(html: str) -> dict:
    return dict(re.findall(r'<td data-figure="([^"]+)"[^>]*>([^<]*)</td>', html))


def circles(html: str) -> int:
    return len(re.findall(r"<circle ", html))


@pytest.fixture
def tutorial():
    data = glassnet.load_tutorial()
    return data.X_train / 10, data.y_train


def test_the_articles_network_draws_its_layers_count_and_training_state(tutorial):
    X, y = tutorial
    nn = glassnet.NeuralNetwork(seed=0)
    html = nn._repr_html_()
    assert "<svg" in html and circles(html) == 3 + 3 + 1
    assert re.findall(r'class="glassnet-layer"[^>]*>([^<]*)<', html) == ["3 inputs", "3 · logistic", "1 · logistic"]
    # 3×3 + 3×1 weights, no biases (the article's)
    assert figures(html) == {"layers": "3-3-1", "parameters": "12", "loss": "squared_error",
                             "optimizer": "sgd (learning rate 1)", "epochs": "0", "last loss": "–"}
    assert "glassnet-sparkline" not in html
    nn.train(X, y, 25)
    html = nn._repr_html_()
    shown = figures(html)
    assert shown["epochs"] == "25" and shown["last loss"] == f"{nn.history['loss'][-1]:.4g}"
    points = re.search(r'class="glassnet-sparkline".*?points="([^"]*)"', html).group(1).split()
    assert len(points) == 25
    # the first loss is the highest: its point is at the top of the line (y = 3, the padding)
    assert points[0].endswith(",3.0") and float(points[-1].split(",")[1]) > 3.0
    # and the plain-text repr stays
    assert repr(nn).startswith("NeuralNetwork(layers=[3, 3, 1]")


def test_a_wide_layer_is_drawn_as_its_ends_around_an_ellipsis():
    html = glassnet.NeuralNetwork(layers=[64, 32, 10], activation="relu", loss="categorical_crossentropy",
                                  bias=True)._repr_html_()
    assert circles(html) == 7 + 7 + 7 and html.count("⋮") == 3
    assert figures(html)["parameters"] == str(64 * 32 + 32 + 32 * 10 + 10)
    assert "10 · softmax" in html


def test_a_network_draws_itself_without_training_state():
    network = glassnet.Network([2, 5, 1], activation="tanh", output_activation="logistic", loss="binary_crossentropy")
    html = network._repr_html_()
    assert "<svg" in html and circles(html) == 8
    assert figures(html) == {"layers": "2-5-1", "parameters": "21", "loss": "binary_crossentropy", "dtype": "float64"}


def test_a_fitted_classifier_keeps_scikit_learns_box_and_adds_its_network():
    from sklearn.datasets import load_iris

    X, y = load_iris(return_X_y=True)
    model = glassnet.MLPClassifier(hidden_layer_sizes=(6,), max_iter=30, random_state=0)
    unfitted = model._repr_mimebundle_()["text/html"]
    assert "sk-estimator" in unfitted and "glassnet-card" not in unfitted
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(X, y)
    for html in (model._repr_mimebundle_()["text/html"], model._repr_html_()):
        assert html.index("sk-estimator") < html.index("glassnet-card")
        shown = figures(html)
        assert shown["layers"] == "4-6-3" and shown["parameters"] == str(4 * 6 + 6 + 6 * 3 + 3)
        assert shown["epochs"] == "30" and shown["last loss"] == f"{model.loss_:.4g}"
        assert "3 · softmax" in html and "glassnet-sparkline" in html
    assert repr(model) == "MLPClassifier(hidden_layer_sizes=(6,), max_iter=30, random_state=0)"


def test_a_fitted_regressor_draws_its_network():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    model = glassnet.MLPRegressor(hidden_layer_sizes=(3,), solver="lbfgs", max_iter=20, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(X, X.sum(axis=1))
    shown = figures(model._repr_html_())
    assert shown["layers"] == "2-3-1" and shown["optimizer"] == "lbfgs" and shown["epochs"] == str(model.n_iter_)


class FakeDisplay:
    """IPython's display(..., display_id=True) and its handle's update, recorded."""

    def __init__(self):
        self.shown = []

    def __call__(self, html, display_id):
        assert display_id is True
        self.shown.append(("display", html))
        return self

    def update(self, html):
        self.shown.append(("update", html))


def test_a_live_curve_draws_in_place_and_ends_with_every_epoch():
    display = FakeDisplay()
    curve = LiveCurve(4, "NeuralNetwork", display=display, rate=1e-9)  # at most one redraw per epoch after the first
    losses = [0.8, 0.5, 0.3, 0.2]
    for epoch, loss in enumerate(losses, 1):
        curve({"epoch": epoch, "loss": loss, "val_loss": loss + 0.1})
    curve.close()
    kinds = [kind for kind, _ in display.shown]
    assert kinds == ["display", "update"]  # once at the start, once with what the rate held back
    last = str(getattr(display.shown[-1][1], "data", display.shown[-1][1]))
    assert "NeuralNetwork: epoch 4/4" in last and "loss 0.2" in last
    series = dict(re.findall(r'data-name="([^"]+)"[^>]*points="([^"]*)"', last))
    assert set(series) == {"loss", "val_loss"} and len(series["loss"].split()) == 4


def test_outside_a_notebook_live_means_the_progress_bar(tutorial, capsys):
    assert not in_notebook()
    assert isinstance(progress_display("live", 10), ProgressBar)
    assert isinstance(progress_display(True, 10), ProgressBar)
    assert progress_display(False, 10) is None
    X, y = tutorial
    nn = glassnet.NeuralNetwork(seed=0).train(X, y, 12, live=True)
    assert len(nn.error_list) == 12
    assert "epoch" in capsys.readouterr().err
    # live or not, the same run
    assert nn.error_list == glassnet.NeuralNetwork(seed=0).train(X, y, 12).error_list


def test_in_a_notebook_live_means_the_curve(tutorial, monkeypatch):
    import IPython
    from IPython.core.interactiveshell import InteractiveShell

    display = FakeDisplay()

    class Kernel:
        pass

    shell = InteractiveShell.instance()
    monkeypatch.setattr(shell, "kernel", Kernel(), raising=False)
    monkeypatch.setattr(IPython.display, "display", display)
    try:
        assert in_notebook()
        X, y = tutorial
        glassnet.NeuralNetwork(seed=0).train(X, y, 30, live=True)
        model = glassnet.MLPClassifier(hidden_layer_sizes=(3,), max_iter=5, progress="live", random_state=0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit(X, y)
    finally:
        InteractiveShell.clear_instance()
    texts = [str(html.data) for _, html in display.shown]
    assert any("NeuralNetwork: epoch 30/30" in text for text in texts)
    assert "MLPClassifier: epoch 5/5" in texts[-1]


def test_the_new_keywords_are_in_the_one_table():
    assert parameters.lookup(parameters.TRAIN, "live").default(parameters.TRAIN) is False
    parameters.check(parameters.ESTIMATOR, "progress", "live")
    with pytest.raises(ValueError, match="progress must be .*'live'.*got 'curve'"):
        parameters.check(parameters.ESTIMATOR, "progress", "curve")
    with pytest.raises(ValueError, match="live must be"):
        glassnet.NeuralNetwork().train(np.eye(3), [0, 1, 0], 1, live="yes")
    with pytest.raises(ValueError, match="progress must be"):
        glassnet.MLPClassifier(progress="bar").fit(np.eye(3), [0, 1, 0])


def test_importing_glassnet_loads_no_notebook_library():
    code = ("import glassnet, sys; glassnet.NeuralNetwork(seed=0)._repr_html_(); glassnet.Network([2, 1])._repr_html_(); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('anywidget', 'ipywidgets', 'IPython', 'traitlets', 'comm', 'sklearn', 'pandas')))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"

"""The glass-box pictures: valid image files, and the drawn content matches the model."""

import matplotlib.image
import numpy as np
import pytest
from matplotlib.colors import to_rgb
from sklearn.base import BaseEstimator

import glassnet
from glassnet.engine.network import Network
from glassnet.plot import activation_health, activations, decision_boundary, network
from glassnet.plot.boundary import CLASS_COLOURS
from glassnet.plot.diagram import NEGATIVE, POSITIVE

PNG = b"\x89PNG\r\n\x1a\n"


def by_gid(figure, gid):
    found = [artist for axes in figure.axes for artist in axes.get_children() if artist.get_gid() == gid]
    assert len(found) == 1, f"{len(found)} artists with gid {gid!r}"
    return found[0]


def assert_valid_png(path):
    assert path.read_bytes()[:8] == PNG
    pixels = matplotlib.image.imread(path)
    assert pixels.ndim == 3 and pixels.shape[0] > 100 and pixels.shape[1] > 100
    assert pixels[..., :3].std() > 0.05  # not a blank canvas


def rgb_of(colours):
    return [tuple(np.round(c[:3], 6)) for c in colours]


@pytest.fixture(scope="module")
def article_network():
    data = glassnet.load_tutorial()
    return glassnet.NeuralNetwork(seed=0).train(data.X_train / 10, data.y_train, 200)


# --- network diagram -----------------------------------------------------------
def test_network_edges_follow_the_weights(article_network, tmp_path):
    figure = network(article_network, tmp_path / "net.png")
    assert_valid_png(tmp_path / "net.png")
    edges = by_gid(figure, "weights")
    weights = np.concatenate([W.ravel() for W in article_network.weights])
    assert len(edges.get_segments()) == weights.size == 12
    expected = [tuple(np.round(to_rgb(POSITIVE if w > 0 else NEGATIVE), 6)) for w in weights]
    assert rgb_of(edges.get_colors()) == expected
    widths = edges.get_linewidths()
    assert np.argmax(widths) == np.argmax(np.abs(weights)) and np.argmin(widths) == np.argmin(np.abs(weights))
    assert len(by_gid(figure, "nodes").get_offsets()) == 3 + 3 + 1
    assert not [a for a in figure.axes[0].get_children() if a.get_gid() == "biases"]  # the article has no biases


def test_network_with_a_sample_colours_nodes_by_its_activations(tmp_path):
    nn = glassnet.NeuralNetwork(layers=[2, 4, 4, 1], activation="tanh", bias=True, init="glorot", seed=1)
    x = [0.3, -0.5]
    figure = network(nn, tmp_path / "net.svg", x=x)
    text = (tmp_path / "net.svg").read_text()
    assert text.lstrip().startswith("<?xml") and "<svg" in text
    trace = nn.trace(x, verbose=False)
    expected = np.concatenate([x] + [record.a for record in trace])
    np.testing.assert_allclose(by_gid(figure, "nodes").get_array(), expected)
    assert len(by_gid(figure, "biases").get_segments()) == 4 + 4 + 1
    labels = {t.get_text() for t in figure.axes[0].texts}
    assert f"{trace[-1].a[0]:.2f}" in labels and "hidden 2\n4 · tanh" in labels


def test_wide_layers_show_both_ends(tmp_path):
    nn = glassnet.NeuralNetwork(layers=[64, 32, 10], activation="relu", bias=True, init="he", seed=0)
    figure = network(nn, tmp_path / "net.png", max_nodes=16)
    assert len(by_gid(figure, "weights").get_segments()) == 16 * 16 + 16 * 10
    assert len(by_gid(figure, "nodes").get_offsets()) == 16 + 16 + 10
    assert {"⋮ 48 more", "⋮ 16 more"} <= {t.get_text() for t in figure.axes[0].texts}


def test_network_rejects_a_bad_sample_and_an_unfitted_estimator():
    nn = glassnet.NeuralNetwork(seed=0)
    with pytest.raises(ValueError, match="x has 2 features, the network expects 3"):
        network(nn, x=[1, 2])

    with pytest.raises(ValueError, match="this MLPClassifier is not fitted yet: call fit before plot.network"):
        network(glassnet.MLPClassifier())

    class NotGlassnet(BaseEstimator):
        def fit(self, X, y):
            return self

    with pytest.raises(ValueError, match="plot.network needs a glassnet model .*got NotGlassnet"):
        network(NotGlassnet())


# --- decision boundary --------------------------------------------------------
@pytest.fixture(scope="module")
def xor():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (200, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(float)
    nn = glassnet.NeuralNetwork(
        layers=[2, 8, 1], activation="tanh", loss="binary_crossentropy", bias=True, init="glorot",
        optimizer="adam", learning_rate=0.05, seed=0,
    ).train(X, y, 300)
    return nn, X, y


def test_decision_boundary_maps_the_models_output(xor, tmp_path):
    nn, X, y = xor
    figure = decision_boundary(nn, X, y, tmp_path / "boundary.png", resolution=50)
    assert_valid_png(tmp_path / "boundary.png")
    image = by_gid(figure, "scores")
    values = image.get_array()
    x0, x1, y0, y1 = image.get_extent()
    assert values.shape == (50, 50)
    for (row, column), point in {(0, 0): [x0, y0], (0, -1): [x1, y0], (-1, 0): [x0, y1], (-1, -1): [x1, y1]}.items():
        assert values[row, column] == pytest.approx(nn.network.predict(np.array([point]))[0, 0])
    # XOR: same-sign corners are class 1, the others class 0
    assert values[0, 0] > 0.5 and values[-1, -1] > 0.5 and values[0, -1] < 0.5 and values[-1, 0] < 0.5
    points = by_gid(figure, "points")
    np.testing.assert_array_equal(points.get_offsets(), X)
    expected = [tuple(np.round(to_rgb(CLASS_COLOURS[int(label)]), 6)) for label in y]
    assert rgb_of(points.get_facecolors()) == expected
    legend = [t.get_text() for t in figure.axes[0].get_legend().get_texts()]
    assert legend == ["boundary (output = 0.5)", "class 0", "class 1", "training range"]


def tint(rgb):
    away_from_white = 1 - np.asarray(rgb, dtype=float)
    return away_from_white / np.linalg.norm(away_from_white)


def test_decision_boundary_colours_each_class_region(tmp_path):
    rng = np.random.default_rng(0)
    centres = np.array([[-3.0, 0.0], [3.0, 0.0], [0.0, 4.0]])
    labels = np.repeat([0, 1, 2], 40)
    X = centres[labels] + rng.normal(scale=0.5, size=(120, 2))
    nn = glassnet.NeuralNetwork(
        layers=[2, 12, 3], activation="relu", loss="categorical_crossentropy", bias=True, init="he",
        optimizer="adam", learning_rate=0.02, seed=0,
    ).train(X, np.eye(3)[labels], 200)
    figure = decision_boundary(nn, X, labels, tmp_path / "regions.svg", resolution=60)
    image = by_gid(figure, "scores").get_array()
    x0, x1, y0, y1 = by_gid(figure, "scores").get_extent()
    for label, centre in enumerate(centres):
        column = int(round((centre[0] - x0) / (x1 - x0) * 59))
        row = int(round((centre[1] - y0) / (y1 - y0) * 59))
        # a region's pixel is white tinted towards its class colour: 1 − pixel ∝ 1 − colour
        pixel = np.asarray(image[row, column])
        distances = [np.linalg.norm(tint(pixel) - tint(to_rgb(colour))) for colour in CLASS_COLOURS[:3]]
        assert int(np.argmin(distances)) == label


def test_decision_boundary_needs_exactly_two_features(article_network):
    data = glassnet.load_tutorial()
    with pytest.raises(ValueError, match="decision_boundary needs data with exactly 2 features, got 3"):
        decision_boundary(article_network, data.X_train, data.y_train)


def test_decision_boundary_checks_the_labels(xor):
    nn, X, y = xor
    with pytest.raises(ValueError, match="X has 200 rows but y has 199"):
        decision_boundary(nn, X, y[:-1])


# --- activation histograms ----------------------------------------------------
def test_dead_relu_units_are_counted():
    net = Network([2, 4, 1], "relu", "identity", rng=np.random.default_rng(0))
    net.weights[0] = np.array([[1.0, -1.0, 0.5, -2.0], [1.0, -1.0, 0.5, -2.0]])
    net.biases[0] = np.array([0.0, -0.1, 0.1, 0.5])
    X = np.random.default_rng(1).uniform(0, 1, (50, 2))  # non-negative inputs: units 1 and 3 never fire
    hidden, output = activation_health(net, X)
    assert hidden.dead_units == 2 and hidden.flagged
    assert output.dead_units is None and output.saturated is None


def test_saturated_sigmoids_are_measured():
    net = Network([3, 5, 1], "logistic", "logistic", bias=False, rng=np.random.default_rng(0))
    X = np.random.default_rng(1).normal(size=(40, 3))
    net.weights[0] = np.full((3, 5), 100.0)
    net.weights[1] = np.zeros((5, 1))
    hidden, output = activation_health(net, X)
    assert hidden.saturated == pytest.approx(np.mean(np.abs(X.sum(axis=1) * 100) >= np.log(99)))
    assert hidden.saturated > 0.9 and hidden.flagged
    assert output.saturated == 0.0 and not output.flagged  # zero weights: every output is 0.5


def test_activations_picture_has_a_panel_per_layer(tmp_path):
    net = Network([2, 4, 3, 1], "relu", "identity", rng=np.random.default_rng(0))
    net.weights[0] = np.array([[1.0, -1.0, 0.5, -2.0], [1.0, -1.0, 0.5, -2.0]])
    X = np.random.default_rng(1).uniform(0, 1, (50, 2))
    figure = activations(net, X, tmp_path / "activations.png")
    assert_valid_png(tmp_path / "activations.png")
    panels = [axes for axes in figure.axes if axes.get_visible()]
    assert len(panels) == 3
    notes = [text.get_text() for text in panels[0].texts]
    assert notes == [f"{activation_health(net, X)[0].dead_units} of 4 units dead (zero for every row)"]
    assert panels[0].get_title(loc="left") == "layer 1 (hidden 1): 4 relu units"
    assert sum(patch.get_height() for patch in panels[0].patches) == 50 * 4


def test_activations_rejects_the_wrong_width():
    with pytest.raises(ValueError, match="X has 3 features, the network expects 2"):
        activations(Network([2, 3, 1], rng=np.random.default_rng(0)), np.zeros((4, 3)))

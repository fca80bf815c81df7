"""NeuralNetwork.trace against forward, gradients and hand-computed values."""

import numpy as np
import pytest
from scipy.special import expit

import glassnet
from glassnet.glassbox.trace import LayerTrace, Trace

CONFIGS = [
    dict(),  # the article's 3-3-1 logistic network, no biases, summed loss
    dict(layers=[3, 5, 4, 2], activation="tanh", bias=True, init="glorot", reduction="mean", l2=0.1),
    dict(layers=[3, 6, 3], activation="relu", loss="categorical_crossentropy", bias=True, init="he"),
    dict(layers=[3, 4, 1], activation="gelu", loss="binary_crossentropy", bias=True, dtype="float32"),
]


def sample(config, seed=0):
    rng = np.random.default_rng(seed)
    n_out = config.get("layers", [3, 3, 1])[-1]
    x = rng.normal(size=3)
    y = np.eye(n_out)[1] if config.get("loss") == "categorical_crossentropy" else rng.random(n_out)
    return x, y


@pytest.mark.parametrize("config", CONFIGS)
def test_trace_output_is_predict_and_gradients_are_gradients(config):
    nn = glassnet.NeuralNetwork(seed=3, **config)
    x, y = sample(config)
    trace = nn.trace(x, y, verbose=False)
    assert isinstance(trace, Trace) and all(isinstance(record, LayerTrace) for record in trace)
    assert len(trace) == len(nn.layers) - 1
    np.testing.assert_array_equal(trace[-1].a, np.atleast_1d(nn.predict(x)))
    weight_grads, bias_grads = nn.gradients(x[None], y[None])
    for record, dW, db in zip(trace, weight_grads, bias_grads):
        np.testing.assert_array_equal(record.grad_weights, dW)
        np.testing.assert_array_equal(record.grad_bias, db)
    assert trace.loss == pytest.approx(nn.loss(x[None], y[None]), rel=1e-6)


def test_trace_without_target_has_values_only():
    nn = glassnet.NeuralNetwork(seed=0)
    trace = nn.trace([0.2, 1, 0], verbose=False)
    assert trace.y is None and trace.loss is None
    assert all(r.delta is None and r.grad_weights is None and r.grad_bias is None for r in trace)
    assert trace.output.item() == nn.predict([0.2, 1, 0])


def test_trace_matches_the_articles_formulas_by_hand():
    # the article: z2 = sigmoid(X·W1), o = sigmoid(z2·W2), o_delta = (y − o)·o(1−o),
    # z2_delta = (o_delta·W2ᵀ)·z2(1−z2); glassnet's delta is ∂loss/∂z, the negative
    nn = glassnet.NeuralNetwork(seed=7)
    W1, W2 = (w.copy() for w in nn.weights)
    x, y = np.array([0.0, 1.0, 1.0]), np.array([1.0])
    trace = nn.trace(x, y, verbose=False)
    z2 = expit(x @ W1)
    o = expit(z2 @ W2)
    o_delta = (y - o) * o * (1 - o)
    z2_delta = (o_delta @ W2.T) * z2 * (1 - z2)
    np.testing.assert_allclose(trace[0].z, x @ W1, rtol=1e-15)
    np.testing.assert_allclose(trace[0].a, z2, rtol=1e-15)
    np.testing.assert_allclose(trace[1].a, o, rtol=1e-15)
    np.testing.assert_allclose(trace[1].delta, -o_delta, rtol=1e-14)
    np.testing.assert_allclose(trace[0].delta, -z2_delta, rtol=1e-14)
    np.testing.assert_allclose(trace[0].grad_weights, -np.outer(x, z2_delta), rtol=1e-14)
    np.testing.assert_allclose(trace[1].grad_weights, -np.outer(z2, o_delta), rtol=1e-14)
    assert trace.loss == pytest.approx(0.5 * float(((y - o) ** 2).sum()), rel=1e-14)


def test_a_single_row_is_accepted_like_a_vector():
    nn = glassnet.NeuralNetwork(seed=0)
    by_row = nn.trace([[0.1, 0.5, 0.9]], [[1.0]], verbose=False)
    by_vector = nn.trace([0.1, 0.5, 0.9], 1.0, verbose=False)
    for a, b in zip(by_row, by_vector):
        np.testing.assert_array_equal(a.grad_weights, b.grad_weights)


def test_tracing_leaves_training_unchanged():
    data = glassnet.load_tutorial()
    X, y = data.X_train / 10, data.y_train
    traced = glassnet.NeuralNetwork(seed=4)
    traced.trace(X[0], y[0], verbose=False)
    output = traced.forward(X)
    traced.trace(X[1], y[1], verbose=False)
    traced.backward(X, y, output)  # must not reuse the trace's one-row values
    traced.train(X, y, 4)
    reference = glassnet.NeuralNetwork(seed=4)
    reference.backward(X, y, reference.forward(X))
    reference.train(X, y, 4)
    np.testing.assert_array_equal(traced.network.params, reference.network.params)
    assert traced.error_list == reference.error_list


@pytest.mark.parametrize(
    "x,y,message",
    [
        ([0, 1, 0, 1], None, "x has 4 features, the network expects 3"),
        ([[0, 1, 0], [1, 1, 1]], None, "x has 2 rows; expected one sample"),
        ([0, 1, 0], [[1], [0]], "y has 2 rows; expected the target of one sample"),
        ([0, 1, 0], [1, 0], "y has 2 columns, the network has 1 output"),
        ([0, np.nan, 0], None, "x contains nan"),
    ],
)
def test_bad_samples_are_value_errors(x, y, message):
    nn = glassnet.NeuralNetwork(seed=0)
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        nn.trace(x, y, verbose=False)


def test_the_table_shows_the_numbers(capsys):
    nn = glassnet.NeuralNetwork(seed=0)
    trace = nn.trace([0, 1, 0.5], 1)
    printed = capsys.readouterr().out
    assert printed.split() == str(trace).split()  # the same text, wrapped to another width
    z = trace[0].z
    assert " ".join(f"{v: .4f}" for v in z).strip() in printed
    assert f"loss {trace.loss:.4f}" in printed
    assert "∂loss/∂W" in printed and "∂loss/∂b" not in printed  # the article's network has no biases
    nn.trace([0, 1, 0.5], verbose=False)
    assert capsys.readouterr().out == ""


def test_large_layers_are_summarized():
    nn = glassnet.NeuralNetwork(layers=[20, 32, 2], activation="relu", bias=True, init="he", seed=0)
    x = np.linspace(-1, 1, 20)
    text = str(nn.trace(x, [0.0, 1.0], verbose=False))
    assert "640 values (20×32)" in text and "∂loss/∂b" in text
    zeros = int(np.count_nonzero(nn.trace(x, verbose=False)[0].a == 0))
    assert "32 values: min 0.0000" in text and f"{zeros} exactly zero" in text


def test_vectors_up_to_twenty_values_are_shown_in_full_by_slices():
    nn = glassnet.NeuralNetwork(layers=[12, 2], activation="tanh", bias=True, init="glorot", seed=0)
    x = np.arange(12) / 10
    text = str(nn.trace(x, verbose=False))
    assert "[0:5]    0.0000  0.1000  0.2000  0.3000  0.4000" in text
    assert "[10:12]  1.0000  1.1000" in text

"""Batch and layer normalisation and dropout in the engine: the numbers
against the formulas written out, the gradients against finite differences
(a wrong derivative caught), the masks from the run's own generator, and
the same numbers on both kernel paths."""

import contextlib
import warnings

import numpy as np
import pytest

import glassnet
from glassnet import kernels
from glassnet.engine import hidden, normalization
from glassnet.engine.network import Network
from glassnet.glassbox.gradcheck import check_gradients

EPS = normalization.EPSILON


def network(norm=None, dropout=0.0, activation="tanh", bias=True, loss="squared_error", output="identity",
            sizes=(3, 4, 5, 2), seed=0, **options):
    return Network(list(sizes), activation, output, loss, bias=bias, rng=np.random.default_rng(seed),
                   normalization=norm, dropout=dropout, **options)


def data(n=6, n_in=3, n_out=2, seed=1):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, n_in)), rng.normal(size=(n, n_out))


# --- the forward numbers ------------------------------------------------------------------------------
@pytest.mark.parametrize("norm", ["batch", "layer"])
def test_a_normalised_layer_computes_the_formula(norm):
    net = network(norm, sizes=(3, 4, 2))
    X, _ = data()
    net.scales[0] = [0.5, 1.5, 2.0, -1.0]
    net.shifts[0] = [0.1, -0.2, 0.3, 0.0]
    net.forward(X)
    P = X @ net.weights[0] + net.biases[0]
    axis = 0 if norm == "batch" else 1
    mean = P.mean(axis=axis, keepdims=True)
    var = ((P - mean) ** 2).mean(axis=axis, keepdims=True)  # biased: divided by the count
    Z = net.scales[0] * (P - mean) / np.sqrt(var + EPS) + net.shifts[0]
    ws = net._cache[1]
    np.testing.assert_allclose(ws.hat[0], (P - mean) / np.sqrt(var + EPS), rtol=1e-13)
    np.testing.assert_allclose(ws.A[0], np.tanh(Z), rtol=1e-13)  # (tanh keeps A over Z: it needs only A)
    np.testing.assert_allclose(ws.A[1], np.tanh(Z) @ net.weights[1] + net.biases[1], rtol=1e-13)


def test_batch_normalisation_predicts_with_its_running_moments_and_updates_them_while_training():
    net = network("batch", sizes=(3, 4, 2))
    X, _ = data()
    assert net.statistics.tolist() == [0.0] * 4 + [1.0] * 4  # a standard normal to start
    net.train_forward(X, np.random.default_rng(0))
    P = X @ net.weights[0] + net.biases[0]
    np.testing.assert_allclose(net.running_mean[0], 0.1 * P.mean(axis=0), rtol=1e-13)
    np.testing.assert_allclose(net.running_var[0], 0.9 + 0.1 * P.var(axis=0), rtol=1e-13)
    # prediction: every row on its own, by the running moments (the same rows give the same outputs alone)
    Z = (P - net.running_mean[0]) / np.sqrt(net.running_var[0] + EPS)
    expected = np.tanh(Z) @ net.weights[1] + net.biases[1]
    np.testing.assert_allclose(net.predict(X), expected, rtol=1e-13)
    np.testing.assert_allclose(net.predict(X[2:3]), expected[2:3], rtol=1e-13)
    # a forward pass alone (a gradient check's, a trace's) leaves them as they are
    before = net.statistics.copy()
    net.forward(X)
    net.loss_and_gradient(X, np.zeros((6, 2)))
    np.testing.assert_array_equal(net.statistics, before)
    # a batch of one row has no variance to learn from
    net.train_forward(X[:1], np.random.default_rng(0))
    np.testing.assert_array_equal(net.statistics, before)


def test_layer_normalisation_is_the_same_in_training_and_prediction():
    net = network("layer")
    X, _ = data()
    np.testing.assert_allclose(net.forward(X), net.predict(X), rtol=1e-14)
    assert net.statistics.size == 0 and net.variables is net.params


def test_scale_and_shift_live_in_the_flat_parameter_vector_after_the_biases():
    net = network("batch", sizes=(3, 4, 5, 2))
    assert net.params.size == (3 * 4 + 4 * 5 + 5 * 2) + (4 + 5 + 2) + 2 * (4 + 5)
    start = 3 * 4 + 4 * 5 + 5 * 2 + 4 + 5 + 2
    assert np.shares_memory(net.scales[0], net.params[start:start + 4])
    assert np.shares_memory(net.shifts[1], net.params[start + 9 + 4:start + 18])
    assert np.shares_memory(net.running_var[1], net.variables) and not np.shares_memory(net.running_var[1], net.params)
    # and the weights and biases are drawn exactly as without normalisation
    plain = network(None, sizes=(3, 4, 5, 2))
    np.testing.assert_array_equal(net.params[:plain.params.size], plain.params)


def test_inverted_dropout_keeps_each_unit_with_its_mask_and_predicts_with_every_unit():
    net = network(dropout=0.5, sizes=(3, 4, 2))
    X, _ = data(n=2000)
    rng = np.random.default_rng(5)
    net.train_forward(X, rng)
    ws = net._cache[1]
    uniforms = np.random.default_rng(5).random((2000, 4))
    np.testing.assert_array_equal(ws.masks[0], (uniforms >= 0.5) * 2.0)
    np.testing.assert_array_equal(ws.input_of(0), ws.A[0] * ws.masks[0])
    # inverted: the mean output of a unit is what it is without dropout
    np.testing.assert_allclose(ws.input_of(0).mean(axis=0), ws.A[0].mean(axis=0), atol=0.05)
    # prediction drops nothing
    np.testing.assert_allclose(net.predict(X), np.tanh(X @ net.weights[0] + net.biases[0]) @ net.weights[1]
                               + net.biases[1], rtol=1e-13)


def test_dropout_rates_per_layer_and_bad_values():
    assert network(dropout=[0.1, 0.0]).dropout == [0.1, 0.0]
    with pytest.raises(ValueError, match=r"dropout has 3 rates for 2 hidden layer\(s\)"):
        network(dropout=[0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match=r"dropout must be a rate in \[0, 1\)"):
        network(dropout=1.0)
    with pytest.raises(ValueError, match="unknown normalization 'group'; expected one of: batch, layer"):
        network("group")
    with pytest.raises(ValueError, match="label_smoothing applies to the cross-entropies of classes"):
        network(label_smoothing=0.1)


# --- gradients ---------------------------------------------------------------------------------------
CASES = [
    dict(norm="batch"), dict(norm="layer"), dict(dropout=0.4), dict(norm="batch", dropout=[0.3, 0.5]),
    dict(norm="layer", dropout=0.2, bias=False), dict(norm="batch", activation="relu"),
    dict(norm="batch", activation="logistic", loss="categorical_crossentropy", output="softmax"),
    dict(norm="layer", activation="gelu", loss="binary_crossentropy", output="logistic", label_smoothing=0.2),
    dict(norm="batch", activation="elu", loss="categorical_crossentropy", output="softmax", label_smoothing=0.1,
         l2=0.3, dropout=0.25),
]


def targets(case, n=8):
    rng = np.random.default_rng(3)
    if case.get("loss") == "categorical_crossentropy":
        return np.eye(2)[rng.integers(0, 2, n)]
    if case.get("loss") == "binary_crossentropy":
        return rng.integers(0, 2, (n, 2)).astype(float)
    return rng.normal(size=(n, 2))


@pytest.mark.parametrize("case", CASES, ids=lambda case: ",".join(f"{k}={v}" for k, v in case.items()))
def test_gradients_agree_with_finite_differences_in_the_training_pass(case):
    net = network(**case, seed=4)
    net.params[...] = np.random.default_rng(7).normal(scale=0.7, size=net.params.size)
    X, _ = data(n=8)
    assert check_gradients(net, X, targets(case)) < 1e-6


@pytest.mark.parametrize("norm", ["batch", "layer"])
def test_gradients_with_sample_weights_agree_with_finite_differences(norm):
    from glassnet.glassbox.gradcheck import compare, extrapolated_gradient

    net = network(norm, dropout=0.3, seed=4)
    X, _ = data(n=9)
    Y = targets({}, n=9)
    weights = np.array([0.0, 1.0, 2.0, 3.0, 0.5, 1.0, 4.0, 1.0, 2.0])
    masks = net.draw_masks(9, np.random.default_rng(0))
    _, analytic = net.loss_and_gradient(X, Y, weights, masks=masks)
    analytic = analytic.copy()
    numeric, bound = extrapolated_gradient(net, X, Y, weights, masks=masks)
    assert compare(net, analytic, numeric, bound).error < 1e-6


@contextlib.contextmanager
def patched(module, name, replacement):
    original = getattr(module, name)
    setattr(module, name, replacement(original))
    try:
        yield
    finally:
        setattr(module, name, original)


def _without_the_variance_term(original):
    def wrong(dZ, hat, inv, gamma, axis, grad_gamma, grad_beta, out, weights=None):
        # forgets −Ẑ·mean(dẐ⊙Ẑ): the derivative of the variance
        np.add.reduce(dZ * hat, axis=0, out=grad_gamma)
        np.add.reduce(dZ, axis=0, out=grad_beta)
        dhat = np.multiply(dZ, gamma, out=out)
        dhat -= np.mean(dhat, axis=axis, keepdims=True)
        dhat *= inv
        return dhat
    return wrong


def _frozen_moments(original):
    # the inference form's derivative in training: as if the moments did not depend on P
    def wrong(dZ, hat, inv, gamma, axis, grad_gamma, grad_beta, out, weights=None):
        return normalization.frozen_backward(dZ, hat, inv, gamma, grad_gamma, grad_beta, out)
    return wrong


@pytest.mark.parametrize("wrong", [_without_the_variance_term, _frozen_moments])
@pytest.mark.parametrize("norm", ["batch", "layer"])
def test_a_wrong_normalisation_derivative_is_caught(wrong, norm):
    net = network(norm, seed=4)
    X, _ = data(n=8)
    Y = targets({})
    assert check_gradients(net, X, Y) < 1e-6
    with patched(hidden.norm_ops, "backward", wrong):
        assert check_gradients(net, X, Y) > 1e-3


def test_a_dropout_backward_that_forgets_the_mask_is_caught():
    net = network(dropout=0.5, seed=4)
    X, _ = data(n=8)
    Y = targets({})
    assert check_gradients(net, X, Y) < 1e-6

    def forgets_the_mask(original):
        def wrong(net_, ws, l, dA, bias_grad, kernel):
            masks = ws.masks
            ws.masks = [None] * len(masks)
            try:
                return original(net_, ws, l, dA, bias_grad, kernel)
            finally:
                ws.masks = masks
        return wrong

    import glassnet.engine.network as network_module

    with patched(network_module, "layer_backward", forgets_the_mask):
        assert check_gradients(net, X, Y) > 1e-3


def test_the_gradient_check_holds_the_dropout_masks_fixed_by_its_seed():
    net = network(dropout=0.5, seed=4)
    X, _ = data(n=8)
    Y = targets({})
    detail = check_gradients(net, X, Y, detail=True, seed=3)
    assert detail.agree and [group.kind for group in detail.groups[:2]] == ["weights", "biases"]
    assert check_gradients(net, X, Y, seed=3) == detail.error


def test_the_gradient_check_reports_scales_and_shifts_per_layer():
    net = network("layer", seed=4)
    X, _ = data(n=8)
    groups = check_gradients(net, X, targets({}), detail=True).groups
    assert [(group.layer, group.kind) for group in groups] == [
        (1, "weights"), (1, "biases"), (1, "scales"), (1, "shifts"), (2, "weights"), (2, "biases"), (2, "scales"),
        (2, "shifts"), (3, "weights"), (3, "biases")]
    assert all(group.scale > 0 for group in groups if group.kind != "biases")


# --- masks from the run's own generator: pieces equal one run ------------------------------------------
def _iris():
    from sklearn.datasets import load_iris

    X, y = load_iris(return_X_y=True)
    return (X - X.mean(axis=0)) / X.std(axis=0), np.eye(3)[y]


RULES = dict(layers=[4, 16, 8, 3], activation="relu", loss="categorical_crossentropy", bias=True, init="he",
             optimizer="adam", learning_rate=0.01, batch_size=16, reduction="mean", dropout=[0.3, 0.1],
             normalization="batch", weight_decay=1e-2, clip_grad_norm=1.0, schedule="cosine", schedule_epochs=20,
             warmup_epochs=3, label_smoothing=0.1, metric="accuracy")


@pytest.mark.parametrize("normalization_kind", ["batch", "layer"])
@pytest.mark.parametrize("optimizer", ["adam", "sgd"])
def test_training_in_pieces_equals_one_run_with_every_rule(optimizer, normalization_kind):
    X, Y = _iris()
    settings = {**RULES, "optimizer": optimizer, "normalization": normalization_kind, "seed": 3}
    whole = glassnet.NeuralNetwork(**settings).train(X, Y, 20)
    pieces = glassnet.NeuralNetwork(**settings)
    for epochs in (7, 1, 12):
        pieces.train(X, Y, epochs)
    np.testing.assert_array_equal(whole.network.variables, pieces.network.variables)
    assert whole.history.records == pieces.history.records
    assert whole.optimizer.learning_rate == pieces.optimizer.learning_rate


def test_the_same_seed_gives_the_same_masks_and_another_seed_others():
    X, Y = _iris()
    first, again, other = (glassnet.NeuralNetwork(**RULES, seed=seed).train(X, Y, 3) for seed in (1, 1, 2))
    np.testing.assert_array_equal(first.network.variables, again.network.variables)
    # the initial weights differ with the seed too; the masks alone: reseed the generator after building
    a, b = (glassnet.NeuralNetwork(**RULES, seed=1) for _ in range(2))
    b.learner.rng = np.random.default_rng(99)
    a.train(X, Y, 1)
    b.train(X, Y, 1)
    assert not np.array_equal(a.network.params, b.network.params)
    assert not np.array_equal(first.network.params, other.network.params)


def test_float32_and_float64_networks_draw_the_same_masks():
    X, Y = _iris()
    settings = {**RULES, "normalization": None, "seed": 0, "clip_grad_norm": None}
    wide = glassnet.NeuralNetwork(**settings)
    narrow = glassnet.NeuralNetwork(**settings, dtype="float32")
    wide.network.train_forward(X, np.random.default_rng(4))
    narrow.network.train_forward(X.astype(np.float32), np.random.default_rng(4))
    for a, b in zip(wide.network._cache[1].masks, narrow.network._cache[1].masks):
        np.testing.assert_array_equal(a == 0, b == 0)


def test_dropout_draws_after_the_row_order_of_each_epoch():
    """Within an epoch: the row order first, then one draw per dropout layer per batch."""
    X, Y = _iris()
    model = glassnet.NeuralNetwork(layers=[4, 5, 3], activation="relu", loss="categorical_crossentropy",
                                   optimizer="sgd", learning_rate=0.1, batch_size=100, dropout=0.5, seed=0,
                                   bias=True, reduction="mean")
    expected = np.random.default_rng(0)
    # the generator drew the initial weights first
    glassnet.engine.initializers.get_initializer("uniform")(expected, 4, 5, "relu")
    glassnet.engine.initializers.get_initializer("uniform")(expected, 5, 3, "relu")
    order = expected.permutation(150)
    first = expected.random((100, 5)) >= 0.5
    second = expected.random((50, 5)) >= 0.5
    seen = []
    original = model.network.train_forward

    def record(X_batch, rng, sample_weight=None):
        output = original(X_batch, rng, sample_weight)
        seen.append(model.network._cache[1].masks[0] != 0)
        return output

    model.network.train_forward = record
    model.train(X, Y, 1)
    assert np.array_equal(seen[0], first) and np.array_equal(seen[1], second)
    assert order.shape == (150,)


# --- both kernel paths ----------------------------------------------------------------------------------
@pytest.fixture
def restore_kernels():
    yield
    kernels.reset()


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("solver", ["adam", "sgd"])
def test_every_rule_gives_the_same_model_on_both_kernel_paths(dtype, solver, restore_kernels):
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    X = X[:300] / 16.0
    models = []
    for path in ("numpy", "numba"):
        kernels.use(path)
        model = glassnet.MLPClassifier((32, 16), solver=solver, batch_size=32, max_iter=6, random_state=0, dtype=dtype,
                                       dropout=0.2, normalization="batch", weight_decay=0.01, clip_grad_norm=2.0,
                                       learning_rate="one_cycle", warmup_epochs=2, label_smoothing=0.1)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            models.append(model.fit(X, y[:300]))
    plain, fast = models
    np.testing.assert_array_equal(plain.network_.variables, fast.network_.variables)
    assert plain.loss_curve_ == fast.loss_curve_
    assert plain.learner_.history.records == fast.learner_.history.records


@pytest.mark.parametrize("normalization", [None, "batch", "layer"])
def test_a_first_layer_z_given_is_the_one_the_inputs_give(normalization):
    """The playground's grid hands the network its first layer's Z (cheaper than X·W₁ + b₁ over many inputs):
    every layer's values and the output are those of the inputs, normalised the same way; the Z given is read,
    not kept, by layer_values."""
    from glassnet.engine.network import Network

    rng = np.random.default_rng(3)
    network = Network([5, 4, 3, 2], activation="tanh", output_activation="softmax", loss="categorical_crossentropy",
                      normalization=normalization, rng=np.random.default_rng(0))
    network.params[...] = rng.normal(size=network.params.size)  # scales and shifts away from 1 and 0
    if network.statistics.size:
        network.statistics[...] = rng.uniform(0.5, 2.0, size=network.statistics.size)
    X = rng.normal(size=(7, 5))
    first = X @ network.weights[0] + network.biases[0]
    given = first.copy()
    for (Z, A), (Z_given, A_given) in zip(network.layer_values(X), network.layer_values(first=given)):
        np.testing.assert_allclose(Z_given, Z, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(A_given, A, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(given, first)
    np.testing.assert_allclose(network.output_values(first=first.copy())[1], network.predict(X), rtol=1e-12)

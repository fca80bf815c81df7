"""The layer kernels (bias + activation forward, activation gradient + bias
sum): the numba loops give the NumPy kernels' numbers to the last bit, sign
of zero and NaN included, and whole fits give the same weights on both
paths."""

import warnings

import numpy as np
import pytest

import glassnet
from glassnet import kernels
from glassnet.engine.activations import ACTIVATIONS
from glassnet.engine.kernels import numba_kernels, numba_layers, numpy_kernels
from glassnet.engine.network import Network
from glassnet.engine.optimizers import Adam

PATHS = (numpy_kernels, numba_kernels)
DTYPES = [np.float32, np.float64]
# odd shapes, one row, one column (summed pairwise by NumPy: not fused), wide
SHAPES = [(1, 2), (3, 5), (37, 11), (2, 129), (5, 1), (64, 300)]


@pytest.fixture(autouse=True)
def restore_choice():
    yield
    kernels.reset()


def bits(array):
    """The raw bits, so that −0 and 0 (equal as numbers) count as different."""
    return np.ascontiguousarray(array).view(np.uint32 if array.dtype == np.float32 else np.uint64)


def bits_nan_as_one(array):
    """Raw bits with every NaN made the same NaN: which NaN comes out where
    two different NaNs meet in a sum (the sign bit of inf − inf's NaN
    against a NaN input) is the hardware's operand order, not arithmetic."""
    array = np.array(array)
    array[np.isnan(array)] = np.nan
    return bits(array)


def special(shape, dtype, seed):
    """Values over many magnitudes with ±0, ±inf, NaN (also with a payload)
    and subnormals sprinkled in."""
    rng = np.random.default_rng(seed)
    values = rng.standard_normal(shape) * 10.0 ** rng.integers(-40, 4, shape)
    values = values.astype(dtype)
    flat = values.reshape(-1)
    tiny = np.finfo(dtype).smallest_subnormal
    for start, value in enumerate([-0.0, 0.0, np.nan, np.inf, -np.inf, tiny, -tiny]):
        flat[start::7 + start] = value
    unsigned = np.uint32 if dtype == np.float32 else np.uint64
    payload = 0x7FC01234 if dtype == np.float32 else 0x7FF8000000001234
    flat[-1] = np.array([payload], unsigned).view(dtype)[0]
    return values


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ["relu", "leaky_relu", "identity", "tanh", "logistic"])
@pytest.mark.parametrize("in_place", [True, False])
def test_bias_activation_is_bit_equal_on_both_paths(name, dtype, shape, in_place):
    activation = ACTIVATIONS.get(name)
    Z0 = special(shape, dtype, 0)
    b = special(shape[1:], dtype, 1)
    b[np.isnan(b)] = 0.5  # NaN + NaN keeps one of the two NaNs, the hardware's choice
    results = []
    for kernel in PATHS:
        Z = Z0.copy()
        out = Z if in_place else np.empty_like(Z)
        with np.errstate(all="ignore"):
            returned = kernel.bias_activation(activation, Z, b, out)
        assert returned is out
        results.append((bits(Z), bits(out)))
    np.testing.assert_array_equal(results[0][0], results[1][0])
    np.testing.assert_array_equal(results[0][1], results[1][1])


@pytest.mark.parametrize("dtype", DTYPES)
def test_fused_relu_is_numpys_maximum_by_an_independent_rule(dtype):
    # maximum(z, 0): z where z > 0 or z is NaN (kept bit for bit), +0 elsewhere (−0 too)
    Z0 = special((29, 13), dtype, 2)
    b = np.zeros(13, dtype)
    b[::2] = -0.0
    Z, out = Z0.copy(), np.empty_like(Z0)
    numba_kernels.bias_activation(ACTIVATIONS.get("relu"), Z, b, out)
    z = Z0 + b
    expected = np.where((z > 0) | np.isnan(z), z, dtype(0))
    np.testing.assert_array_equal(bits(out), bits(expected))
    np.testing.assert_array_equal(bits(Z), bits(z))  # Z keeps Z + b for the backward pass
    assert not np.signbit(out[(Z0 == 0) & (b == 0)]).any()


@pytest.mark.parametrize("dtype", DTYPES)
def test_numpy_relu_forward_equals_maximum_with_the_scalar_zero(dtype):
    # the NumPy kernel compares with a row of zeros (a faster inner loop in
    # float32): the same numbers as maximum(Z, 0), in any shape
    for shape in [(), (7,), (37, 11), (3, 4, 5)]:
        Z = special(shape, dtype, 3) if shape else np.array(-0.0, dtype)
        np.testing.assert_array_equal(bits(numpy_kernels.relu_forward(Z, np.empty_like(Z))),
                                      bits(np.maximum(Z, 0)))
    Z = special((8, 5), dtype, 4)
    expected = np.maximum(Z, 0)
    numpy_kernels.relu_forward(Z, Z)
    np.testing.assert_array_equal(bits(Z), bits(expected))


@pytest.mark.parametrize("dtype", DTYPES)
def test_relu_forward_kernels_are_bit_equal(dtype):
    Z0 = special((41, 17), dtype, 5)
    for in_place in (True, False):
        results = []
        for kernel in PATHS:
            Z = Z0.copy()
            results.append(bits(kernel.relu_forward(Z, Z if in_place else np.empty_like(Z))))
        np.testing.assert_array_equal(*results)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("in_place", [True, False])
def test_relu_backward_with_bias_sum_is_bit_equal_on_both_paths(dtype, shape, in_place):
    relu = ACTIVATIONS.get("relu")
    A = np.maximum(special(shape, dtype, 6), 0)
    dA0 = special(shape, dtype, 7)
    results = []
    for kernel in PATHS:
        dA = dA0.copy()
        out = dA if in_place else np.empty_like(dA)
        bias_grad = np.full(shape[1], 7.0, dtype)  # overwritten, not added to
        with np.errstate(all="ignore"):
            kernel.activation_backward(relu, dA, A, A, out, bias_grad)
        results.append((bits(out), bits_nan_as_one(bias_grad), bias_grad))
    np.testing.assert_array_equal(results[0][0], results[1][0])
    np.testing.assert_array_equal(results[0][1], results[1][1])
    # the sums are the columns of the gradient, as NumPy sums them
    with np.errstate(all="ignore"):
        expected = numpy_kernels.relu_backward(dA0, A, np.empty_like(dA0)).sum(axis=0)
    np.testing.assert_array_equal(bits_nan_as_one(results[1][2]), bits_nan_as_one(expected))


@pytest.mark.parametrize("dtype", DTYPES)
def test_fused_bias_sum_adds_rows_in_order_from_plus_zero(dtype):
    relu = ACTIVATIONS.get("relu")
    # a column of −0 sums to +0; values whose sum depends on the order
    dA = np.full((9, 3), -0.0, dtype)
    dA[:, 1] = [1e8, 1, -1e8, 1, 1, 1, 1, 1, 1]
    dA[:, 2] = np.geomspace(1, 1e-7, 9)
    A = np.ones_like(dA)
    bias_grad = np.empty(3, dtype)
    out = numba_kernels.activation_backward(relu, dA.copy(), A, A, np.empty_like(dA), bias_grad)
    np.testing.assert_array_equal(bits(out), bits(dA))
    sequential = np.zeros(3, dtype)
    for row in dA:
        sequential = sequential + row
    np.testing.assert_array_equal(bits(bias_grad), bits(sequential))
    assert not np.signbit(bias_grad[0])


@pytest.mark.parametrize("dtype", DTYPES)
def test_a_single_column_is_summed_as_numpy_sums_it(dtype):
    # NumPy sums one column pairwise, not row after row: that case keeps NumPy's sum
    rng = np.random.default_rng(14)
    dA = (rng.standard_normal((300, 1)) * 10.0 ** rng.integers(-6, 6, (300, 1))).astype(dtype)
    A = np.ones_like(dA)
    bias_grad = np.empty(1, dtype)
    numba_kernels.activation_backward(ACTIVATIONS.get("relu"), dA.copy(), A, A, np.empty_like(dA), bias_grad)
    np.testing.assert_array_equal(bits(bias_grad), bits(dA.sum(axis=0)))
    sequential = np.zeros(1, dtype)
    for row in dA:
        sequential = sequential + row
    assert not np.array_equal(bits(sequential), bits(bias_grad))  # the two orders differ here


@pytest.mark.parametrize("dtype", DTYPES)
def test_relu_backward_without_bias_is_bit_equal_in_place_and_apart(dtype):
    A = np.maximum(special((33, 9), dtype, 8), 0)
    dA0 = special((33, 9), dtype, 9)
    for in_place in (True, False):
        results = []
        for kernel in PATHS:
            dA = dA0.copy()
            with np.errstate(all="ignore"):
                results.append(bits(kernel.activation_backward(ACTIVATIONS.get("relu"), dA, A, A,
                                                                dA if in_place else np.empty_like(dA), None)))
        np.testing.assert_array_equal(*results)


def test_other_layouts_and_overlapping_views_take_numpys_route():
    rng = np.random.default_rng(10)
    relu = ACTIVATIONS.get("relu")
    base = rng.standard_normal((12, 16))
    b = rng.standard_normal(12)
    cases = {
        "transposed": lambda: (base.copy().T, None),  # (16, 12), Fortran order
        "strided columns": lambda: (base.copy()[:, ::2].T.copy().T, None),
    }
    for label, make in cases.items():
        results = []
        for kernel in PATHS:
            Z, _ = make()
            out = np.empty_like(Z)
            kernel.bias_activation(relu, Z, b[: Z.shape[1]], out)
            results.append((bits(Z), bits(out)))
        for ours, theirs in zip(*results):
            np.testing.assert_array_equal(ours, theirs, err_msg=label)
    # an output shifted one element against its input: NumPy buffers the
    # input first, so the numba path must not write ahead of its reads
    results = []
    for kernel in PATHS:
        memory = rng.standard_normal(1 + 8 * 6) if not results else memory_copy.copy()
        memory_copy = memory.copy()
        dA, out = memory[:-1].reshape(8, 6), memory[1:].reshape(8, 6)
        A = np.abs(dA) + 1.0
        kernel.relu_backward(dA, A, out)
        results.append(bits(memory))
    np.testing.assert_array_equal(*results)
    # a bias of another dtype takes the NumPy route too (and NumPy's casting)
    results = []
    for kernel in PATHS:
        Z = base.astype(np.float32)
        kernel.bias_activation(relu, Z, np.linspace(-1, 1, 16), Z)
        results.append(bits(Z))
    np.testing.assert_array_equal(*results)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("width", [1, 2, 10, 33])
@pytest.mark.parametrize("targets", ["uint8", "same", "float64"])
def test_output_delta_is_bit_equal_on_both_paths(dtype, width, targets):
    rng = np.random.default_rng(15)
    A = special((67, width), dtype, 16)
    if targets == "uint8":
        Y = rng.integers(0, 2, (67, width)).astype(np.uint8)
    else:
        Y = special((67, width), dtype if targets == "same" else np.float64, 17)
        Y[np.isnan(Y)] = 0.25  # NaN − NaN keeps one of the two NaNs, the hardware's choice
    for scale in (None, 1.0 / 67):
        for with_bias in (True, False):
            results = []
            for kernel in PATHS:
                dZ = np.full_like(A, 3.0)
                bias_grad = np.full(width, 7.0, dtype) if with_bias else None
                with np.errstate(all="ignore"):
                    returned = kernel.output_delta(A, Y, scale, dZ, bias_grad)
                assert returned is dZ
                results.append((bits(dZ), None if bias_grad is None else bits_nan_as_one(bias_grad)))
            np.testing.assert_array_equal(results[0][0], results[1][0])
            if with_bias:
                np.testing.assert_array_equal(results[0][1], results[1][1])
    # and it is the plain expression: (A − Y)·scale in the outputs' dtype
    with np.errstate(all="ignore"):
        expected = np.subtract(A, Y, dtype=dtype if targets != "float64" else None).astype(dtype) * dtype(1.0 / 67)
        dZ = numba_kernels.output_delta(A, Y, 1.0 / 67, np.empty_like(A), None)
    if targets != "float64":  # float64 targets lift a float32 difference to float64 first, as NumPy does
        np.testing.assert_array_equal(bits(dZ), bits(expected))


def network_fit(path, dtype, activation, output, loss, bias, steps=30, reduction="mean", weighted=False):
    """A few Adam steps of a two-hidden-layer network on one kernel path."""
    kernels.use(path)
    rng = np.random.default_rng(11)
    X = rng.standard_normal((257, 19)).astype(dtype)
    # a classifier's targets are 0/1 uint8, a regressor's in the network's dtype
    Y = (X[:, :3] * 0.7 + 0.1).astype(dtype) if loss == "squared_error" else np.eye(3, dtype=np.uint8)[
        rng.integers(0, 3, 257)]
    network = Network([19, 33, 65, 3], activation, output, loss, bias=bias, l2=1e-3, dtype=dtype,
                      reduction=reduction, rng=np.random.default_rng(12))
    weights = rng.random(257) + 0.5 if weighted else None
    adam = Adam(0.01)
    for step in range(steps):
        rows = slice((step * 64) % 193, (step * 64) % 193 + 64 + step % 3)  # batch sizes 64 to 66
        network.forward(X[rows])
        network.backward(Y[rows], None if weights is None else weights[rows])
        adam.step(network.params, network.grad)
    return network


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("activation", ["relu", "leaky_relu", "tanh"])
@pytest.mark.parametrize("bias", [True, False])
def test_networks_train_to_the_same_bits_on_both_paths(dtype, activation, bias):
    for output, loss, reduction in [("softmax", "categorical_crossentropy", "mean"),
                                    ("softmax", "categorical_crossentropy", "sum"),
                                    ("identity", "squared_error", "mean"), ("relu", "squared_error", "mean")]:
        plain = network_fit("numpy", dtype, activation, output, loss, bias, reduction=reduction)
        fast = network_fit("numba", dtype, activation, output, loss, bias, reduction=reduction)
        assert kernels.active() is numba_kernels
        np.testing.assert_array_equal(bits(plain.params), bits(fast.params), err_msg=f"{output}, {loss}")
        np.testing.assert_array_equal(bits(plain.grad), bits(fast.grad), err_msg=f"{output}, {loss}")
        untrained = network_fit("numpy", dtype, activation, output, loss, bias, steps=0, reduction=reduction)
        assert not np.array_equal(plain.params, untrained.params)  # the steps did change the weights
    # sample weights take the general route on both paths
    plain = network_fit("numpy", dtype, activation, "softmax", "categorical_crossentropy", bias, weighted=True)
    fast = network_fit("numba", dtype, activation, "softmax", "categorical_crossentropy", bias, weighted=True)
    np.testing.assert_array_equal(bits(plain.params), bits(fast.params))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_a_wide_float32_classifier_fits_to_the_same_weights_on_both_paths(dtype):
    # two wide relu layers, batches of 256 and a shorter last one, L2 on:
    # the large benchmark's shape, scaled down
    rng = np.random.default_rng(13)
    X = rng.standard_normal((700, 40)).astype(dtype)
    y = np.argmax(X @ rng.standard_normal((40, 4)), axis=1)
    models = []
    for path in ("numpy", "numba"):
        kernels.use(path)
        model = glassnet.MLPClassifier(hidden_layer_sizes=(96, 80), batch_size=256, max_iter=3, random_state=0,
                                       dtype=dtype)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit(X, y)
        models.append(model)
    np.testing.assert_array_equal(bits(models[0].network_.params), bits(models[1].network_.params))
    assert models[0].loss_curve_ == models[1].loss_curve_


def test_each_fused_loop_is_registered_under_an_activation_name():
    for name in numba_layers.BIAS_FORWARD:
        assert numba_layers.BIAS_FORWARD.get(name)[2] is ACTIVATIONS.get(name).forward
    for name in numba_layers.BACKWARD_BIAS:
        assert numba_layers.BACKWARD_BIAS.get(name)[1] is ACTIVATIONS.get(name).backward
    assert {"relu", "leaky_relu", "identity"} <= set(numba_layers.BIAS_FORWARD.names())


@pytest.mark.parametrize("dtype", DTYPES)
def test_a_single_output_column_keeps_numpys_pairwise_sum(dtype):
    # a binary classifier's one logistic output: NumPy sums that column pairwise
    rng = np.random.default_rng(18)
    A = rng.random((300, 1)).astype(dtype)
    Y = rng.integers(0, 2, (300, 1)).astype(np.uint8)
    bias_grads = [np.empty(1, dtype) for _ in PATHS]
    for kernel, bias_grad in zip(PATHS, bias_grads):
        kernel.output_delta(A, Y, 1.0 / 300, np.empty_like(A), bias_grad)
    np.testing.assert_array_equal(bits(bias_grads[0]), bits(bias_grads[1]))
    dZ = (A - Y) * dtype(1.0 / 300)
    sequential = np.zeros(1, dtype)
    for row in dZ:
        sequential = sequential + row
    assert not np.array_equal(bits(sequential), bits(bias_grads[1]))  # the orders give different sums here


def test_an_activation_with_other_functions_runs_its_own():
    # same name as a fused one, other maths: the loops must not stand in for it
    from glassnet.engine.activations import Activation

    def halved(Z, out):
        np.multiply(Z, 0.5, out=out)
        return out

    def doubled_gradient(dA, Z, A, out):
        np.multiply(dA, 2.0, out=out)
        return out

    impostor = Activation("relu", halved, doubled_gradient)
    Z = np.arange(-3.0, 3.0).reshape(2, 3)
    b = np.ones(3)
    out = numba_kernels.bias_activation(impostor, Z.copy(), b, np.empty_like(Z))
    np.testing.assert_array_equal(out, (Z + 1) * 0.5)
    bias_grad = np.empty(3)
    gradient = numba_kernels.activation_backward(impostor, Z.copy(), Z, Z, np.empty_like(Z), bias_grad)
    np.testing.assert_array_equal(gradient, Z * 2)
    np.testing.assert_array_equal(bias_grad, (Z * 2).sum(axis=0))

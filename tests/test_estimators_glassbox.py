"""The glass box on the scikit-learn-style estimators: trace, check_gradients,
the training range and its ExtrapolationWarning, and the pictures."""

import warnings

import matplotlib.image
import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError

import glassnet
import glassnet.plot
from glassnet import ExtrapolationWarning, MLPClassifier, MLPRegressor, check_gradients
from glassnet.engine.network import Network

PNG = b"\x89PNG\r\n\x1a\n"


def quiet_fit(model, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning from the few iterations
        return model.fit(*args, **kwargs)


def blobs(n=60, n_features=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(0, 1, (n, n_features))
    return X, rng


@pytest.fixture(scope="module")
def binary():
    X, _ = blobs()
    y = np.where(X[:, 0] + X[:, 1] > 1, "yes", "no")
    return quiet_fit(MLPClassifier((5,), activation="tanh", alpha=0.3, max_iter=30, random_state=0), X, y), X, y


@pytest.fixture(scope="module")
def multiclass():
    X, _ = blobs(seed=1)
    y = (X[:, 0] * 3).astype(int)  # classes 0, 1, 2
    return quiet_fit(MLPClassifier((6, 4), alpha=0.1, max_iter=30, random_state=0), X, y), X, y


@pytest.fixture(scope="module")
def regressor():
    X, rng = blobs(seed=2)
    Y = np.column_stack([X.sum(axis=1), X[:, 0] - X[:, 2]]) + rng.normal(scale=0.1, size=(60, 2))
    return quiet_fit(MLPRegressor(hidden_layer_sizes=(4,), alpha=0.5, max_iter=30, random_state=0), X, Y), X, Y


def engine_step(model, x, Y):
    """The engine's loss and gradients on one encoded sample, on a copy."""
    net = model.network_.copy()
    loss, _ = net.loss_and_gradient(np.asarray(x, net.dtype)[None], np.asarray(Y, net.dtype))
    return loss, net


# --- trace ------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["binary", "multiclass", "regressor"])
def test_trace_equals_the_output_and_the_training_gradients(name, request):
    model, X, y = request.getfixturevalue(name)
    x, target = X[7], y[7]
    trace = model.trace(x, target, verbose=False)
    assert len(trace) == len(model.coefs_)
    if name == "binary":
        np.testing.assert_array_equal(trace[-1].a, model.predict_proba(x[None])[0, 1:])
        Y = [[1.0 if target == "yes" else 0.0]]
    elif name == "multiclass":
        np.testing.assert_array_equal(trace[-1].a, model.predict_proba(x[None])[0])
        Y = [np.eye(3)[target]]
    else:
        np.testing.assert_array_equal(trace[-1].a, model.predict(x[None])[0])
        Y = [target]
    loss, net = engine_step(model, x, Y)
    assert trace.loss == loss
    for record, dW, db in zip(trace, net.weight_grads, net.bias_grads):
        np.testing.assert_array_equal(record.grad_weights, dW)
        np.testing.assert_array_equal(record.grad_bias, db)
    # the formulas by hand: delta = a − y at the fused output; ∂loss/∂W = a_prevᵀ·delta + alpha·W
    np.testing.assert_allclose(trace[-1].delta, trace[-1].a - np.asarray(Y[0], float), rtol=1e-12)
    inputs = [x] + [record.a for record in trace[:-1]]
    for record, a_prev, W in zip(trace, inputs, model.coefs_):
        np.testing.assert_allclose(record.grad_weights, np.outer(a_prev, record.delta) + model.alpha * W, rtol=1e-10, atol=1e-15)


def test_trace_without_target_and_the_table(binary, capsys):
    model, X, _ = binary
    before = model.predict_proba(X)
    trace = model.trace(X[0], verbose=False)
    assert trace.y is None and all(record.delta is None for record in trace)
    assert capsys.readouterr().out == ""
    model.trace(X[0], "no")
    printed = capsys.readouterr().out
    assert "L2 penalty" in printed and "0.3·W" in printed and "∂loss/∂b" in printed
    np.testing.assert_array_equal(model.predict_proba(X), before)  # tracing changes nothing


def test_trace_takes_a_pandas_row_with_feature_names(binary):
    _, X, y = binary
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    model = quiet_fit(MLPClassifier((3,), max_iter=5, random_state=0), frame, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "X does not have valid feature names"
        by_row = model.trace(frame.iloc[4], y[4], verbose=False)
        by_frame = model.trace(frame.iloc[4:5], y[4], verbose=False)
    np.testing.assert_array_equal(by_row[0].z, X[4] @ model.coefs_[0] + model.intercepts_[0])
    by_array = by_frame
    np.testing.assert_array_equal(by_row[0].grad_weights, by_array[0].grad_weights)


@pytest.mark.parametrize(
    "x,y,message",
    [
        ([0.1, 0.2], None, "X has 2 features, but MLPClassifier is expecting 3 features"),
        ([[0.1, 0.2, 0.3], [0.3, 0.2, 0.1]], None, "x has 2 rows; expected one sample"),
        ([0.1, 0.2, 0.3], ["yes", "no"], "y has 2 values; expected the class label of one sample"),
        ([0.1, 0.2, 0.3], "maybe", r"y = 'maybe' is not a class of this classifier; expected one of \['no', 'yes'\]"),
    ],
)
def test_bad_samples_for_trace(binary, x, y, message):
    with pytest.raises(ValueError, match=message):
        binary[0].trace(x, y, verbose=False)


def test_regressor_trace_needs_every_output(regressor):
    with pytest.raises(ValueError, match=r"y has 1 values; expected the target of one sample \(2 number\(s\)\)"):
        regressor[0].trace(regressor[1][0], 1.0, verbose=False)


def test_trace_on_an_unfitted_estimator():
    with pytest.raises(NotFittedError):
        MLPRegressor().trace([1.0, 2.0])


# --- check_gradients ------------------------------------------------------------
@pytest.mark.parametrize("name", ["binary", "multiclass", "regressor"])
def test_check_gradients_on_fitted_estimators(name, request):
    model, X, y = request.getfixturevalue(name)
    before = model.network_.params.copy()
    assert model.alpha > 0  # the L2 term is part of the checked loss
    assert check_gradients(model, X[:20], y[:20]) < 1e-6
    np.testing.assert_array_equal(model.network_.params, before)


def test_check_gradients_sees_a_forgotten_l2_gradient(binary, monkeypatch):
    model, X, y = binary
    backward = Network.backward

    def without_penalty(self, Y, sample_weight=None):
        grad = backward(self, Y, sample_weight)
        grad[: self.n_weights] -= self.l2 / Y.shape[0] * self.params[: self.n_weights]
        return grad

    monkeypatch.setattr(Network, "backward", without_penalty)
    assert check_gradients(model, X[:20], y[:20]) > 0.05


def test_check_gradients_needs_a_fitted_estimator_and_known_labels(binary):
    X, y = binary[1], binary[2]
    with pytest.raises(ValueError, match="this MLPClassifier is not fitted yet: call fit before check_gradients"):
        check_gradients(MLPClassifier(), X, y)
    with pytest.raises(ValueError, match="`y` has classes not in `self.classes_`"):
        check_gradients(binary[0], X[:2], ["yes", "maybe"])


# --- training range and ExtrapolationWarning ----------------------------------------
def test_training_range_is_a_plain_array_of_lows_and_highs(binary, regressor):
    for model, X, _ in (binary, regressor):
        assert isinstance(model.training_range_, np.ndarray) and model.training_range_.shape == (2, X.shape[1])
        np.testing.assert_array_equal(model.training_range_, [X.min(axis=0), X.max(axis=0)])


@pytest.mark.parametrize("method", ["predict", "predict_proba"])
def test_rows_inside_the_range_do_not_warn(binary, method):
    model, X, _ = binary
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        getattr(model, method)(X)
        getattr(model, method)(np.array([X.min(axis=0), X.max(axis=0)]))  # the edges are inside


@pytest.mark.parametrize("method", ["predict", "predict_proba", "predict_log_proba", "score"])
def test_rows_outside_warn_at_the_users_line(binary, method):
    import pickle

    model, X, y = binary
    model = pickle.loads(pickle.dumps(model))  # a fitted model of its own: it warns once
    outside = X[:4].copy()
    outside[1, 2] = X[:, 2].max() + 2.0
    outside[3, 0] = X[:, 0].min() - 0.5
    arguments = (outside, y[:4]) if method == "score" else (outside,)
    with pytest.warns(ExtrapolationWarning, match="range") as caught:
        getattr(model, method)(*arguments)
    [record] = caught
    assert record.filename == __file__
    assert str(record.message) == (
        f"2 of 4 rows are outside the training range; worst x[:, 2]: up to 2 above "
        f"[{X[:, 2].min():.4g}, {X[:, 2].max():.4g}]; see glassnet.explain_extrapolation(model, X)")
    message = str(glassnet.explain_extrapolation(model, outside))
    assert f"x[:, 2] leaves its range [{X[:, 2].min():g}, {X[:, 2].max():g}] in 1 row: up to 2 above" in message
    assert "x[:, 0] leaves its range" in message and "up to 0.5 below" in message
    assert "x[:, 1]" not in message
    assert (record.message.n_rows, record.message.n_total) == (2, 4)


def test_through_scikit_learns_model_selection_the_warning_still_names_the_users_line():
    from sklearn.model_selection import cross_val_predict

    X = np.linspace(0, 1, 12)[:, None]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cross_val_predict(MLPRegressor(hidden_layer_sizes=(2,), solver="lbfgs", max_iter=5), X, X.ravel(), cv=2)
    extrapolations = [record for record in caught if record.category is ExtrapolationWarning]
    assert len(extrapolations) == 2  # each fold predicts the half it never saw
    assert {record.filename for record in extrapolations} == {__file__}


def test_the_warning_names_dataframe_columns(regressor):
    _, X, Y = regressor
    frame = pd.DataFrame(X, columns=["age", "height", "weight"])
    model = quiet_fit(MLPRegressor(hidden_layer_sizes=(3,), max_iter=5, random_state=0), frame, Y)
    new = frame.iloc[:2].copy()
    new.loc[0, "height"] = 5.0
    with pytest.warns(ExtrapolationWarning, match=r"^1 of 2 rows is outside the training range; worst height: up to"):
        model.predict(new)


def test_partial_fit_and_warm_start_widen_the_range_and_a_new_fit_resets_it():
    X = np.array([[0.0, 0.0], [1.0, 1.0]])
    model = MLPRegressor(hidden_layer_sizes=(2,), random_state=0)
    model.partial_fit(X, [0.0, 1.0])
    model.partial_fit(np.array([[2.0, -1.0]]), [1.0])
    np.testing.assert_array_equal(model.training_range_, [[0, -1], [2, 1]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.predict([[1.5, -0.5]])

    warm = MLPClassifier((2,), max_iter=2, warm_start=True, random_state=0)
    quiet_fit(warm, X, [0, 1])
    quiet_fit(warm, X * 3, [0, 1])
    np.testing.assert_array_equal(warm.training_range_, [[0, 0], [3, 3]])
    warm.set_params(warm_start=False)
    quiet_fit(warm, X, [0, 1])
    np.testing.assert_array_equal(warm.training_range_, [[0, 0], [1, 1]])


def test_early_stopping_rows_held_out_are_not_in_the_range():
    X = np.linspace(0, 1, 40)[:, None]
    model = quiet_fit(MLPRegressor(hidden_layer_sizes=(2,), early_stopping=True, validation_fraction=0.5,
                                   max_iter=3, random_state=0), X, X.ravel())
    low, high = model.training_range_[:, 0]
    # with this seed an end of [0, 1] falls in the held-out half; counting it would give exactly (0, 1)
    assert (low, high) != (0.0, 1.0)
    assert np.isin([low, high], X.ravel()).all()


def test_the_range_survives_the_model_state_and_pickling(binary):
    import pickle

    model = binary[0]
    meta, arrays = model._glassnet_state()
    again = MLPClassifier._from_glassnet_state(meta, arrays)
    np.testing.assert_array_equal(again.training_range_, model.training_range_)
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(model)).training_range_, model.training_range_)
    with pytest.warns(ExtrapolationWarning):
        again.predict([[5.0, 0.5, 0.5]])


# --- pictures --------------------------------------------------------------------
def assert_valid_png(path):
    assert path.read_bytes()[:8] == PNG
    pixels = matplotlib.image.imread(path)
    assert pixels.ndim == 3 and min(pixels.shape[:2]) > 100
    assert pixels[..., :3].std() > 0.05


def test_every_picture_draws_an_estimator(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (80, 2))
    y = np.where(X[:, 0] * X[:, 1] > 0, "same", "different")
    model = quiet_fit(MLPClassifier((6,), activation="tanh", max_iter=40, learning_rate_init=0.05, random_state=0),
                      X, y, X_val=X[:20], y_val=y[:20])
    figure = glassnet.plot.network(model, tmp_path / "network.png", x=X[0])
    assert len(figure.axes[0].texts) > 0
    glassnet.plot.activations(model, X, tmp_path / "activations.png")
    figure = glassnet.plot.decision_boundary(model, X, y, tmp_path / "boundary.png", resolution=40)
    legend = [t.get_text() for t in figure.axes[0].get_legend().get_texts()]
    assert legend[-1] == "training range" and "class same" in legend
    figure = glassnet.plot.learning_curves(model, tmp_path / "curves.png")
    lines = {line.get_gid(): line for axes in figure.axes for line in axes.get_lines()}
    assert set(lines) == {"loss", "val_loss", "val_accuracy"}
    np.testing.assert_array_equal(lines["loss"].get_ydata(), model.loss_curve_)
    np.testing.assert_array_equal(lines["val_accuracy"].get_ydata(), model.validation_scores_)
    for name in ("network", "activations", "boundary", "curves"):
        assert_valid_png(tmp_path / f"{name}.png")


def test_learning_curves_of_a_neural_network_and_bad_models(tmp_path):
    X, _ = blobs()
    nn = glassnet.NeuralNetwork(seed=0).train(X, (X[:, 0] > 0.5) * 1.0, 5, validation_split=0.2)
    figure = glassnet.plot.learning_curves(nn, tmp_path / "curves.svg")
    assert "<svg" in (tmp_path / "curves.svg").read_text()
    lines = {line.get_gid(): line.get_ydata() for axes in figure.axes for line in axes.get_lines()}
    assert set(lines) == {"loss", "val_loss", "mae", "val_mae"}
    np.testing.assert_array_equal(lines["mae"], nn.error_list)
    with pytest.raises(ValueError, match="nothing to plot"):
        glassnet.plot.learning_curves(glassnet.NeuralNetwork())
    with pytest.raises(ValueError, match="not fitted yet: call fit before plot.learning_curves"):
        glassnet.plot.learning_curves(MLPClassifier())
    with pytest.raises(ValueError, match="needs a NeuralNetwork or a fitted estimator"):
        glassnet.plot.learning_curves(Network([2, 1]))

"""Every bad input gets a ValueError naming the problem and the expected
value, and leaves the network untouched."""

import numpy as np
import pytest

from glassnet import NeuralNetwork

X = np.array([[0.0, 1, 0], [1, 1, 0], [0, 0, 1]])
y = np.array([0.0, 1, 0])


@pytest.fixture
def nn():
    return NeuralNetwork(seed=0)


@pytest.mark.parametrize(
    "X_bad,y_bad,message",
    [
        (np.ones((3, 4)), y, "X has 4 features, the network expects 3"),
        (X, np.array([0.0, 1]), "X has 3 rows but y has 2; expected the same number"),
        (np.array([[0.0, np.nan, 0], [1, 1, 0], [0, 0, 1]]), y, r"X contains nan at row 0, column 1; expected finite numbers only"),
        (np.array([[0.0, np.inf, 0], [1, 1, 0], [0, 0, 1]]), y, r"X contains inf at row 0, column 1"),
        (X, np.array([0.0, np.nan, 1]), r"y contains nan at row 1"),
        (np.empty((0, 3)), np.empty(0), "X is empty: expected at least one row"),
        ([["a", "b", "c"]] * 3, y, "X must be numeric"),
        ([[1, 2], [3]], y, "X must be a rectangular numeric array"),
        (X, np.ones((3, 2)), "y has 2 columns, the network has 1 output"),
        (np.ones((2, 3, 1)), y, "X must be a 2-D array"),
    ],
)
def test_bad_training_data(nn, X_bad, y_bad, message):
    before = nn.network.params.copy()
    with pytest.raises(ValueError, match=message):
        nn.train(X_bad, y_bad, 5)
    np.testing.assert_array_equal(nn.network.params, before)
    assert nn.error_list == []


@pytest.mark.parametrize("epochs", [0, -3, 2.5, "10", None, True])
def test_bad_epochs(nn, epochs):
    with pytest.raises(ValueError, match="epochs must be an integer >= 1"):
        nn.train(X, y, epochs)
    assert nn.error_list == []


@pytest.mark.parametrize(
    "kwargs,message",
    [
        (dict(activation="sigmod"), "unknown activation 'sigmod'; expected one of: identity, logistic"),
        (dict(loss="mse"), "unknown loss 'mse'; expected one of: squared_error, absolute_error"),
        (dict(optimizer="rmsprop"), "unknown optimizer 'rmsprop'; expected one of: lbfgs, sgd, adam"),
        (dict(init="zeros"), "unknown init 'zeros'; expected one of: uniform, glorot, he"),
        (dict(metric="auc"), "unknown metric 'auc'; expected one of: mae, mse, rmse, log_loss, accuracy"),
        (dict(layers=[3, 0, 1]), r"layers must be a sequence of 2 or more integers >= 1, got \[3, 0, 1\]"),
        (dict(layers=[3]), r"layers must be a sequence of 2 or more integers >= 1, got \[3\]"),
        (dict(input_size=0), "input_size must be an integer >= 1, got 0"),
        (dict(learning_rate=-1), r"learning_rate must be a real number in \(0, inf\), got -1"),
        (dict(l2=-0.5), r"l2 must be a real number in \[0, inf\), got -0.5"),
        (dict(shuffle="yes"), "shuffle must be True or False, got 'yes'"),
        (dict(activation=["relu", "sigmod"]), "unknown activation 'sigmod'; expected one of: identity, logistic"),
        (dict(seed=-1), r"seed must be an integer in \[0, 4294967295\], got -1"),
        (dict(batch_size=0), "batch_size must be an integer >= 1"),
        (dict(dtype="int8"), "dtype must be 'float32' or 'float64'"),
        (dict(loss="categorical_crossentropy", output_activation="logistic"), "needs output_activation 'softmax'"),
    ],
)
def test_bad_configuration(kwargs, message):
    with pytest.raises(ValueError, match=message):
        NeuralNetwork(**kwargs)


def test_predict_with_the_wrong_width(nn):
    with pytest.raises(ValueError, match="X has 2 features, the network expects 3"):
        nn.predict([1.0, 2.0])
    with pytest.raises(ValueError, match="X has 4 features, the network expects 3"):
        nn.predict(np.ones((2, 4)))


@pytest.mark.parametrize("method", ["forward", "test_evaluation"])
def test_other_methods_validate_too(nn, method):
    args = (np.ones((2, 5)),) if method == "forward" else (np.ones((2, 5)), [0, 1])
    with pytest.raises(ValueError, match="X has 5 features, the network expects 3"):
        getattr(nn, method)(*args)


def test_bad_validation_options(nn):
    with pytest.raises(ValueError, match="early_stopping needs validation_split or validation_data"):
        nn.train(X, y, 5, early_stopping=True)
    with pytest.raises(ValueError, match=r"validation_split must be a real number in \[0, 1\), got 1.5"):
        nn.train(X, y, 5, validation_split=1.5)
    # scikit-learn's rule: ceil(0.9 * 3) = 3 validation rows, none left to train on
    with pytest.raises(ValueError, match=r"validation_split=0.9 of 3 row\(s\) holds out 3 and leaves 0 training rows"):
        nn.train(X, y, 5, validation_split=0.9)
    assert nn.error_list == []


def test_plot_before_training_and_bad_extension(nn, tmp_path):
    with pytest.raises(ValueError, match="train the network for at least one epoch first"):
        nn.view_error_development()
    nn.train(X, y, 2)
    with pytest.raises(ValueError, match=r"plot path must end in .png, .svg or .pdf"):
        nn.view_error_development(tmp_path / "plot.jpeg")
    assert not (tmp_path / "plot.jpeg").exists()

"""Training runs on the default path of every door, each returning the
numbers it reaches (weights, loss curves, predictions). The numbers these
reached before the training keywords of dropout, normalization, weight
decay, clipping, schedules and label smoothing were added are recorded in
tests/data/default-path/expected.npz (see its record.py)."""

import numpy as np
from sklearn.datasets import load_iris, make_regression

import glassnet

_iris_X, _iris_y = load_iris(return_X_y=True)
IRIS_X = (_iris_X - _iris_X.mean(axis=0)) / _iris_X.std(axis=0)
IRIS_Y = _iris_y
REG_X, REG_Y = make_regression(150, 5, noise=5.0, random_state=0)
REG_Y = REG_Y / 100


def _article():
    data = glassnet.load_tutorial()
    low, high = data.X_train.min(axis=0), data.X_train.max(axis=0)
    X = np.clip((data.X_train - low) / (high - low), 0, 1)
    model = glassnet.NeuralNetwork(seed=0).train(X, data.y_train, 200)
    return {"params": model.network.params, "error_list": model.error_list}


def _network_adam(dtype):
    def case():
        Y = np.eye(3)[IRIS_Y]
        model = glassnet.NeuralNetwork(layers=[4, 8, 6, 3], activation="relu", loss="categorical_crossentropy",
                                       bias=True, init="he", optimizer="adam", learning_rate=0.01, batch_size=16,
                                       reduction="mean", l2=1e-3, metric="accuracy", seed=0, dtype=dtype)
        model.train(IRIS_X, Y, 15, validation_split=0.2)
        return {"params": model.network.params, "loss": model.history["loss"],
                "val_loss": model.history["val_loss"]}
    return case


def _classifier(**settings):
    def case():
        model = glassnet.MLPClassifier(hidden_layer_sizes=(10, 5), random_state=0, max_iter=25, **settings)
        model.fit(IRIS_X, IRIS_Y)
        return {"params": model.network_.params, "loss_curve": model.loss_curve_,
                "proba": model.predict_proba(IRIS_X[::7])}
    return case


def _regressor(**settings):
    def case():
        model = glassnet.MLPRegressor(hidden_layer_sizes=(12,), random_state=1, max_iter=25, **settings)
        model.fit(REG_X, REG_Y)
        return {"params": model.network_.params, "loss_curve": model.loss_curve_, "predict": model.predict(REG_X[::9])}
    return case


CASES = {
    "article": _article,
    "network adam float64": _network_adam("float64"),
    "network adam float32": _network_adam("float32"),
    "classifier adam": _classifier(),
    "classifier sgd invscaling": _classifier(solver="sgd", learning_rate="invscaling", learning_rate_init=0.1,
                                             batch_size=32),
    "classifier early stopping": _classifier(early_stopping=True, batch_size=20),
    "classifier lbfgs": _classifier(solver="lbfgs"),
    "regressor sgd adaptive": _regressor(solver="sgd", learning_rate="adaptive", batch_size=30, activation="tanh"),
    "regressor adam": _regressor(alpha=0.01),
}

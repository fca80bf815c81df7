"""A fuzz suite over every input surface: the estimators' fit and predict
(shapes, dtypes, containers, every scipy.sparse format, ±inf and NaN
anywhere, 0 and 1 rows), the CSV reader and ``glassnet predict``'s table,
the model loader (crafted archives) and the playground's WebSocket commands.

Whatever the input, the answer is a result or a ValueError/TypeError with a
message; never another exception, never a hang. Fixed seeds
(``derandomize=True``, no example database) keep CI reproducible; the sizes
keep the suite near a minute on a small machine.
"""

import csv
import importlib
import io
import json
import pkgutil
import re
import threading
import warnings
import zipfile

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

import glassnet
from cli_helpers import FRUIT

_SETTINGS = settings(deadline=None, derandomize=True, database=None, print_blob=True,
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                            HealthCheck.data_too_large])


def examples(count: int):
    """The suite's settings with ``count`` examples."""
    return settings(_SETTINGS, max_examples=count)
# longer than any example takes; an example that runs past it has hung
HANG_SECONDS = 60
SPARSE = ["csr", "csc", "coo", "bsr", "dia", "dok", "lil"]

# Hypothesis mixes into its examples constants it finds in the local modules
# loaded so far; loading every glassnet module first makes the examples the
# same whichever tests ran before (with derandomize, the same on every run)
for _module in pkgutil.walk_packages(glassnet.__path__, "glassnet."):
    if not _module.name.endswith("__main__"):
        importlib.import_module(_module.name)


def within(seconds, function):
    """``function()``'s result or exception, failing when it runs longer than ``seconds``."""
    outcome = {}

    def run():
        try:
            outcome["result"] = function()
        except BaseException as error:  # handed to the caller below
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"no answer after {seconds} s: a hang"
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("result")


def answers_or_says_why(function):
    """``function()``'s result, or None after a ValueError/TypeError with a message.

    Warnings are allowed (convergence, divergence, extrapolation, data
    notes): they are documented answers, not crashes.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            result = within(HANG_SECONDS, function)
        except (ValueError, TypeError) as error:
            assert str(error).strip(), f"a {type(error).__name__} without a message"
            # --hypothesis-show-statistics lists these (a model file's name left out)
            message = re.sub(r"^model file '.*?' ", "", str(error))
            event(f"{type(error).__name__}: {message[:60]}")
            return None
    event("answered")
    return result


# --- the estimators -----------------------------------------------------------------------------
SPECIAL = st.sampled_from([1e300, np.nan, np.inf, -np.inf, -1e300, 1e-310, 0.0, 3.5e38, -0.0])


@st.composite
def matrices(draw, rows=None, columns=None):
    """A table of numbers in any form the estimators may be given."""
    # mostly tables that can train; sometimes none or one row, no column (hypothesis
    # leans to the first entries of a list, so the usual cases come first)
    rows = draw(st.sampled_from([12, 20, 8, 5, 3, 2, 1, 0])) if rows is None else rows
    columns = draw(st.sampled_from([3, 2, 4, 1, 0])) if columns is None else columns
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    X = rng.standard_normal((rows, columns)) * 10.0 ** draw(st.integers(-5, 5))
    X[rng.random(X.shape) < draw(st.sampled_from([0.0, 0.5, 0.9]))] = 0.0
    for _ in range(draw(st.sampled_from([0, 0, 1, 3])) if X.size else 0):
        X[draw(st.integers(0, rows - 1)), draw(st.integers(0, columns - 1))] = draw(SPECIAL)
    dtype = draw(st.sampled_from(["float64", "float32", "int64", "float16", "int8", "uint8", "bool", "object",
                                  "text", "complex"]))
    with np.errstate(all="ignore"):
        if dtype in ("int64", "int8", "uint8"):
            X = np.nan_to_num(X, posinf=100, neginf=-100).round().clip(-100, 100).astype(dtype)
        elif dtype == "text":
            X = X.astype(str).astype(object)
        elif dtype != "object":
            X = X.astype(dtype)
        else:
            X = X.astype(object)
    form = draw(st.sampled_from(["array", *SPARSE, "frame", "list", "sparse array", "vector", "cube"]))
    if form == "list":
        return X.tolist()
    if form == "frame":
        return pd.DataFrame(X, columns=[f"c{index}" for index in range(X.shape[1])])
    if form == "vector":
        return X.ravel()
    if form == "cube":
        return X[..., None]
    if form in SPARSE or form == "sparse array":
        if X.dtype.kind not in "biuf" or X.dtype == np.float16:
            return X
        matrix = sp.csr_matrix(X)
        return sp.csr_array(matrix) if form == "sparse array" else matrix.asformat(form)
    return X


@st.composite
def targets(draw, rows, classifier):
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    kind = draw(st.sampled_from(["labels", "text", "floats", "indicator", "2-D", "special", "one class", "short"]))
    count = rows + (1 if kind == "short" else 0)
    if kind == "text":
        return rng.choice(["a", "b", "ü"], count).astype(object)
    if kind == "one class":
        return np.zeros(count, int)
    if kind == "indicator":
        return rng.integers(0, 2, (count, 3))
    if kind in ("floats", "special"):
        y = rng.standard_normal(count)
        if kind == "special" and count:
            y[draw(st.integers(0, count - 1))] = draw(SPECIAL)
        return y
    if kind == "2-D":
        return rng.standard_normal((count, 2))
    # three classes, each present when there are rows enough
    labels = np.arange(count) % 3
    rng.shuffle(labels)
    return labels if classifier else labels.astype(float)


@examples(1500)
@given(data=st.data(), classifier=st.booleans(), dtype=st.sampled_from([None, "float32", "float64"]),
       solver=st.sampled_from(["adam", "sgd", "lbfgs"]), batch=st.sampled_from(["auto", 1, 3]),
       early_stopping=st.booleans())
def test_estimators_fit_and_predict_anything_or_say_why(data, classifier, dtype, solver, batch, early_stopping):
    X = data.draw(matrices(), "X")
    rows = len(X) if not hasattr(X, "shape") else X.shape[0]
    y = data.draw(targets(rows, classifier), "y")
    X_new = data.draw(matrices(columns=np.shape(X)[1] if np.ndim(X) == 2 else None), "X_new")
    options = {} if dtype is None else {"dtype": dtype}
    cls = glassnet.MLPClassifier if classifier else glassnet.MLPRegressor
    model = cls(hidden_layer_sizes=(3,), solver=solver, batch_size=batch, max_iter=2, random_state=0,
                early_stopping=early_stopping, **options)
    if answers_or_says_why(lambda: model.fit(X, y)) is None:
        return
    assert np.isfinite(model.network_.params).all()
    for method in ("predict", *(["predict_proba"] if classifier else [])):
        answers_or_says_why(lambda: getattr(model, method)(X_new))
    if solver != "lbfgs":  # lbfgs has no partial_fit, as in scikit-learn (an AttributeError by design)
        answers_or_says_why(lambda: model.partial_fit(X, y))
    answers_or_says_why(lambda: model.score(X, y))


@examples(300)
@given(X=matrices(), loss=st.sampled_from(["squared_error", "binary_crossentropy"]),
       epochs=st.sampled_from([2, 1, 0]))
def test_neural_network_trains_and_predicts_anything_or_says_why(X, loss, epochs):
    width = np.shape(X)[1] if np.ndim(X) == 2 else 2
    network = glassnet.NeuralNetwork(layers=[max(width, 1), 2, 1], loss=loss, seed=0)
    y = (np.arange(np.shape(X)[0] if np.ndim(X) else 0) % 2).astype(float)
    answers_or_says_why(lambda: network.train(X, y, epochs))
    answers_or_says_why(lambda: network.predict(X))


# --- the CSV reader and glassnet predict's table -------------------------------------------------------
PIECES = st.sampled_from([",", ";", "\t", "|", '"', "\n", "\r\n", " ", "1", "2.5", "-3e7", "1e400", "nan", "NA", "",
                          "x", "ü", "\x00", "\ufeff", "apple", "weight_g", "colour", "fruit", "0,5", "'"])


@st.composite
def csv_bytes(draw):
    """Bytes that are sometimes a good CSV, sometimes nearly one, sometimes not text at all."""
    kind = draw(st.sampled_from(["pieces", "fruit-like", "raw"]))
    if kind == "raw":
        return draw(st.binary(max_size=200))
    if kind == "pieces":
        text = "".join(draw(st.lists(PIECES, max_size=80)))
    else:
        header = ["weight_g", "diameter_cm", "colour", "firmness", "fruit"]
        cells = st.one_of(st.integers(-10**6, 10**6).map(str), PIECES, st.text(max_size=6))
        rows = draw(st.lists(st.lists(cells, min_size=4, max_size=6), max_size=8))
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=draw(st.sampled_from([",", ";", "\t"])))
        writer.writerow(header[:draw(st.integers(3, 5))] + draw(st.lists(st.sampled_from(header), max_size=2)))
        writer.writerows(rows)
        text = buffer.getvalue()
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"]))
    return text.encode(encoding, errors="replace")


@pytest.fixture(scope="module")
def fruit_model(tmp_path_factory):
    from glassnet.cli import main

    path = tmp_path_factory.mktemp("fruit") / "m.glassnet"
    assert main(["train", str(FRUIT), "--target", "fruit", "-o", str(path), "--hidden", "3", "--epochs", "2",
                 "--quiet"]) == 0
    return glassnet.load(path)


@examples(1500)
@given(data=csv_bytes(), name=st.sampled_from(["data.csv", "data.tsv", "data.txt"]))
def test_the_csv_reader_and_predict_answer_anything_or_say_why(fruit_model, data, name):
    from glassnet.tabular.predictions import prediction_table
    from glassnet.tabular.reading import read_bytes

    frame = answers_or_says_why(lambda: read_bytes(data, name))
    if frame is None:
        return
    assert isinstance(frame, pd.DataFrame)
    table = answers_or_says_why(lambda: prediction_table(fruit_model, frame, name)[0])
    if table is not None:  # one row out per row in, always
        assert len(table) == len(frame)


# --- the model loader --------------------------------------------------------------------------
_SAVED = {}


def _saved_files():
    """The bytes of a model file of each kind (made once)."""
    if not _SAVED:
        import tempfile
        from pathlib import Path

        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        from glassnet.cli import main

        folder = Path(tempfile.mkdtemp(prefix="glassnet-fuzz-"))
        rng = np.random.default_rng(0)
        X, y = rng.normal(size=(30, 3)), np.arange(30) % 3
        data = glassnet.load_tutorial()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            models = {
                "article": glassnet.NeuralNetwork(seed=0).train(data.X_train / 10, data.y_train, 2),
                "classifier": glassnet.MLPClassifier(hidden_layer_sizes=(3,), max_iter=2, random_state=0).fit(X, y),
                "regressor": glassnet.MLPRegressor(hidden_layer_sizes=(3,), max_iter=2, random_state=0,
                                                   early_stopping=True, solver="sgd").fit(X, X[:, 0]),
                "pipeline": make_pipeline(StandardScaler(), glassnet.MLPClassifier(
                    hidden_layer_sizes=(2,), max_iter=2, random_state=0)).fit(X, y),
            }
            for name, model in models.items():
                _SAVED[name] = glassnet.save(model, folder / f"{name}.glassnet").read_bytes()
            assert main(["train", str(FRUIT), "--target", "fruit", "-o", str(folder / "t.glassnet"), "--hidden",
                         "3", "--epochs", "2", "--quiet"]) == 0
        _SAVED["tabular"] = (folder / "t.glassnet").read_bytes()
    return _SAVED


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8) | st.sampled_from(["nan", "inf", "float64", "float32", "relu", "lbfgs", "<f8", "|O"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=10)


def _paths(value, prefix=()):
    """Every path into a JSON document, as tuples of keys and indices."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value[:6]):
            yield from _paths(item, (*prefix, index))


def _npy(array) -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def _alike(value):
    """Values of ``value``'s JSON type."""
    if isinstance(value, bool):
        return st.booleans()
    if isinstance(value, int):
        return st.sampled_from([0, 1, -1, 2**31, 10**12, -(2**63)]) | st.integers(-5, 50)
    if isinstance(value, float):
        return st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from([0.0, -1.0, 1e300, 1e-300])
    if isinstance(value, str):
        return st.sampled_from(["relu", "tanh", "logistic", "softmax", "identity", "adam", "sgd", "lbfgs", "auto",
                                "constant", "adaptive", "float32", "float64", "inf", "nan", "loss", "bogus", ""])
    if isinstance(value, list):
        return st.lists(st.integers(0, 5) | st.floats(0, 5), max_size=4) | st.just(value[:1]) | st.just(value * 2)
    return JSON_VALUES


@st.composite
def crafted_archives(draw):
    """A model file of some kind with a few edits: to its JSON, its arrays or its bytes."""
    kind = draw(st.sampled_from(sorted(_saved_files())))
    with zipfile.ZipFile(io.BytesIO(_saved_files()[kind])) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    document = json.loads(members["glassnet.json"])
    for _ in range(draw(st.integers(0, 3))):
        edit = draw(st.sampled_from(["json value", "json like", "json like", "json delete", "array shape",
                                     "array data", "extra array", "drop array"]))
        names = sorted(document["arrays"])
        if edit.startswith("json"):
            path = draw(st.sampled_from(list(_paths(document["state"]))[1:] or [()]))
            if not path:
                continue
            parent = document["state"]
            for key in path[:-1]:
                parent = parent[key]
            if edit == "json delete" and isinstance(parent, dict):
                del parent[path[-1]]
            elif edit == "json like":  # a value of the same type: the file still looks right
                parent[path[-1]] = draw(_alike(parent[path[-1]]))
            else:
                parent[path[-1]] = draw(JSON_VALUES)
        elif edit in ("array shape", "array data") and names:
            name = draw(st.sampled_from(names))
            shape = tuple(draw(st.lists(st.integers(0, 5), max_size=3)))
            dtype = draw(st.sampled_from(["<f8", "<f4", "<i8", "|b1", "<u2"]))
            with np.errstate(all="ignore"):
                array = np.full(shape, draw(SPECIAL)).astype(dtype) if dtype != "|b1" else np.ones(shape, bool)
            members[f"arrays/{name}.npy"] = _npy(array)
            if edit == "array shape":  # declared to match: only the model can tell it is wrong
                document["arrays"][name] = {"dtype": array.dtype.str, "shape": list(array.shape)}
        elif edit == "extra array":
            members["arrays/extra.npy"] = _npy(np.zeros(draw(st.integers(0, 4))))
            document["arrays"]["extra"] = {"dtype": "<f8", "shape": [len(np.load(io.BytesIO(members["arrays/extra.npy"])))]}
        elif edit == "drop array" and names:
            name = draw(st.sampled_from(names))
            del members[f"arrays/{name}.npy"]
            del document["arrays"][name]
    members["glassnet.json"] = json.dumps(document).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    data = bytearray(buffer.getvalue())
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 3]))):  # and sometimes a flipped byte
        data[draw(st.integers(0, len(data) - 1))] ^= 1 << draw(st.integers(0, 7))
    return kind, bytes(data)


@examples(1500)
@given(crafted=crafted_archives())
def test_the_loader_answers_any_crafted_file_or_says_why(crafted, tmp_path_factory):
    kind, data = crafted
    path = tmp_path_factory.mktemp("crafted") / "model.glassnet"
    path.write_bytes(data)
    model = answers_or_says_why(lambda: glassnet.load(path))
    if model is None:
        return
    # a file that loads gives a model that answers (or names what is wrong with the question)
    if kind == "tabular":
        answers_or_says_why(lambda: model.predict(pd.read_csv(FRUIT, dtype=str, keep_default_na=False)))
    else:
        network = {"article": lambda: model.network, "pipeline": lambda: model.steps[-1][1].network_}.get(
            kind, lambda: model.network_)()
        width = network.n_inputs
        answers_or_says_why(lambda: model.predict(np.zeros((2, width))))


# --- the playground's WebSocket commands -----------------------------------------------------------
SETTING_VALUES = {
    "dataset": st.sampled_from(["circle", "xor", "gauss", "spiral", "moons", "iris", "file", "nope", ""]),
    "hidden": st.one_of(st.lists(st.integers(-1, 6), max_size=3), st.just("3,2"), JSON_VALUES),
    "activations": st.one_of(st.lists(st.sampled_from(["relu", "tanh", "softmax", "bogus", "logistic"]), max_size=3),
                             JSON_VALUES),
    "loss": st.sampled_from(["auto", "squared_error", "binary_crossentropy", "categorical_crossentropy", "x"]),
    "optimizer": st.sampled_from(["sgd", "adam", "rmsprop", "lbfgs", 3]),
    "points": st.one_of(st.integers(-5, 400), JSON_VALUES),
    "noise": st.one_of(st.floats(-1, 1), JSON_VALUES),
    "learning_rate": st.one_of(st.floats(-1, 200), JSON_VALUES),
    "batch_size": st.one_of(st.integers(-1, 50), JSON_VALUES),
    "test_ratio": st.floats(0, 1),
    "l2": st.one_of(st.floats(-1, 200), JSON_VALUES),
    "feature_x": st.one_of(st.integers(-1, 5), JSON_VALUES),
    "feature_y": st.integers(-1, 5),
    "seed": st.one_of(st.integers(-1, 2**33), JSON_VALUES),
    "record_stats": st.one_of(st.booleans(), JSON_VALUES),
    "target": st.one_of(st.none(), st.text(max_size=4)),
}
COMMANDS = st.one_of(
    st.fixed_dictionaries({"type": st.just("settings"),
                           "settings": st.one_of(st.fixed_dictionaries({}, optional=SETTING_VALUES), JSON_VALUES)}),
    st.fixed_dictionaries({"type": st.sampled_from(["play", "pause", "step", "reset"])}),
    st.fixed_dictionaries({"type": st.just("trace"), "part": st.sampled_from(["train", "test", "x", None]),
                           "index": st.one_of(st.integers(-2, 300), JSON_VALUES)}),
    st.fixed_dictionaries({"type": JSON_VALUES}),
    JSON_VALUES,
).map(json.dumps) | st.text(max_size=20) | st.binary(max_size=20)


@pytest.fixture(scope="module")
def playground(tmp_path_factory):
    """The real ``glassnet playground`` server, started with the fruit table."""
    from playground_helpers import Server

    running = Server(FRUIT)
    yield running
    assert running.stop() == 0


@examples(300)
@given(commands=st.lists(COMMANDS, max_size=8))
# what the suite found: each was an "internal error" with a traceback in the log
@example(commands=['{"type": "trace", "part": "train", "index": false}'])
@example(commands=['{"type": "settings", "settings": {"activations": null}}'])
def test_the_websocket_answers_any_command_or_says_why(playground, commands):
    from websockets.sync.client import connect

    messages = []

    def talk():
        with connect(f"ws://{playground.netloc}/ws?token={playground.token}", origin=f"http://{playground.netloc}",
                     open_timeout=30) as socket:
            sequence = [json.dumps({"type": "settings", "settings": {"dataset": "xor", "points": 60}}), *commands]
            for command in sequence:
                socket.send(command)
            # commands are handled in order: once the answer to this one comes, every one before has been
            socket.send(json.dumps({"type": "end-of-example"}))
            while True:
                message = socket.recv(timeout=HANG_SECONDS)
                if isinstance(message, str):
                    messages.append(json.loads(message))
                    if "end-of-example" in messages[-1].get("message", ""):
                        return

    within(HANG_SECONDS, talk)
    errors = [message["message"] for message in messages if message["type"] == "error"]
    assert not [error for error in errors if error.startswith("internal error")], errors
    assert all(error.strip() for error in errors)

"""Model files are bounded before anything is read: an array the model does
not take is refused without being decompressed, every array's shape and
dtype is checked against what the model needs before it is allocated, and a
file may not expand beyond a multiple of its own size (``max_array_bytes``
raises the limit). The settings a file keeps go through the one parameter
table, as its door would check them. ``glassnet inspect`` applies the same
limits."""

import io
import json
import re
import tracemalloc
import zipfile

import numpy as np
import pytest
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import glassnet
from cli_helpers import FRUIT, glassnet as run_glassnet
from glassnet.cli import main
from glassnet.persistence import StateArrays, array_limit

# a pad of 2**27 float64 zeros: 1 GiB once read, about 1 MB deflated (the reproduction)
PAD = 2**27
# a pad that is quicker to write, still far beyond the limit of a small file: 128 MiB
SMALLER_PAD = 2**24


def _npy_zeros(count: int, dtype="<f8") -> bytes:
    """A .npy member of ``count`` zeros, written without allocating them."""
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": dtype, "fortran_order": False, "shape": (count,)})
    return header.getvalue() + bytes(count * np.dtype(dtype).itemsize)


def _members(path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _write(path, members: dict, document: dict):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("glassnet.json", json.dumps(document))
        for name, data in members.items():
            if name != "glassnet.json":
                archive.writestr(name, data)
    return path


def _with_arrays(source, target, arrays: dict, edit=None):
    """``source``'s model file with ``arrays`` ({name: (npy bytes, dtype, shape)}) added or replaced."""
    members = _members(source)
    document = json.loads(members["glassnet.json"])
    for name, (data, dtype, shape) in arrays.items():
        members[f"arrays/{name}.npy"] = data
        document["arrays"][name] = {"dtype": dtype, "shape": list(shape)}
    if edit is not None:
        edit(document)
    return _write(target, members, document)


def _peak_bytes(function):
    """``(result or exception, peak bytes Python and NumPy allocated)`` while calling ``function``."""
    tracemalloc.start()
    try:
        try:
            outcome = function()
        except ValueError as error:
            outcome = error
        return outcome, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """Model files of every kind glassnet writes."""
    folder = tmp_path_factory.mktemp("kinds")
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(40, 3)), np.arange(40) % 3
    data = glassnet.load_tutorial()
    paths = {
        "NeuralNetwork": glassnet.save(glassnet.NeuralNetwork(seed=0).train(data.X_train / 10, data.y_train, 3),
                                       folder / "article.glassnet"),
        "MLPClassifier": glassnet.save(glassnet.MLPClassifier(hidden_layer_sizes=(4,), max_iter=3, random_state=0).fit(X, y),
                                       folder / "classifier.glassnet"),
        "MLPRegressor": glassnet.save(glassnet.MLPRegressor(hidden_layer_sizes=(4,), max_iter=3, random_state=0, solver="sgd").fit(X, X[:, 0]),
                                      folder / "regressor.glassnet"),
        "Pipeline": glassnet.save(make_pipeline(StandardScaler(), glassnet.MLPRegressor(hidden_layer_sizes=(3,), max_iter=3,
                                                                                        random_state=0)).fit(X, X[:, 1]),
                                  folder / "pipeline.glassnet"),
    }
    assert main(["train", str(FRUIT), "--target", "fruit", "-o", str(folder / "tabular.glassnet"), "--hidden", "4",
                 "--epochs", "3", "--quiet"]) == 0
    paths["tabular"] = folder / "tabular.glassnet"
    from glassnet.playground.session import Session

    session = Session()
    session.apply({"dataset": "xor", "points": 60, "hidden": [3]})
    session.train(2)
    paths["playground"] = folder / "playground.glassnet"
    paths["playground"].write_bytes(session.model_file())
    return paths


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_a_small_file_declaring_a_gigabyte_is_refused_before_anything_is_allocated(saved, tmp_path):
    """The reproduction: a 1 MB member of 2**27 zeros listed in the arrays made
    load allocate 2 GB and then succeed."""
    pad = _npy_zeros(PAD)
    path = _with_arrays(saved["NeuralNetwork"], tmp_path / "pad.glassnet", {"pad": (pad, "<f8", (PAD,))})
    assert path.stat().st_size < 2 * 2**20
    outcome, peak = _peak_bytes(lambda: glassnet.load(path))
    assert isinstance(outcome, ValueError)
    assert re.search(r"would take 10737\d{5} bytes once read, more than the 67108864 bytes allowed", str(outcome))
    assert "max_array_bytes" in str(outcome)
    assert peak < 16 * 2**20
    # with the limit raised, the pad is still never read: the network does not take it
    outcome, peak = _peak_bytes(lambda: glassnet.load(path, max_array_bytes=2**31))
    assert isinstance(outcome, ValueError)
    assert "holds array(s) its NeuralNetwork does not use: 'pad'" in str(outcome)
    assert peak < 16 * 2**20


def test_three_pads_and_the_command_line(saved, tmp_path):
    pads = {f"pad{index}": (_npy_zeros(SMALLER_PAD), "<f8", (SMALLER_PAD,)) for index in range(3)}
    path = _with_arrays(saved["tabular"], tmp_path / "pads.glassnet", pads)
    for command in (["inspect", path], ["predict", path, FRUIT], ["evaluate", path, FRUIT]):
        run = run_glassnet(*command)
        assert run.returncode == 1 and "Traceback" not in run.stderr
        assert run.stderr.startswith("error: model file ") and "bytes once read, more than the" in run.stderr
        assert len(run.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("kind", ["NeuralNetwork", "MLPClassifier", "MLPRegressor", "Pipeline", "tabular"])
def test_an_array_the_model_does_not_use_is_refused(saved, tmp_path, kind):
    small = io.BytesIO()
    np.save(small, np.zeros(3))
    path = _with_arrays(saved[kind], tmp_path / "extra.glassnet", {"extra": (small.getvalue(), "<f8", (3,))})
    with pytest.raises(ValueError, match=rf"holds array\(s\) its {kind} does not use: 'extra'"):
        glassnet.load(path)
    assert glassnet.load(saved[kind]) is not None  # the file without it loads


def _params_name(path) -> str:
    return next(name[len("arrays/"):-len(".npy")] for name in _members(path) if name.endswith("params.npy"))


@pytest.mark.parametrize("kind", ["NeuralNetwork", "MLPClassifier", "tabular"])
def test_a_parameter_vector_of_another_size_is_refused_before_it_is_read(saved, tmp_path, kind):
    name = _params_name(saved[kind])
    path = _with_arrays(saved[kind], tmp_path / "big.glassnet", {name: (_npy_zeros(SMALLER_PAD), "<f8", (SMALLER_PAD,))})
    outcome, peak = _peak_bytes(lambda: glassnet.load(path, max_array_bytes=2**31))
    assert isinstance(outcome, ValueError)
    assert f"array 'params' has shape ({SMALLER_PAD},); the model needs shape (" in str(outcome)
    assert peak < 16 * 2**20


def test_a_parameter_vector_of_another_dtype_is_refused(saved, tmp_path):
    name = _params_name(saved["MLPRegressor"])
    count = glassnet.load(saved["MLPRegressor"]).network_.params.size
    path = _with_arrays(saved["MLPRegressor"], tmp_path / "f32.glassnet",
                        {name: (_npy_zeros(count, "<f4"), "<f4", (count,))})
    with pytest.raises(ValueError, match="array 'params' holds float32 numbers; the model needs float64"):
        glassnet.load(path)


def test_optimiser_moments_and_classes_are_checked_against_the_network(saved, tmp_path):
    path = _with_arrays(saved["MLPClassifier"], tmp_path / "moments.glassnet",
                        {"optimizer_m": (_npy_zeros(SMALLER_PAD), "<f8", (SMALLER_PAD,))})
    outcome, peak = _peak_bytes(lambda: glassnet.load(path, max_array_bytes=2**31))
    assert "array 'optimizer_m' has shape" in str(outcome) and peak < 16 * 2**20
    path = _with_arrays(saved["MLPClassifier"], tmp_path / "classes.glassnet",
                        {"classes": (_npy_zeros(5, "<i8"), "<i8", (5,))})
    with pytest.raises(ValueError, match=r"array 'classes' has shape \(5,\); the model needs shape \(3,\)"):
        glassnet.load(path)


def test_a_zip_bomb_of_the_declared_size_is_refused_and_the_keyword_lets_a_trusted_one_in(saved, tmp_path):
    """A network whose file claims 3000x3000 weights, all zeros: 72 MB once
    read from a file of a few hundred kilobytes."""
    sizes = [3000, 3000, 1]
    count = 3000 * 3000 + 3000 + 3000 + 1

    def bigger(document):
        document["state"]["config"]["layer_sizes"] = sizes

    network = glassnet.Network([2, 3, 1], rng=np.random.default_rng(0))
    small = glassnet.save(network, tmp_path / "small.glassnet")
    path = _with_arrays(small, tmp_path / "bomb.glassnet", {"params": (_npy_zeros(count), "<f8", (count,))}, bigger)
    size = path.stat().st_size
    assert size < 1 * 2**20 and array_limit(size) == 64 * 2**20
    outcome, peak = _peak_bytes(lambda: glassnet.load(path))
    assert isinstance(outcome, ValueError) and "bytes once read, more than the 67108864 bytes allowed" in str(outcome)
    assert peak < 16 * 2**20
    trusted = glassnet.load(path, max_array_bytes=10**8)
    assert trusted.layer_sizes == sizes and not trusted.params.any()


def test_the_limit_grows_with_the_file():
    assert array_limit(0) == array_limit(2**20) == 64 * 2**20
    assert array_limit(10 * 2**20) == 320 * 2**20
    assert array_limit(2**30) == 2 * 2**30


def test_every_file_written_today_and_before_loads(saved, tmp_path):
    from cli_helpers import ROOT

    for path in [*saved.values(), *sorted((ROOT / "tests" / "data").rglob("*.glassnet"))]:
        assert glassnet.load(path) is not None


# --- the accessor the kinds read their arrays through ---------------------------------------------------
# --- the settings a file keeps go through the one parameter table ----------------------------------------
def _edited(source, target, edit):
    """``source``'s model file with its state changed by ``edit(state)``."""
    members = _members(source)
    document = json.loads(members.pop("glassnet.json"))
    edit(document["state"])
    return _write(target, members, document)


def _pipeline_estimator(state) -> dict:
    return state["model"]["state"]["steps"][-1]["tuple"][1]["glassnet"]["state"]


BOGUS = {
    # the reproduction: an estimator's saved parameters loaded, predicted with the real network, and
    # get_params() returned them
    "activation": ("MLPClassifier", lambda state: state["params"].update(activation="bogus"),
                   "unknown activation 'bogus'; expected one of: identity, logistic, tanh, relu, "),
    "max_iter": ("MLPClassifier", lambda state: state["params"].update(max_iter="many"),
                 "max_iter must be an integer >= 1, got 'many'"),
    "hidden_layer_sizes": ("MLPRegressor", lambda state: state["params"].update(hidden_layer_sizes=[1e9, 1e9]),
                           "hidden_layer_sizes must be a sequence of integers >= 1, got [1000000000.0, 1000000000.0]"),
    "alpha": ("Pipeline", lambda state: _pipeline_estimator(state)["params"].update(alpha=-1),
              "alpha must be a real number in [0, inf), got -1"),
    "another estimator's": ("MLPRegressor", lambda state: state["params"].update(class_weight="balanced"),
                            "the saved parameters name 'class_weight', which MLPRegressor does not take"),
    "network's bias": ("MLPClassifier", lambda state: state["learner"]["network"].update(bias="yes"),
                       "bias must be True or False, got 'yes'"),
    # the article's settings (its file keeps them beside the Learner) and its network
    "limit": ("NeuralNetwork", lambda state: state.update(limit="many"), "limit must be a finite real number, got 'many'"),
    "shuffle": ("NeuralNetwork", lambda state: state.update(shuffle="no"), "shuffle must be True or False, got 'no'"),
    "seed": ("NeuralNetwork", lambda state: state.update(seed=-5), "seed must be an integer in [0, 4294967295], got -5"),
    "network's l2": ("NeuralNetwork", lambda state: state["learner"]["network"].update(l2="many"),
                     "l2 must be a real number in [0, inf), got 'many'"),
    # what glassnet train kept, by its flags; the counts beside them
    "--learning-rate": ("tabular", lambda state: state["settings"].update(learning_rate=-1),
                        "--learning-rate must be a real number in (0, inf), got -1"),
    "--hidden": ("tabular", lambda state: state["settings"].update(hidden=[1e9]),
                 "--hidden must be a sequence of integers >= 1, got [1000000000.0]"),
    "rows_train": ("tabular", lambda state: state["settings"].update(rows_train=-3),
                   "rows_train must be an integer >= 0, got -3"),
    "unknown": ("tabular", lambda state: state["settings"].update(colour="red"), "unknown cli setting 'colour'"),
    # what the playground kept, by its page's settings and limits
    "page's activations": ("playground", lambda state: state["settings"].update(activations=["bogus"]),
                           "unknown activations 'bogus'"),
    "page's learning rate": ("playground", lambda state: state["settings"].update(learning_rate=1e9),
                             "learning_rate must be a real number in (0, 100], got 1000000000.0"),
}


@pytest.mark.parametrize("case", list(BOGUS))
def test_settings_a_file_keeps_go_through_the_parameter_table(saved, tmp_path, case):
    kind, edit, message = BOGUS[case]
    path = _edited(saved[kind], tmp_path / "bogus.glassnet", edit)
    with pytest.raises(ValueError) as refused:
        glassnet.load(path)
    assert str(refused.value).startswith(f"model file {str(path)!r} holds an invalid ")
    assert message in str(refused.value)


def test_a_file_keeps_the_settings_it_was_given(saved):
    """What loads is what was saved: checked values, as the doors hold them."""
    assert glassnet.load(saved["MLPClassifier"]).get_params()["hidden_layer_sizes"] == (4,)
    page = glassnet.load(saved["playground"])
    assert page.door == "playground" and page.settings["hidden"] == [3] and page.settings["dataset"] == "xor"
    assert glassnet.load(saved["tabular"]).door == "cli"


def test_inspect_refuses_the_same_settings(saved, tmp_path):
    path = _edited(saved["MLPClassifier"], tmp_path / "bogus.glassnet", BOGUS["activation"][1])
    run = run_glassnet("inspect", path)
    assert run.returncode == 1 and run.stdout == ""
    assert run.stderr.startswith(f"error: model file {str(path)!r} holds an invalid MLPClassifier: unknown activation "
                                 "'bogus'; expected one of: ")
    assert len(run.stderr.strip().splitlines()) == 1


def test_state_arrays_check_before_reading():
    reads = []
    arrays = StateArrays({"a.w": (np.dtype("<f8"), (2, 3)), "b": (np.dtype("<i8"), (4,))},
                         lambda name, spec: reads.append(name) or np.zeros(spec[1], spec[0]))
    inner = arrays.within("a.")
    assert list(inner) == ["w"] and "w" in inner and "b" not in inner and inner.spec("w")[1] == (2, 3)
    with pytest.raises(ValueError, match=r"array 'w' has shape \(2, 3\); the model needs shape \(2, 4\)"):
        inner.take("w", shape=(2, 4))
    with pytest.raises(ValueError, match=r"array 'w' holds float64 numbers; the model needs float32"):
        inner.take("w", dtype=np.float32)
    with pytest.raises(ValueError, match=r"array 'b' holds int64 numbers; the model needs floats"):
        arrays.take("b", kind="f")
    with pytest.raises(ValueError, match=r"the state has no array 'c' \(it has: 'a.w', 'b'\)"):
        arrays.take("c")
    assert reads == [] and arrays.untaken() == ["a.w", "b"]
    assert inner.take("w", shape=(2, None), kind="f").shape == (2, 3)
    assert reads == ["a.w"] and arrays.untaken() == ["b"]
    assert arrays.nbytes == 6 * 8 + 4 * 8
    # a dict built in memory is checked alike
    with pytest.raises(ValueError, match=r"the model needs shape \(3,\)"):
        StateArrays.of({"x": np.zeros(2)}).take("x", shape=(3,))


def test_a_command_line_model_without_its_scaler_arrays_is_refused(saved, tmp_path):
    """Found by the fuzz suite: it loaded, and predicting raised AttributeError."""
    members = _members(saved["tabular"])
    document = json.loads(members.pop("glassnet.json"))
    del members["arrays/scaler.mean_.npy"], document["arrays"]["scaler.mean_"]
    with pytest.raises(ValueError, match="invalid tabular: the standard scaler lacks its fitted mean_"):
        glassnet.load(_write(tmp_path / "no-mean.glassnet", members, document))


@pytest.mark.parametrize("classes", ["abc", ["a", "b"], [["a", "b", "c"]]])
def test_class_labels_must_be_one_per_output(tmp_path, classes):
    """Found by the fuzz suite: labels that were not a list of one per class
    loaded, and predicting raised IndexError inside scikit-learn."""
    X = np.random.default_rng(0).normal(size=(30, 2))
    model = glassnet.MLPClassifier(hidden_layer_sizes=(3,), max_iter=2, random_state=0)
    with pytest.warns(Warning):
        model.fit(X, np.array(["x", "y", "z"])[np.arange(30) % 3])
    members = _members(glassnet.save(model, tmp_path / "labels.glassnet"))
    document = json.loads(members.pop("glassnet.json"))
    document["state"]["labels"]["classes"] = classes
    with pytest.raises(ValueError, match="the class labels must be a list of 3 labels"):
        glassnet.load(_write(tmp_path / "edited.glassnet", members, document))

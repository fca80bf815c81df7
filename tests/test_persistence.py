"""glassnet.save / glassnet.load: exact round trips, atomic writes, and
crafted files the loader must refuse."""

import io
import json
import os
import subprocess
import sys
import warnings
import zipfile

import numpy as np
import pytest
from sklearn.datasets import make_classification, make_regression
from sklearn.exceptions import ConvergenceWarning

import glassnet
from glassnet.persistence import archive

X_clf, y_clf = make_classification(60, 4, n_informative=3, n_redundant=0, n_classes=3, random_state=0)
X_reg, y_reg = make_regression(60, 4, n_targets=2, random_state=0)


def _article_network(dtype="float64"):
    data = glassnet.load_tutorial()
    model = glassnet.NeuralNetwork(seed=3, dtype=dtype)
    model.train(data.X_train / 10, data.y_train, 30)
    return model, data.X_test / 10


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_neural_network_round_trip_is_bit_identical_and_keeps_training_alike(tmp_path, dtype):
    model, X_test = _article_network(dtype)
    path = glassnet.save(model, tmp_path / "article.glassnet")
    loaded = glassnet.load(path)
    with pytest.warns(glassnet.ExtrapolationWarning):
        before = model.predict(X_test)
    with pytest.warns(glassnet.ExtrapolationWarning):
        after = loaded.predict(X_test)
    assert after.dtype == np.dtype(dtype)
    assert np.array_equal(before, after)
    assert loaded.error_list == model.error_list
    assert loaded.layers == model.layers
    np.testing.assert_array_equal(loaded.training_range.high, model.training_range.high)
    # same generator position and plain SGD: five more epochs agree exactly
    data = glassnet.load_tutorial()
    model.train(data.X_train / 10, data.y_train, 5)
    loaded.train(data.X_train / 10, data.y_train, 5)
    assert np.array_equal(model.network.params, loaded.network.params)


def test_estimators_round_trip_bit_identical(tmp_path):
    classifier = glassnet.MLPClassifier(hidden_layer_sizes=(5,), max_iter=15, random_state=0, dtype=np.float32)
    classifier.fit(X_clf, np.array(["a", "b", "c"])[y_clf])
    regressor = glassnet.MLPRegressor(hidden_layer_sizes=(6, 3), max_iter=15, random_state=0).fit(X_reg, y_reg)
    for model in (classifier, regressor):
        loaded = glassnet.load(glassnet.save(model, tmp_path / "model.glassnet"))
        assert type(loaded) is type(model)
        assert np.array_equal(loaded.predict(X_clf), model.predict(X_clf))
        assert loaded.loss_curve_ == model.loss_curve_
    assert np.array_equal(loaded_proba := glassnet.load(glassnet.save(classifier, tmp_path / "c")).predict_proba(X_clf),
                          classifier.predict_proba(X_clf))
    assert loaded_proba.dtype == np.float32
    assert list(glassnet.load(tmp_path / "c").classes_) == ["a", "b", "c"]


def _saved_classifier(tmp_path):
    """A small adam classifier fitted for five epochs, and its model file."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # five epochs do not converge
        model = glassnet.MLPClassifier(hidden_layer_sizes=(4,), max_iter=5, random_state=0).fit(X_clf, y_clf)
    return model, glassnet.save(model, tmp_path / "model.glassnet")


@pytest.mark.parametrize("options", [
    dict(solver="adam"),
    dict(solver="sgd", momentum=0.9, nesterovs_momentum=True, learning_rate="adaptive", n_iter_no_change=1, tol=10.0),
    dict(solver="sgd", momentum=0.0, learning_rate="invscaling"),
], ids=["adam", "sgd-nesterov-adaptive", "sgd-invscaling"])
def test_partial_fit_after_loading_continues_exactly(tmp_path, options):
    X, y = X_clf.astype(np.float32), y_clf
    model = glassnet.MLPClassifier(hidden_layer_sizes=(6,), batch_size=16, random_state=0, **options)
    for _ in range(4):
        model.partial_fit(X, y, classes=[0, 1, 2])
    loaded = glassnet.load(glassnet.save(model, tmp_path / "model.glassnet"))
    for _ in range(3):
        model.partial_fit(X, y)
        loaded.partial_fit(X, y)
    np.testing.assert_array_equal(loaded.network_.params, model.network_.params)
    assert loaded.loss_curve_ == model.loss_curve_
    assert loaded.learner_.optimizer.learning_rate == model.learner_.optimizer.learning_rate
    if options.get("learning_rate") == "adaptive":  # the carried plateau count lowered the rate
        assert model.learner_.optimizer.learning_rate < model.learning_rate_init


def test_article_training_after_loading_continues_exactly_with_adam(tmp_path):
    data = glassnet.load_tutorial()
    X, y = data.X_train / 10, data.y_train
    model = glassnet.NeuralNetwork(layers=[3, 4, 1], optimizer="adam", learning_rate=0.05, batch_size=2, seed=1)
    model.train(X, y, 5)
    loaded = glassnet.load(glassnet.save(model, tmp_path / "adam.glassnet"))
    model.train(X, y, 5)
    loaded.train(X, y, 5)
    np.testing.assert_array_equal(loaded.network.params, model.network.params)
    assert loaded.optimizer.steps == model.optimizer.steps == 30


def test_a_file_without_optimizer_state_loads_with_a_fresh_optimizer(tmp_path):
    model, path = _saved_classifier(tmp_path)
    members = _members(path)
    document = json.loads(members["glassnet.json"])
    document["state"]["learner"]["optimizer"] = None
    document["state"]["learner"]["stopping"] = None
    for name in [name for name in document["arrays"] if name.startswith("optimizer_")]:
        document["arrays"].pop(name)
        members.pop(f"arrays/{name}.npy")
    members["glassnet.json"] = json.dumps(document).encode()
    loaded = glassnet.load(_write(tmp_path / "old.glassnet", members))
    assert loaded.learner_.optimizer is None and loaded.learner_.stopping is None
    np.testing.assert_array_equal(loaded.predict_proba(X_clf), model.predict_proba(X_clf))
    loaded.partial_fit(X_clf, y_clf)  # starts a fresh optimiser, as after fit
    assert loaded.learner_.optimizer.steps == 1


@pytest.mark.parametrize("edit, message", [
    (lambda doc: doc["state"]["learner"]["optimizer"].update(steps=-1), "step count must be an integer >= 0"),
    (lambda doc: doc["state"]["learner"]["optimizer"].update(learning_rate="inf"), "learning rate must be a finite number"),
    (lambda doc: doc["state"]["learner"]["optimizer"].update(name="rmsprop"), "unknown optimizer 'rmsprop'"),
    (lambda doc: doc["state"]["learner"]["optimizer"]["config"].update(warp=9), "optimiser state is malformed"),
    (lambda doc: doc["state"]["learner"]["stopping"].pop("wait"), "early-stopping state is malformed"),
])
def test_malformed_optimizer_state_is_refused(tmp_path, edit, message):
    model, path = _saved_classifier(tmp_path)
    members = _members(path)
    document = json.loads(members["glassnet.json"])
    edit(document)
    members["glassnet.json"] = json.dumps(document).encode()
    with pytest.raises(ValueError, match=message):
        glassnet.load(_write(tmp_path / "edited.glassnet", members))


def test_optimizer_moments_must_fit_the_parameters(tmp_path):
    model, path = _saved_classifier(tmp_path)
    members = _members(path)
    document = json.loads(members["glassnet.json"])
    document["arrays"]["optimizer_m"]["shape"] = [3]
    members["arrays/optimizer_m.npy"] = _npy(np.zeros(3))
    members["glassnet.json"] = json.dumps(document).encode()
    with pytest.raises(ValueError, match=r"array 'optimizer_m' has shape \(3,\); the model needs shape \(35,\)"):
        glassnet.load(_write(tmp_path / "edited.glassnet", members))


def test_network_round_trip(tmp_path):
    network = glassnet.Network([4, 3, 2], output_activation="softmax", loss="categorical_crossentropy",
                               rng=np.random.default_rng(0))
    loaded = glassnet.load(glassnet.save(network, tmp_path / "n"))
    assert np.array_equal(loaded.predict(X_clf), network.predict(X_clf))


def test_unfitted_estimator_and_foreign_objects_are_refused(tmp_path):
    with pytest.raises(Exception, match="not fitted"):
        glassnet.save(glassnet.MLPClassifier(), tmp_path / "x")
    with pytest.raises(ValueError, match="cannot save a dict; expected one of: .*NeuralNetwork"):
        glassnet.save({}, tmp_path / "x")
    assert not (tmp_path / "x").exists()


def test_missing_path_and_directory(tmp_path):
    with pytest.raises(FileNotFoundError):
        glassnet.load(tmp_path / "absent.glassnet")
    with pytest.raises(IsADirectoryError):
        glassnet.load(tmp_path)
    with pytest.raises(IsADirectoryError):
        glassnet.save(_article_network()[0], tmp_path)


# --- atomic saving --------------------------------------------------------------------
def test_a_failed_save_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    model, _ = _article_network()
    path = glassnet.save(model, tmp_path / "model.glassnet")
    old = path.read_bytes()

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", crash)
    model.train(glassnet.load_tutorial().X_train / 10, glassnet.load_tutorial().y_train, 3)
    with pytest.raises(KeyboardInterrupt):
        glassnet.save(model, path)
    assert path.read_bytes() == old
    assert os.listdir(tmp_path) == ["model.glassnet"]


def test_saving_through_a_symlink_replaces_its_target_and_keeps_the_link(tmp_path):
    model, X = _article_network()
    (tmp_path / "models").mkdir()
    real = tmp_path / "models" / "v1.glassnet"
    real.write_bytes(b"old")
    link = tmp_path / "current.glassnet"
    link.symlink_to(real)
    glassnet.save(model, link)
    assert link.is_symlink() and os.readlink(link) == str(real)
    np.testing.assert_array_equal(glassnet.load(real).network.predict(X), model.network.predict(X))
    assert sorted(os.listdir(tmp_path / "models")) == ["v1.glassnet"]  # no temporary left beside it
    # a dangling link gets its target created, as open(link, "w") would
    dangling = tmp_path / "next.glassnet"
    dangling.symlink_to(tmp_path / "models" / "v2.glassnet")
    glassnet.save(model, dangling)
    assert dangling.is_symlink() and (tmp_path / "models" / "v2.glassnet").is_file()


_WRITER = """
import sys, numpy as np, glassnet
model = glassnet.NeuralNetwork(layers=[3, int(sys.argv[2]), 1], seed=int(sys.argv[2]))
for _ in range(40):
    glassnet.save(model, sys.argv[1])
"""


def test_parallel_processes_saving_one_path_leave_one_valid_model(tmp_path):
    path = tmp_path / "shared.glassnet"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    writers = [subprocess.Popen([sys.executable, "-c", _WRITER, str(path), str(size)], env=env)
               for size in (2, 3, 4, 5)]
    assert [writer.wait(timeout=120) for writer in writers] == [0, 0, 0, 0]
    assert os.listdir(tmp_path) == ["shared.glassnet"]
    loaded = glassnet.load(path)
    assert loaded.layers[1] in (2, 3, 4, 5)
    # it is one writer's model whole: the weights of that seed
    expected = glassnet.NeuralNetwork(layers=loaded.layers, seed=loaded.layers[1])
    assert np.array_equal(loaded.network.params, expected.network.params)


# --- crafted files ---------------------------------------------------------------------
def _members(path):
    with zipfile.ZipFile(path) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def _write(path, members, compression=zipfile.ZIP_STORED):
    with zipfile.ZipFile(path, "w", compression=compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _npy(array, allow_pickle=False):
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, array, allow_pickle=allow_pickle)
    return buffer.getvalue()


@pytest.fixture
def saved(tmp_path):
    model, _ = _article_network()
    return glassnet.save(model, tmp_path / "good.glassnet")


def _edited(saved, tmp_path, edit):
    members = _members(saved)
    document = json.loads(members["glassnet.json"])
    edit(document, members)
    members["glassnet.json"] = json.dumps(document).encode()
    return _write(tmp_path / "crafted.glassnet", members)


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "not a glassnet model file"),
        (b"\x00\x01binary junk\xff" * 50, "not a glassnet model file"),
        (b"weights,1,2\n3,4,5\n", "not a glassnet model file"),
    ],
)
def test_foreign_files_are_refused(tmp_path, data, message):
    path = tmp_path / "junk.glassnet"
    path.write_bytes(data)
    with pytest.raises(ValueError, match=message):
        glassnet.load(path)


def test_truncated_file_is_refused(saved, tmp_path):
    data = saved.read_bytes()
    for cut in (len(data) // 3, len(data) - 30):
        path = tmp_path / "cut.glassnet"
        path.write_bytes(data[:cut])
        with pytest.raises(ValueError, match="not a glassnet model file|damaged or truncated"):
            glassnet.load(path)


def test_tampered_bytes_fail_the_checksum(saved, tmp_path):
    members = _members(saved)
    path = _write(tmp_path / "stored.glassnet", members)  # stored: array bytes appear verbatim
    data = bytearray(path.read_bytes())
    params = members["arrays/params.npy"]
    at = bytes(data).index(params) + len(params) - 3
    data[at] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="damaged or truncated.*CRC|Bad CRC"):
        glassnet.load(path)


def test_newer_format_version_is_refused(saved, tmp_path):
    path = _edited(saved, tmp_path, lambda doc, m: doc.update(version=archive.VERSION + 1))
    with pytest.raises(ValueError, match=r"newer glassnet \(format version 2\).*upgrade"):
        glassnet.load(path)


def test_foreign_json_format_is_refused(saved, tmp_path):
    path = _edited(saved, tmp_path, lambda doc, m: doc.update(format="other-tool"))
    with pytest.raises(ValueError, match="format 'other-tool'; expected 'glassnet-model'"):
        glassnet.load(path)


def test_unknown_kind_is_refused(saved, tmp_path):
    path = _edited(saved, tmp_path, lambda doc, m: doc.update(kind="os.system"))
    with pytest.raises(ValueError, match="unknown model kind 'os.system'; expected one of"):
        glassnet.load(path)


def test_object_array_is_refused(saved, tmp_path):
    def edit(doc, members):
        members["arrays/params.npy"] = _npy(np.array([1, "x"], dtype=object), allow_pickle=True)
        doc["arrays"]["params"] = {"dtype": "|O", "shape": [2]}

    with pytest.raises(ValueError, match="numeric arrays only"):
        glassnet.load(_edited(saved, tmp_path, edit))


def test_object_array_behind_a_numeric_declaration_is_refused(saved, tmp_path):
    def edit(doc, members):
        members["arrays/params.npy"] = _npy(np.array([1, "x"], dtype=object), allow_pickle=True)

    with pytest.raises(ValueError, match="object array"):
        glassnet.load(_edited(saved, tmp_path, edit))


def test_a_pickle_in_place_of_an_array_is_refused(saved, tmp_path):
    import pickle

    def edit(doc, members):
        members["arrays/params.npy"] = pickle.dumps(np.zeros(3))

    with pytest.raises(ValueError, match="invalid .npy header"):
        glassnet.load(_edited(saved, tmp_path, edit))


def test_shape_and_dtype_must_match_the_declaration(saved, tmp_path):
    def wrong_shape(doc, members):
        members["arrays/params.npy"] = _npy(np.zeros(5))

    with pytest.raises(ValueError, match=r"array 'params' holds float64 \(5,\), but the file declares"):
        glassnet.load(_edited(saved, tmp_path, wrong_shape))

    def consistent_but_wrong_for_the_network(doc, members):
        members["arrays/params.npy"] = _npy(np.zeros(5))
        doc["arrays"]["params"]["shape"] = [5]

    with pytest.raises(ValueError, match=r"invalid NeuralNetwork: array 'params' has shape \(5,\); the model needs "
                                         r"shape \(12,\)"):
        glassnet.load(_edited(saved, tmp_path, consistent_but_wrong_for_the_network))


def test_absurd_declared_sizes_are_refused(saved, tmp_path):
    def huge(doc, members):
        doc["arrays"]["params"] = {"dtype": "<f8", "shape": [10**9, 10**9]}

    with pytest.raises(ValueError, match=r"would take 8000000000000\d{6} bytes once read, more than the 67108864 "
                                         "bytes allowed"):
        glassnet.load(_edited(saved, tmp_path, huge))

    # a zip member whose declared size is far beyond what its compressed bytes can expand to
    path = tmp_path / "bomb.glassnet"
    _write(path, _members(saved), compression=zipfile.ZIP_DEFLATED)
    data = bytearray(path.read_bytes())
    # the central directory's uncompressed size field of that member
    central = bytes(data).index(b"PK\x01\x02")  # the central directory's first record
    record = bytes(data).find(b"arrays/params.npy", central) - 46  # 46-byte fixed header before the name
    data[record + 24:record + 28] = (2**31).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="declares 2147483648 bytes"):
        glassnet.load(path)


def test_file_over_the_size_limit_is_refused_before_reading(saved):
    with pytest.raises(ValueError, match=r"over the limit of 100 bytes; pass max_bytes"):
        glassnet.load(saved, max_bytes=100)
    assert glassnet.load(saved, max_bytes=saved.stat().st_size).layers == [3, 3, 1]


@pytest.mark.parametrize("name", ["../evil.npy", "/etc/passwd", "arrays/../../x.npy", "arrays/sub/x.npy", "run.py"])
def test_path_tricks_in_member_names_are_refused(saved, tmp_path, name):
    members = _members(saved)
    members[name] = _npy(np.zeros(1))
    with pytest.raises(ValueError, match="unexpected member"):
        glassnet.load(_write(tmp_path / "tricky.glassnet", members))


def test_duplicate_members_are_refused(saved, tmp_path):
    path = tmp_path / "dup.glassnet"
    members = _members(saved)
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        with pytest.warns(UserWarning, match="Duplicate name"):
            zf.writestr("arrays/params.npy", members["arrays/params.npy"])
    with pytest.raises(ValueError, match="twice"):
        glassnet.load(path)


def test_undeclared_or_missing_arrays_are_refused(saved, tmp_path):
    def drop(doc, members):
        del members["arrays/params.npy"]

    with pytest.raises(ValueError, match=r"missing: \['params'\]"):
        glassnet.load(_edited(saved, tmp_path, drop))


def test_malformed_state_is_a_value_error(saved, tmp_path):
    path = _edited(saved, tmp_path, lambda doc, m: doc["state"]["learner"].pop("network"))
    with pytest.raises(ValueError, match="malformed NeuralNetwork state"):
        glassnet.load(path)
    path = _edited(saved, tmp_path, lambda doc, m: doc["state"]["learner"].update(rng={"bit_generator": "MT19937"}))
    with pytest.raises(ValueError):
        glassnet.load(path)


def test_encrypted_member_is_refused(saved, tmp_path):
    # found by fuzz/fuzz_load.py: the "encrypted" flag bit made zipfile raise RuntimeError
    data = bytearray(saved.read_bytes())
    central = bytes(data).index(b"PK\x01\x02")
    data[central + 8] |= 0x1  # general purpose flag of the first central directory record
    path = tmp_path / "encrypted.glassnet"
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="is encrypted"):
        glassnet.load(path)

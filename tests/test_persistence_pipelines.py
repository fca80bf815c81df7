"""Model files holding scikit-learn pipelines: exact round trips, refused steps, hostile files."""

import io
import json
import pickle
import zipfile

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import ColumnTransformer, make_column_transformer
from sklearn.datasets import load_breast_cancer, load_diabetes, load_wine
from sklearn.decomposition import PCA
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import (FunctionTransformer, MaxAbsScaler, MinMaxScaler, OneHotEncoder, OrdinalEncoder,
                                   PolynomialFeatures, RobustScaler, StandardScaler)

import glassnet

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning",
                                        "ignore::glassnet.ExtrapolationWarning")


def wine_table():
    """Wine's numbers with a few holes, plus two text columns made from them."""
    X, y = load_wine(return_X_y=True, as_frame=True)
    frame = X.iloc[:, :6].copy()
    frame.iloc[::9, 1] = np.nan
    frame["hue_band"] = pd.cut(X["hue"], 3, labels=["dull", "mid", "bright"]).astype(str)
    frame["alcohol_band"] = np.where(X["alcohol"] > 13, "strong", "light")
    return frame, np.array(["first", "second", "third"])[y]


def roundtrip(model, tmp_path):
    path = glassnet.save(model, tmp_path / "pipeline.glassnet")
    return glassnet.load(path)


@pytest.mark.parametrize("scaler", [StandardScaler(), MinMaxScaler(clip=True), RobustScaler(), MaxAbsScaler()], ids=repr)
def test_pipeline_with_column_transformer_is_bit_identical(scaler, tmp_path):
    frame, y = wine_table()
    columns = ColumnTransformer([
        ("numbers", make_pipeline(SimpleImputer(strategy="median"), scaler), list(frame.columns[:5])),
        ("ash", "passthrough", [frame.columns[5]]),
        ("hue", OneHotEncoder(handle_unknown="ignore", sparse_output=False), ["hue_band"]),
        ("alcohol", OrdinalEncoder(), ["alcohol_band"]),
    ], remainder="drop")
    model = make_pipeline(columns, glassnet.MLPClassifier((12,), max_iter=100, random_state=0)).fit(frame, y)
    loaded = roundtrip(model, tmp_path)
    assert type(loaded) is type(model) and [name for name, _ in loaded.steps] == [name for name, _ in model.steps]
    assert np.array_equal(loaded.predict_proba(frame), model.predict_proba(frame))
    assert np.array_equal(loaded.predict(frame), model.predict(frame))
    # rows never seen, an unknown category and a hole included
    new = frame.sample(20, random_state=1).assign(hue_band="unseen")
    new.iloc[0, 0] = np.nan
    assert np.array_equal(loaded.predict_proba(new), model.predict_proba(new))


def test_regressor_pipeline_with_drop_and_remainder_passthrough(tmp_path):
    X, y = load_diabetes(return_X_y=True, as_frame=True)
    columns = make_column_transformer((StandardScaler(), ["bmi", "bp"]), ("drop", ["sex"]), remainder="passthrough")
    model = make_pipeline(columns, MaxAbsScaler(),
                          glassnet.MLPRegressor(hidden_layer_sizes=(8,), solver="lbfgs", max_iter=50,
                                                random_state=0)).fit(X, y)
    loaded = roundtrip(model, tmp_path)
    assert np.array_equal(loaded.predict(X), model.predict(X))
    assert loaded.score(X, y) == model.score(X, y)


def test_a_column_transformer_alone_and_numpy_input(tmp_path):
    X, y = load_breast_cancer(return_X_y=True)
    transformer = ColumnTransformer([("a", RobustScaler(), slice(0, 10)), ("b", "passthrough", [10, 11])],
                                    remainder=MinMaxScaler()).fit(X)
    loaded = roundtrip(transformer, tmp_path)
    assert np.array_equal(loaded.transform(X), transformer.transform(X))
    pipeline = make_pipeline(StandardScaler(), glassnet.MLPClassifier((5,), max_iter=30, random_state=0)).fit(X, y)
    assert np.array_equal(roundtrip(pipeline, tmp_path).predict_proba(X), pipeline.predict_proba(X))


def test_training_continues_exactly_after_loading(tmp_path):
    X, y = load_wine(return_X_y=True)
    model = make_pipeline(StandardScaler(), glassnet.MLPClassifier((6,), max_iter=20, random_state=0)).fit(X, y)
    loaded = roundtrip(model, tmp_path)
    model[-1].partial_fit(model[0].transform(X), y)
    loaded[-1].partial_fit(loaded[0].transform(X), y)
    assert np.array_equal(loaded.predict_proba(X), model.predict_proba(X))


@pytest.mark.parametrize("step, named", [
    (PolynomialFeatures(), "step 'polynomialfeatures' of the Pipeline: a PolynomialFeatures"),
    (PCA(2), "step 'pca' of the Pipeline: a PCA"),
    (FunctionTransformer(np.sin), "step 'functiontransformer' of the Pipeline: its func calls 'sin', code a glassnet "
                                  "model file never holds"),
])
def test_unsupported_steps_are_refused_by_name(step, named, tmp_path):
    X, y = load_wine(return_X_y=True)
    model = make_pipeline(step, glassnet.MLPClassifier((4,), max_iter=10, random_state=0)).fit(np.abs(X), y)
    with pytest.raises(ValueError, match=f"cannot save {named}"):
        glassnet.save(model, tmp_path / "x.glassnet")
    assert not (tmp_path / "x.glassnet").exists()


def test_a_function_transformer_of_a_named_numpy_function_round_trips(tmp_path):
    X, y = load_wine(return_X_y=True)
    model = make_pipeline(FunctionTransformer(np.log1p), StandardScaler(),
                          glassnet.MLPClassifier((4,), max_iter=10, random_state=0)).fit(X, y)
    loaded = roundtrip(model, tmp_path)
    assert loaded[0].func is np.log1p
    assert np.array_equal(loaded.predict_proba(X), model.predict_proba(X))


def test_refusals_name_nested_steps_foreign_estimators_and_unfitted_pipelines(tmp_path):
    X, y = load_wine(return_X_y=True)
    nested = make_pipeline(ColumnTransformer([("poly", PolynomialFeatures(), [0, 1])]), LogisticRegression())
    with pytest.raises(ValueError, match=r"step 'poly' of the ColumnTransformer: a PolynomialFeatures .*expected one of: Pipeline"):
        glassnet.save(nested, tmp_path / "x.glassnet")
    with pytest.raises(ValueError, match="step 'logisticregression' of the Pipeline: a LogisticRegression"):
        glassnet.save(make_pipeline(StandardScaler(), LogisticRegression()).fit(X, y), tmp_path / "x.glassnet")
    with pytest.raises(ValueError, match="not fitted yet"):
        glassnet.save(make_pipeline(StandardScaler(), glassnet.MLPClassifier()), tmp_path / "x.glassnet")
    assert not list(tmp_path.iterdir())


# --- hostile files ----------------------------------------------------------------------------------
@pytest.fixture
def saved(tmp_path):
    X, y = load_wine(return_X_y=True)
    model = make_pipeline(StandardScaler(), MinMaxScaler(),
                          glassnet.MLPClassifier((4,), max_iter=10, random_state=0)).fit(X, y)
    return glassnet.save(model, tmp_path / "good.glassnet")


def _rewrite(saved, tmp_path, edit):
    with zipfile.ZipFile(saved) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    document = json.loads(members["glassnet.json"])
    edit(document, members)
    members["glassnet.json"] = json.dumps(document).encode()
    path = tmp_path / "crafted.glassnet"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _first_step(document):
    return document["state"]["model"]["state"]["steps"][0]["tuple"][1]


@pytest.mark.parametrize("edit, message", [
    (lambda d, m: _first_step(d).update(estimator="Popen"), "a step of class 'Popen'; a glassnet model file holds only"),
    (lambda d, m: _first_step(d)["state"].update(__class__="x"), "attribute named '__class__'"),
    (lambda d, m: _first_step(d)["state"].update(mean_={"call": "os.system"}), "unknown entry 'call'"),
    (lambda d, m: _first_step(d)["state"].update(mean_={"array": "missing"}), "array 'missing' that the file does not hold"),
    (lambda d, m: _first_step(d)["state"].update(mean_={"dtype": "V8"}), "not allowed in a pipeline state"),
    (lambda d, m: _first_step(d)["state"].update(mean_={"type": "eval"}), "type 'eval' is not one"),
    (lambda d, m: d["state"]["model"]["state"]["steps"][2]["tuple"][1]["glassnet"].update(kind="tabular"),
     "holds a glassnet 'tabular'; expected one of"),
    (lambda d, m: d["state"]["model"].update(estimator="StandardScaler"), "expected one of: Pipeline, ColumnTransformer, TransformedTargetRegressor"),
    (lambda d, m: _first_step(d)["state"].update(mean_={"text_array": "|O", "shape": [1], "items": [{"tuple": []}]}),
     "text array holds something other than text"),
])
def test_crafted_states_are_refused(saved, tmp_path, edit, message):
    with pytest.raises(ValueError, match=message):
        glassnet.load(_rewrite(saved, tmp_path, edit))


def test_pickles_object_arrays_truncation_and_random_bytes_are_refused(saved, tmp_path):
    def pickled(document, members):
        members["arrays/sk.0.npy"] = pickle.dumps(np.zeros(13))

    with pytest.raises(ValueError, match="invalid .npy header"):
        glassnet.load(_rewrite(saved, tmp_path, pickled))

    def object_array(document, members):
        buffer = io.BytesIO()
        np.lib.format.write_array(buffer, np.array([1, "x"], dtype=object), allow_pickle=True)
        members["arrays/sk.0.npy"] = buffer.getvalue()

    with pytest.raises(ValueError, match="object array"):
        glassnet.load(_rewrite(saved, tmp_path, object_array))
    data = saved.read_bytes()
    for cut in (len(data) // 2, len(data) - 20):
        (tmp_path / "cut.glassnet").write_bytes(data[:cut])
        with pytest.raises(ValueError, match="not a glassnet model file|damaged or truncated"):
            glassnet.load(tmp_path / "cut.glassnet")
    (tmp_path / "noise.glassnet").write_bytes(np.random.default_rng(0).bytes(5000))
    with pytest.raises(ValueError, match="not a glassnet model file"):
        glassnet.load(tmp_path / "noise.glassnet")


def _leaves(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index))
    else:
        yield path


def test_every_altered_value_loads_or_is_a_value_error(tmp_path):
    """Each leaf of a pipeline file's state replaced by values of other types:
    loading gives a pipeline or a ValueError, never another exception."""
    frame, y = wine_table()
    columns = ColumnTransformer([("numbers", make_pipeline(SimpleImputer(), RobustScaler()), list(frame.columns[:3])),
                                 ("text", OneHotEncoder(handle_unknown="ignore"), ["hue_band"]),
                                 ("order", OrdinalEncoder(), ["alcohol_band"])])
    model = make_pipeline(columns, glassnet.MLPClassifier((3,), max_iter=5, random_state=0)).fit(frame, y)
    saved = glassnet.save(model, tmp_path / "good.glassnet")
    with zipfile.ZipFile(saved) as archive:
        document = json.loads(archive.read("glassnet.json"))
    paths = [path for path in _leaves(document["state"]) if path[-1] != "version"]
    rng = np.random.default_rng(0)
    chosen = [paths[i] for i in rng.choice(len(paths), size=min(120, len(paths)), replace=False)]
    outcomes = set()
    for path in chosen:
        for replacement in (None, -1, 10**30, "x", [], {}, {"scalar": "|i1", "value": 10**6}, {"dtype": "[('a', '<i4')]"}):
            def edit(document, members, path=path, replacement=replacement):
                target = document["state"]
                for key in path[:-1]:
                    target = target[key]
                target[path[-1]] = replacement

            try:
                glassnet.load(_rewrite(saved, tmp_path, edit))
                outcomes.add("loaded")
            except ValueError:
                outcomes.add("refused")
    assert outcomes == {"loaded", "refused"}

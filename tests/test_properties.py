"""Property-based tests: over random shapes, dtypes, scales and options,
every fit either works (predictions of the right shape, finite) or raises a
ValueError with a message. Nothing else: no other exception, no NaN output,
no RuntimeWarning (the suite turns those into errors)."""

import csv
import io
import warnings

import numpy as np
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import glassnet
from glassnet.tabular.fitting import Options, fit_table
from glassnet.tabular.predictions import prediction_table
from glassnet.tabular.reading import read_table

SETTINGS = settings(max_examples=60, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
TOLERATED = (glassnet.DivergenceWarning, glassnet.ExtrapolationWarning, UserWarning)


@st.composite
def datasets(draw):
    rows = draw(st.integers(1, 30))
    features = draw(st.integers(1, 6))
    classes = draw(st.integers(1, 4))
    dtype = draw(st.sampled_from(["float32", "float64", "int"]))
    exponent = draw(st.integers(-30, 30))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((rows, features)) * 10.0**exponent
    if dtype == "int":  # int64 holds up to 9.2e18
        X = np.round(np.clip(X, -1e18, 1e18)).astype(np.int64)
    else:
        X = X.astype(dtype)
    labels = rng.integers(0, classes, rows)
    return X, labels, dtype


def _outcome(fit_and_predict):
    """Run; return the predictions, or None after a ValueError with a message."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TOLERATED)
        warnings.simplefilter("error", RuntimeWarning)
        try:
            result = fit_and_predict()
        except ValueError as error:
            assert str(error).strip(), "a ValueError without a message"
            event(f"ValueError: {str(error)[-60:]}")  # --hypothesis-show-statistics lists these
            return None
    event("fitted and predicted")
    return result


@SETTINGS
@given(data=datasets(), solver=st.sampled_from(["adam", "sgd", "lbfgs"]), batch=st.integers(1, 40),
       early_stopping=st.booleans())
def test_classifier_fits_or_says_why(data, solver, batch, early_stopping):
    X, labels, dtype = data
    model = glassnet.MLPClassifier(hidden_layer_sizes=(4,), solver=solver, batch_size=batch, max_iter=3,
                                   early_stopping=early_stopping, random_state=0,
                                   dtype=np.float32 if dtype == "float32" else None)

    def run():
        model.fit(X, labels)
        return model.predict(X), model.predict_proba(X)

    result = _outcome(run)
    if result is not None:
        predicted, proba = result
        assert predicted.shape == (X.shape[0],) and set(predicted) <= set(labels)
        # one class still gives two columns, as scikit-learn's binary case does
        assert proba.shape == (X.shape[0], max(2, len(model.classes_))) and np.isfinite(proba).all()
        assert len(model.loss_curve_ if solver != "lbfgs" else [model.loss_]) >= 1
        assert np.isfinite(model.network_.params).all()


@SETTINGS
@given(data=datasets(), outputs=st.integers(1, 3), solver=st.sampled_from(["adam", "sgd", "lbfgs"]))
def test_regressor_fits_or_says_why(data, outputs, solver):
    X, labels, dtype = data
    Y = np.column_stack([labels * (k + 1.0) for k in range(outputs)])
    y = Y[:, 0] if outputs == 1 else Y
    model = glassnet.MLPRegressor(hidden_layer_sizes=(3, 2), solver=solver, max_iter=3, random_state=0)

    def run():
        model.fit(X, y)
        return model.predict(X)

    predicted = _outcome(run)
    if predicted is not None:
        assert predicted.shape == np.shape(y) and np.isfinite(predicted).all()
        assert np.isfinite(model.network_.params).all()


@SETTINGS
@given(data=datasets(), loss=st.sampled_from(["squared_error", "absolute_error", "binary_crossentropy"]),
       optimizer=st.sampled_from(["sgd", "adam"]), batch=st.one_of(st.none(), st.integers(1, 10)))
def test_neural_network_trains_or_says_why(data, loss, optimizer, batch):
    X, labels, dtype = data
    network = glassnet.NeuralNetwork(layers=[X.shape[1], 3, 1], loss=loss, optimizer=optimizer, batch_size=batch,
                                     seed=0, dtype="float32" if dtype == "float32" else "float64")

    def run():
        network.train(X, (labels > 0).astype(float), 3)
        return network.predict(X)

    predicted = _outcome(run)
    if predicted is not None:
        assert predicted.shape == (X.shape[0], 1) and np.isfinite(predicted).all()
        assert all(np.isfinite(network.error_list))


# --- the CSV reader and glassnet train's pipeline ------------------------------------------
NUMBERS = st.integers(-10**6, 10**6).map(str)
CELLS = st.one_of(
    NUMBERS, NUMBERS, NUMBERS, NUMBERS,  # mostly numbers, so that many tables train
    st.just(""),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["1e400", "-1e308", "1e-320", "0x1F", "  7 ", "NaN", "inf", '"quoted"', "a,b", "x\ny"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=8),
)


def _clean_targets(rows):
    """The same feature cells, the target alternating between two labels."""
    return [(*row[:2], ("a", "ü b")[index % 2]) for index, row in enumerate(rows)]


# any cell anywhere; or 16-30 rows of numbers (some empty, tiny or huge) with a clean target,
# so that many tables get through to training
TABLES = (st.lists(st.tuples(CELLS, CELLS, CELLS), min_size=1, max_size=30)
          | st.lists(st.tuples(NUMBERS, NUMBERS | st.sampled_from(["", " 3 ", "-0", "1e-300", "1e300"]), CELLS),
                     min_size=16, max_size=30).map(_clean_targets))


@SETTINGS
@given(rows=TABLES)
def test_csv_tables_train_or_say_why(rows, tmp_path_factory):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["a", "b", "target"])
    writer.writerows(rows)
    path = tmp_path_factory.mktemp("csv") / "data.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")

    def run():
        frame = read_table(path)
        model, test, _ = fit_table(frame, Options(target="target", hidden=(3,), epochs=2, drop_missing=True), "data")
        # every row of the file, whatever its cells, gets a row of predictions
        table, _ = prediction_table(model, frame, "data")
        return model, test, model.predict(test), frame, table

    result = _outcome(run)
    if result is not None:
        model, test, predicted, frame, table = result
        assert len(predicted) == len(test)
        assert len(table) == len(frame) and table["row"].tolist() == list(range(1, len(frame) + 1))
        assert ((table["note"] == "") == table[f"predicted_{model.target}"].notna()).all()
        if model.task == "regress":
            assert np.isfinite(predicted.astype(float)).all()

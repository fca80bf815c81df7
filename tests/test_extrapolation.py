"""ExtrapolationWarning: rows outside the training range are named, rows inside are not."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.preprocessing import MinMaxScaler

import glassnet
from glassnet.engine.training_range import ExtrapolationWarning, TrainingRange


@pytest.fixture
def tutorial():
    """The article's network trained on MinMax-scaled rows (fitted on training rows, no clipping)."""
    data = glassnet.load_tutorial()
    scaler = MinMaxScaler().fit(data.X_train)
    nn = glassnet.NeuralNetwork(seed=0).train(scaler.transform(data.X_train), data.y_train, 50)
    return nn, scaler, data


def test_it_is_a_user_warning_exported_at_the_top():
    assert issubclass(glassnet.ExtrapolationWarning, UserWarning)
    assert glassnet.ExtrapolationWarning is ExtrapolationWarning


def test_the_articles_test_rows_warn_naming_feature_rows_and_distance(tutorial):
    nn, scaler, data = tutorial
    with pytest.warns(ExtrapolationWarning, match="range") as caught:
        nn.predict(scaler.transform(data.X_test))
    [record] = caught
    assert str(record.message) == (
        "2 of 6 rows are outside the training range; worst x[:, 2]: up to 9 above [0, 1]; "
        "see glassnet.explain_extrapolation(model, X)"
    )
    assert record.filename == __file__  # points at the caller of predict
    warning = record.message
    assert (warning.n_rows, warning.n_total) == (2, 6)
    [excursion] = warning.excursions
    assert (excursion.feature, excursion.rows_above, excursion.most_above) == (2, 2, 9.0)


def test_rows_inside_the_range_give_no_warning(tutorial):
    nn, scaler, data = tutorial
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nn.predict(scaler.transform(data.X_train))
        nn.predict([1.0, 1.0, 1.0])  # exactly on the edge is inside
        nn.predict(scaler.transform(data.X_test[[0, 1, 4, 5]]))


def test_both_sides_and_several_features_are_counted(tutorial):
    nn = tutorial[0]
    X = np.array([[-1.0, 0.5, 0.5], [2.0, 3.0, 0.5], [0.5, 0.5, 0.5], [0.5, -0.25, 0.5]])
    with pytest.warns(ExtrapolationWarning) as caught:
        assert nn.predict(X).shape == (4, 1)
    # the warning names the worst feature (x[:, 1]: 2 widths above); the report has them all
    assert str(caught[0].message).startswith("3 of 4 rows are outside the training range; worst x[:, 1]: up to 2 above")
    assert [excursion.feature for excursion in caught[0].message.excursions] == [0, 1]
    message = str(glassnet.explain_extrapolation(nn, X))
    assert message.startswith("3 of 4 rows are outside the training range")
    assert "x[:, 0] leaves its range [0, 1] in 2 rows: up to 1 below, up to 1 above (1× the range's width)" in message
    assert "x[:, 1] leaves its range [0, 1] in 2 rows: up to 0.25 below, up to 2 above (2× the range's width)" in message
    assert "x[:, 2]" not in message


def test_one_vector_outside_warns_once(tutorial):
    nn = tutorial[0]
    with pytest.warns(ExtrapolationWarning, match=r"^1 of 1 row is outside the training range") as caught:
        assert isinstance(nn.predict([0.5, 0.5, 1.5]), float)
    assert len(caught) == 1


def test_repeated_training_widens_the_range_to_the_union():
    nn = glassnet.NeuralNetwork(seed=0)
    nn.train(np.array([[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]]), [0, 1], 2)
    nn.train(np.array([[2.0, -1.0, 0.5]]), [1], 2)
    np.testing.assert_array_equal(nn.training_range.low, [0, -1, 0])
    np.testing.assert_array_equal(nn.training_range.high, [2, 1, 1])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nn.predict([[1.5, -0.5, 0.0]])


def test_the_articles_manual_loop_records_the_range_too():
    nn = glassnet.NeuralNetwork(seed=0)
    assert nn.training_range is None
    X = np.array([[0.0, 0.2, 0.4], [1.0, 0.8, 0.6]])
    nn.backward(X, [0, 1], nn.forward(X))
    np.testing.assert_array_equal(nn.training_range.low, [0, 0.2, 0.4])
    np.testing.assert_array_equal(nn.training_range.high, [1, 0.8, 0.6])


def test_an_untrained_network_does_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        glassnet.NeuralNetwork(seed=0).predict([100.0, -100.0, 5.0])


def test_validation_rows_are_not_part_of_the_range():
    nn = glassnet.NeuralNetwork(seed=0)
    X, X_val = np.array([[0.0, 0, 0], [1, 1, 1]]), np.array([[5.0, 5, 5]])
    nn.train(X, [0, 1], 2, validation_data=(X_val, [1]))
    np.testing.assert_array_equal(nn.training_range.high, [1, 1, 1])


def test_many_features_are_summed_up_after_five():
    rng = TrainingRange.of(np.zeros((2, 8)))
    with pytest.warns(ExtrapolationWarning, match=r"; and 3 more feature\(s\)$"):
        rng.warn(np.ones((1, 8)))


def test_sparse_input_gives_the_same_excursions_as_dense():
    X = sp.random(40, 6, density=0.3, random_state=1, format="csr")
    X_new = sp.random(10, 6, density=0.5, random_state=2, format="csr") * 3
    ranges = TrainingRange.of(X)
    np.testing.assert_array_equal(ranges.high, X.toarray().max(axis=0))
    assert ranges.excursions(X_new) == ranges.excursions(X_new.toarray())
    assert ranges.excursions(X_new)[0] > 0


def test_range_round_trips_through_plain_values():
    ranges = TrainingRange.of(np.array([[0.0, 1.5], [2.0, -3.0]]), names=["age", "income"])
    again = TrainingRange.from_dict(ranges.as_dict())
    np.testing.assert_array_equal(again.low, ranges.low)
    np.testing.assert_array_equal(again.high, ranges.high)
    assert again.names == ("age", "income")
    with pytest.warns(ExtrapolationWarning, match=r"income leaves its range \[-3, 1.5\] in 1 row: up to 0.5 above"):
        again.warn(np.array([[1.0, 2.0]]))

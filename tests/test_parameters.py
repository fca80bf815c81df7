"""One parameter table for every door: the same bad value gets the same
message from NeuralNetwork, the estimators (at fit), the playground's
settings and the command line, each naming the setting its own way; and
every door's settings are the table's, no more and no fewer."""

import inspect
import math
import subprocess
import sys
import warnings
from numbers import Integral, Real

import numpy as np
import pytest

import glassnet
from cli_helpers import ENV, FRUIT, glassnet as run_glassnet
from glassnet import parameters
from glassnet.parameters import CLI, ESTIMATOR, NEURAL_NETWORK, PLAYGROUND, TRAIN
from glassnet.playground.session import Settings

X = np.random.default_rng(0).random((20, 3))
y = np.arange(20) % 2


def neural_network(name, value):
    if name in ("epochs", "patience", "tol", "validation_split"):
        glassnet.NeuralNetwork(seed=0).train(X, y, **{name: value})
    else:
        glassnet.NeuralNetwork(**{name: value})


def estimator(name, value):
    model = glassnet.MLPClassifier(**{"max_iter": 2, name: value})  # __init__ only stores
    model.fit(X, y)


def playground(name, value):
    Settings.parse({name: value})


def refusal(door, name, value) -> str:
    with pytest.raises(ValueError) as raised:
        door(name, value)
    return str(raised.value)


def command_line(flag, text) -> str:
    run = run_glassnet("train", FRUIT, "--target", "fruit", "-o", "unused.glassnet", flag, text)
    lines = run.stderr.strip().splitlines()
    assert run.returncode == 2 and run.stdout == "", run.stderr
    assert len(lines) == 2 and lines[0].startswith("error: ") and lines[1].startswith("hint: "), run.stderr
    return lines[0].removeprefix("error: ")


# a setting, its name in each door that has it, bad values and the message every door gives
CASES = [
    ({NEURAL_NETWORK: "learning_rate", ESTIMATOR: "learning_rate_init", PLAYGROUND: "learning_rate",
      CLI: "--learning-rate"}, [-1, 0, -0.5, math.nan, math.inf, "fast"],
     "{name} must be a real number in (0, inf), got {value}"),
    ({TRAIN: "epochs", ESTIMATOR: "max_iter", CLI: "--epochs"}, [2.5, 0, -3],
     "{name} must be an integer >= 1, got {value}"),
    ({NEURAL_NETWORK: "activation", ESTIMATOR: "activation", CLI: "--activation"}, ["sigmod"],
     "unknown {name} {value}; expected one of: identity, logistic, tanh, relu, leaky_relu, elu, gelu, swish"),
    ({NEURAL_NETWORK: "batch_size", ESTIMATOR: "batch_size", PLAYGROUND: "batch_size", CLI: "--batch-size"},
     [0, -2, 1.5], "{name} must be an integer >= 1, got {value}"),
    ({NEURAL_NETWORK: "l2", ESTIMATOR: "alpha", PLAYGROUND: "l2"}, [-1, -0.001, math.nan],
     "{name} must be a real number in [0, inf), got {value}"),
    ({PLAYGROUND: "test_ratio", CLI: "--test-size"}, [0, 1, 1.5, -0.2], "{name} must be a real number in (0, 1), got {value}"),
    ({NEURAL_NETWORK: "seed", ESTIMATOR: "random_state", PLAYGROUND: "seed", CLI: "--seed"}, [-1, 2**32],
     "{name} must be an integer in [0, 4294967295], got {value}"),
    ({TRAIN: "patience", ESTIMATOR: "n_iter_no_change"}, [0, 1.5], "{name} must be an integer >= 1 or numpy.inf, got {value}"),
    ({NEURAL_NETWORK: "optimizer", ESTIMATOR: "solver", PLAYGROUND: "optimizer", CLI: "--solver"}, ["newton"],
     "unknown {name} {value}; expected one of: lbfgs, sgd, adam"),
]
PYTHON_DOORS = {NEURAL_NETWORK: neural_network, TRAIN: neural_network, ESTIMATOR: estimator, PLAYGROUND: playground}


@pytest.mark.parametrize("names, values, message", CASES, ids=[case[0].get(ESTIMATOR, case[0].get(CLI)) for case in CASES])
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_one_bad_value_one_message_in_every_python_door(names, values, message):
    for value in values:
        for door, name in names.items():
            if door in PYTHON_DOORS:
                assert refusal(PYTHON_DOORS[door], name, value) == message.format(name=name, value=repr(value))


@pytest.mark.parametrize("names, values, message", [case for case in CASES if CLI in case[0]],
                         ids=[case[0][CLI] for case in CASES if CLI in case[0]])
def test_the_command_line_gives_the_same_message_naming_its_flag(names, values, message):
    value = values[0]
    assert command_line(names[CLI], str(value)) == message.format(name=names[CLI], value=repr(value))


def test_the_article_network_refuses_an_uphill_learning_rate():
    # it used to train with the negative step and the loss grew (6.97 -> 11.46)
    for value, shown in ((-1, "-1"), (-1.0, "-1.0"), (0.0, "0.0"), (np.float64(-2), "-2.0")):
        with pytest.raises(ValueError) as raised:
            glassnet.NeuralNetwork(learning_rate=value)
        assert str(raised.value) == f"learning_rate must be a real number in (0, inf), got {shown}"
    assert glassnet.NeuralNetwork(learning_rate=None).optimizer.learning_rate == 1.0  # the article's step


def test_the_playground_refuses_beyond_its_page_limits_in_the_same_words():
    assert refusal(playground, "learning_rate", 250) == "learning_rate must be a real number in (0, 100], got 250"
    assert refusal(playground, "activations", ["relu", "sigmod"]) == (
        "unknown activations 'sigmod'; expected one of: identity, logistic, tanh, relu, leaky_relu, elu, gelu, swish")
    # the same value elsewhere is fine: the page's limit is the page's
    glassnet.NeuralNetwork(learning_rate=250)


def test_negative_numbers_and_infinities_reach_the_table_on_the_command_line():
    assert command_line("--learning-rate", "-1e-3") == "--learning-rate must be a real number in (0, inf), got -0.001"
    assert command_line("--learning-rate", "-inf") == "--learning-rate must be a real number in (0, inf), got -inf"
    assert command_line("--hidden", "16,0") == "--hidden must be a sequence of integers >= 1, got [16, 0]"


def test_flags_outside_the_table_speak_its_language():
    run = run_glassnet("trace", "model.glassnet", FRUIT, "--row", "0")
    assert run.returncode == 2 and run.stderr.startswith("error: --row must be an integer >= 1, got 0\n")


def test_a_usage_error_loads_neither_scikit_learn_nor_pandas():
    script = ("import sys\nfrom glassnet.cli import main\n"
              "try:\n    main(['train', 'x.csv', '--target', 'y', '-o', 'm.glassnet', '--learning-rate', '-1'])\n"
              "except SystemExit as exit:\n    assert exit.code == 2\n"
              "print(sorted(name for name in ('sklearn', 'pandas', 'matplotlib') if name in sys.modules))")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=ENV, timeout=120)
    assert run.stdout.strip() == "[]", run.stderr
    assert "--learning-rate must be a real number in (0, inf), got -1" in run.stderr


def test_the_table_loads_nothing_heavy():
    script = ("import sys\nimport glassnet.parameters\n"
              "print(sorted(name for name in sys.modules if name.startswith(('sklearn', 'pandas', 'matplotlib', "
              "'scipy', 'glassnet.engine'))))")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=ENV, timeout=120)
    assert run.stdout.strip() == "[]", run.stderr


# --- every door's settings are the table's, and the table's are every door's ------------------------------
def _keywords(function, leave_out=()):
    return [name for name in inspect.signature(function).parameters if name not in ("self", *leave_out)]


def _names(door):
    return [setting.name(door).name for setting in parameters.settings_of(door)]


# how a table is read: the table's settings, whose values the reader reads by its own rules
READING = {"--sep", "--encoding"}


def _setting_flags():
    """glassnet train's flags that are settings: the model's, the data's and
    how the data is read (not where the data comes from)."""
    from glassnet.cli import build_parser

    train = build_parser()._subparsers._group_actions[0].choices["train"]
    groups = [group for group in train._action_groups if group.title in ("model", "data")]
    return {action.option_strings[-1]: action for group in groups for action in group._group_actions
            if action.option_strings and action.option_strings[-1] != "--dataset"}


def test_every_neural_network_keyword_is_in_the_table_with_its_default():
    assert set(_keywords(glassnet.NeuralNetwork.__init__)) == set(_names(NEURAL_NETWORK))
    # train's keywords, but its data (X, y, validation_data)
    assert set(_keywords(glassnet.NeuralNetwork.train, ("X", "y", "validation_data"))) == set(_names(TRAIN))
    for door, function in ((NEURAL_NETWORK, glassnet.NeuralNetwork.__init__), (TRAIN, glassnet.NeuralNetwork.train)):
        for name in _names(door):
            assert inspect.signature(function).parameters[name].default == parameters.lookup(door, name).default(door)


def test_every_estimator_parameter_is_in_the_table_with_its_default():
    shown = {**glassnet.MLPClassifier().get_params(), **glassnet.MLPRegressor().get_params()}
    assert set(shown) == set(_names(ESTIMATOR))
    assert shown == parameters.defaults(ESTIMATOR)
    assert parameters.lookup(ESTIMATOR, "class_weight").name(ESTIMATOR).only == "classifier"
    assert parameters.lookup(ESTIMATOR, "loss").name(ESTIMATOR).only == "regressor"


def test_every_setting_flag_of_glassnet_train_is_the_tables():
    flags = _setting_flags()
    assert set(flags) == set(_names(CLI))
    for flag, action in flags.items():
        setting = parameters.lookup(CLI, flag)
        assert action.default == setting.default(CLI) and action.dest == setting.name(CLI).dest
        assert action.help == parameters.cli_help(setting)
        if action.type is not None and flag != "--sep":  # store_true flags take no value; --sep reads names
            assert action.type.__name__ == flag


def test_every_playground_setting_is_in_the_table_with_its_default():
    # the page's settings are the table's: a setting added there is one of the page's
    assert set(Settings().as_dict()) == set(_names(PLAYGROUND))
    assert Settings().as_dict() == parameters.defaults(PLAYGROUND)
    assert Settings.parse({"learning_rate": "0.5"}).learning_rate == 0.5


def test_the_table_names_each_setting_once_per_door():
    keys = [setting.key for setting in parameters.TABLE]
    assert len(keys) == len(set(keys))
    for door in parameters.DOORS:
        names = _names(door)
        assert len(names) == len(set(names)), door
    # one concept, four spellings
    rate = parameters.lookup(ESTIMATOR, "learning_rate_init")
    assert {door: rate.name(door).name for door in rate.doors} == {
        NEURAL_NETWORK: "learning_rate", ESTIMATOR: "learning_rate_init", CLI: "--learning-rate",
        PLAYGROUND: "learning_rate"}
    assert {door: rate.default(door) for door in rate.doors} == {
        NEURAL_NETWORK: None, ESTIMATOR: 0.001, CLI: 0.001, PLAYGROUND: 0.03}


def test_the_tables_lists_are_the_ones_the_doors_use():
    from glassnet.estimators._params import REGRESSION_OUTPUTS
    from glassnet.glassbox.extrapolation import EXTRAPOLATION_SETTINGS

    assert tuple(REGRESSION_OUTPUTS) == parameters.REGRESSION_LOSSES
    assert EXTRAPOLATION_SETTINGS == parameters.EXTRAPOLATION
    assert parameters.offered(CLI, "--task") == ["classify", "regress"]
    from glassnet.tabular.imputing import STRATEGIES

    assert STRATEGIES == parameters.IMPUTE


def test_a_model_files_settings_pass_the_table(tmp_path):
    from glassnet.cli import main

    path = tmp_path / "fruit.glassnet"
    assert main(["train", str(FRUIT), "--target", "fruit", "-o", str(path), "--hidden", "4", "--epochs", "3",
                 "--ignore", "colour", "--id", "firmness", "--quiet"]) == 0
    kept = glassnet.load(path).settings
    settings = {name: value for name, value in kept.items() if name not in ("source", "rows_train", "rows_test",
                                                                          "rows_dropped")}
    assert parameters.check_settings(CLI, settings) == settings
    # every setting the file keeps is a flag of the table (record_stats lives in the history instead)
    assert {parameters.lookup(CLI, name).name(CLI).name for name in settings} == \
        set(_names(CLI)) - {"--record-stats"} - READING
    with pytest.raises(ValueError, match=r"--learning-rate must be a real number in \(0, inf\), got -1"):
        parameters.check_settings(CLI, {**settings, "learning_rate": -1})


# --- check_settings: a whole dict for one door -------------------------------------------------------------
def test_check_settings_checks_and_reads_a_whole_dict():
    assert parameters.check_settings(CLI, {"hidden": "16,8", "learning_rate": "0.01", "early_stopping": "true"}) == {
        "hidden": [16, 8], "learning_rate": 0.01, "early_stopping": True}
    assert parameters.check_settings(NEURAL_NETWORK, {"layers": [2, 3, 1], "seed": 4}) == {"layers": [2, 3, 1], "seed": 4}
    # no hidden layer is a network too, in every door that takes hidden sizes
    assert parameters.check_settings(CLI, {"--hidden": ""}) == {"--hidden": []}
    assert parameters.check_settings(ESTIMATOR, {"hidden_layer_sizes": ()}) == {"hidden_layer_sizes": ()}
    # Python doors take values, not texts
    with pytest.raises(ValueError, match=r"learning_rate_init must be a real number in \(0, inf\), got '0.01'"):
        parameters.check_settings(ESTIMATOR, {"learning_rate_init": "0.01"})
    complete = parameters.check_settings(PLAYGROUND, {"learning_rate": 0.5}, complete=True)
    assert complete == {**parameters.defaults(PLAYGROUND), "learning_rate": 0.5}
    with pytest.raises(ValueError, match="unknown NeuralNetwork setting 'learning_rate_init'; expected one of: "
                                         "input_size, hidden_size"):
        parameters.check_settings(NEURAL_NETWORK, {"learning_rate_init": 0.1})
    with pytest.raises(ValueError, match="unknown door 'sklearn'; expected one of: NeuralNetwork, NeuralNetwork.train"):
        parameters.check_settings("sklearn", {})
    with pytest.raises(ValueError, match="settings must be a dict of names and values, got \\[1\\]"):
        parameters.check_settings(CLI, [1])


def test_aliases_are_taken_in_every_door_and_train_alike():
    settings = dict(hidden_layer_sizes=(4,), max_iter=5, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # five epochs do not converge
        aliased = glassnet.MLPClassifier(activation="sigmoid", **settings).fit(X, y)
        named = glassnet.MLPClassifier(activation="logistic", **settings).fit(X, y)
    np.testing.assert_array_equal(aliased.coefs_[0], named.coefs_[0])
    assert glassnet.NeuralNetwork(activation="sigmoid").network.activations[0].name == "logistic"
    assert Settings.parse({"activations": ["sigmoid", "relu"]}).activations == ["logistic", "relu"]


# --- the constraints ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("constraint, described", [
    (parameters.Interval(Integral, 1), "an integer >= 1"),
    (parameters.Interval(Integral, 0, 10), "an integer in [0, 10]"),
    (parameters.Interval(Real, 0, 1, closed="neither"), "a real number in (0, 1)"),
    (parameters.Interval(Real, 0, 1, closed="left"), "a real number in [0, 1)"),
    (parameters.Interval(Real, 0, 1, closed="right"), "a real number in (0, 1]"),
    (parameters.Interval(Real, None, 0, closed="right"), "a real number in (-inf, 0]"),
    (parameters.Interval(Real), "a finite real number"),
    (parameters.Each(parameters.Interval(Integral, 1), max_length=3),
     "a sequence of at most 3 integers >= 1"),
    (parameters.AnyOf(parameters.Boolean(), parameters.NoneValue()), "True, False or None"),
])
def test_constraints_describe_themselves(constraint, described):
    assert constraint.describe() == described


def test_intervals_keep_their_ends_and_refuse_nan_and_booleans():
    half_open = parameters.Interval(Real, 0, 1, closed="left")
    assert half_open.accepts(0) and half_open.accepts(0.999) and not half_open.accepts(1.0)
    assert not half_open.accepts(math.nan) and not half_open.accepts(True) and not half_open.accepts("0.5")
    count = parameters.Interval(Integral, 1)
    assert count.accepts(np.int64(3)) and not count.accepts(3.0) and not count.accepts(np.bool_(True))
    assert parameters.from_text(half_open, "0.25") == 0.25 and parameters.from_text(count, "-3") == -3
    assert parameters.from_text(count, "many") == "many"

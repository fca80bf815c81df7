"""The numpydoc sections come from the parameter tables and cannot drift: every
__init__ argument is documented, in order, with its real default, and every
documented attribute exists on a trained model."""

import inspect
import re
import warnings

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.utils._repr_html.common import get_docstring, scrape_estimator_docstring

import glassnet
from glassnet import parameters
from glassnet.estimators import PARAMETERS

CLASSES = [glassnet.MLPClassifier, glassnet.MLPRegressor, glassnet.NeuralNetwork]


def documented(cls, section):
    return scrape_estimator_docstring(inspect.getdoc(cls))[section]


def signature_defaults(cls):
    return {name: parameter.default for name, parameter in inspect.signature(cls.__init__).parameters.items()
            if name != "self"}


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_every_init_parameter_is_documented_in_order_with_its_default(cls):
    defaults = signature_defaults(cls)
    entries = documented(cls, "Parameters")
    assert [entry.name for entry in entries] == list(defaults)
    for entry in entries:
        assert entry.type.endswith(f"default={defaults[entry.name]!r}"), (entry.name, entry.type)
        assert " ".join(entry.desc).strip(), entry.name
        # what scikit-learn's HTML repr shows in notebooks on hovering a parameter
        assert get_docstring(cls, "Parameters", entry.name) is not None


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_the_parameters_sections_come_from_the_one_table(cls):
    door = parameters.NEURAL_NETWORK if cls is glassnet.NeuralNetwork else parameters.ESTIMATOR
    for entry in documented(cls, "Parameters"):
        setting = parameters.lookup(door, entry.name)
        default = signature_defaults(cls)[entry.name]
        assert setting.default(door) == default
        assert entry.type == f"{setting.type_for(door)}, default={default!r}"
        assert " ".join(" ".join(entry.desc).split()).startswith(" ".join(setting.doc_for(door).split()))
    # the estimators' public view is the same table
    table = {parameter.name: parameter for parameter in PARAMETERS}
    for name, default in signature_defaults(glassnet.MLPRegressor).items():
        assert table[name].default == default
        assert table[name].doc == parameters.lookup(parameters.ESTIMATOR, name).doc_for(parameters.ESTIMATOR)


def test_the_command_lines_help_comes_from_the_one_table():
    from cli_helpers import glassnet as run_glassnet

    shown = run_glassnet("train", "--help", env={"COLUMNS": "400"}).stdout
    flat = " ".join(shown.split())
    assert len(parameters.settings_of(parameters.CLI)) == 28
    for setting in parameters.settings_of(parameters.CLI):
        help_text = parameters.cli_help(setting)
        assert help_text.startswith(setting.summary())
        # the flag, its usage, then the table's words
        assert re.search(re.escape(setting.name(parameters.CLI).name) + r"( \S+)? " + re.escape(help_text), flat), \
            help_text
    assert "  --learning-rate RATE  step size of sgd and adam (default: 0.001)" in shown
    assert "  --hidden SIZES        units per hidden layer, from the input side; comma-separated, such as 64,32 (default: 64,32)" in shown


def test_every_documented_attribute_exists_on_a_trained_model():
    X, y = load_iris(return_X_y=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        models = {
            glassnet.MLPClassifier: glassnet.MLPClassifier((4,), max_iter=5, early_stopping=True, random_state=0).fit(X, y),
            glassnet.MLPRegressor: glassnet.MLPRegressor(hidden_layer_sizes=(4,), max_iter=5, random_state=0).fit(X, y.astype(float)),
            glassnet.NeuralNetwork: glassnet.NeuralNetwork(layers=[4, 3, 1]).train(X / 8, (y == 1) * 1.0, 3),
        }
    for cls, model in models.items():
        names = [entry.name for entry in documented(cls, "Attributes")]
        assert len(names) >= 12
        missing = [name for name in names if not hasattr(model, name) and name != "feature_names_in_"]
        assert missing == [], (cls.__name__, missing)
    assert "classes_" not in [entry.name for entry in documented(glassnet.MLPRegressor, "Attributes")]


def test_help_shows_the_sections():
    text = glassnet.MLPClassifier.__doc__
    assert "\nParameters\n----------\nhidden_layer_sizes : array-like" in text
    assert "\nAttributes\n----------\nclasses_ : " in text
    assert "extrapolation : {'warn', 'ignore'}, default='warn'" in text


def test_no_setting_summary_stops_at_an_abbreviation():
    """A setting's short help is its meaning's first sentence: an "e.g." in it cut --encoding's help to
    "the file's text encoding, e.g"."""
    for setting in parameters.TABLE:
        summary = setting.summary()
        assert not summary.endswith((" e.g", " i.e", " etc", " vs")), (setting.key, summary)

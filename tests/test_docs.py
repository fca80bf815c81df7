"""The numpydoc sections come from the parameter tables and cannot drift: every
__init__ argument is documented, in order, with its real default, and every
documented attribute exists on a trained model."""

import inspect
import warnings

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.utils._repr_html.common import get_docstring, scrape_estimator_docstring

import glassnet
from glassnet import article_parameters
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


def test_the_estimators_sections_come_from_the_one_table():
    table = {parameter.name: parameter for parameter in PARAMETERS}
    for cls in (glassnet.MLPClassifier, glassnet.MLPRegressor):
        for entry in documented(cls, "Parameters"):
            assert table[entry.name].default == signature_defaults(cls)[entry.name]
            assert " ".join(entry.desc).startswith(table[entry.name].doc.split()[0])
    assert [entry.name for entry in article_parameters.PARAMETERS] == list(signature_defaults(glassnet.NeuralNetwork))


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

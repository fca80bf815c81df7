"""Advice as data, said by each door in its own words: a fix is a setting of
the one table and a value; the command line says it as a flag, Python as a
keyword, the page as its control; a door without the setting leaves it out."""

import re
from pathlib import Path

import pytest

from glassnet import parameters
from glassnet.parameters import (ANY, CLI, ESTIMATOR, NEURAL_NETWORK, PLAYGROUND, TRAIN, Code, Fix, FixableError,
                                 Fixes, Message, Named, phrased)
from glassnet.tabular.notes import DataNote

PAGE = (Path(parameters.__file__).parents[1] / "playground" / "static" / "index.html").read_text()


@pytest.mark.parametrize("fix, said", [
    (Fix("learning rate", 0.05, verb="lower"),
     {CLI: "--learning-rate 0.05", ESTIMATOR: "learning_rate_init=0.05", NEURAL_NETWORK: "learning_rate=0.05",
      TRAIN: "learning_rate=0.05", PLAYGROUND: "lower the Learning rate to 0.05"}),
    # NeuralNetwork's keywords and its train()'s are one language
    (Fix("epochs", 400, verb="raise"),
     {CLI: "--epochs 400", ESTIMATOR: "max_iter=400", NEURAL_NETWORK: "epochs=400", PLAYGROUND: ""}),
    (Fix("class weight", "balanced"),
     {CLI: "--class-weight balanced", ESTIMATOR: "class_weight='balanced'", NEURAL_NETWORK: "", PLAYGROUND: ""}),
    (Fix("init", "glorot"), {CLI: "", ESTIMATOR: "", NEURAL_NETWORK: "init='glorot'", PLAYGROUND: ""}),
    (Fix("record stats", True),
     {CLI: "--record-stats", ESTIMATOR: "record_stats=True", PLAYGROUND: "tick Layer stats"}),
    (Fix("separator", ";"), {CLI: "--sep ';'", PLAYGROUND: ""}),
    (Fix("hidden layers", [16, 8]), {CLI: "--hidden 16,8", ESTIMATOR: "hidden_layer_sizes=(16, 8)",
                                     PLAYGROUND: "set the hidden layers to 16, 8"}),
    (Fix("l2", verb="raise"), {ESTIMATOR: "a larger alpha", NEURAL_NETWORK: "a larger l2", PLAYGROUND: "raise the L2",
                               CLI: ""}),
    (Fix("test size", verb="change"), {CLI: "--test-size FRACTION", PLAYGROUND: "change the Test data"}),
    (Code("StandardScaler()"), {ESTIMATOR: "StandardScaler()", NEURAL_NETWORK: "StandardScaler()", CLI: "",
                                PLAYGROUND: ""}),
])
def test_a_fix_in_every_door(fix, said):
    for door, words in said.items():
        assert fix.phrase(door) == words, door


def test_a_fix_names_a_setting_of_the_table():
    with pytest.raises(ValueError, match="unknown setting 'learning_rat'; expected one of: input size, "):
        Fix("learning_rat", 0.1)
    assert Fix("target", "Sales").as_dict(CLI) == {"setting": "target", "said": "--target Sales", "value": "Sales"}
    assert Fix("target").as_dict(PLAYGROUND) == {"setting": "target", "said": "set the Target"}
    assert Fix("target").value is ANY


def test_every_control_the_page_names_is_on_the_page():
    for setting in parameters.settings_of(PLAYGROUND):
        label = setting.name(PLAYGROUND).label
        assert label, setting.key
    # the data's controls are laid out by the page; the others are built from the table's controls
    from glassnet.playground.controls import controls

    shown = [text.strip() for text in re.findall(r"<label[^>]*>([^<]+)<", PAGE)]
    built = {control["name"]: control["label"] for control in controls()}
    for key in ("target", "test size", "data set", "noise", "points"):
        assert parameters.setting(key).name(PLAYGROUND).label in shown, key
    for key in ("learning rate", "solver", "loss", "batch size", "l2", "seed", "record stats", "momentum", "beta_1"):
        name = parameters.setting(key).name(PLAYGROUND)
        assert built[name.name] == name.label, key


def test_a_message_and_a_refusal_are_said_per_door():
    message = Message("'d.csv' lacks the ", Named("target"), " column 'Slaes' (did you mean 'Sales'?",
                      Fixes(Fix("target", "Sales"), before=" ", after=""), ")")
    assert str(message) == "'d.csv' lacks the --target column 'Slaes' (did you mean 'Sales'? --target Sales)"
    assert message.render(PLAYGROUND) == ("'d.csv' lacks the Target column 'Slaes' (did you mean 'Sales'? "
                                          "set the Target to Sales)")
    # a door without the setting names it by the table's key and drops the fix
    assert message.render(ESTIMATOR) == "'d.csv' lacks the target column 'Slaes' (did you mean 'Sales'?)"
    error = FixableError(message)
    assert isinstance(error, ValueError) and str(error) == str(message)
    assert error.fixes == [Fix("target", "Sales")] and phrased(error, PLAYGROUND) == message.render(PLAYGROUND)
    # a note holding a message is said per door too; anything else as it is
    assert phrased(DataNote(message), PLAYGROUND) == message.render(PLAYGROUND)
    assert phrased(ValueError("plain"), PLAYGROUND) == "plain"
    # words where a door can take none of the fixes
    either = Fixes(Fix("separator", ";"), before=": pass ", after="", otherwise=": save it with commas")
    assert either.phrase(CLI) == ": pass --sep ';'" and either.phrase(PLAYGROUND) == ": save it with commas"

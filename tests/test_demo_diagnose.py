"""``glassnet demo --diagnose``: a badly trained article network and the doctor's verdict."""

import re

import glassnet
from cli_helpers import glassnet as run_glassnet


def test_demo_diagnose_finds_the_cause_and_the_fix_is_healthy():
    run = run_glassnet("demo", "--diagnose")
    assert run.returncode == 0, run.stderr
    out = run.stdout
    data = glassnet.load_tutorial()
    bad = glassnet.NeuralNetwork(seed=0, learning_rate=50).train(data.X_train, data.y_train, 200)
    losses = bad.history["loss"]
    assert f"Loss: {losses[0]:.4f} at epoch 1, {losses[-1]:.4f} at epoch 200" in out
    doctor, fixed = out.split("Following its advice")
    # the cause, named first: a learning rate so large the loss rose, with the advice to lower it
    first_row = re.search(r"│ (high|medium|low) +│ (\w+)", doctor)
    assert first_row.groups() == ("high", "learning_rate")
    # in the words of the class the demo calls: its keyword
    assert "the loss rose from" in doctor and "(learning_rate=5.0)" in doctor
    assert "input_scaling" in doctor and "saturated_units" in doctor
    assert "Accuracy on the test set: 1.00." in fixed and "no problems found in NeuralNetwork" in fixed


def test_demo_diagnose_with_another_seed():
    run = run_glassnet("demo", "--diagnose", "--seed", "3")
    assert run.returncode == 0 and "seed 3" in run.stdout and "learning_rate" in run.stdout

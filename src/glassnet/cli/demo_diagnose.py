"""``glassnet demo --diagnose``: the article's network trained badly on
purpose, and the training doctor finding out why."""

from __future__ import annotations

import warnings

from rich.console import Console

from ..article import NeuralNetwork
from ..datasets import load_tutorial
from ..glassbox.diagnose import diagnose
from ..preprocessing import make_scaler

BAD_LEARNING_RATE = 50.0
EPOCHS = 200


def run_diagnosis(console: Console, seed: int, epochs: int = EPOCHS) -> int:
    data = load_tutorial()
    console.print("[bold]glassnet demo --diagnose[/bold]: the article's network, trained badly on purpose\n")
    console.print(f"Training: learning rate {BAD_LEARNING_RATE:g} (the article's is 1), no scaling "
                  f"(the first feature is 0 or 10), {epochs} epochs, seed {seed}.")
    bad = NeuralNetwork(seed=seed, learning_rate=BAD_LEARNING_RATE)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        bad.train(data.X_train, data.y_train, epochs, record_stats=True)
    for warning in caught:
        console.print(f"warning: {warning.message}")
    losses = bad.history["loss"]
    console.print(f"Loss: {losses[0]:.4f} at epoch 1, {losses[-1]:.4f} at epoch {len(losses)}; "
                  f"accuracy on the test set {bad.test_evaluation(data.X_test, data.y_test, verbose=False).accuracy:.2f}.\n")
    console.print("What the doctor says ([italic]glassnet.diagnose(nn, X_train, y_train)[/italic]):")
    console.print(diagnose(bad, data.X_train, data.y_train))
    scaler = make_scaler("minmax").fit(data.X_train)
    X_train = scaler.transform(data.X_train)
    console.print("\nFollowing its advice: the article's step of 1 and a MinMaxScaler fitted on the training rows.")
    good = NeuralNetwork(seed=seed).train(X_train, data.y_train, epochs)
    result = good.test_evaluation(scaler.transform(data.X_test), data.y_test, verbose=False)
    console.print(f"Accuracy on the test set: {result.accuracy:.2f}.")
    console.print(diagnose(good, X_train, data.y_train))
    return 0

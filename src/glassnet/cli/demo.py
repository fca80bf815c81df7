"""``glassnet demo``: the article's Step 5, end to end, with honest scaling."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rich.console import Console

from ..article import NeuralNetwork
from ..datasets import load_tutorial
from ..evaluation import EvaluationResult
from ..preprocessing import OutOfRange, make_scaler, out_of_range
from . import wrote
from ._outputs import Output, check_outputs
from .explain import print_explanation

EPOCHS = 200


@dataclass
class TutorialRun:
    network: NeuralNetwork
    scaler: object
    evaluation: EvaluationResult
    outside: list[OutOfRange]
    X_test: np.ndarray
    prediction: float


def fitted_scaler(name: str, X_train):
    """``(scaler, transform)``: the named scaler fitted on ``X_train`` (None and asarray for "none")."""
    transformer = make_scaler(name)
    if transformer is None:
        return None, np.asarray
    transformer.fit(X_train)
    return transformer, transformer.transform


def tutorial_run(seed: int = 0, scaler: str = "minmax", epochs: int = EPOCHS) -> TutorialRun:
    """The article's experiment: scale, train 200 epochs, evaluate, predict.

    The scaler is fitted on the training rows only; the article refitted it
    on the test rows, which leaks test information into preprocessing.
    """
    data = load_tutorial()
    transformer, scale = fitted_scaler(scaler, data.X_train)
    network = NeuralNetwork(seed=seed)
    network.train(scale(data.X_train), data.y_train, epochs)
    evaluation = network.test_evaluation(scale(data.X_test), data.y_test, verbose=False)
    outside = out_of_range(data.X_test, data.X_train.min(axis=0), data.X_train.max(axis=0))
    prediction = network.predict(scale(data.X_predict)[0])
    return TutorialRun(network, transformer, evaluation, outside, data.X_test, prediction)


def _vector(row) -> str:
    return "[" + ", ".join(f"{v:g}" for v in row) + "]"


def _describe_outside(run: TutorialRun, scaler: str) -> list[str]:
    if not run.outside:
        return ["Every test value lies inside the training range."]
    lines = [f"{len({item.row for item in run.outside})} test row(s) lie outside the training range:"]
    for item in run.outside:
        if scaler == "minmax":
            action = "clipped to the range"
        else:
            action = "kept beyond the range"
        lines.append(
            f"  row {item.row + 1} {_vector(run.X_test[item.row])}: x{item.feature + 1} = {item.value:g}, "
            f"range [{item.low:g}, {item.high:g}], {action}"
        )
    return lines


def run(args) -> int:
    # the plot's suffix is checked where it is drawn
    check_outputs([Output("--plot", args.plot, "picture")], force=args.force)
    console = Console(highlight=False)
    if args.diagnose:
        from .demo_diagnose import run_diagnosis

        return run_diagnosis(console, args.seed)
    if args.explain:
        scaler, scale = fitted_scaler(args.scaler, load_tutorial().X_train)
        network = print_explanation(console, args.seed, scaler, scale, EPOCHS)
        if args.plot:
            network.view_error_development(args.plot)
            wrote(args.plot)
            console.print(f"Error development plot saved to {args.plot}")
        return 0
    run = tutorial_run(args.seed, args.scaler)
    data = load_tutorial()
    console.print("[bold]glassnet demo[/bold]: the article's network on the article's data\n")
    console.print(f"Data: {len(data.X_train)} training and {len(data.X_test)} test vectors;")
    console.print("      the label is 1 when the first number is 10.")
    if run.scaler is None:
        console.print("Scaling: none; the raw numbers reach the network.")
    else:
        console.print(f"Scaling: {run.scaler!r}, fitted on the training rows only.")
    console.print("      (The article refitted its scaler on the test rows: a leak.)")
    for line in _describe_outside(run, args.scaler):
        console.print(line)
    errors = run.network.error_list
    console.print(f"\nNetwork: 3-3-1, logistic, no biases, weights uniform in [0, 1), seed {args.seed}.")
    console.print(f"Training: {EPOCHS} epochs of full-batch gradient descent, step 1.")
    console.print(f"Mean absolute error: {errors[0]:.4f} at epoch 1, {errors[-1]:.4f} at epoch {len(errors)}.\n")
    run.evaluation.print(console)
    console.print("The article reports TP 2, TN 4, FP 0, FN 0, accuracy 1.")
    label = int(run.prediction >= run.network.limit)
    console.print(f"\nPrediction for {_vector(data.X_predict[0])}: {run.prediction:.4f} -> class {label}")
    if args.plot:
        run.network.view_error_development(args.plot)
        wrote(args.plot)
        console.print(f"Error development plot saved to {args.plot}")
    return 0

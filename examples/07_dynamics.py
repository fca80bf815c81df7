"""Per-layer dynamics: why a deep logistic network does not learn and a ReLU one does.

Two networks of four hidden layers of 32 units on the digits, trained the
same way (plain gradient descent, learning rate 0.1), one with logistic
hidden units and one with ReLUs. ``record_stats=True`` keeps, per epoch and
per layer, the weight norm, the gradient norm, the update-to-weight ratio
and the share of dead or saturated units, and
``glassnet.plot.training_dynamics`` draws them. The logistic network's
gradient shrinks at every layer on its way back to the input (the
logistic's slope is at most 1/4), so the first layer's is hundreds of times
smaller than the output layer's and the first layers barely move; the ReLU
network's gradient reaches every layer at about the same size.

    python examples/07_dynamics.py [--quick] [--out DIR]
"""

import argparse
import warnings
from pathlib import Path

from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.preprocessing import StandardScaler

import glassnet
import glassnet.plot

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--quick", action="store_true", help="fewer epochs")
parser.add_argument("--out", type=Path, default=Path("."), help="folder for the pictures (default: here)")
args = parser.parse_args()
args.out.mkdir(parents=True, exist_ok=True)

X, y = load_digits(return_X_y=True)
X = StandardScaler().fit_transform(X)

for activation in ("logistic", "relu"):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = glassnet.MLPClassifier((32, 32, 32, 32), activation=activation, solver="sgd", learning_rate_init=0.1,
                                       max_iter=30 if args.quick else 100, random_state=0, record_stats=True).fit(X, y)
    first = model.learner_.history.records[0]["layer_grad_norm"]
    print(f"{activation}: training accuracy {model.score(X, y):.3f} after {model.n_iter_} epochs")
    print("  gradient norm per layer in the first epoch, input side first: "
          + ", ".join(f"{norm:.2g}" for norm in first))
    print(f"  the output layer's gradient is {first[-1] / first[0]:.0f} times the first layer's")
    glassnet.plot.training_dynamics(model, args.out / f"dynamics_{activation}.png")
print(f"pictures written to {args.out}")

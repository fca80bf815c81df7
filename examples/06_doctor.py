"""The training doctor catches a learning rate too high.

Handwritten digits, scaled properly, and a classifier trained with plain
gradient descent at a learning rate of 1: the loss falls, then jumps about.
``glassnet.diagnose`` reads the history and says why in words (the loss
oscillates; lower the learning rate, and by how much). Trained again with
the rate it suggests, the same network gets a clean bill of health.

    python examples/06_doctor.py [--quick] [--out DIR]
"""

import argparse
import warnings
from pathlib import Path

from matplotlib.figure import Figure
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

import glassnet

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--quick", action="store_true", help="fewer epochs")
parser.add_argument("--out", type=Path, default=Path("."), help="folder for the pictures (default: here)")
args = parser.parse_args()
args.out.mkdir(parents=True, exist_ok=True)

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0, stratify=y)
scaler = StandardScaler().fit(X_train)
X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)

models = {}
for rate in (1.0, 0.1):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        # extrapolation="ignore": a few test pixels are lit that no training image lit (03_digits is about that)
        model = glassnet.MLPClassifier((32,), solver="sgd", learning_rate_init=rate, max_iter=30 if args.quick else 100,
                                       extrapolation="ignore", random_state=0).fit(X_train, y_train)
    models[rate] = model
    diagnosis = glassnet.diagnose(model, X_train, y_train)
    print(f"learning rate {rate}: test accuracy {model.score(X_test, y_test):.3f}; "
          f"the doctor's findings: {[finding.check for finding in diagnosis.findings]}")
    print(diagnosis, end="\n\n")

figure = Figure(figsize=(7, 4))
axes = figure.add_subplot()
for rate, model in models.items():
    axes.plot(range(1, len(model.loss_curve_) + 1), model.loss_curve_, marker=".", label=f"learning rate {rate}")
axes.set_yscale("log")
axes.set_title("Training loss per epoch: the rate the doctor flagged, and the one it suggested", fontsize=10)
axes.set_xlabel("Epoch")
axes.set_ylabel("cross-entropy (log scale)")
axes.grid(alpha=0.3)
axes.legend()
figure.tight_layout()
figure.savefig(args.out / "doctor_loss_curves.png", dpi=120)
print(f"pictures written to {args.out}")

"""Extrapolation: what a network says outside the range it was trained on.

A regressor learns y = sin(x) from points with x between -3 and 3, and is
then asked about x from -6 to 6. Inside the training range it follows the
curve; outside, it carries on in whatever direction its last units point,
with nothing to do with the sine. glassnet remembers the range each
feature was trained on: the first prediction beyond it warns once, in one
line, and ``glassnet.explain_extrapolation`` gives the detail per feature.

    python examples/08_extrapolation.py [--quick] [--out DIR]
"""

import argparse
import warnings
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

import glassnet

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--quick", action="store_true", help="fewer points")
parser.add_argument("--out", type=Path, default=Path("."), help="folder for the pictures (default: here)")
args = parser.parse_args()
args.out.mkdir(parents=True, exist_ok=True)

rng = np.random.default_rng(0)
x_train = rng.uniform(-3, 3, (100 if args.quick else 400, 1))
y_train = np.sin(x_train[:, 0]) + rng.normal(scale=0.05, size=len(x_train))
model = glassnet.MLPRegressor(hidden_layer_sizes=(32, 32), activation="tanh", solver="lbfgs", max_iter=2000, random_state=0)
model.fit(x_train, y_train)
print(f"trained on x in [{x_train.min():.2f}, {x_train.max():.2f}]; training_range_ = {model.training_range_.ravel()}")

x = np.linspace(-6, 6, 241)[:, None]
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always", glassnet.ExtrapolationWarning)
    predicted = model.predict(x)
    model.predict(x)  # the same model warns once, not at every call
for warning in caught:
    print(f"{warning.category.__name__}: {warning.message}")

inside = (x[:, 0] >= x_train.min()) & (x[:, 0] <= x_train.max())
error = np.abs(predicted - np.sin(x[:, 0]))
print(f"largest error inside the training range: {error[inside].max():.3f}; outside: {error[~inside].max():.3f}")
print(glassnet.explain_extrapolation(model, x))

figure = Figure(figsize=(7, 4))
axes = figure.add_subplot()
axes.axvspan(x_train.min(), x_train.max(), color="tab:green", alpha=0.1, label="training range")
axes.plot(x[:, 0], np.sin(x[:, 0]), color="black", linewidth=1, label="sin(x)")
axes.plot(x[:, 0], predicted, color="tab:blue", linewidth=2, label="the network")
axes.scatter(x_train[:, 0], y_train, s=8, color="tab:gray", label="training points")
axes.set_ylim(-3, 3)
axes.set_xlabel("x")
axes.set_ylabel("y")
axes.set_title("A 1-32-32-1 tanh regressor inside and outside its training range", fontsize=10)
axes.legend(fontsize=8, loc="lower left")
axes.grid(alpha=0.3)
figure.tight_layout()
figure.savefig(args.out / "extrapolation.png", dpi=120)
print(f"pictures written to {args.out}")

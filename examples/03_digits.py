"""Handwritten digits: a real data set, and the glass box on it.

scikit-learn's 8x8 digits (1,797 images, shipped with scikit-learn), split
into training and test rows, scaled with the training rows only, and
classified by a 64-32-10 relu network with a softmax output, and the test
digits' confusion matrix drawn (which digit is taken for which). Then: the
gradients checked on a few rows, one test digit traced to its ten
probabilities, the activations inspected for dead units, and the
extrapolation warning for test pixels brighter than any in training.

    python examples/03_digits.py [--quick] [--out DIR]
"""

import argparse
import warnings
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from sklearn.datasets import load_digits
from sklearn.metrics import ConfusionMatrixDisplay
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler

import glassnet
import glassnet.plot

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--quick", action="store_true", help="fewer epochs")
parser.add_argument("--out", type=Path, default=Path("."), help="folder for the pictures (default: here)")
args = parser.parse_args()
args.out.mkdir(parents=True, exist_ok=True)

digits = load_digits()
X_train, X_test, y_train, y_test = train_test_split(
    digits.data, digits.target, test_size=0.25, random_state=0, stratify=digits.target
)
scaler = MinMaxScaler().fit(X_train)
X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
Y_train = np.eye(10)[y_train]

nn = glassnet.NeuralNetwork(
    layers=[64, 32, 10], activation="relu", loss="categorical_crossentropy", bias=True, init="he",
    optimizer="adam", learning_rate=0.005, batch_size=32, reduction="mean", metric="accuracy", seed=0,
)
nn.train(X_train, Y_train, 10 if args.quick else 40)
print(f"training accuracy after {len(nn.error_list)} epochs: {nn.error_list[-1]:.3f}")

# a few test pixels are brighter than in any training image: predict says which
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always", glassnet.ExtrapolationWarning)
    probabilities = nn.predict(X_test)
for warning in caught:
    print(f"ExtrapolationWarning: {warning.message}")
predicted = probabilities.argmax(axis=1)
print(f"test accuracy: {np.mean(predicted == y_test):.3f}")

# which digit is taken for which: scikit-learn's confusion-matrix display on a matplotlib Figure
figure = Figure(figsize=(6, 5.5))
axes = figure.add_subplot()
ConfusionMatrixDisplay.from_predictions(y_test, predicted, ax=axes, colorbar=False, cmap="Blues")
axes.set_title(f"{len(y_test)} test digits: true (rows) against predicted (columns)", fontsize=10)
figure.tight_layout()
figure.savefig(args.out / "digits_confusion.png", dpi=120)

print(f"gradient disagreement beyond finite-difference noise on 20 rows: {glassnet.check_gradients(nn, X_train[:20], Y_train[:20]):.1e}")

# one test digit, every number of its forward and backward pass
trace = nn.trace(X_test[0], np.eye(10)[y_test[0]])
print(f"digit {y_test[0]}: the network says {trace.output.argmax()} with probability {trace.output.max():.3f}")

for layer in glassnet.plot.activation_health(nn, X_train):
    print(f"layer {layer.layer} ({layer.activation}): {layer.describe()}")
glassnet.plot.activations(nn, X_train, args.out / "digits_activations.png")
glassnet.plot.network(nn, args.out / "digits_network.png", x=X_test[0])
nn.view_error_development(args.out / "digits_accuracy.png")
print(f"pictures written to {args.out}")

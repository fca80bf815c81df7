"""XOR: where the article's network needs biases, seen in its decision boundary.

Four clouds of points at the corners of a square; the label is 1 when the
two coordinates have the same sign. No straight line separates the classes,
so a hidden layer is needed. The article's network has no biases, and
without them it cannot learn XOR: tanh is odd, so the output for -x is
1 minus the output for x, yet XOR gives x and -x the same label. With biases
(one keyword) the network separates the four corners.

    python examples/02_xor.py [--quick] [--out DIR]
"""

import argparse
from pathlib import Path

import numpy as np

import glassnet
import glassnet.plot

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--quick", action="store_true", help="fewer points and epochs")
parser.add_argument("--out", type=Path, default=Path("."), help="folder for the pictures (default: here)")
args = parser.parse_args()
args.out.mkdir(parents=True, exist_ok=True)

rng = np.random.default_rng(0)
n, epochs = (100, 300) if args.quick else (400, 1000)
corners = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])
X = corners[rng.integers(0, 4, n)] + rng.normal(scale=0.3, size=(n, 2))
y = (X[:, 0] * X[:, 1] > 0).astype(float)

for bias in (False, True):
    nn = glassnet.NeuralNetwork(
        layers=[2, 4, 1], activation="tanh", loss="binary_crossentropy", bias=bias,
        init="glorot", optimizer="adam", learning_rate=0.05, seed=0,
    )
    nn.train(X, y, epochs)
    accuracy = nn.test_evaluation(X, y, verbose=False).accuracy
    name = "with_biases" if bias else "without_biases"
    print(f"{name.replace('_', ' ')}: training accuracy {accuracy:.2f}")
    glassnet.plot.decision_boundary(nn, X, y, args.out / f"xor_{name}.png")

# the network with biases, drawn with the activations of one point
glassnet.plot.network(nn, args.out / "xor_network.png", x=[0.9, 1.1])
print(f"gradient check: {glassnet.check_gradients(nn, X, y):.1e}")
print(f"pictures written to {args.out}")

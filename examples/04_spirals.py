"""Two spirals: a deeper network bends its boundary around them.

Two interleaved spirals, one per class, are the classic hard case for a
small network (TensorFlow Playground's hardest set). A straight line or a
single bend will not do: the boundary has to wind around the centre. A
2-16-16-1 tanh network with biases, trained with Adam on the
cross-entropy, learns it; a tenth of the points are held out to watch the
validation loss while it trains.

    python examples/04_spirals.py [--quick] [--out DIR]
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

# two arms of 1.75 turns each, the second the first turned by half a circle
rng = np.random.default_rng(0)
n, epochs = (300, 400) if args.quick else (1000, 1500)
label = rng.integers(0, 2, n)
radius = rng.uniform(0.05, 1.0, n)
angle = 3.5 * np.pi * radius + np.pi * label
X = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)]) + rng.normal(scale=0.03, size=(n, 2))
y = label.astype(float)

nn = glassnet.NeuralNetwork(
    layers=[2, 16, 16, 1], activation="tanh", loss="binary_crossentropy", bias=True, init="glorot",
    optimizer="adam", learning_rate=0.01, batch_size=32, reduction="mean", metric="accuracy", seed=0,
)
nn.train(X, y, epochs, validation_split=0.1)
last = nn.history.records[-1]
print(f"after {len(nn.error_list)} epochs: training accuracy {last['accuracy']:.3f}, "
      f"validation accuracy {last['val_accuracy']:.3f}")

glassnet.plot.decision_boundary(nn, X, y, args.out / "spirals_boundary.png")
glassnet.plot.learning_curves(nn, args.out / "spirals_curves.png")
print(f"gradient check: {glassnet.check_gradients(nn, X[:50], y[:50]):.1e}")
print(f"pictures written to {args.out}")

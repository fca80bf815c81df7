"""ONNX export, checked in onnxruntime.

Two models leave glassnet as ONNX graphs and are run by onnxruntime, with
no glassnet, scikit-learn or NumPy maths on the way: an ``MLPClassifier``
trained on the digits, and the model ``glassnet train`` makes from the
fruit table, whose graph holds the preprocessing too (the imputer, the
one-hot encoding of the colour, the scaler), so that it takes the CSV's raw
columns, text included. Each runtime's probabilities are compared with
glassnet's own: they agree within 1e-5, the float32 graph's rounding.

    python examples/09_onnx.py [--quick] [--out DIR]
"""

import argparse
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import onnxruntime
import pandas as pd
from matplotlib.figure import Figure
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning

import glassnet

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--quick", action="store_true", help="fewer epochs")
parser.add_argument("--out", type=Path, default=Path("."), help="folder for the files and pictures (default: here)")
args = parser.parse_args()
args.out.mkdir(parents=True, exist_ok=True)
DATA = Path(__file__).resolve().parent / "data"

# 1. an estimator: digits, exported from Python
X, y = load_digits(return_X_y=True)
X = X / 16
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)  # --quick trains 30 epochs only
    model = glassnet.MLPClassifier((32,), max_iter=30 if args.quick else 200, random_state=0).fit(X, y)
glassnet.to_onnx(model, args.out / "digits.onnx")
session = onnxruntime.InferenceSession(str(args.out / "digits.onnx"))
labels, probabilities = session.run(None, {"X": X.astype(np.float32)})
ours = model.predict_proba(X)
print(f"digits: onnxruntime's labels equal predict's for {np.mean(labels == model.predict(X)):.0%} of "
      f"{len(X)} rows; largest probability difference {np.abs(probabilities - ours).max():.1e}")

# 2. a model of the command line, with its preprocessing: raw columns in, labels out
subprocess.run([sys.executable, "-m", "glassnet", "train", str(DATA / "fruit.csv"), "--target", "fruit", "-o",
                "fruit.glassnet", "--hidden", "16", "--epochs", "100" if args.quick else "300", "--quiet"],
               cwd=args.out, check=True)
done = subprocess.run([sys.executable, "-m", "glassnet", "export", "fruit.glassnet", "-o", "fruit.onnx"],
                      cwd=args.out, check=True, capture_output=True, text=True)
print((done.stderr + done.stdout).strip())
table = pd.read_csv(DATA / "fruit_test.csv", dtype=str)  # as glassnet reads a table: every cell as text
session = onnxruntime.InferenceSession(str(args.out / "fruit.onnx"))
inputs = {}
for node in session.get_inputs():
    column = table[node.name]
    # a numeric column is float32, a text column strings; each of shape (n, 1)
    inputs[node.name] = (column.str.strip() if node.type == "tensor(string)"
                         else column.astype(np.float32)).to_numpy()[:, None]
fruit_labels, fruit_probabilities = session.run(None, inputs)
fruit_model = glassnet.load(args.out / "fruit.glassnet")
fruit_ours = fruit_model.predict_proba(table)
print(f"fruit: inputs {[node.name for node in session.get_inputs()]}; labels {list(fruit_labels[:5])} ...; "
      f"largest probability difference {np.abs(fruit_probabilities - fruit_ours).max():.1e}")

figure = Figure(figsize=(9, 4))
for axes, (name, a, b) in zip(figure.subplots(1, 2), [("digits", ours, probabilities),
                                                       ("fruit (raw CSV columns)", fruit_ours, fruit_probabilities)]):
    axes.scatter(a.ravel(), b.ravel(), s=6, alpha=0.5)
    axes.plot([0, 1], [0, 1], color="black", linewidth=0.5)
    axes.set_title(f"{name}: largest difference {np.abs(a - b).max():.1e}", fontsize=10)
    axes.set_xlabel("glassnet's predict_proba")
    axes.set_ylabel("onnxruntime's probabilities")
    axes.grid(alpha=0.3)
figure.tight_layout()
figure.savefig(args.out / "onnx_agreement.png", dpi=120)
print(f"pictures written to {args.out}")

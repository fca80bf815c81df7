"""The article, rebuilt with glassnet, then looked inside.

Steps 2-5 of "How to Create a Simple Neural Network in Python" (data,
scaling, the 3-3-1 network, 200 epochs, the TP/TN/FP/FN count), done
honestly: the scaler is fitted on the training rows only. Then glassnet
opens the box: one sample traced layer by layer, the gradients checked
against finite differences, the network drawn, and the extrapolation
warning that the article's test set deserves.

    python examples/01_article.py [--quick] [--out DIR]
"""

import argparse
import warnings
from pathlib import Path

import numpy as np
from sklearn.preprocessing import MinMaxScaler

import glassnet
import glassnet.plot

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--quick", action="store_true", help="check 10 seeds instead of 100")
parser.add_argument("--out", type=Path, default=Path("."), help="folder for the pictures (default: here)")
args = parser.parse_args()
args.out.mkdir(parents=True, exist_ok=True)

# Steps 2-3: the article's data, scaled with the training rows' range only
data = glassnet.load_tutorial()
scaler = MinMaxScaler(clip=True).fit(data.X_train)
X_train, X_test = scaler.transform(data.X_train), scaler.transform(data.X_test)

# Steps 4-5: the article's network, 200 epochs, then its evaluation
nn = glassnet.NeuralNetwork(seed=0)
nn.train(X_train, data.y_train, 200)
result = nn.test_evaluation(X_test, data.y_test)
x_new = scaler.transform(data.X_predict)[0]
print(f"prediction for {data.X_predict[0].tolist()}: {nn.predict(x_new):.4f}")
nn.view_error_development(args.out / "article_error.png")

# the result does not depend on luck: every seed gets 6 of 6 right
seeds = range(10 if args.quick else 100)
correct = [
    glassnet.NeuralNetwork(seed=s).train(X_train, data.y_train, 200).test_evaluation(X_test, data.y_test, verbose=False).accuracy
    for s in seeds
]
print(f"accuracy 6/6 for {sum(a == 1.0 for a in correct)} of {len(correct)} seeds")

# inside: the predicted vector, traced; the gradient, checked
nn.trace(x_new, 0.0)  # its label: the first number is not 10
print(f"gradient disagreement beyond finite-difference noise: {glassnet.check_gradients(nn, X_train, data.y_train):.1e}")
glassnet.plot.network(nn, args.out / "article_network.png", x=x_new)

# without clipping, test rows [0, 1, 10] and [10, 1, 10] lie far outside the
# range the network was trained on: predict says so in one line (once per
# trained model), explain_extrapolation gives every feature's detail
raw = MinMaxScaler().fit(data.X_train)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always", glassnet.ExtrapolationWarning)
    nn.predict(raw.transform(data.X_test))
for warning in caught:
    print(f"ExtrapolationWarning: {warning.message}")
print(glassnet.explain_extrapolation(nn, raw.transform(data.X_test)))
print(f"pictures written to {args.out}")

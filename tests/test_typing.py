"""glassnet ships its annotations (PEP 561): mypy in strict mode sees the real
types of fit, predict and NeuralNetwork.train, and flags their misuse."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

USAGE = '''\
import numpy as np
import glassnet
from glassnet import MLPClassifier, MLPRegressor, NeuralNetwork

X = np.zeros((4, 3))
y = np.array([0, 1, 0, 1])
classifier = MLPClassifier(max_iter=5).fit(X, y)
reveal_type(classifier)
reveal_type(classifier.predict(X))
reveal_type(classifier.predict_proba(X))
reveal_type(MLPRegressor().fit(X, y).predict(X))
network = NeuralNetwork(seed=0).train(X, y, 5)
reveal_type(network)
reveal_type(network.predict(X[0]))
reveal_type(glassnet.explain_extrapolation(network, X))
reveal_type(glassnet.save(network, "model.glassnet"))
network.train(X, y, epochs="ten")
label: str = classifier.predict(X)
MLPClassifier(max_iter=5).fit(X)
'''

EXPECTED = {
    8: "glassnet.estimators.classifier.MLPClassifier",
    9: "numpy.ndarray[",
    10: "numpy.ndarray[",
    11: "numpy.ndarray[",
    13: "glassnet.article.NeuralNetwork",
    14: "float | numpy.ndarray[",
    15: "glassnet.glassbox.extrapolation.ExtrapolationReport",
    16: "pathlib.Path",
}
MISUSE = {17: "arg-type", 18: "assignment", 19: "call-arg"}


def test_py_typed_is_shipped():
    assert (ROOT / "src" / "glassnet" / "py.typed").is_file()
    assert 'glassnet = ["py.typed"]' in (ROOT / "pyproject.toml").read_text()


def test_mypy_strict_resolves_the_public_types_and_flags_misuse(tmp_path):
    script = tmp_path / "usage.py"
    script.write_text(USAGE)
    env = dict(os.environ, MYPYPATH=str(ROOT / "src"))
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent", "--no-error-summary",
         "--show-error-codes", "--cache-dir", str(tmp_path / "cache"), str(script)],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600,
    )
    lines = {}
    for line in run.stdout.splitlines():
        match = re.match(r".*usage\.py:(\d+): (\w+): (.*)", line)
        assert match, line
        lines.setdefault(int(match.group(1)), []).append((match.group(2), match.group(3)))
    for number, expected in EXPECTED.items():
        [(kind, text)] = lines.pop(number)
        assert kind == "note" and text.startswith(f'Revealed type is "{expected}'), (number, text)
    for number, code in MISUSE.items():
        [(kind, text)] = lines.pop(number)
        assert kind == "error" and text.endswith(f"[{code}]"), (number, text)
    assert lines == {}, lines  # nothing else: every other line type-checks in strict mode

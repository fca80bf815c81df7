"""Fuzz glassnet.load: every byte string is a model or a ValueError.

    python fuzz/fuzz_load.py --quick          # 10 s, atheris when installed
    python fuzz/fuzz_load.py --plain --runs 2000
"""

from __future__ import annotations

import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _harness import instrumented, run  # noqa: E402

with instrumented():
    import glassnet
    import glassnet.article  # noqa: F401  (glassnet imports lazily; these are what load runs)
    import glassnet.engine.network  # noqa: F401
    import glassnet.persistence  # noqa: F401

_FOLDER = tempfile.mkdtemp(prefix="glassnet-fuzz-")
_PATH = os.path.join(_FOLDER, "input.glassnet")


def _seeds() -> list[bytes]:
    data = glassnet.load_tutorial()
    article = glassnet.NeuralNetwork(seed=0)
    article.train(data.X_train / 10, data.y_train, 5)
    network = glassnet.Network([2, 3, 2], output_activation="softmax", loss="categorical_crossentropy",
                               rng=np.random.default_rng(0))
    seeds = []
    for model in (article, network):
        glassnet.save(model, _PATH)
        with open(_PATH, "rb") as handle:
            seeds.append(handle.read())
    return seeds


def target(data: bytes) -> None:
    with open(_PATH, "wb") as handle:
        handle.write(data)
    try:
        model = glassnet.load(_PATH)
    except ValueError:
        return
    # a file that loads must give a usable model
    n_inputs = model.network.n_inputs if hasattr(model, "network") else model.n_inputs
    model.predict(np.zeros((1, n_inputs)))


if __name__ == "__main__":
    sys.exit(run(target, _seeds(), "Fuzz glassnet.load with mutated model files."))

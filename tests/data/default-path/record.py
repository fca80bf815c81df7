"""Trains the default-path cases of tests/test_default_path.py and writes
what they reach to expected.npz. Run once with the code before the training
keywords (dropout, normalization, weight_decay, clip_grad_norm, schedules,
warm-up, label smoothing) were added; the test checks that today's code
still reaches the same numbers."""

import sys
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from default_path_cases import CASES  # noqa: E402

if __name__ == "__main__":
    arrays = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, case in CASES.items():
            for key, value in case().items():
                arrays[f"{name}/{key}"] = np.asarray(value)
    np.savez(Path(__file__).with_name("expected.npz"), **arrays)
    print(f"wrote {len(arrays)} arrays")

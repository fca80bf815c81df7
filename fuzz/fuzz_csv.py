"""Fuzz glassnet's CSV reader and glassnet train's pipeline: every byte
string either trains and predicts or gives a ValueError.

    python fuzz/fuzz_csv.py --quick           # 10 s, atheris when installed
    python fuzz/fuzz_csv.py --plain --runs 500
"""

from __future__ import annotations

import os
import sys
import tempfile
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _harness import instrumented, run  # noqa: E402

with instrumented():
    from glassnet.tabular.fitting import Options, fit_table
    from glassnet.tabular.reading import read_table

_PATH = os.path.join(tempfile.mkdtemp(prefix="glassnet-fuzz-"), "input.csv")
_EXAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "data")


def _seeds() -> list[bytes]:
    seeds = [b'a,b,target\n1,x,yes\n2,y,no\n3,x,yes\n4,"q,uoted",no\n5,,yes\n6,y,no\n']
    for name in ("fruit.csv", "fruit_test.csv"):
        with open(os.path.join(_EXAMPLES, name), "rb") as handle:
            seeds.append(handle.read())
    return seeds


def target(data: bytes) -> None:
    with open(_PATH, "wb") as handle:
        handle.write(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence and the like; errors are what we look for
        warnings.simplefilter("error", RuntimeWarning)
        try:
            frame = read_table(_PATH)
            target_column = frame.columns[-1]
            model, test, _ = fit_table(frame, Options(target=target_column, hidden=(3,), epochs=1, drop_missing=True), "fuzz")
            model.predict(test)
        except ValueError:
            return


if __name__ == "__main__":
    sys.exit(run(target, _seeds(), "Fuzz the CSV reader and glassnet train's pipeline with mutated tables."))

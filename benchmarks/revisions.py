"""glassnet against an earlier glassnet: is a change's default path slower?

    python -m benchmarks.revisions --before 9eb2046            # this tree against that commit
    python -m benchmarks.revisions --before main --workloads digits --rounds 9

The earlier code is checked out (``git worktree add --detach``) into a
temporary folder. Each round times the ``glassnet`` system of
:mod:`benchmarks.systems` on every workload, once with each code, in a fresh
subprocess each (so neither side inherits the other's imports, caches or
warmed kernels); the order of the two sides alternates between rounds, so a
load that comes and goes on the machine falls on both. The workloads' data
come from this tree's :mod:`benchmarks.workloads` in both, so both train
the same network on the same rows.

The result is the ratio of the medians (this tree / the earlier one), per
workload: below 1 is faster. A ratio is a comparison within one run on one
machine; it says nothing about other machines.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from .workloads import WORKLOADS

__all__ = ["main", "time_once"]

ROOT = Path(__file__).resolve().parent.parent

# what a subprocess runs: one workload's fit with the glassnet system, timed, as JSON on stdout
_CHILD = """
import json, sys
sys.path.insert(0, {root!r})
from benchmarks.measure import timed
from benchmarks.systems import SYSTEMS
from benchmarks.workloads import WORKLOADS
import glassnet
workload = WORKLOADS[{workload!r}]({quick!r})
run = SYSTEMS["glassnet"](workload)
seconds = timed(run.train)
print(json.dumps({{"seconds": seconds, "accuracy": run.accuracy(), "glassnet": glassnet.__file__}}))
"""


def time_once(source: Path, workload: str, quick: bool, threads: int) -> dict:
    """One fit of ``workload`` with the glassnet whose ``src`` folder is under ``source``."""
    env = {**os.environ, "PYTHONPATH": str(source / "src"), "OMP_NUM_THREADS": str(threads),
           "OPENBLAS_NUM_THREADS": str(threads), "MKL_NUM_THREADS": str(threads)}
    code = _CHILD.format(root=str(ROOT), workload=workload, quick=quick)
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{workload} with {source} failed:\n{done.stderr[-2000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    # the child must have run the code it was given, not an installed copy
    if not Path(result["glassnet"]).resolve().is_relative_to(source.resolve()):
        raise RuntimeError(f"the child imported {result['glassnet']}, not the code under {source}")
    return result


def compare(before: Path, after: Path, workloads: list[str], rounds: int, quick: bool, threads: int) -> dict:
    times = {name: {"before": [], "after": []} for name in workloads}
    accuracy = {name: {} for name in workloads}
    for round_ in range(rounds):
        sides = [("before", before), ("after", after)]
        for name in workloads:
            for side, source in sides if round_ % 2 == 0 else sides[::-1]:
                result = time_once(source, name, quick, threads)
                times[name][side].append(result["seconds"])
                accuracy[name][side] = result["accuracy"]
    return {name: {"before_median_s": statistics.median(t["before"]), "after_median_s": statistics.median(t["after"]),
                   "after_over_before": statistics.median(t["after"]) / statistics.median(t["before"]),
                   "accuracy": accuracy[name], "rounds": t} for name, t in times.items()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.revisions", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", required=True, metavar="REV", help="the earlier commit (any git revision)")
    parser.add_argument("--workloads", nargs="+", choices=list(WORKLOADS), default=list(WORKLOADS))
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds (default: 5)")
    parser.add_argument("--threads", type=int, default=1, help="BLAS threads for both sides (default: 1)")
    parser.add_argument("--quick", action="store_true", help="the workloads' tiny sizes: a smoke test")
    parser.add_argument("--json", metavar="PATH", help="write the results as JSON")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error(f"--rounds must be at least 1, got {args.rounds}")
    with tempfile.TemporaryDirectory(prefix="glassnet-before-") as folder:
        before = Path(folder) / "tree"
        added = subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(before), args.before],
                               capture_output=True, text=True, check=False)
        if added.returncode != 0:
            print(f"error: cannot check out {args.before!r}: {added.stderr.strip().splitlines()[-1]}", file=sys.stderr)
            return 2
        try:
            results = compare(before, ROOT, args.workloads, args.rounds, args.quick, args.threads)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(before)],
                           capture_output=True, check=False)
    print(f"this tree against {args.before}: medians of {args.rounds} interleaved rounds, a fresh process each")
    for name, row in results.items():
        print(f"  {name:9s} before {row['before_median_s']:8.3f} s  after {row['after_median_s']:8.3f} s  "
              f"after/before {row['after_over_before']:.3f}  accuracy {row['accuracy']}")
    if args.json:
        Path(args.json).write_text(json.dumps({"before": args.before, "results": results}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The benchmark chart, drawn from the recorded results.

``python -m benchmarks`` times the same training work on glassnet, the
article's bare NumPy loop, scikit-learn and PyTorch, and on the GEMM floor
(the run's matrix products alone), and writes every round to a JSON file.
This script reads the runs recorded in ``benchmarks/results/`` (two BLAS
threads, then one) without running anything, prints glassnet's time over
each peer's per workload (by round: below 1 is faster), and draws the two
charts: each system's median time, and glassnet's time over the others'.

    python examples/10_benchmark_chart.py [--quick] [--out DIR]
"""

import argparse
import json
import sys
from pathlib import Path

from matplotlib.figure import Figure

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the benchmark lives in the repository, beside the package
from benchmarks.report import bar_chart  # noqa: E402

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--quick", action="store_true", help="the same: nothing is run, only drawn")
parser.add_argument("--out", type=Path, default=Path("."), help="folder for the pictures (default: here)")
args = parser.parse_args()
args.out.mkdir(parents=True, exist_ok=True)

RUNS = {"2 BLAS threads": "2026-11-29-2core-final.json", "1 BLAS thread": "2026-11-29-2core-final-1thread.json"}
PEERS = ("article loop", "scikit-learn", "pytorch")
results = {name: json.loads((ROOT / "benchmarks" / "results" / file).read_text()) for name, file in RUNS.items()}

ratios = {}  # (run, kernels, workload, peer) -> glassnet's time over the peer's, by round
for run, result in results.items():
    print(f"{run} ({RUNS[run]}; a float32 {result['gemm_size']}² GEMM ran at {result['gemm_gflops']:.0f} GFLOP/s):")
    for row in result["rows"]:
        if row["system"] in PEERS:
            ratios[run, "NumPy", row["workload"], row["system"]] = row["ratio_by_round"]
            ratios[run, "numba", row["workload"], row["system"]] = row["numba_ratio_by_round"]
            print(f"  {row['workload']:>8} against {row['system']:<12}  glassnet {row['ratio_by_round']:.2f}x, "
                  f"glassnet+numba {row['numba_ratio_by_round']:.2f}x")

bar_chart(results["2 BLAS threads"], args.out / "benchmark_times.png")

figure = Figure(figsize=(11, 4))
for axes, run in zip(figure.subplots(1, 2, sharey=True), RUNS):
    keys = [(workload, peer) for (r, kernels, workload, peer) in ratios if r == run and kernels == "NumPy"]
    positions = range(len(keys))
    for offset, kernels, colour in ((-0.2, "NumPy", "tab:blue"), (0.2, "numba", "tab:cyan")):
        axes.bar([p + offset for p in positions], [ratios[run, kernels, w, p] for w, p in keys], width=0.4,
                 color=colour, edgecolor="black", linewidth=0.5, label=f"glassnet ({kernels} kernels)")
    axes.axhline(1.0, color="black", linewidth=0.8)
    axes.set_xticks(list(positions), [f"{w}\nvs {p}" for w, p in keys], fontsize=7, rotation=45, ha="right")
    axes.set_title(f"{run}: glassnet's time over the peer's (by round; below 1 is faster)", fontsize=9)
    axes.set_ylabel("glassnet's time / the peer's")
    axes.grid(alpha=0.3, axis="y")
    axes.legend(fontsize=7)
figure.tight_layout()
figure.savefig(args.out / "benchmark_ratios.png", dpi=120)
print(f"pictures written to {args.out}")

"""The benchmark's results as a table, JSON and a bar chart."""

from __future__ import annotations

import json


def table(results: dict) -> str:
    lines = [f"GEMM (float32 {results['gemm_size']}²): {results['gemm_gflops']:.0f} GFLOP/s; "
             f"BLAS threads: {results['threads']}; repeats: {results['repeats']}", ""]
    width = max([16] + [len(row["system"]) + 2 for row in results["rows"]])
    header = (f"{'workload':<10}{'system':<{width}}{'median ms':>11}{'glassnet/x':>12}{'+numba/x':>10}{'GFLOP/s':>9}"
              f"{'% GEMM':>8}{'peak MB':>9}{'accuracy':>10}")
    lines.append(header)
    lines.append("-" * len(header))
    for row in results["rows"]:
        ratio, numba_ratio = _ratio(row, "ratio"), _ratio(row, "numba_ratio")
        memory = "n/a" if row["peak_mb"] is None else f"{row['peak_mb']:.1f}"
        lines.append(f"{row['workload']:<10}{row['system']:<{width}}{row['median_ms']:>11.1f}{ratio:>12}{numba_ratio:>10}"
                     f"{row['gflops']:>9.1f}{row['gemm_share']:>8.0%}{memory:>9}{row['accuracy']:>10.3f}")
    for name, ratio in results.get("layout_cost", {}).items():
        lines.append(f"{name}: {ratio:.2f}x the time on the same numbers as a C-ordered ndarray (goal: at most 1.1x)")
    skipped = results.get("skipped", [])
    if skipped:
        lines += ["", "skipped: " + "; ".join(skipped)]
    return "\n".join(lines)


def _ratio(row: dict, key: str) -> str:
    value = row.get(key)
    return "" if value is None else f"{value:.2f}"


def markdown(results: dict) -> str:
    lines = ["| work | system | median | glassnet / system | glassnet+numba / system | GFLOP/s | % of GEMM "
             "| peak MB | accuracy |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for row in results["rows"]:
        ratio, numba_ratio = _ratio(row, "ratio"), _ratio(row, "numba_ratio")
        memory = "n/a" if row["peak_mb"] is None else f"{row['peak_mb']:.1f}"
        lines.append(f"| {row['workload']} | {row['system']} | {row['median_ms']:.1f} ms | {ratio} | {numba_ratio} | "
                     f"{row['gflops']:.1f} | {row['gemm_share']:.0%} | {memory} | {row['accuracy']:.3f} |")
    return "\n".join(lines)


def write_json(results: dict, path: str) -> None:
    with open(path, "w") as handle:
        json.dump(results, handle, indent=1)


def bar_chart(results: dict, path: str) -> None:
    """Median time per system, one panel per workload, bars from zero."""
    from matplotlib.figure import Figure

    workloads = list(dict.fromkeys(row["workload"] for row in results["rows"]))
    figure = Figure(figsize=(4 * len(workloads), 3.5))
    for axes, name in zip(figure.subplots(1, len(workloads), squeeze=False)[0], workloads):
        rows = [row for row in results["rows"] if row["workload"] == name]
        colours = ["tab:blue" if row["system"].startswith("glassnet") else "tab:gray" for row in rows]
        bars = axes.bar([row["system"] for row in rows], [row["median_ms"] for row in rows], color=colours)
        axes.bar_label(bars, labels=[f"{row['median_ms']:.0f}" for row in rows], fontsize=8)
        axes.set_title(name, loc="left")
        axes.set_ylabel("median training time (ms)")
        axes.tick_params(axis="x", labelrotation=30)
        for label in axes.get_xticklabels():
            label.set_horizontalalignment("right")  # long names end under their bar
    figure.tight_layout()
    figure.savefig(path, dpi=120)

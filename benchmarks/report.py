"""The benchmark's results as a table, JSON and a bar chart."""

from __future__ import annotations

import json


def table(results: dict) -> str:
    lines = [f"GEMM (float32 {results['gemm_size']}², context): {results['gemm_gflops']:.0f} GFLOP/s; "
             f"BLAS threads: {results['threads']}; rounds: "
             + ", ".join(f"{name} {count}" for name, count in results.get("rounds", {}).items()),
             "x/floor: the system's median over the GEMM floor's (the same matrix products alone)", ""]
    width = max([16] + [len(row["system"]) + 2 for row in results["rows"]])
    header = (f"{'workload':<10}{'system':<{width}}{'median ms':>11}{'x/floor':>9}{'glassnet/x':>12}{'+numba/x':>10}"
              f"{'GFLOP/s':>9}{'% GEMM':>8}{'peak MB':>9}{'accuracy':>10}")
    lines.append(header)
    lines.append("-" * len(header))
    for row in results["rows"]:
        ratio, numba_ratio, floor_ratio = _ratio(row, "ratio"), _ratio(row, "numba_ratio"), _ratio(row, "floor_ratio")
        memory = "n/a" if row["peak_mb"] is None else f"{row['peak_mb']:.1f}"
        lines.append(f"{row['workload']:<10}{row['system']:<{width}}{row['median_ms']:>11.1f}{floor_ratio:>9}{ratio:>12}"
                     f"{numba_ratio:>10}{row['gflops']:>9.1f}{row['gemm_share']:>8.0%}{memory:>9}{_accuracy(row):>10}")
    lines += ["", "the same ratios by round (each round's ratio, then their median; steadier when the machine's "
              "load changes during the run):"]
    for row in results["rows"]:
        by_round = [_ratio(row, key) for key in ("floor_ratio_by_round", "ratio_by_round", "numba_ratio_by_round")]
        if any(by_round):
            lines.append(f"{row['workload']:<10}{row['system']:<{width}}{'':>11}{by_round[0]:>9}{by_round[1]:>12}"
                         f"{by_round[2]:>10}")
    for name, ratio in results.get("layout_cost", {}).items():
        lines.append(f"{name}: {ratio:.2f}x the time on the same numbers as a C-ordered ndarray (goal: at most 1.1x)")
    skipped = results.get("skipped", [])
    if skipped:
        lines += ["", "skipped: " + "; ".join(skipped)]
    return "\n".join(lines)


def _ratio(row: dict, key: str) -> str:
    value = row.get(key)
    return "" if value is None else f"{value:.2f}"


def _accuracy(row: dict) -> str:
    return "n/a" if row["accuracy"] is None else f"{row['accuracy']:.3f}"  # the floor learns nothing


def markdown(results: dict) -> str:
    lines = ["| work | system | median | system / GEMM floor | glassnet / system | glassnet+numba / system | GFLOP/s "
             "| % of GEMM | peak MB | accuracy |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for row in results["rows"]:
        ratio, numba_ratio, floor_ratio = _ratio(row, "ratio"), _ratio(row, "numba_ratio"), _ratio(row, "floor_ratio")
        memory = "n/a" if row["peak_mb"] is None else f"{row['peak_mb']:.1f}"
        lines.append(f"| {row['workload']} | {row['system']} | {row['median_ms']:.1f} ms | {floor_ratio} | {ratio} | "
                     f"{numba_ratio} | {row['gflops']:.1f} | {row['gemm_share']:.0%} | {memory} | {_accuracy(row)} |")
    lines += ["", "| work | system | by round: system / GEMM floor | glassnet / system | glassnet+numba / system |",
              "|---|---|---:|---:|---:|"]
    for row in results["rows"]:
        by_round = [_ratio(row, key) for key in ("floor_ratio_by_round", "ratio_by_round", "numba_ratio_by_round")]
        if any(by_round):
            lines.append(f"| {row['workload']} | {row['system']} | " + " | ".join(by_round) + " |")
    return "\n".join(lines)


def write_json(results: dict, path: str) -> None:
    with open(path, "w") as handle:
        json.dump(results, handle, indent=1)


def bar_chart(results: dict, path: str) -> None:
    """Median time per system, one panel per workload, bars from zero."""
    from matplotlib.figure import Figure

    workloads = list(dict.fromkeys(row["workload"] for row in results["rows"]))
    # each panel as wide as its bars need, so that three-line labels do not overlap
    bars_per_workload = [sum(row["workload"] == name for row in results["rows"]) for name in workloads]
    widths = [max(3.0, 0.8 * count + 0.8) for count in bars_per_workload]
    figure = Figure(figsize=(sum(widths), 3.8))
    panels = figure.subplots(1, len(workloads), squeeze=False, gridspec_kw={"width_ratios": widths})[0]
    for axes, name in zip(panels, workloads):
        rows = [row for row in results["rows"] if row["workload"] == name]
        colours = ["tab:blue" if row["system"].startswith("glassnet") else
                   "white" if row["floor_ratio"] is None and row["accuracy"] is None else "tab:gray" for row in rows]
        bars = axes.bar([row["system"] for row in rows], [row["median_ms"] for row in rows], color=colours,
                        edgecolor="black", linewidth=0.5)
        axes.bar_label(bars, labels=[_bar_label(row) for row in rows], fontsize=8)
        axes.margins(y=0.25)  # room for the three-line labels
        axes.set_title(name, loc="left")
        axes.set_ylabel("median training time (ms)")
        axes.tick_params(axis="x", labelrotation=30)
        for label in axes.get_xticklabels():
            label.set_horizontalalignment("right")  # long names end under their bar
    figure.suptitle(f"bar labels: median ms; time over the GEMM floor (the same matrix products alone); share of a "
                    f"float32 {results['gemm_size']}² GEMM's rate ({results['gemm_gflops']:.0f} GFLOP/s in this run, "
                    f"context only)", fontsize=9)
    figure.tight_layout()
    figure.savefig(path, dpi=120)


def _bar_label(row: dict) -> str:
    """A bar's median time, its time over the floor's (where there is a
    floor) and the share of the 2048² GEMM rate it reached (where that
    rounds to at least 1%)."""
    lines = [f"{row['median_ms']:.0f}"]
    if row.get("floor_ratio") is not None:
        lines.append(f"{row['floor_ratio']:.2f}x")
    if row.get("gemm_share", 0) >= 0.01:
        lines.append(f"{row['gemm_share']:.0%} GEMM")
    return "\n".join(lines)

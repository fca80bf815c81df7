"""``python -m benchmarks``: run every workload on every system, interleaved.

``--workloads tabular`` runs the tabular benchmark instead (see
:mod:`benchmarks.tabular`): cross-validated scores on real tables, not timings
of the same work.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time

from . import report, tabular
from .measure import gemm_gflops, peak_python_memory, timed
from .systems import FLOOR, LAYOUT_SYSTEMS, SYSTEMS
from .workloads import WORKLOADS


def _stream(quick: bool, json_path: str | None) -> int:
    from . import stream

    return stream.main(quick, json_path)


# workloads measured their own way (files, processes, peak memory), by name
FILE_WORKLOADS = {"stream": _stream}


# a workload's rounds go on past --repeats until this much time has passed
# (not in --quick mode), up to MAX_ROUNDS
MIN_SECONDS = 4.0
MAX_ROUNDS = 200


def parse(argv):
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny sizes and one repeat: a smoke test")
    parser.add_argument("--repeats", type=int, default=None, help="interleaved repeats at least (default: 5; quick: 1); a "
                        "workload whose rounds are short gets more, for at least 4 s of rounds")
    parser.add_argument("--threads", type=int, default=1, help="BLAS/torch threads for every system (default: 1)")
    parser.add_argument("--workloads", nargs="+", choices=[*WORKLOADS, "tabular", *FILE_WORKLOADS],
                        default=list(WORKLOADS),
                        help="the timing workloads (default: all of them); tabular: cross-validated scores on "
                             "real tables (see docs/guides/performance.md); stream: glassnet train on generated files "
                             "of 1M and 10M rows read in chunks (see benchmarks/stream.py)")
    parser.add_argument("--systems", nargs="+", choices=list(SYSTEMS), default=list(SYSTEMS))
    parser.add_argument("--no-memory", action="store_true", help="skip the (slower) peak-memory runs")
    parser.add_argument("--json", metavar="PATH", help="write the results as JSON")
    parser.add_argument("--plot", metavar="PATH", help="write a bar chart (.png or .svg)")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown too")
    return parser.parse_args(argv)


def run(args) -> dict:
    from threadpoolctl import threadpool_limits

    repeats = args.repeats or (1 if args.quick else 5)
    gemm_size = 256 if args.quick else 2048
    try:
        import torch

        torch.set_num_threads(args.threads)
    except ImportError:
        pass
    rows, skipped = [], []
    with threadpool_limits(limits=args.threads):
        gemm = gemm_gflops(gemm_size)
        for workload_name in args.workloads:
            workload = WORKLOADS[workload_name](args.quick)
            systems = [name for name in args.systems if SYSTEMS[name](workload) is not None]
            skipped += [f"{name} on {workload_name} (not installed or not the same work)"
                        for name in args.systems if name not in systems]
            times = {name: [] for name in systems}
            started = time.perf_counter()
            rounds = 0
            # interleaved: every system once per round. A short workload gets
            # more rounds (until MIN_SECONDS have passed), so that its medians
            # are not a handful of 5 ms runs on a noisy machine
            while rounds < repeats or (not args.quick and time.perf_counter() - started < MIN_SECONDS
                                       and rounds < MAX_ROUNDS):
                for name in systems:
                    times[name].append(timed(SYSTEMS[name](workload).train))
                rounds += 1
            glassnet_median = statistics.median(times["glassnet"]) if "glassnet" in times else None
            numba_median = statistics.median(times["glassnet+numba"]) if "glassnet+numba" in times else None
            floor_median = statistics.median(times[FLOOR]) if FLOOR in times else None
            for name in systems:
                run_ = SYSTEMS[name](workload)
                # the floor's buffers are not a training run's memory
                measure_memory = not args.no_memory and name not in ("pytorch", FLOOR)
                peak = peak_python_memory(run_.train) / 2**20 if measure_memory else None
                if peak is None:
                    run_.train()
                median = statistics.median(times[name])
                gflops = workload.flops() / median / 1e9
                rows.append({"workload": workload_name, "system": name, "median_ms": median * 1e3,
                             "times_ms": [t * 1e3 for t in times[name]],
                             "ratio": None if glassnet_median is None or name in ("glassnet", FLOOR) else glassnet_median / median,
                             "numba_ratio": None if numba_median is None or name.startswith("glassnet") or name == FLOOR
                             else numba_median / median,
                             # the system's time over the matrix products alone
                             "floor_ratio": None if floor_median is None or name == FLOOR else median / floor_median,
                             # the same ratios taken within each round, then their median: a
                             # round runs every system within seconds, so these hold when the
                             # machine's load changes during the run
                             "floor_ratio_by_round": _by_round(times, name, FLOOR),
                             "ratio_by_round": None if name == FLOOR
                             else _by_round(times, "glassnet", name),
                             "numba_ratio_by_round": None if name.startswith("glassnet") or name == FLOOR
                             else _by_round(times, "glassnet+numba", name),
                             "gflops": gflops, "gemm_share": gflops / gemm, "peak_mb": peak,
                             "accuracy": run_.accuracy(), "description": workload.description})
    # the cost of an input layout: its time over the ndarray's (goal: at most 1.1)
    medians = {(row["workload"], row["system"]): row["median_ms"] for row in rows}
    layout_cost = {f"{workload} {system}": medians[(workload, system)] / medians[(workload, "glassnet")]
                   for workload, system in medians if system in LAYOUT_SYSTEMS and (workload, "glassnet") in medians}
    return {"machine": {"python": platform.python_version(), "platform": platform.platform(),
                        "processor": platform.processor()},
            "threads": args.threads, "repeats": repeats,
            "rounds": {workload: len(next(iter(row["times_ms"] for row in rows if row["workload"] == workload)))
                       for workload in dict.fromkeys(row["workload"] for row in rows)}, "gemm_size": gemm_size, "gemm_gflops": gemm,
            "rows": rows, "skipped": skipped, "layout_cost": layout_cost}


def _by_round(times: dict, numerator: str, denominator: str) -> float | None:
    """The median over rounds of numerator's time / denominator's time in
    the same round; None for a system against itself or one not in the run."""
    if numerator == denominator or numerator not in times or denominator not in times:
        return None
    return statistics.median(a / b for a, b in zip(times[numerator], times[denominator]))


def run_tabular(args) -> dict:
    """The tabular benchmark, with the BLAS and OpenMP threads of every model limited as for the timings."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=args.threads):
        return tabular.run(quick=args.quick)


def main(argv=None) -> int:
    args = parse(argv)
    for name in [name for name in args.workloads if name in FILE_WORKLOADS]:
        # a workload of its own kind: command-line runs on files, not systems on arrays
        FILE_WORKLOADS[name](args.quick, args.json if args.workloads == [name] else None)
        args.workloads.remove(name)
    if not args.workloads:
        return 0
    if "tabular" in args.workloads:
        scores = run_tabular(args)
        print(tabular.table(scores))
        if args.markdown:
            print()
            print(tabular.markdown(scores))
        args.workloads = [name for name in args.workloads if name != "tabular"]
        if not args.workloads:
            if args.json:
                report.write_json({"tabular": scores}, args.json)
            return 0
    else:
        scores = None
    results = run(args)
    if scores is not None:
        results["tabular"] = scores
        print()
    print(report.table(results))
    if args.markdown:
        print()
        print(report.markdown(results))
    if args.json:
        report.write_json(results, args.json)
    if args.plot:
        report.bar_chart(results, args.plot)
    return 0


if __name__ == "__main__":
    sys.exit(main())

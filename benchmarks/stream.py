"""``python -m benchmarks --workloads stream``: ``glassnet train`` on files
read in chunks, against the same command reading the whole file.

Generated CSV files of 1M and 10M rows (eight numbers, a colour, a yes/no
label from a noisy nonlinear rule; 1% empty cells in two columns), written
in a temporary folder and deleted afterwards (the 10M file is about 1 GB).
Three runs of ``glassnet train --epochs 2`` in fresh processes:

* in memory, 1M rows (the whole table read at once);
* ``--chunk-rows 100000``, 1M rows;
* ``--chunk-rows 100000``, 10M rows.

For each: the wall time, the peak resident memory of the process (the
kernel's ``ru_maxrss`` of that child), the training rows per second
(training rows × passes / wall time, preparation and test report included)
and the test accuracy from the model file. The streamed accuracy on 1M rows
should be the in-memory one within 0.01; the streamed peak should not grow
with the file.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROWS = (1_000_000, 10_000_000)
QUICK_ROWS = (20_000, 200_000)
CHUNK_ROWS = 100_000
QUICK_CHUNK_ROWS = 5_000
EPOCHS = 2
# rows generated at a time: the generator's own memory stays small too
_WRITE_ROWS = 500_000


def generate(path: Path, rows: int, seed: int = 0) -> None:
    """A CSV of ``rows`` rows, written a block at a time."""
    rng = np.random.default_rng(seed)
    import pandas as pd

    for start in range(0, rows, _WRITE_ROWS):
        n = min(_WRITE_ROWS, rows - start)
        X = rng.standard_normal((n, 8))
        colour = rng.choice(np.array(["red", "green", "blue", "white"]), n)
        signal = 2 * X[:, 0] - X[:, 1] + 0.5 * X[:, 2] * X[:, 3] + np.sin(2 * X[:, 4]) + (colour == "red") - 0.3
        label = np.where(signal + 0.5 * rng.standard_normal(n) > 0, "yes", "no")
        frame = pd.DataFrame({f"x{j}": np.round(X[:, j], 4) for j in range(8)})
        frame["colour"], frame["label"] = colour, label
        frame = frame.astype(str)
        empty = rng.random((n, 2)) < 0.01
        frame.loc[empty[:, 0], "x1"] = ""
        frame.loc[empty[:, 1], "colour"] = ""
        frame.to_csv(path, mode="a", header=start == 0, index=False)


def train(data: Path, model: Path, chunk_rows: int | None) -> dict:
    """One ``glassnet train`` in a fresh process: seconds, peak memory, and the model's figures."""
    args = [sys.executable, "-m", "glassnet", "train", str(data), "--target", "label", "--epochs", str(EPOCHS),
            "-o", str(model), "--quiet"]
    if chunk_rows:
        args += ["--chunk-rows", str(chunk_rows)]
    started = time.perf_counter()
    process = subprocess.Popen(args, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise RuntimeError(f"glassnet train failed: {process.stderr.read()}")
    process.stderr.close()
    from glassnet import load

    loaded = load(model)
    settings = loaded.settings
    passes = settings.get("passes", loaded.n_iter_)
    return {"seconds": seconds, "peak_mb": usage.ru_maxrss / 1024, "rows_train": settings["rows_train"],
            "rows_test": settings["rows_test"], "passes": passes,
            "rows_per_second": settings["rows_train"] * passes / seconds, "accuracy": loaded.report["accuracy"],
            "roc_auc": loaded.report["roc_auc"], "file_mb": data.stat().st_size / 2**20}


def run(quick: bool = False, folder: str | None = None) -> dict:
    rows = QUICK_ROWS if quick else ROWS
    chunk_rows = QUICK_CHUNK_ROWS if quick else CHUNK_ROWS
    work = Path(tempfile.mkdtemp(prefix="glassnet-stream-", dir=folder))
    results = {"machine": platform.platform(), "cpus": os.cpu_count(), "load_average_before": os.getloadavg(),
               "chunk_rows": chunk_rows, "epochs": EPOCHS, "runs": {}}
    try:
        small, large = (_short(count) for count in rows)
        for name, count in zip((small, large), rows):
            started = time.perf_counter()
            generate(work / f"{name}.csv", count)
            results[f"generate_{name}_seconds"] = time.perf_counter() - started
        plan = [(f"in memory, {small}", small, None), (f"streamed, {small}", small, chunk_rows),
                (f"streamed, {large}", large, chunk_rows)]
        results["plan"] = [label for label, _, _ in plan]
        for label, name, chunks in plan:
            results["runs"][label] = train(work / f"{name}.csv", work / "model.glassnet", chunks)
            print(f"  {label}: {_line(results['runs'][label])}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results["load_average_after"] = os.getloadavg()
    memory, streamed, streamed_large = (results["runs"][label] for label in results["plan"])
    results["accuracy_gap"] = abs(streamed["accuracy"] - memory["accuracy"])
    results["peak_ratio_10x"] = streamed_large["peak_mb"] / streamed["peak_mb"]
    return results


def _short(rows: int) -> str:
    return f"{rows // 1_000_000}M" if rows % 1_000_000 == 0 else f"{rows // 1000}k"


def _line(row: dict) -> str:
    return (f"{row['seconds']:7.1f} s  peak {row['peak_mb']:7.0f} MB  {row['rows_per_second']:9,.0f} training rows/s "
            f"({row['passes']} passes)  accuracy {row['accuracy']:.4f}  file {row['file_mb']:.0f} MB")


def table(results: dict) -> str:
    lines = [f"glassnet train --epochs {results['epochs']}, chunks of {results['chunk_rows']:,} rows"]
    lines += [f"  {label:<15} {_line(row)}" for label, row in results["runs"].items()]
    memory, streamed, large = results["plan"]
    lines.append(f"  |{streamed}| - |{memory}| accuracy: {results['accuracy_gap']:.4f} (goal: at most 0.01)")
    lines.append(f"  peak of {large} / peak of {streamed}: {results['peak_ratio_10x']:.2f}")
    return "\n".join(lines)


def main(quick: bool = False, json_path: str | None = None) -> int:
    results = run(quick)
    print(table(results))
    if json_path:
        Path(json_path).write_text(json.dumps(results, indent=1))
    return 0

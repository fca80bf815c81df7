"""``python -m benchmarks.dask_recipes``: the figures of the three Dask
recipes in docs/beyond-one-machine.md, on a ``dask.distributed.LocalCluster``
of worker processes (one thread each). Needs ``distributed`` and ``dask-ml``.

* **Incremental**: dask-ml's ``Incremental(glassnet.MLPClassifier)`` over a
  Dask array of 1M and of 10M rows × 20 features in blocks of 100,000 rows
  (generated on the workers, never in this process), one pass, with
  ``fit`` (every block in one graph) and with ``partial_fit`` on 4 blocks at
  a time; the training rows per second, and the workers' peak resident
  memory (the largest ``ru_maxrss`` among them, a fresh cluster per run).
  The blocks train one after the other (each ``partial_fit`` needs the last
  one's weights), so a second worker does not speed this up; it only moves
  and makes the blocks.
* **Grid search**: ``GridSearchCV`` of 8 candidates × 3 folds on 100,000
  rows, one fit after another in this process, and under joblib's Dask
  backend on 2 workers: the speed-up. (On a cluster of one single-threaded
  worker joblib would run the fits in this process anyway.)
* **map_partitions**: predicting a 1M-row CSV read as a Dask DataFrame
  (``dtype=str``, blocks of 8 MB) with a model file loaded on each worker,
  on 1 worker and on 2: rows per second and the speed-up.

* **Control**: eight tasks of pure Python arithmetic on 1 worker and on 2:
  the speed-up the machine allows a second worker at the time. A machine of
  2 cores shared with other work gives at most 2×, less the scheduler's
  share, and less still when the other work takes the second core.
"""

from __future__ import annotations

import argparse
import functools
import json
import logging
import os
import platform
import resource
import shutil
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

FEATURES = 20
BLOCK_ROWS = 100_000
# blocks per partial_fit call when fitting in waves
WAVE = 4


def _warm():
    import glassnet  # noqa: F401  (and so scikit-learn, pandas)
    import dask_ml.wrappers  # noqa: F401


def get_task_stream(client):
    from distributed import get_task_stream as stream

    return stream(client)


def _cluster(workers: int):
    """A fresh cluster whose workers have imported glassnet: the timings leave out their start."""
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                           silence_logs=logging.ERROR)
    client = Client(cluster)
    client.run(_warm)
    return cluster, client


def _peak_mb(client) -> float:
    return max(client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss).values()) / 1024


def _labels(block):
    return (block[:, 0] + 0.5 * block[:, 1] - block[:, 2] + 0.3 * block[:, 3] * block[:, 4] > 0).astype(np.int64)


def incremental(rows: int, wave: int | None = None) -> dict:
    """``Incremental.fit`` over every block (``wave`` None), or ``partial_fit`` on ``wave`` blocks at a time."""
    import dask.array as da
    from dask_ml.wrappers import Incremental

    import glassnet

    cluster, client = _cluster(2)
    try:
        X = da.random.RandomState(0).standard_normal((rows, FEATURES), chunks=(BLOCK_ROWS, FEATURES))
        y = X.map_blocks(_labels, drop_axis=1, dtype=np.int64)
        model = Incremental(glassnet.MLPClassifier(hidden_layer_sizes=(64, 32), random_state=0), shuffle_blocks=False)
        started = time.perf_counter()
        if wave is None:
            model.fit(X, y, classes=[0, 1])
        else:
            for start in range(0, X.numblocks[0], wave):
                model.partial_fit(X.blocks[start:start + wave], y.blocks[start:start + wave], classes=[0, 1])
        seconds = time.perf_counter() - started
        X_test = da.random.RandomState(1).standard_normal((100_000, FEATURES), chunks=(BLOCK_ROWS, FEATURES))
        accuracy = float(model.score(X_test, X_test.map_blocks(_labels, drop_axis=1, dtype=np.int64)))
        return {"rows": rows, "wave": wave, "seconds": seconds, "rows_per_second": rows / seconds,
                "worker_peak_mb": _peak_mb(client), "accuracy": accuracy}
    finally:
        client.close()
        cluster.close()


def grid_search(workers: int | None) -> dict:
    """The search on a cluster of ``workers`` workers, or (None) in this process, one fit after another."""
    import joblib
    from sklearn.model_selection import GridSearchCV

    import glassnet

    rng = np.random.default_rng(0)
    X = rng.standard_normal((100_000, FEATURES))
    y = _labels(X)
    grid = {"hidden_layer_sizes": [(32,), (64, 32)], "alpha": [1e-4, 1e-2], "learning_rate_init": [1e-3, 1e-2]}
    search = GridSearchCV(glassnet.MLPClassifier(max_iter=5, random_state=0), grid, cv=3,
                          n_jobs=1 if workers is None else -1, refit=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if workers is None:
            from threadpoolctl import threadpool_limits

            # one BLAS thread, as each of Dask's workers has (its nanny sets OMP_NUM_THREADS=1 and the like)
            with threadpool_limits(limits=1):
                started = time.perf_counter()
                search.fit(X, y)
                seconds = time.perf_counter() - started
            return {"workers": None, "fits": 24, "seconds": seconds, "concurrency": 1.0}
        cluster, client = _cluster(workers)
        try:
            with joblib.parallel_backend("dask"), get_task_stream(client) as tasks:
                started = time.perf_counter()
                search.fit(X, y)
            seconds = time.perf_counter() - started
            return {"workers": workers, "fits": 24, "seconds": seconds, "concurrency": _busy(tasks) / seconds}
        finally:
            client.close()
            cluster.close()


def _busy(tasks) -> float:
    """Seconds the workers spent computing tasks, added up: over the wall time, how many ran at once."""
    return sum(item["stop"] - item["start"] for task in tasks.data for item in task["startstops"]
               if item["action"] == "compute")


@functools.cache
def _model(path: str):
    import glassnet

    return glassnet.load(path)


def _predict_block(block, path: str):
    import pandas as pd

    return pd.Series(_model(path).predict(block), index=block.index, name="predicted")


def map_partitions(workers: int, data: Path, model: Path) -> dict:
    import dask.dataframe as dd

    cluster, client = _cluster(workers)
    try:
        frame = dd.read_csv(str(data), dtype=str, blocksize="8MB")
        client.run(_model, str(model))
        started = time.perf_counter()
        with get_task_stream(client) as tasks:
            rows = len(frame.map_partitions(_predict_block, str(model), meta=("predicted", "object")).compute())
        seconds = time.perf_counter() - started
        return {"workers": workers, "rows": rows, "partitions": frame.npartitions, "seconds": seconds,
                "rows_per_second": rows / seconds, "worker_peak_mb": _peak_mb(client),
                "concurrency": _busy(tasks) / seconds}
    finally:
        client.close()
        cluster.close()


def _spin(_):
    """A task of pure Python arithmetic (about 0.2 s of CPU): the control, which any cluster should split."""
    total = 0
    for k in range(6_000_000):
        total += k
    return total


def control(workers: int) -> dict:
    """Eight CPU-bound tasks on ``workers`` workers: the speed-up this machine allows a second worker."""
    cluster, client = _cluster(workers)
    try:
        started = time.perf_counter()
        client.gather(client.map(_spin, range(8)))
        return {"workers": workers, "tasks": 8, "seconds": time.perf_counter() - started}
    finally:
        client.close()
        cluster.close()


RECIPES = ("control", "incremental", "grid_search", "map_partitions")


def run(quick: bool = False, recipes=RECIPES) -> dict:
    import subprocess
    import sys

    from .stream import generate

    sizes = (200_000, 1_000_000) if quick else (1_000_000, 10_000_000)
    results = {"machine": platform.platform(), "cpus": os.cpu_count(), "load_average_before": os.getloadavg()}
    if "control" in recipes:
        results["control"] = [control(workers) for workers in (1, 2)]
    if "incremental" in recipes:
        results["incremental"] = [incremental(rows, wave) for wave in (None, WAVE) for rows in sizes]
    if "grid_search" in recipes:
        results["grid_search"] = [grid_search(workers) for workers in (None, 2)]
    work = Path(tempfile.mkdtemp(prefix="glassnet-dask-"))
    try:
        if "map_partitions" not in recipes:
            return _done(results)
        generate(work / "train.csv", 20_000, seed=1)
        subprocess.run([sys.executable, "-m", "glassnet", "train", str(work / "train.csv"), "--target", "label",
                        "--epochs", "20", "-o", str(work / "model.glassnet"), "--quiet"], check=True)
        generate(work / "table.csv", 200_000 if quick else 1_000_000, seed=2)
        results["map_partitions"] = [map_partitions(workers, work / "table.csv", work / "model.glassnet")
                                     for workers in (1, 2)]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return _done(results)


def _done(results: dict) -> dict:
    results["load_average_after"] = os.getloadavg()
    for name in ("control", "grid_search", "map_partitions"):
        if name in results:
            one, two = results[name]
            results[f"{name}_speedup"] = one["seconds"] / two["seconds"]
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.dask_recipes", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke test")
    parser.add_argument("--json", metavar="PATH", help="write the results as JSON")
    parser.add_argument("--recipes", nargs="+", choices=RECIPES, default=list(RECIPES), help="which to measure")
    args = parser.parse_args(argv)
    results = run(args.quick, args.recipes)
    for row in results.get("control", ()):
        print(f"control, 8 pure-Python tasks on {row['workers']} worker(s): {row['seconds']:.2f} s")
    if "control" in results:
        print(f"  speed-up with 2 workers: {results['control_speedup']:.2f}x (what this machine allows)")
    for row in results.get("incremental", ()):
        how = "fit" if row["wave"] is None else f"partial_fit on {row['wave']} blocks at a time"
        print(f"Incremental {how}, {row['rows']:,} rows: {row['seconds']:.1f} s, {row['rows_per_second']:,.0f} rows/s, "
              f"worker peak {row['worker_peak_mb']:.0f} MB, accuracy {row['accuracy']:.4f}")
    for row in results.get("grid_search", ()):
        where = "in this process" if row["workers"] is None else f"on {row['workers']} workers"
        print(f"grid search, {row['fits']} fits {where}: {row['seconds']:.1f} s, "
              f"{row['concurrency']:.2f} fits at a time")
    if "grid_search" in results:
        print(f"  speed-up with 2 workers: {results['grid_search_speedup']:.2f}x")
    for row in results.get("map_partitions", ()):
        print(f"map_partitions predict, {row['rows']:,} rows in {row['partitions']} blocks on {row['workers']} "
              f"worker(s): {row['seconds']:.1f} s, {row['rows_per_second']:,.0f} rows/s, worker peak "
              f"{row['worker_peak_mb']:.0f} MB, {row['concurrency']:.2f} tasks at a time")
    if "map_partitions" in results:
        print(f"  speed-up with 2 workers: {results['map_partitions_speedup']:.2f}x")
    print(f"load average before and after: {results['load_average_before']}, {results['load_average_after']}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main())

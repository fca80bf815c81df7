"""Does ``record_stats`` off cost anything? The training loop against its
own copy from before the statistics hook, and with the recording on.

    python -m benchmarks.stats_overhead            # tutorial and digits, 15 interleaved repeats
    python -m benchmarks.stats_overhead --quick    # a smoke test

Three variants of the same glassnet training run, interleaved:

* **before hook**: the loop's epoch as it was before ``train`` took its
  ``stats=`` keyword (copied below, verbatim), patched in for the run;
* **stats off**: the loop as it is, ``record_stats=False`` (the default);
* **stats on**: ``record_stats=True``.

The report's ratios are medians: "off / before" should be 1.00 within the
noise of the machine (the hook is one ``is None`` test per step), and
"on / off" is the price of recording. Both variants give bit-identical
weights, which is checked before timing: if the loop has changed since the
copy was taken, the comparison is skipped with a note, not run on a stale
copy.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import warnings
from contextlib import contextmanager

import numpy as np
from glassnet.engine import training as _training

from .measure import timed
from .workloads import WORKLOADS

__all__ = ["run", "main"]


# --- the epoch of glassnet.engine.training._Loop before the stats hook ----------------------
# (a copy; it uses the loop's own helpers, looked up at call time)
def epoch_before_hook(self, n, params) -> dict | None:
    """One pass over the rows; the epoch's record, or None if it diverged."""
    epoch = len(self.history) + 1
    # a shuffled epoch gathers each batch's rows as it goes, rather than a
    # shuffled copy of all of X: the same rows in the same order, without
    # a second copy of the data in memory
    order = self.rng.permutation(n) if self.shuffle and self.batch < n else None
    # the targets in epoch order are needed whole only by a training
    # metric; otherwise each batch gathers its own, like X
    gather_targets = order is not None and self.outputs is None
    Y = self.Y if order is None or gather_targets else _training._rows(self.Y, order)
    mean = self.network.reduction == "mean"
    total = 0.0
    for start in range(0, n, self.batch):
        stop = min(start + self.batch, n)
        rows = slice(start, stop) if order is None else order[start:stop]
        Yb = _training._rows(Y, rows) if gather_targets else Y[start:stop]
        wb = None if self.sample_weight is None else _training._rows(self.sample_weight, rows)
        output = self.network.forward(_training._rows(self.X, rows))
        loss = self.network.output_loss(Yb, wb)
        if not math.isfinite(loss):
            return self._diverged(epoch, loss, params, at_epoch_start=start == 0)
        total += loss * (stop - start) if mean else loss
        if self.outputs is not None:
            self.outputs[start:stop] = output
        self.network.backward(Yb, wb)
        self.optimizer.step(params, self.network.grad)
    if not np.isfinite(params).all():
        return self._diverged(epoch, None, params)
    record = {"epoch": epoch, "loss": total / n if mean else total}
    if self.metric is not None:
        outputs = output if self.outputs is None else self.outputs
        record[self.metric.name] = self.metric(Y, outputs, self.limit)
    if self.validation is not None:
        record.update(_training._validate(self.network, self.validation, self.validation_metric, self.limit))
    record["learning_rate"] = self.optimizer.learning_rate
    return record


@contextmanager
def _loop_before_hook():
    original = _training._Loop._epoch
    _training._Loop._epoch = epoch_before_hook
    try:
        yield
    finally:
        _training._Loop._epoch = original


def _trainer(workload, variant: str):
    """A function that trains a fresh model on ``workload`` and returns it."""
    import glassnet

    record = variant == "stats on"

    def train():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # convergence warnings at a fixed epoch budget
            if workload.name == "tutorial":
                model = glassnet.NeuralNetwork(seed=0)
                fit = lambda: model.train(workload.X_train, workload.y_train, workload.epochs, record_stats=record)  # noqa: E731
            else:
                model = glassnet.MLPClassifier(hidden_layer_sizes=workload.hidden, activation=workload.activation,
                                               solver=workload.solver, learning_rate_init=workload.learning_rate,
                                               batch_size=workload.batch_size, max_iter=workload.epochs, tol=0.0,
                                               n_iter_no_change=workload.epochs + 1, random_state=0,
                                               dtype=workload.dtype, record_stats=record)
                fit = lambda: model.fit(workload.X_train, workload.y_train)  # noqa: E731
            if variant == "before hook":
                with _loop_before_hook():
                    fit()
            else:
                fit()
        return model

    return train


def _weights(model) -> np.ndarray:
    network = getattr(model, "network_", None) or model.network
    return network.params.copy()


VARIANTS = ("before hook", "stats off", "stats on")


def run(quick: bool = False, repeats: int | None = None, workloads=("tutorial", "digits"),
        runs_per_timing: int | None = None) -> dict:
    """Interleaved medians per workload and variant, and their ratios."""
    from glassnet import kernels

    kernels.use("numpy")
    repeats = repeats or (2 if quick else 15)
    rows, skipped = [], []
    for name in workloads:
        workload = WORKLOADS[name](quick)
        # tiny runs are timed several at a time, so that the timer's resolution does not matter
        per_timing = runs_per_timing or (20 if name == "tutorial" else 1)
        trainers = {variant: _trainer(workload, variant) for variant in VARIANTS}
        reference, current = trainers["before hook"](), trainers["stats off"]()
        if not np.array_equal(_weights(reference), _weights(current)):
            skipped.append(f"{name}: the loop differs from the copy taken before the hook (different weights); "
                           "refresh the copy in benchmarks/stats_overhead.py")
            continue
        times = {variant: [] for variant in VARIANTS}
        for round_ in range(repeats):
            # the order rotates every round, so no variant always runs first or last
            for variant in VARIANTS[round_ % 3:] + VARIANTS[:round_ % 3]:
                times[variant].append(timed(lambda: [trainers[variant]() for _ in range(per_timing)]) / per_timing)
        medians = {variant: statistics.median(values) for variant, values in times.items()}
        rows.append({"workload": name, "repeats": repeats, "runs_per_timing": per_timing,
                     "median_ms": {variant: value * 1e3 for variant, value in medians.items()},
                     "times_ms": {variant: [t * 1e3 for t in values] for variant, values in times.items()},
                     "off_over_before": medians["stats off"] / medians["before hook"],
                     "on_over_off": medians["stats on"] / medians["stats off"]})
    kernels.reset()
    return {"rows": rows, "skipped": skipped}


def table(results: dict) -> str:
    header = f"{'workload':<10}{'before hook ms':>16}{'stats off ms':>14}{'stats on ms':>13}{'off/before':>12}{'on/off':>9}"
    lines = [header, "-" * len(header)]
    for row in results["rows"]:
        medians = row["median_ms"]
        lines.append(f"{row['workload']:<10}{medians['before hook']:>16.2f}{medians['stats off']:>14.2f}"
                     f"{medians['stats on']:>13.2f}{row['off_over_before']:>12.3f}{row['on_over_off']:>9.2f}")
    if results["skipped"]:
        lines += ["", "skipped: " + "; ".join(results["skipped"])]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.stats_overhead", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes and two repeats: a smoke test")
    parser.add_argument("--repeats", type=int, default=None, help="interleaved repeats (default: 15; quick: 2)")
    parser.add_argument("--workloads", nargs="+", choices=("tutorial", "digits"), default=["tutorial", "digits"])
    parser.add_argument("--json", metavar="PATH", help="write the results as JSON")
    args = parser.parse_args(argv)
    results = run(args.quick, args.repeats, args.workloads)
    print(table(results))
    if args.json:
        with open(args.json, "w") as file:
            json.dump(results, file, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The benchmark's quick mode runs and reports consistent figures. Nothing
here asserts a timing: speed is judged by the ratios in the benchmark's own
output, never by a test on a shared machine."""

import io
import json
import statistics
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.__main__ import main  # noqa: E402
from benchmarks.floor import Products  # noqa: E402
from benchmarks.systems import FLOOR, SYSTEMS  # noqa: E402
from benchmarks.workloads import WORKLOADS  # noqa: E402


def test_quick_benchmark_writes_consistent_results(tmp_path, capsys):
    path = tmp_path / "results.json"
    assert main(["--quick", "--repeats", "2", "--workloads", "tutorial", "digits", "--json", str(path),
                 "--plot", str(tmp_path / "bars.png")]) == 0
    results = json.loads(path.read_text())
    rows = {(row["workload"], row["system"]): row for row in results["rows"]}
    assert results["rounds"] == {"tutorial": 2, "digits": 2}  # --quick runs exactly --repeats rounds
    expected_systems = {FLOOR, "glassnet", "article loop", "scikit-learn"}
    for system, module in (("pytorch", "torch"), ("glassnet+numba", "numba")):
        try:
            __import__(module)
            expected_systems.add(system)
        except ImportError:
            assert any(item.startswith(f"{system} on") for item in results["skipped"])
    assert {system for workload, system in rows if workload == "tutorial"} == expected_systems
    assert ("digits", "article loop") not in rows  # the bare loop only does the article's work
    glassnet_median = rows[("tutorial", "glassnet")]["median_ms"]
    numba_median = rows.get(("tutorial", "glassnet+numba"), {}).get("median_ms")
    for (workload, system), row in rows.items():
        assert len(row["times_ms"]) == 2 and row["median_ms"] == pytest.approx(statistics.median(row["times_ms"]))
        if system not in ("glassnet", FLOOR) and workload == "tutorial":
            assert row["ratio"] == pytest.approx(glassnet_median / row["median_ms"])
        if system not in ("glassnet", "glassnet+numba", FLOOR) and workload == "tutorial" and numba_median is not None:
            assert row["numba_ratio"] == pytest.approx(numba_median / row["median_ms"])
        # every system's time over the same run's GEMM floor; the floor learns nothing
        floor_median = rows[(workload, FLOOR)]["median_ms"]
        if system == FLOOR:
            assert row["accuracy"] is None and row["floor_ratio"] is None and row["peak_mb"] is None
        else:
            assert row["floor_ratio"] == pytest.approx(row["median_ms"] / floor_median)
            assert 0.0 <= row["accuracy"] <= 1.0
            # by round: each round's time over the floor's in that round, then the median
            floor_times = rows[(workload, FLOOR)]["times_ms"]
            assert row["floor_ratio_by_round"] == pytest.approx(
                statistics.median(t / f for t, f in zip(row["times_ms"], floor_times)))
        if system not in ("glassnet", FLOOR):
            glassnet_times = rows[(workload, "glassnet")]["times_ms"]
            assert row["ratio_by_round"] == pytest.approx(
                statistics.median(g / t for g, t in zip(glassnet_times, row["times_ms"])))
        else:
            assert row["ratio_by_round"] is None
    # the article's network and glassnet's NeuralNetwork classify the article's test rows alike
    assert rows[("tutorial", "glassnet")]["accuracy"] == rows[("tutorial", "article loop")]["accuracy"]
    if ("digits", "glassnet+numba") in rows:  # the same numbers on both kernel paths
        assert rows[("digits", "glassnet+numba")]["accuracy"] == rows[("digits", "glassnet")]["accuracy"]
    digits = rows[("digits", "glassnet")]
    assert digits["gflops"] == pytest.approx(WORKLOADS["digits"](quick=True).flops() / digits["median_ms"] * 1e3 / 1e9)
    assert (tmp_path / "bars.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    printed = capsys.readouterr().out
    assert "glassnet/x" in printed and "x/floor" in printed and "the same ratios by round" in printed
    floor_line = next(line for line in printed.splitlines() if line.startswith("digits") and FLOOR in line)
    assert floor_line.split()[-1] == "n/a"  # no accuracy


class _RecordingNumpy:
    """NumPy with ``matmul`` recording each product's operand shapes and dtype."""

    def __init__(self, numpy):
        self._numpy, self.products = numpy, []

    def __getattr__(self, name):
        return getattr(self._numpy, name)

    def matmul(self, A, B, *args, **kwargs):
        self.products.append((A.shape, B.shape, A.dtype.name, B.dtype.name))
        return self._numpy.matmul(A, B, *args, **kwargs)


@pytest.mark.parametrize("name", ["digits", "large"])
def test_gemm_floor_performs_exactly_the_products_of_training(name, monkeypatch):
    """Recorded independently: the products glassnet's network computes in
    one fit of the workload are the floor's, in the same order."""
    import numpy as np

    import benchmarks.floor
    import glassnet.engine.network

    workload = WORKLOADS[name](quick=True)
    training = _RecordingNumpy(np)
    monkeypatch.setattr(glassnet.engine.network, "np", training)
    SYSTEMS["glassnet"](workload).train()
    monkeypatch.undo()
    floor = _RecordingNumpy(np)
    monkeypatch.setattr(benchmarks.floor, "np", floor)
    products = Products(workload)
    products.train()
    assert floor.products == training.products
    assert len(floor.products) == products.count()
    # the last, shorter batch of an epoch is there too
    n, batch = workload.X_train.shape[0], workload.batch_size
    assert products.batch_sizes == [batch] * (n // batch) + ([n % batch] if n % batch else [])


def test_quick_inputs_workload_times_each_layout_against_the_ndarray(tmp_path, capsys):
    path = tmp_path / "inputs.json"
    systems = ["glassnet", "glassnet on DataFrame", "glassnet on Fortran"]
    assert main(["--quick", "--repeats", "2", "--workloads", "inputs", "--systems", *systems, "--no-memory",
                 "--json", str(path)]) == 0
    results = json.loads(path.read_text())
    rows = {row["system"]: row for row in results["rows"]}
    assert set(rows) == set(systems)
    # the same numbers in another layout train to the same weights, hence the same accuracy
    assert rows["glassnet on DataFrame"]["accuracy"] == rows["glassnet on Fortran"]["accuracy"] == rows["glassnet"]["accuracy"]
    printed = capsys.readouterr().out
    for system in systems[1:]:
        cost = results["layout_cost"][f"inputs {system}"]
        assert cost == pytest.approx(rows[system]["median_ms"] / rows["glassnet"]["median_ms"])
        assert f"inputs {system}: {cost:.2f}x the time" in printed
    # the default benchmark leaves the layout systems out of the other workloads
    assert all(SYSTEMS[system](WORKLOADS["digits"](quick=True)) is None for system in systems[1:])


def test_stats_overhead_benchmark_compares_like_with_like(tmp_path, capsys):
    from benchmarks.stats_overhead import main as overhead_main

    path = tmp_path / "overhead.json"
    assert overhead_main(["--quick", "--json", str(path)]) == 0
    results = json.loads(path.read_text())
    # the copy of the loop from before the hook still trains to the same weights
    assert results["skipped"] == []
    for row in results["rows"]:
        medians = row["median_ms"]
        for variant, times in row["times_ms"].items():
            assert len(times) == 2 and medians[variant] == pytest.approx(statistics.median(times))
        assert row["off_over_before"] == pytest.approx(medians["stats off"] / medians["before hook"])
        assert row["on_over_off"] == pytest.approx(medians["stats on"] / medians["stats off"])
    assert "off/before" in capsys.readouterr().out


def test_quick_tabular_benchmark_scores_every_model_on_real_tables(tmp_path, capsys):
    from benchmarks.tabular import MODELS, QUICK_TABLES, TABLES

    path = tmp_path / "tabular.json"
    assert main(["--quick", "--workloads", "tabular", "--json", str(path), "--markdown"]) == 0
    results = json.loads(path.read_text())["tabular"]
    rows = {(row["table"], row["model"]): row for row in results["rows"]}
    assert set(rows) == {(table, model) for table in QUICK_TABLES for model in MODELS}
    assert results["folds"] == 2
    for (table, model), row in rows.items():
        assert len(row["fold_scores"]) == 2 and row["score"] == pytest.approx(statistics.mean(row["fold_scores"]))
        assert row["task"] == TABLES[table].task and row["seconds"] > 0
        # accuracy of a classifier on iris; R² of a regressor on the penguins' body mass (with empty cells and text)
        assert (0.3 if row["task"] == "classify" else -1.0) < row["score"] <= 1.0
    for model, summary in results["summary"].items():
        assert summary["median"] == pytest.approx(statistics.median(rows[(t, model)]["score"] for t in QUICK_TABLES))
    verdict = results["verdict"]
    assert verdict["recipe_minus_boosting"] == pytest.approx(
        results["summary"]["glassnet recipe"]["median"] - results["summary"]["gradient boosting"]["median"])
    printed = capsys.readouterr().out
    assert "| **median** |" in printed and "gradient boosting" in printed and "the recipe" in printed


def test_the_tabular_tables_ship_with_installed_packages_with_empty_cells_and_text():
    from benchmarks.tabular import TABLES

    assert len(TABLES) >= 8
    tasks = {table.task for table in TABLES.values()}
    assert tasks == {"classify", "regress"}
    loaded = {name: table.load() for name, table in TABLES.items()}
    assert any(features.isna().any().any() for features, _ in loaded.values())
    assert any((features.dtypes == object).any() or any(str(kind) in ("str", "string") for kind in features.dtypes)
               for features, _ in loaded.values())
    for name, (features, target) in loaded.items():
        assert len(features) == len(target) >= 100 and target.notna().all(), name


def test_the_stream_workload_runs_and_deletes_its_files(monkeypatch, tmp_path, capsys):
    """The 'stream' workload at tiny sizes: three glassnet train runs on generated files, its figures, nothing left."""
    from benchmarks import stream

    monkeypatch.setattr(stream, "QUICK_ROWS", (2000, 20_000))
    monkeypatch.setattr(stream, "QUICK_CHUNK_ROWS", 1000)
    monkeypatch.setattr(stream.tempfile, "mkdtemp", lambda prefix, dir=None: str(tmp_path / "work"))
    (tmp_path / "work").mkdir()
    path = tmp_path / "stream.json"
    assert main(["--quick", "--workloads", "stream", "--json", str(path)]) == 0
    results = json.loads(path.read_text())
    assert results["plan"] == ["in memory, 2k", "streamed, 2k", "streamed, 20k"]
    for label, row in results["runs"].items():
        assert row["passes"] == 2 and 0.5 < row["accuracy"] <= 1 and row["peak_mb"] > 0
        assert row["rows_per_second"] == pytest.approx(row["rows_train"] * 2 / row["seconds"])
    assert results["peak_ratio_10x"] == pytest.approx(
        results["runs"]["streamed, 20k"]["peak_mb"] / results["runs"]["streamed, 2k"]["peak_mb"])
    assert not (tmp_path / "work").exists()
    assert "goal: at most 0.01" in capsys.readouterr().out


def test_the_playground_uploads_benchmark_measures_what_it_says(tmp_path):
    """The uploads ``python -m benchmarks.playground --uploads`` measures are those it describes, and one
    measurement (on a small table here) gives its figures: a trained table, the server's peak memory,
    another page's frames meanwhile."""
    import pandas as pd

    from benchmarks.playground_uploads import measure_upload, upload_bytes
    from cli_helpers import FRUIT

    for name, rows, columns, megabytes in (("ids-20k", 20_000, 4, 0.5), ("ids-80k", 80_000, 3, 1.3),
                                           ("wide-10k", 40, 10_001, 2.5)):
        content = upload_bytes(name)
        table = pd.read_csv(io.BytesIO(content))
        assert table.shape == (rows, columns) and abs(len(content) / 1e6 - megabytes) < 0.1, name
        if name.startswith("ids"):
            assert table["id"].nunique() > 0.99 * rows  # identifier-like: nearly one value per row
    figures = measure_upload("fruit", open(FRUIT, "rb").read())
    assert figures["outcome"] == "trained" and figures["inputs"] > 0
    assert figures["peak_mb"] >= figures["rss_before_mb"] > 0 and figures["other_page_frames_meanwhile"] >= 0


def test_the_revisions_benchmark_times_both_codes_in_their_own_processes(tmp_path, capsys):
    """``python -m benchmarks.revisions`` checks the earlier commit out, runs each side's own glassnet (the
    child refuses an installed copy) on the same rows, and reports the ratio of the medians; the worktree is
    removed afterwards."""
    import subprocess

    from benchmarks.revisions import ROOT
    from benchmarks.revisions import main as revisions

    def worktrees():
        return subprocess.run(["git", "-C", str(ROOT), "worktree", "list"], capture_output=True, text=True).stdout

    listed = worktrees()
    path = tmp_path / "revisions.json"
    assert revisions(["--before", "HEAD", "--quick", "--rounds", "1", "--workloads", "tutorial",
                      "--json", str(path)]) == 0
    [row] = json.loads(path.read_text())["results"].values()
    assert row["after_over_before"] == pytest.approx(row["after_median_s"] / row["before_median_s"])
    # the same commit trains the same network on the same rows: the same accuracy on both sides
    assert row["accuracy"]["before"] == row["accuracy"]["after"] and len(row["rounds"]["before"]) == 1
    assert "after/before" in capsys.readouterr().out and worktrees() == listed
    assert revisions(["--before", "no-such-revision"]) == 2

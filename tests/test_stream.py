"""glassnet train/evaluate/predict --chunk-rows: a table read in chunks.

Peak memory is measured on real subprocesses (the kernel's account of the
child's resident memory) for a file and one ten times larger; everything
else runs in this process, on small generated files.
"""

import json
import re
import warnings

import numpy as np
import pandas as pd
import pytest

from cli_helpers import glassnet_peak
from glassnet import load
from glassnet.cli import main
from glassnet.tabular.fitting import Options
from glassnet.tabular.notes import DataNote
from glassnet.tabular.pipeline import TableOptions, prepare_table
from glassnet.tabular.reading import read_table
from glassnet.tabular.rowhash import RowHash
from glassnet.tabular.sources import TableSource
from glassnet.tabular.stream_fit import fit_stream
from glassnet.tabular.streamed import prepare_stream


def _table(n: int, seed: int = 0, *, regress: bool = False) -> pd.DataFrame:
    """Six numbers, a colour, a constant and an empty column, an identifier, a target; a few empty cells."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 6))
    colour = rng.choice(["red", "green", "blue", "white"], n)
    signal = 2 * X[:, 0] - X[:, 1] + 0.5 * X[:, 2] * X[:, 3] + (colour == "red") - 0.3
    frame = pd.DataFrame({f"x{j}": np.round(X[:, j], 4).astype(str) for j in range(6)})
    frame["colour"], frame["constant"], frame["nothing"] = colour, "k", ""
    frame["code"] = [f"c{i:07d}" for i in rng.permutation(n)]
    frame["label"] = np.round(signal, 3).astype(str) if regress else \
        np.where(signal + 0.5 * rng.standard_normal(n) > 0, "yes", "no")
    empty = rng.random((n, 2)) < 0.02
    frame.loc[empty[:, 0], "x1"] = ""
    frame.loc[empty[:, 1], "colour"] = ""
    return frame


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stream")
    paths = {}
    for name, rows in (("small", 10_000), ("large", 100_000)):
        paths[name] = folder / f"{name}.csv"
        _table(rows).to_csv(paths[name], index=False)
    paths["parts"] = folder / "parts"
    paths["parts"].mkdir()
    small = read_table(paths["small"])
    for part, rows in enumerate(np.array_split(np.arange(len(small)), 3)):
        small.iloc[rows].to_csv(paths["parts"] / f"part-{part}.csv", index=False)
    paths["regress"] = folder / "regress.csv"
    _table(3000, seed=1, regress=True).to_csv(paths["regress"], index=False)
    return paths


def _cli(capsys, *args):
    code = main([str(arg) for arg in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_peak_memory_does_not_grow_with_the_file(files, tmp_path):
    """The same command on 10,000 and 100,000 rows: the child's peak resident memory stays put, where the
    in-memory run's grows by the table (about 70 MB more for these 90,000 rows)."""
    peaks = {}
    for name in ("small", "large"):
        done, peaks[name] = glassnet_peak("train", files[name], "--target", "label", "--id", "code",
                                          "--chunk-rows", 2500, "--epochs", 1, "--hidden", 16,
                                          "-o", tmp_path / f"{name}.glassnet")
        assert done.returncode == 0, done.stderr
        assert "1 pass(es) in chunks of 2500 rows" in done.stdout
    growth = peaks["large"] - peaks["small"]
    assert growth < 25 * 2**20, f"peak grew by {growth / 2**20:.1f} MiB: {peaks}"
    assert peaks["large"] < 1.15 * peaks["small"]


def test_the_held_out_rows_are_the_same_in_every_pass_and_for_every_chunk_size(files):
    options = TableOptions(target="label", id_column="code", seed=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataNote)
        tables = [prepare_stream(TableSource(str(files["small"]), rows), options) for rows in (997, 4000)]
    held = [[np.concatenate([test.index.to_numpy() for _, test in table.parts()]) for _ in range(2)]
            for table in tables]
    expected = np.flatnonzero(RowHash(0.2, 3).held_out(np.arange(10_000)))
    for first, second in held:
        np.testing.assert_array_equal(first, expected)
        np.testing.assert_array_equal(second, expected)
    assert tables[0].rows_test == expected.size and 0.18 < expected.size / 10_000 < 0.22
    # and so everything fitted on the training part is fitted on the same rows, whatever the chunk size
    small, large = tables
    np.testing.assert_allclose(small.scaler.mean_, large.scaler.mean_, rtol=1e-12)
    np.testing.assert_array_equal(small.imputation.numeric_values, large.imputation.numeric_values)
    assert small.columns == large.columns


def test_the_column_rules_and_notes_are_the_in_memory_pipelines(files):
    """Columns left out (empty, constant), an identifier noted, cells filled: the same notes as in memory,
    the same column kinds and categories; fill values from the bounded sample (here all the training rows)."""
    options = TableOptions(target="label")
    frame = read_table(files["small"])
    with warnings.catch_warnings(record=True) as memory:
        warnings.simplefilter("always")
        prepared = prepare_table(frame, options, repr(str(files["small"])))
    with warnings.catch_warnings(record=True) as streamed:
        warnings.simplefilter("always")
        table = prepare_stream(TableSource(str(files["small"]), 1500), options)
    said = {re.sub(r"\d+", "N", str(w.message).split(":")[0]) for w in memory}
    assert said == {re.sub(r"\d+", "N", str(w.message).split(":")[0]) for w in streamed}
    assert any("'constant'" in message for message in said) and any("'nothing'" in message for message in said)
    assert any("text column 'code' (N distinct values in N rows, N of them in one row only, like an identifier) "
               "left out" in message for message in said)
    assert "code" not in prepared.columns.features
    assert table.columns.features == prepared.columns.features and table.columns.numeric == prepared.columns.numeric
    # every training part holds every colour; each holds its own identifiers
    assert table.columns.categories["colour"] == prepared.columns.categories["colour"]
    assert table.task == prepared.task == "classify"
    # the training parts differ (a hash split against a stratified one), so their medians agree only nearly
    np.testing.assert_allclose(table.imputation.numeric_values, prepared.imputation.numeric_values, atol=0.05)
    assert table.imputation.text_values == prepared.imputation.text_values


def test_a_text_column_with_more_values_than_counted_is_left_out_and_cannot_be_kept(files, monkeypatch):
    """The survey counts a column's values up to a limit: past it, the column has too many values for the
    in-memory rule as well (left out, noted); kept with --keep, it is refused, naming --ignore."""
    from glassnet.parameters import phrased
    from glassnet.tabular import streamed

    monkeypatch.setattr(streamed, "COUNTED_VALUES", 1000)
    options = TableOptions(target="label", max_inputs=1000)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = prepare_stream(TableSource(str(files["small"]), 3000), options)
    assert "code" not in table.columns.features and "colour" in table.columns.features
    notes = [str(w.message) for w in caught if "'code'" in str(w.message)]
    assert len(notes) == 1 and notes[0].startswith("text column 'code' (more than 1000 distinct values in ")
    with warnings.catch_warnings(), pytest.raises(ValueError) as refused:
        warnings.simplefilter("ignore", DataNote)
        prepare_stream(TableSource(str(files["small"]), 3000), TableOptions(target="label", keep=["code"],
                                                                             max_inputs=1000))
    assert phrased(refused.value, "cli") == (f"column 'code' of {str(files['small'])!r} has more than 1,000 distinct "
                                             "values in the training part, too many to one-hot encode (--ignore code "
                                             "leaves it out)")


def test_streamed_training_saves_the_model_file_every_command_reads(files, tmp_path, capsys):
    model_path = tmp_path / "stream.glassnet"
    code, out, err = _cli(capsys, "train", files["small"], "--target", "label", "--ignore", "code",
                          "--chunk-rows", 3000, "--epochs", 4, "-o", model_path)
    assert code == 0, err
    model = load(model_path)
    settings = model.settings
    assert settings["chunk_rows"] == 3000 and settings["passes"] == 4 and len(settings["pass_losses"]) == 4
    assert settings["rows_train"] + settings["rows_test"] == 10_000
    # four passes of four partial_fit steps (3000-row chunks, the shuffle buffer's last rows a step of their own)
    assert len(model.history) >= 16 and model.learner.samples_seen == 4 * settings["rows_train"]
    assert model.report["accuracy"] > 0.85
    assert "note: columns 'constant'" in err or "note: column 'constant'" in err
    # predictions read in chunks are those of the whole file, row for row
    for chunked in (False, True):
        extra = ["--chunk-rows", 1234] if chunked else []
        code, out, err = _cli(capsys, "predict", model_path, files["small"], "-o", tmp_path / f"p{chunked}.csv", *extra)
        assert code == 0, err
    chunked, whole = pd.read_csv(tmp_path / "pTrue.csv"), pd.read_csv(tmp_path / "pFalse.csv")
    # the same labels; the probabilities to the last bits (a matrix product of other rows may round differently)
    pd.testing.assert_frame_equal(chunked, whole, check_exact=False, rtol=1e-12)
    assert chunked["predicted_label"].tolist() == whole["predicted_label"].tolist()
    # and so are the metrics (ROC AUC from binned scores: within a hair)
    figures = {}
    for chunked in (False, True):
        extra = ["--chunk-rows", 777] if chunked else []
        code, out, err = _cli(capsys, "evaluate", model_path, files["small"], "--json", *extra)
        assert code == 0, err
        figures[chunked] = json.loads(out)
    roc = figures[True].pop("roc_auc"), figures[False].pop("roc_auc")
    assert figures[True] == figures[False] and roc[0] == pytest.approx(roc[1], abs=1e-4)
    code, out, err = _cli(capsys, "inspect", model_path)
    assert code == 0 and "one-hot 'colour': 4 categories" in out


def test_a_folder_or_a_glob_of_files_is_one_table(files, tmp_path, capsys):
    options = TableOptions(target="label", id_column="code")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataNote)
        whole = prepare_stream(TableSource(str(files["small"]), 2000), options)
        folder = prepare_stream(TableSource(str(files["parts"]), 2000), options)
        matched = prepare_stream(TableSource(str(files["parts"] / "part-*.csv"), 2000), options)
    for table in (folder, matched):
        assert (table.rows_train, table.rows_test) == (whole.rows_train, whole.rows_test)
        np.testing.assert_allclose(table.scaler.mean_, whole.scaler.mean_, rtol=1e-12)
        assert table.columns == whole.columns
    assert folder.source == f"{str(files['parts'])!r} (3 files)"
    # predictions row by row, numbered across the files
    code, out, err = _cli(capsys, "train", files["parts"], "--target", "label", "--id", "code", "--chunk-rows", 2000,
                          "--epochs", 1, "-o", tmp_path / "m.glassnet")
    assert code == 0, err
    code, out, err = _cli(capsys, "predict", tmp_path / "m.glassnet", files["parts"], "--chunk-rows", 999,
                          "-o", tmp_path / "p.csv")
    assert code == 0, err
    predicted = pd.read_csv(tmp_path / "p.csv", dtype=str)
    assert predicted["code"].tolist() == read_table(files["small"])["code"].tolist()
    # no output may be one of the table's files, even with --force
    part = files["parts"] / "part-1.csv"
    before = part.read_bytes()
    for command in (["predict", tmp_path / "m.glassnet", files["parts"], "-o", part],
                    ["train", files["parts"] / "part-*.csv", "--target", "label", "-o", part]):
        code, out, err = _cli(capsys, *command, "--chunk-rows", 999, "--force")
        assert code == 2 and f"is the DATA file {str(part)!r}" in err, err
    assert part.read_bytes() == before


def test_a_regression_streams_with_its_target_standardised(files, tmp_path, capsys):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model, run = fit_stream(TableSource(str(files["regress"]), 700),
                                Options(target="label", task="regress", ignore=["code"], epochs=3, seed=0))
    assert model.task == "regress" and run.passes == 3
    # the target's mean and spread, merged chunk by chunk, are those of the training rows
    frame = read_table(files["regress"])
    held = RowHash(0.2, 0).held_out(np.arange(len(frame)))
    values = frame["label"].astype(float).to_numpy()[~held]
    assert model.target_encoding.mean == pytest.approx(values.mean(), rel=1e-12)
    assert model.target_encoding.scale == pytest.approx(values.std(), rel=1e-10)
    path = tmp_path / "r.glassnet"
    from glassnet import save

    save(model, path)
    figures = {}
    for chunked in (False, True):
        extra = ["--chunk-rows", 400] if chunked else []
        code, out, err = _cli(capsys, "evaluate", path, files["regress"], "--json", *extra)
        assert code == 0, err
        figures[chunked] = json.loads(out)
    for name in ("mae", "mse", "rmse", "r2"):
        assert figures[True][name] == pytest.approx(figures[False][name], rel=1e-9)


@pytest.mark.parametrize("args, message", [
    (["--solver", "lbfgs"], "--solver lbfgs takes its steps on the whole training part at once"),
    (["--early-stopping"], "--early-stopping holds out a validation part"),
    (["--dataset", "iris"], "a --dataset is in memory already"),
])
def test_settings_that_need_every_row_at_once_are_refused_in_one_line(files, tmp_path, capsys, args, message):
    data = [] if "--dataset" in args else [files["small"], "--target", "label"]
    code, out, err = _cli(capsys, "train", *data, *args, "--chunk-rows", 1000, "-o", tmp_path / "m.glassnet")
    assert code != 0 and message in err and "Traceback" not in err and len(err.strip().splitlines()) <= 2


def test_files_of_one_table_need_the_same_columns(files, tmp_path, capsys):
    folder = tmp_path / "mixed"
    folder.mkdir()
    read_table(files["small"]).iloc[:50].to_csv(folder / "a.csv", index=False)
    read_table(files["small"]).iloc[:50, ::-1].to_csv(folder / "b.csv", index=False)
    code, out, err = _cli(capsys, "train", folder, "--target", "label", "--chunk-rows", 20, "-o", tmp_path / "m.g")
    assert code == 1 and "b.csv' has the columns" in err and "need the same columns in the same order" in err
    code, out, err = _cli(capsys, "train", tmp_path / "none-*.csv", "--target", "label", "--chunk-rows", 20,
                          "-o", tmp_path / "m.g")
    assert code == 1 and err.startswith("error: no file matches")


def test_drop_missing_drops_the_rows_it_drops_in_memory_and_balanced_weights_come_from_the_survey(files):
    options = Options(target="label", ignore=["code"], drop_missing=True, class_weight="balanced", epochs=1)
    frame = read_table(files["small"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        prepared = prepare_table(frame, options, "small")
        model, run = fit_stream(TableSource(str(files["small"]), 3000), options)
    empty = ((frame["x1"] == "") | (frame["colour"] == "")).sum()
    assert prepared.dropped == model.settings["rows_dropped"] == empty > 0
    assert model.settings["rows_train"] + model.settings["rows_test"] == len(frame) - empty
    weights = model.trained.class_weight
    counts = {label: count for label, count in zip(*np.unique(
        frame["label"][(frame["x1"] != "") & (frame["colour"] != "")
                       & ~RowHash(0.2, 0).held_out(np.arange(len(frame)))], return_counts=True))}
    total = sum(counts.values())
    assert weights == pytest.approx({label: total / (2 * count) for label, count in counts.items()})


def test_the_progress_line_says_the_pass_the_rows_and_their_rate():
    import io

    from rich.console import Console

    from glassnet.progress import RowProgress

    console = Console(file=io.StringIO(), width=120)
    blocks = [np.zeros((3, 2)), np.zeros((4, 2))]
    with RowProgress(console) as progress:
        assert [block.shape[0] for block in progress.rows(blocks, "surveying")] == [3, 4]
        list(progress.rows(blocks, "training, pass 1 of 2", total=7))
    surveying, training = console.file.getvalue().splitlines()
    assert surveying.startswith("surveying") and " 7 rows " in surveying and "rows/s" in surveying
    assert training.startswith("training, pass 1 of 2") and "7/7 rows" in training and "rows/s" in training


def test_text_cells_keep_a_chunks_row_numbers_when_asked():
    """A chunk's index is its rows' numbers in the file (messages name them): text_cells(renumber=False)
    keeps it, and a chunk that already is text cells is not copied."""
    from glassnet.tabular.reading import text_cells

    frame = pd.DataFrame({"a": [1.5, np.nan], 7: ["x", None]}, index=[1000, 1001])
    cells = text_cells(frame, renumber=False)
    assert list(cells.index) == [1000, 1001] and cells.to_dict("list") == {"a": ["1.5", ""], "7": ["x", ""]}
    assert list(text_cells(frame).index) == [0, 1] and list(frame.columns) == ["a", 7]
    chunk = pd.DataFrame({"a": ["1", "2"]}, index=[5, 6])
    assert text_cells(chunk, renumber=False) is chunk

"""The command line never destroys what it was given, and fails in one line:
outputs that are inputs, existing files of another kind (--force), a full
disk, Ctrl-C while it starts, a closed pipe, files where no row can be
predicted or some rows lack their target."""

import errno
import os
import shutil
import signal
import subprocess
import sys

import pandas as pd
import pytest

from cli_helpers import ENV, FRUIT, glassnet as run_glassnet
from glassnet.cli import main

posix_only = pytest.mark.skipif(os.name != "posix", reason="links, signals and pipes as on POSIX")


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A trained model, its data, earlier predictions, a picture and an ONNX file."""
    folder = tmp_path_factory.mktemp("safety")
    shutil.copy(FRUIT, folder / "fruit.csv")
    assert main(["train", str(folder / "fruit.csv"), "--target", "fruit", "-o", str(folder / "m.glassnet"),
                 "--hidden", "4", "--epochs", "5", "--quiet", "--plot", str(folder / "curves.png")]) == 0
    assert main(["predict", str(folder / "m.glassnet"), str(folder / "fruit.csv"), "-o",
                 str(folder / "predictions.csv")]) == 0
    assert main(["export", str(folder / "m.glassnet"), "-o", str(folder / "m.onnx"), "--quiet"]) == 0
    return folder


@pytest.fixture
def work(folder, tmp_path):
    """A fresh copy of ``folder`` for a test that may write into it."""
    for path in folder.iterdir():
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def _snapshot(folder):
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


def _one_error_line(run, *expected):
    lines = run.stderr.strip().splitlines()
    assert lines and lines[0].startswith("error: "), run.stderr
    assert all(text in lines[0] for text in expected), run.stderr
    assert all(line.startswith("hint: ") for line in lines[1:2]) and len(lines) <= 2, run.stderr
    assert "Traceback" not in run.stderr


# --- outputs that are inputs ----------------------------------------------------------------
OVERWRITES = {
    # the reproductions: a model written over the CSV it was trained on, predictions over their input or the model
    "train -o DATA": (["train", "fruit.csv", "--target", "fruit", "-o", "fruit.csv"], "-o 'fruit.csv' is the DATA file"),
    "train --plot DATA": (["train", "fruit.csv", "--target", "fruit", "-o", "new.glassnet", "--plot", "fruit.png"],
                          None),
    "predict -o DATA": (["predict", "m.glassnet", "fruit.csv", "-o", "fruit.csv"], "-o 'fruit.csv' is the DATA file"),
    "predict -o MODEL": (["predict", "m.glassnet", "fruit.csv", "-o", "m.glassnet"], "-o 'm.glassnet' is the MODEL file"),
    "export -o MODEL": (["export", "m.glassnet", "-o", "m.glassnet"], "-o 'm.glassnet' is the MODEL file"),
    "evaluate --plot DATA": (["evaluate", "m.glassnet", "fruit.png"], None),
    "spelt another way": (["predict", "m.glassnet", "fruit.csv", "-o", "./sub/../fruit.csv"],
                          "is the DATA file 'fruit.csv'"),
    "same output twice": (["train", "fruit.csv", "--target", "fruit", "-o", "x.png", "--plot", "./x.png"],
                          "--plot and -o name the same file"),
}


@pytest.mark.parametrize("case", list(OVERWRITES))
@pytest.mark.parametrize("force", [False, True])
def test_an_output_that_is_an_input_is_refused_and_nothing_is_written(work, case, force):
    arguments, message = OVERWRITES[case]
    (work / "sub").mkdir()
    if case == "train --plot DATA":  # a picture given as the data file would be refused as data anyway; a PNG input:
        shutil.copy(work / "curves.png", work / "fruit.png")
        arguments = ["train", "fruit.png", "--target", "fruit", "-o", "new.glassnet", "--plot", "fruit.png"]
        message = "--plot 'fruit.png' is the DATA file"
    if case == "evaluate --plot DATA":
        shutil.copy(work / "curves.png", work / "fruit.png")
        arguments = ["evaluate", "m.glassnet", "fruit.png", "--plot", "fruit.png"]
        message = "--plot 'fruit.png' is the DATA file"
    before = _snapshot(work)
    run = run_glassnet(*arguments, *(["--force"] if force else []), cwd=work)
    assert run.returncode == 2
    _one_error_line(run, message)
    assert _snapshot(work) == before and run.stdout == ""


@posix_only
@pytest.mark.parametrize("link", ["symbolic", "hard"])
def test_a_link_to_an_input_is_the_input(work, link):
    (os.symlink if link == "symbolic" else os.link)(work / "fruit.csv", work / "alias.csv")
    before = (work / "fruit.csv").read_bytes()
    run = run_glassnet("predict", "m.glassnet", "fruit.csv", "-o", "alias.csv", "--force", cwd=work)
    assert run.returncode == 2
    _one_error_line(run, "-o 'alias.csv' is the DATA file 'fruit.csv'")
    assert (work / "fruit.csv").read_bytes() == before


# --- existing files: replaced when of the command's own kind, else only with --force ------------------
OTHER_KIND = {
    "train -o over a CSV": (["train", "fruit.csv", "--target", "fruit", "-o", "other.csv", "--epochs", "2",
                             "--hidden", "3", "--quiet"], "other.csv", "-o 'other.csv' already exists and is not a "
                                                                       "glassnet model file"),
    "train --plot over a CSV": (["train", "fruit.csv", "--target", "fruit", "-o", "n.glassnet", "--plot", "other.png",
                                 "--epochs", "2", "--hidden", "3", "--quiet"], "other.png",
                                "--plot 'other.png' already exists and is not a PNG, SVG or PDF picture"),
    "predict -o over a data CSV": (["predict", "m.glassnet", "fruit.csv", "-o", "other.csv"], "other.csv",
                                   "-o 'other.csv' already exists and is not predictions written by glassnet predict"),
    "export -o over a model": (["export", "m.glassnet", "-o", "copy.glassnet", "--quiet"], "copy.glassnet",
                               "-o 'copy.glassnet' already exists and is not an ONNX model file"),
    "evaluate --plot over a model": (["evaluate", "m.glassnet", "fruit.csv", "--plot", "copy.pdf"], "copy.pdf",
                                     "--plot 'copy.pdf' already exists and is not a PNG, SVG or PDF picture"),
    "demo --plot over a CSV": (["demo", "--plot", "other.svg"], "other.svg",
                               "--plot 'other.svg' already exists and is not a PNG, SVG or PDF picture"),
}


@pytest.mark.parametrize("case", list(OTHER_KIND))
def test_an_existing_file_of_another_kind_needs_force(work, case):
    arguments, name, message = OTHER_KIND[case]
    source = work / ("m.glassnet" if name.endswith((".glassnet", ".pdf")) else "fruit.csv")
    shutil.copy(source, work / name)
    before = _snapshot(work)
    refused = run_glassnet(*arguments, cwd=work)
    assert refused.returncode == 2
    _one_error_line(refused, message)
    assert "hint: pass --force to replace it" in refused.stderr
    assert _snapshot(work) == before
    forced = run_glassnet(*arguments, "--force", cwd=work)
    assert forced.returncode == 0, forced.stderr
    assert (work / name).read_bytes() != before[name]


@pytest.mark.parametrize("arguments, name", [
    (["train", "fruit.csv", "--target", "fruit", "-o", "m.glassnet", "--plot", "curves.png", "--epochs", "2",
      "--hidden", "3", "--quiet"], "m.glassnet"),
    (["predict", "m.glassnet", "fruit.csv", "-o", "predictions.csv", "--id", "colour"], "predictions.csv"),
    (["export", "m.glassnet", "-o", "m.onnx", "--quiet"], "m.onnx"),
    (["evaluate", "m.glassnet", "fruit.csv", "--plot", "curves.png"], "curves.png"),
    (["predict", "m.glassnet", "fruit.csv", "-o", "empty.csv"], "empty.csv"),
])
def test_a_file_of_the_commands_own_kind_is_replaced_without_force(work, arguments, name):
    (work / "empty.csv").write_bytes(b"")
    before = (work / name).stat().st_ino
    run = run_glassnet(*arguments, cwd=work)
    assert run.returncode == 0, run.stderr
    # written anew (an atomic write renames a new file into place; an export of the
    # same model may well have the same bytes)
    assert (work / name).stat().st_ino != before


def test_the_help_says_what_is_replaced():
    for command, text in (("train", "an existing glassnet model file there is replaced"),
                          ("predict", "replaced only when it holds predictions glassnet wrote"),
                          ("export", "an existing ONNX file there is replaced")):
        shown = " ".join(run_glassnet(command, "--help").stdout.split())
        assert text in shown and "--force" in shown and "never allowed to be one of the command's input" in shown


# --- a full disk -----------------------------------------------------------------------------------
def _full_disk(monkeypatch):
    """Every atomic write fails as on a full disk: the data is written, then
    flushing it to the device fails (where a full disk usually shows)."""

    def no_space(descriptor):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", no_space)


@pytest.mark.parametrize("arguments, name", [
    (["train", "fruit.csv", "--target", "fruit", "-o", "m.glassnet", "--epochs", "2", "--hidden", "3", "--quiet"],
     "m.glassnet"),
    (["train", "fruit.csv", "--target", "fruit", "-o", "new.glassnet", "--epochs", "2", "--hidden", "3", "--quiet"],
     "new.glassnet"),
    (["predict", "m.glassnet", "fruit.csv", "-o", "predictions.csv"], "predictions.csv"),
    (["export", "m.glassnet", "-o", "m.onnx", "--quiet"], "m.onnx"),
    (["evaluate", "m.glassnet", "fruit.csv", "--plot", "curves.png"], "curves.png"),
])
def test_a_full_disk_is_one_error_line_and_leaves_every_file_as_it_was(work, monkeypatch, capsys, arguments, name):
    monkeypatch.chdir(work)
    before = _snapshot(work)
    _full_disk(monkeypatch)
    assert main(arguments) == 1
    error = capsys.readouterr().err.strip().splitlines()
    assert error == [f"error: cannot write {name!r}: no space left on device; nothing was written there"]
    assert _snapshot(work) == before  # no temporary file left, the old file whole


def test_saving_on_a_full_disk_in_python_names_the_file(tmp_path, monkeypatch):
    import glassnet

    _full_disk(monkeypatch)
    with pytest.raises(OSError) as raised:
        glassnet.save(glassnet.NeuralNetwork(seed=0), tmp_path / "m.glassnet")
    assert raised.value.errno == errno.ENOSPC and raised.value.filename == str(tmp_path / "m.glassnet")
    assert list(tmp_path.iterdir()) == []


# --- Ctrl-C while the command starts ------------------------------------------------------------------
_INTERRUPT_ON_IMPORT = """
import os, runpy, signal, sys

class Interrupt:
    # a Ctrl-C that lands exactly when the named module starts to load
    def find_spec(self, name, path=None, target=None):
        if name == {module!r}:
            sys.meta_path.remove(self)
            os.kill(os.getpid(), signal.SIGINT)
        return None

sys.meta_path.insert(0, Interrupt())
sys.argv = ["glassnet", *{arguments!r}]
runpy.run_module("glassnet", run_name="__main__", alter_sys=True)
"""


@posix_only
@pytest.mark.parametrize("module, written", [
    ("glassnet.cli", []), ("glassnet.cli.commands", []), ("numpy", []), ("pandas", []), ("sklearn.utils", []),
    ("glassnet.tabular.fitting", []),
    # the picture is drawn after the model is saved: the message says what was written
    ("matplotlib.figure", ["m.glassnet"]),
])
def test_ctrl_c_while_loading_is_one_line_and_exit_130(folder, tmp_path, module, written):
    arguments = ["train", str(folder / "fruit.csv"), "--target", "fruit", "-o", str(tmp_path / "m.glassnet"),
                 "--plot", str(tmp_path / "c.png"), "--epochs", "3", "--hidden", "3", "--quiet"]
    code = _INTERRUPT_ON_IMPORT.format(module=module, arguments=arguments)
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=ENV, timeout=300)
    assert run.returncode == 130, run.stderr[-2000:]
    if written:
        assert run.stderr == f"error: interrupted after writing {str(tmp_path / written[0])!r}\n"
    else:
        assert run.stderr == "error: interrupted; nothing was written\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == written


# --- a closed pipe -----------------------------------------------------------------------------------
@posix_only
@pytest.mark.parametrize("arguments", [["inspect", "m.glassnet"], ["predict", "m.glassnet", "fruit.csv"],
                                       ["evaluate", "m.glassnet", "fruit.csv"], ["trace", "m.glassnet", "fruit.csv"]])
def test_a_closed_pipe_ends_the_command_quietly(folder, arguments):
    """``glassnet inspect m | head -1``: the reader has gone before the output is written."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        run = subprocess.run([sys.executable, "-m", "glassnet", *arguments], stdout=writer, stderr=subprocess.PIPE,
                             text=True, cwd=folder, env=ENV, timeout=300)
    finally:
        os.close(writer)
    assert run.returncode == 141 and run.stderr == ""


# --- predict when no row can be predicted; diagnose with empty targets ------------------------------------
def test_predict_writes_every_row_with_its_note_when_none_can_be_predicted(folder, tmp_path):
    # decimal commas in a semicolon file: no number reads
    frame = pd.read_csv(FRUIT)
    frame.to_csv(tmp_path / "commas.csv", sep=";", decimal=",", index=False)
    run = run_glassnet("predict", folder / "m.glassnet", "commas.csv", "-o", "out.csv", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr and "error" not in run.stderr
    table = pd.read_csv(tmp_path / "out.csv", keep_default_na=False)
    assert len(table) == len(frame) and list(table["row"]) == list(range(1, len(frame) + 1))
    assert (table["predicted_fruit"] == "").all()
    assert table["note"].str.startswith("not predicted: 'weight_g' is '").all()
    assert f"{len(frame)} rows of {len(frame)} could not be predicted" in run.stderr


@pytest.mark.parametrize("task", ["classify", "regress"])
def test_diagnose_leaves_out_rows_with_an_empty_target_as_evaluate_does(tmp_path, task):
    frame = pd.read_csv(FRUIT)
    target = "fruit" if task == "classify" else "weight_g"
    if task == "regress":
        frame = frame.drop(columns="fruit")
    frame.to_csv(tmp_path / "full.csv", index=False)
    assert main(["train", str(tmp_path / "full.csv"), "--target", target, "-o", str(tmp_path / "m.glassnet"),
                 "--hidden", "4", "--epochs", "5", "--quiet"]) == 0
    frame.loc[[2, 5, 9], target] = None
    frame.to_csv(tmp_path / "gaps.csv", index=False)
    frame.drop(index=[2, 5, 9]).to_csv(tmp_path / "kept.csv", index=False)
    gaps = run_glassnet("diagnose", "m.glassnet", "gaps.csv", "--json", cwd=tmp_path)
    kept = run_glassnet("diagnose", "m.glassnet", "kept.csv", "--json", cwd=tmp_path)
    assert gaps.returncode == 0, gaps.stderr
    assert gaps.stderr.strip() == f"note: 3 row(s) with an empty target {target!r} are left out"
    assert gaps.stdout == kept.stdout  # judged on the rows that have a target
    assert "classes_" not in gaps.stderr + gaps.stdout

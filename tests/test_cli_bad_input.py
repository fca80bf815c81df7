"""Every bad input of the command line: exit 1 (data, model) or 2 (usage),
one ``error:`` line (plus at most a ``hint:``), no traceback, no file written."""

import pytest

from cli_helpers import FRUIT, glassnet as run_glassnet
from glassnet.cli import main

HEADER = "weight_g,diameter_cm,colour,firmness,fruit\n"
ROWS = "".join(f"{100 + i},{6 + i % 3},{'red' if i % 2 else 'green'},0.{5 + i % 3},{'apple' if i % 2 else 'lemon'}\n"
               for i in range(12))


@pytest.fixture(scope="module")
def model_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("model") / "fruit.glassnet"
    assert main(["train", str(FRUIT), "--target", "fruit", "-o", str(path), "--hidden", "4", "--epochs", "5", "--quiet"]) == 0
    return path


def _file(folder, name, content):
    path = folder / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


CASES = {
    # name: (files to create {name: content}, arguments, exit code, pattern the error line holds)
    "missing file": ({}, ["train", "absent.csv", "--target", "y"], 1, "no such file: 'absent.csv'"),
    "directory": ({"sub/x.csv": "a\n1\n"}, ["train", "sub", "--target", "y"], 1, "'sub' is a directory; expected a file"),
    "empty file": ({"e.csv": ""}, ["train", "e.csv", "--target", "y"], 1, "'e.csv' is empty; expected a header line"),
    "header only": ({"h.csv": HEADER}, ["train", "h.csv", "--target", "fruit"], 1, "'h.csv' has a header but no rows"),
    "binary junk": ({"j.csv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\xff" * 20}, ["train", "j.csv", "--target", "y"], 1,
                    "'j.csv' is not a text CSV file"),
    # a slip of the keyboard: two letters swapped; the fix is said as the flag
    "misspelt target": ({"d.csv": HEADER + ROWS}, ["train", "d.csv", "--target", "friut"], 1,
                        "lacks the --target column(s) 'friut' (did you mean 'fruit'? --target fruit)"),
    "non-numeric cell": ({"d.csv": HEADER + ROWS.replace("103,", "10three,", 1)}, ["train", "d.csv", "--target", "fruit"], 1,
                         "row 4, column 'weight_g': '10three' is not a finite number"),
    "empty cell, no imputing": ({"d.csv": HEADER + ROWS.replace(",0.5,", ",,", 1)},
                                ["train", "d.csv", "--target", "fruit", "--impute", "none"], 1,
                                "empty cell in row 1, column 'firmness'; fill it in or pass --drop-missing"),
    "single class": ({"d.csv": HEADER + ROWS.replace("lemon", "apple")}, ["train", "d.csv", "--target", "fruit"], 1,
                     "the target column 'fruit' has a single class 'apple'"),
    "too few rows": ({"d.csv": HEADER + "".join(ROWS.splitlines(True)[:3])}, ["train", "d.csv", "--target", "fruit"], 1,
                     "has 3 usable row(s); splitting off a test part needs at least 5"),
    "negative epochs": ({}, ["train", "x.csv", "--target", "y", "--epochs", "-3"], 2,
                        "error: --epochs must be an integer >= 1, got -3"),
    "bad hidden sizes": ({}, ["train", "x.csv", "--target", "y", "--hidden", "0,abc"], 2,
                         "error: --hidden must be a sequence of integers >= 1, got [0, 'abc']"),
    "bad separator": ({}, ["train", "x.csv", "--target", "y", "--sep", "ab"], 2,
                      "argument --sep: expected one character such as ',' ';' '|', or one of: comma, semicolon, tab"),
    "unknown encoding": ({"d.csv": HEADER + ROWS}, ["train", "d.csv", "--target", "fruit", "--encoding", "klingon"], 1,
                         "--encoding 'klingon' is not an encoding Python knows"),
    "unknown --ignore column": ({"d.csv": HEADER + ROWS}, ["train", "d.csv", "--target", "fruit", "--ignore", "colour,size"],
                                1, "lacks the --ignore column(s) 'size'; it has: 'weight_g'"),
    "latin-1 file": ({"l.csv": (HEADER + ROWS.replace("red", "rød")).encode("latin-1")},
                     ["train", "l.csv", "--target", "fruit"], 1,
                     "'l.csv' is not UTF-8 text (byte 0xf8 at position"),
    "not a model": ({"m.glassnet": "weight,1\n"}, ["predict", "m.glassnet", str(FRUIT)], 1,
                    "is not a glassnet model file"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_through_the_real_command(tmp_path, case):
    files, arguments, code, message = CASES[case]
    for name, content in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        _file(tmp_path, name, content)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    output = ["-o", "out.glassnet"] if arguments[0] == "train" else []
    run = run_glassnet(*arguments, *output, cwd=tmp_path)
    assert run.returncode == code
    lines = run.stderr.strip().splitlines()
    assert lines[0].startswith("error: ") and message in lines[0], run.stderr
    assert len(lines) <= 2 and all(line.startswith("hint: ") for line in lines[1:]), run.stderr
    assert "Traceback" not in run.stderr and run.stdout == ""
    assert sorted(p.name for p in tmp_path.rglob("*")) == before  # nothing written


def test_truncated_model_file(tmp_path, model_path):
    _file(tmp_path, "cut.glassnet", model_path.read_bytes()[:300])
    run = run_glassnet("evaluate", "cut.glassnet", FRUIT, cwd=tmp_path)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert run.stderr.startswith("error: model file 'cut.glassnet' ") and "truncated" in run.stderr


def test_data_without_the_models_columns_or_target(tmp_path, model_path):
    _file(tmp_path, "other.csv", "weight,diameter_cm,colour,firmness\n120,7,red,0.5\n")
    run = run_glassnet("predict", model_path, "other.csv", "-o", "p.csv", cwd=tmp_path)
    assert run.returncode == 1 and not (tmp_path / "p.csv").exists()
    assert run.stderr.strip() == (
        "error: 'other.csv' lacks the model's column(s) 'weight_g' (did you mean 'weight'?); it has: 'weight', 'diameter_cm', 'colour', 'firmness'"
    )
    _file(tmp_path, "nolabel.csv", "weight_g,diameter_cm,colour,firmness\n120,7,red,0.5\n")
    run = run_glassnet("evaluate", model_path, "nolabel.csv", cwd=tmp_path)
    assert run.returncode == 1
    assert run.stderr.strip() == "error: 'nolabel.csv' has no column 'fruit', the target this model was trained on"


def test_drop_missing_drops_the_rows_with_empty_cells(tmp_path, capsys):
    _file(tmp_path, "d.csv", HEADER + ROWS.replace(",0.5,", ",,", 2))
    code = main(["train", str(tmp_path / "d.csv"), "--target", "fruit", "-o", str(tmp_path / "m.glassnet"),
                 "--drop-missing", "--epochs", "3", "--hidden", "3"])
    assert code == 0
    assert "note: --drop-missing dropped 2 row(s) with an empty cell" in capsys.readouterr().err
    import glassnet

    assert glassnet.load(tmp_path / "m.glassnet").settings["rows_dropped"] == 2


def test_a_failed_train_keeps_the_old_model(tmp_path, capsys, model_path):
    old = _file(tmp_path, "m.glassnet", model_path.read_bytes())
    _file(tmp_path, "d.csv", HEADER + ROWS.replace("lemon", "apple"))
    assert main(["train", str(tmp_path / "d.csv"), "--target", "fruit", "-o", str(old)]) == 1
    assert old.read_bytes() == model_path.read_bytes()


def test_bad_plot_suffix_fails_before_training(tmp_path, capsys):
    code = main(["train", "--dataset", "tutorial", "-o", str(tmp_path / "m.glassnet"), "--plot", str(tmp_path / "c.txt")])
    assert code == 2 and "must end in .png, .svg, .pdf" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_bad_kernel_choice_in_the_environment(tmp_path):
    run = run_glassnet("train", FRUIT, "--target", "fruit", "-o", "out.glassnet", "--epochs", "2", "--quiet",
                       cwd=tmp_path, env={"GLASSNET_KERNELS": "fortran"})
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert run.stderr.strip() == ("error: GLASSNET_KERNELS='fortran' is not a kernel path; "
                                  "expected one of: auto, numpy, numba")
    assert list(tmp_path.iterdir()) == []

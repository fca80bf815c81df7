"""The package looks after itself: its version on the command line, its licence
in the wheel, its metadata in SPDX form."""

import subprocess
import sys
import re
import shutil
import zipfile
from pathlib import Path

import glassnet
from cli_helpers import glassnet as run_glassnet

ROOT = Path(__file__).resolve().parents[1]
# read as text: tomllib is Python 3.11+, and glassnet supports 3.10
PYPROJECT = (ROOT / "pyproject.toml").read_text()


def test_version_flag_prints_the_version_and_exits_0():
    run = run_glassnet("--version")
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == f"glassnet {glassnet.__version__}"
    assert f'version = "{glassnet.__version__}"' in PYPROJECT.splitlines()


def test_license_is_mit_in_spdx_form_with_a_setuptools_that_reads_it():
    lines = PYPROJECT.splitlines()
    assert 'license = "MIT"' in lines and 'license-files = ["LICENSE"]' in lines
    # setuptools 77 is the first to read the SPDX form
    assert re.search(r'^requires = \["setuptools>=77"\]$', PYPROJECT, re.M)
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")


def test_the_wheel_ships_the_license_and_py_typed(tmp_path):
    # built from a copy: setuptools writes build/ and egg-info folders into the tree it builds
    project = tmp_path / "project"
    shutil.copytree(ROOT / "src", project / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, project / name)
    run = subprocess.run([sys.executable, "-m", "pip", "wheel", str(project), "--no-deps", "--no-build-isolation",
                          "-q", "-w", str(tmp_path)], capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    [wheel] = tmp_path.glob("glassnet-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = archive.read(next(name for name in names if name.endswith(".dist-info/METADATA"))).decode()
        license_member = next(name for name in names if name.endswith("licenses/LICENSE"))
        assert archive.read(license_member).decode() == (ROOT / "LICENSE").read_text()
    assert "glassnet/py.typed" in names
    assert "License-Expression: MIT" in metadata.splitlines()
    assert any(name.startswith("glassnet/export/") for name in names)
    # the widget's view and layout, and the page's modules it imports
    assert {"glassnet/notebook/widget.js", "glassnet/notebook/widget.css", "glassnet/playground/static/network.js"} <= set(names)
    assert 'Provides-Extra: notebook' in metadata.splitlines()

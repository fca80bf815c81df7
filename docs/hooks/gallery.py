"""The gallery: every script in examples/ runs when the site is built, and
gets a page with what it is about, the pictures it drew, what it printed
and its code.

Each script takes ``--quick`` (small data, few epochs: the whole gallery
takes under a minute of CPU time) and ``--out DIR`` (where its
pictures go). The scripts run two at a time in subprocesses; a script that
fails stops the build with its error. ``nav`` names the gallery once
(``Gallery: gallery/index.md``) and this hook lists the scripts under it,
so a new script needs no other line anywhere.
"""

from __future__ import annotations

import ast
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SECTION = "Gallery"
INDEX = "gallery/index.md"
TIMEOUT = 300  # seconds per script; the slowest takes about fifteen in --quick mode


@dataclass
class Example:
    script: Path
    title: str
    summary: str
    description: str
    output: str
    pictures: list[Path]

    @property
    def page(self) -> str:
        return f"gallery/{self.script.stem}.md"


# script contents -> its run, so that `mkdocs serve` reruns only what changed
_RUNS: dict[str, Example] = {}
# where the scripts write: GLASSNET_GALLERY_DIR when set (the test suite sets it, so that the
# examples' tests and the site's build share one run of each script), else a temporary folder
RUNS_DIR = "GLASSNET_GALLERY_DIR"


def scripts() -> list[Path]:
    return sorted(EXAMPLES.glob("*.py"))


def _docstring(script: Path) -> tuple[str, str]:
    """(first line, the rest without the usage line) of a script's docstring."""
    text = ast.get_docstring(ast.parse(script.read_text())) or script.stem
    title, _, rest = text.partition("\n")
    paragraphs = [part for part in rest.strip().split("\n\n") if not part.strip().startswith("python examples/")]
    return title.strip().rstrip("."), "\n\n".join(paragraphs)


def nav_title(script: Path) -> str:
    """A script's name in the navigation: its title up to a colon."""
    return _docstring(script)[0].split(":")[0]


def _runs_dir() -> Path:
    folder = os.environ.get(RUNS_DIR)
    if folder is None:
        folder = os.environ[RUNS_DIR] = tempfile.mkdtemp(prefix="glassnet-gallery-")
    return Path(folder)


def run(script: Path) -> Example:
    """Run ``script --quick`` (once per content: a folder that holds a run of the
    same source is read back), and return what it printed and drew."""
    source = script.read_text()
    key = hashlib.sha256(source.encode()).hexdigest()
    if key in _RUNS:
        return _RUNS[key]
    out = _runs_dir() / script.stem
    record = out / "run.json"
    if record.exists() and json.loads(record.read_text())["sha256"] == key:
        output = json.loads(record.read_text())["stdout"]
    else:
        output = _execute(script, out)
        record.write_text(json.dumps({"sha256": key, "stdout": output}))
    pictures = sorted(out.glob("*.png"), key=lambda path: (path.stat().st_mtime_ns, path.name))
    if not pictures:
        raise PluginError(f"examples/{script.name} drew no picture in {out}")
    title, description = _docstring(script)
    summary = description.split("\n\n")[0].replace("\n", " ")
    summary = summary.split(". ")[0].rstrip(".") + "."
    _RUNS[key] = Example(script, title, summary, description, output.rstrip(), pictures)
    return _RUNS[key]


def _execute(script: Path, out: Path) -> str:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    # rich's tables as wide as a page's code block; --out relative, as a user would type it
    env = {**os.environ, "MPLBACKEND": "Agg", "COLUMNS": "80"}
    try:
        done = subprocess.run([sys.executable, str(script), "--quick", "--out", out.name], cwd=out.parent,
                              capture_output=True, text=True, timeout=TIMEOUT, env=env)
    except subprocess.TimeoutExpired:
        raise PluginError(f"examples/{script.name} took more than {TIMEOUT} s in --quick mode") from None
    if done.returncode != 0:
        raise PluginError(f"examples/{script.name} --quick failed:\n{done.stderr}")
    return done.stdout


def run_all() -> list[Example]:
    """Every script's run, two at a time (this machine's cores)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(run, scripts()))


def _fence(text: str, language: str) -> str:
    # a fence longer than any run of backticks in the text
    ticks = "`" * max(3, max(map(len, re.findall("`+", text)), default=0) + 1)
    return f"{ticks}{language}\n{text}\n{ticks}"


def page(example: Example) -> str:
    name = example.script.name
    pictures = "\n\n".join(f"![{picture.stem.replace('_', ' ')}]({example.script.stem}/{picture.name})"
                           for picture in example.pictures)
    return "\n\n".join([
        f"# {example.title}",
        example.description,
        pictures,
        "## What it prints",
        _fence(example.output or "(nothing)", "text"),
        f"## The code: `examples/{name}`",
        f"Run it with `python examples/{name}`; the page shows its `--quick` run "
        "(less data and fewer epochs, so that the site builds fast).",
        _fence(example.script.read_text().rstrip(), "python"),
    ]) + "\n"


def index(examples: list[Example]) -> str:
    cards = []
    for example in examples:
        picture = example.pictures[0]
        cards.append(
            f"-   [**{html.escape(example.title)}**]({example.script.stem}.md)\n\n"
            f"    [![{picture.stem.replace('_', ' ')}]({example.script.stem}/{picture.name})]"
            f"({example.script.stem}.md)\n\n"
            f"    {example.summary}"
        )
    return "\n\n".join([
        "# Gallery",
        "Short scripts from `examples/`, each run when this site was built: the pictures are the ones it drew. "
        "Every script takes `--quick` (what these pages show) and `--out DIR` (where the pictures go), "
        "and the test suite runs them all.",
        '<div class="grid cards" markdown>\n\n' + "\n\n".join(cards) + "\n\n</div>",
    ]) + "\n"


def on_config(config, **kwargs):
    """List the scripts' pages under the gallery's entry in nav."""
    for position, item in enumerate(config.nav or []):
        if isinstance(item, dict) and item.get(SECTION) == INDEX:
            pages = [{nav_title(script): f"gallery/{script.stem}.md"} for script in scripts()]
            config.nav[position] = {SECTION: [INDEX, *pages]}
            return config
    raise PluginError(f"mkdocs.yml's nav needs the entry '{SECTION}: {INDEX}'")


def on_files(files: Files, config, **kwargs) -> Files:
    examples = run_all()
    files.append(File.generated(config, INDEX, content=index(examples)))
    for example in examples:
        files.append(File.generated(config, example.page, content=page(example)))
        for picture in example.pictures:
            files.append(File.generated(config, f"gallery/{example.script.stem}/{picture.name}",
                                        abs_src_path=str(picture)))
    return files

"""The documentation site in tests: the gallery hook's one run of each script
in examples/ (shared by the examples' tests and the site's build), and the
site's Python blocks."""

import atexit
import functools
import importlib.util
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


@functools.cache
def gallery():
    """docs/hooks/gallery.py, writing its runs where a build started by the tests finds them."""
    if "GLASSNET_GALLERY_DIR" not in os.environ:
        folder = tempfile.mkdtemp(prefix="glassnet-gallery-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        os.environ["GLASSNET_GALLERY_DIR"] = folder
    spec = importlib.util.spec_from_file_location("glassnet_docs_gallery", DOCS / "hooks" / "gallery.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks its module up
    spec.loader.exec_module(module)
    return module


@functools.cache
def example_runs() -> dict:
    """Script name -> its run in --quick mode (what it printed, the pictures it drew)."""
    return {example.script.name: example for example in gallery().run_all()}


# a Python block, and the comment that may stand before it: <!-- not run: why -->
BLOCK = re.compile(r"(?:<!-- not run: (?P<why>[^>]*) -->\n)?```python\n(?P<code>.*?)```", re.S)


def python_blocks(text: str) -> list[tuple[str, str | None]]:
    """``(code, why not run or None)`` for each ```python block of a page, in order."""
    return [(match["code"], match["why"]) for match in BLOCK.finditer(text)]


@functools.cache
def built_site() -> tuple[Path, str]:
    """``mkdocs build --strict`` into a temporary folder: (the folder, what the build logged).
    The gallery's scripts run first, once, and the build reads their runs back."""
    import subprocess

    example_runs()
    folder = Path(tempfile.mkdtemp(prefix="glassnet-site-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(folder / "site")],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
        env={**os.environ, "MPLBACKEND": "Agg", "NO_MKDOCS_2_WARNING": "1"},
    )
    assert done.returncode == 0, done.stderr[-5000:]
    return folder / "site", done.stderr

"""The documentation site: every Python block of docs/ runs as written, the
API reference covers every public name, and ``mkdocs build --strict`` passes
with nothing loaded from the internet. (The built site in a browser:
tests/test_site_browser.py.)"""

import re

import pytest

import glassnet
from docs_helpers import DOCS, ROOT, built_site, python_blocks

PAGES = sorted(path for path in DOCS.rglob("*.md") if "hooks" not in path.parts)


def page_id(path):
    return str(path.relative_to(DOCS))


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_every_python_block_of_a_page_runs(page, tmp_path, monkeypatch):
    """A page's blocks run in order in one namespace, in an empty folder, as a
    reader pasting them into one session would."""
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "__main__"}
    for number, (code, not_run) in enumerate(python_blocks(page.read_text()), start=1):
        if not_run is None:
            exec(compile(code, f"{page_id(page)}, Python block {number}", "exec"), namespace)


def test_blocks_that_do_not_run_are_rare_and_say_why():
    skipped = [(page_id(page), why) for page in PAGES for _, why in python_blocks(page.read_text()) if why is not None]
    assert len(skipped) <= 2 and all(why.strip() for _, why in skipped), skipped
    blocks = sum(len(python_blocks(page.read_text())) for page in PAGES)
    assert blocks >= 30


def test_the_block_finder_reads_the_not_run_mark():
    text = "x\n```python\na = 1\n```\n<!-- not run: it starts a server -->\n```python\nserve()\n```\n"
    assert python_blocks(text) == [("a = 1\n", None), ("serve()\n", "it starts a server")]


def test_the_api_reference_documents_every_public_name_once():
    pages = "\n".join(path.read_text() for path in (DOCS / "api").glob("*.md"))
    documented = re.findall(r"^::: glassnet\.(\w+)\s*$", pages, re.M)
    public = [name for name in glassnet.__all__ if name != "__version__"]
    assert sorted(set(documented) & set(public)) == sorted(public), \
        f"add '::: glassnet.NAME' to a page of docs/api/ for: {sorted(set(public) - set(documented))}"
    assert all(documented.count(name) == 1 for name in public)
    assert "__version__" in pages


def test_the_site_builds_strictly_with_its_pages_gallery_and_reference():
    site, log = built_site()
    assert "WARNING" not in log
    for page in ["index.html", "getting-started/index.html", "guides/glass-box/index.html",
                 "architecture/protocol/index.html", "appendix/benchmark-notes/index.html", "gallery/index.html",
                 "404.html", "search/search_index.json"]:
        assert (site / page).is_file(), page
    # every example has a page with its pictures, its output and its code
    for script in sorted((ROOT / "examples").glob("*.py")):
        html = (site / "gallery" / script.stem / "index.html").read_text()
        pictures = re.findall(r'<img[^>]+src="([^"]+\.png)"', html)
        assert pictures, script.name
        for picture in pictures:
            assert (site / "gallery" / script.stem / picture).resolve().is_file(), picture
        assert "What it prints" in html and "argparse" in html
    # the estimators' parameters come from the one table, into the reference
    models = (site / "api" / "models" / "index.html").read_text()
    assert 'id="glassnet.MLPClassifier"' in models and "learning_rate_init" in models
    assert "restore_best_weights" in models and "Step size of sgd and adam." in models


def test_the_built_site_loads_nothing_from_the_internet():
    site, _ = built_site()
    remote = re.compile(r"""(?:<script[^>]+src|<link[^>]+href|<img[^>]+src|url\()\s*=?\s*["']?(?:https?:)?//""", re.I)
    found = {str(path.relative_to(site)): remote.findall(path.read_text(errors="replace"))
             for path in site.rglob("*") if path.suffix in (".html", ".css", ".js")}
    assert {path: hits for path, hits in found.items() if hits} == {}

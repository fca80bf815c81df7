"""The README's Python examples run as written, and its Quick start matches CI."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
EXAMPLES = re.findall(r"```python\n(.*?)```", README, re.S)


@pytest.mark.parametrize("index", range(len(EXAMPLES)))
def test_readme_example_runs(index, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    exec(compile(EXAMPLES[index], f"README example {index + 1}", "exec"), {})


def test_quick_start_has_two_commands_and_ci_runs_the_second():
    block = re.search(r"## Quick start\n+```\n(.*?)```", README, re.S).group(1).strip().splitlines()
    assert len(block) == 2 and "glassnet demo" in block[0]
    assert block[1] in (ROOT / ".ci" / "run").read_text()

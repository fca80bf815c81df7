"""numpydoc "Parameters" and "Attributes" sections generated from tables.

Every door's settings are described once, in :data:`glassnet.parameters.TABLE`,
and the attributes in :mod:`glassnet.article_parameters` and
:mod:`glassnet.estimators._attributes`; the classes' docstrings get their
sections from those tables when the classes are defined, so ``help()``,
IDEs and scikit-learn's HTML repr in notebooks show the same words as
:func:`glassnet.estimators.describe`, and the docs cannot drift from the
code (``tests/test_docs.py`` checks every ``__init__`` argument and default).
"""

from __future__ import annotations

import inspect
import textwrap
from dataclasses import dataclass
from typing import Any, Iterable

__all__ = ["Entry", "section", "with_sections"]

_WIDTH = 88


@dataclass(frozen=True)
class Entry:
    """One documented name: ``name : type, default=...`` then its meaning."""

    name: str
    type: str
    doc: str
    default: Any = inspect.Parameter.empty

    def lines(self) -> list[str]:
        head = f"{self.name} : {self.type}"
        if self.default is not inspect.Parameter.empty:
            head += f", default={self.default!r}"
        body = textwrap.wrap(self.doc, _WIDTH - 4, break_on_hyphens=False) or [""]
        return [head, *("    " + line for line in body)]


def section(title: str, entries: Iterable[Entry]) -> str:
    """A numpydoc section, unindented."""
    lines = [title, "-" * len(title)]
    for entry in entries:
        lines.extend(entry.lines())
    return "\n".join(lines)


def with_sections(doc: str | None, **sections: Iterable[Entry]) -> str:
    """``doc`` followed by one section per keyword (``Parameters=[...]``)."""
    text = inspect.cleandoc(doc or "")
    parts = [text, *(section(title, entries) for title, entries in sections.items())]
    return "\n\n".join(part for part in parts if part) + "\n"

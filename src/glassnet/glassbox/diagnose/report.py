"""Findings and the report that holds them.

A :class:`Finding` is one problem: which check found it, how serious it is,
what was seen (a sentence), the numbers behind it and what to do: one
sentence in words every door understands, and the fixes as settings of the
parameter table (:class:`~glassnet.parameters.Fix`), which each door phrases
its own way (``--learning-rate 0.0001`` on the command line,
``learning_rate_init=0.0001`` for an estimator). A :class:`Diagnosis` is
every finding on one model and data set, with the key numbers of the run,
printable as a rich table and as a dict, in the words of its door.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field, replace

from ...parameters import Fixes

__all__ = ["Finding", "Diagnosis", "SEVERITIES"]

# most serious first
SEVERITIES = ("high", "medium", "low")
_STYLE = {"high": "bold red", "medium": "yellow", "low": "cyan"}
# how many items of a list of numbers the table shows
_LISTED = 4


@dataclass(frozen=True)
class Finding:
    """One problem found by one check.

    check : the registered check's name (e.g. ``"dead_units"``).
    severity : "high" (training cannot work this way), "medium" (it works
        worse than it should) or "low" (worth knowing).
    message : what was seen, in a sentence with its figures.
    suggestion : what to do about it, in one sentence of words every door
        understands (no flag, keyword or control).
    numbers : the figures behind it, JSON-ready.
    layer : the weight layer concerned (1 = first hidden layer), or None.
    fixes : the settings that would do it (:class:`~glassnet.parameters.Fix`,
        or :class:`~glassnet.parameters.Code` for Python only), most likely first.
    door : the door whose words :meth:`advice` speaks by default (one of
        :data:`glassnet.parameters.DOORS`: the model's own, or the caller's).
    """

    check: str
    severity: str
    message: str
    suggestion: str
    numbers: dict = field(default_factory=dict)
    layer: int | None = None
    fixes: tuple = ()
    door: str | None = None

    def __post_init__(self):
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}; expected one of: {', '.join(SEVERITIES)}")

    def advice(self, door: str | None = None) -> str:
        """The suggestion with its fixes as ``door`` says them ("Lower the
        learning rate and scale the inputs (--learning-rate 0.0001)." on the
        command line); the words alone where the door can take none of them."""
        door = door or self.door
        fixes = Fixes(*self.fixes).phrase(door) if door else ""
        if not fixes:
            return self.suggestion
        return self.suggestion.rstrip(".") + fixes + "."

    def spoken_in(self, door: str) -> "Finding":
        """This finding, advising in ``door``'s words."""
        return replace(self, door=door)

    def as_dict(self) -> dict:
        said = [fix for fix in self.fixes if self.door is None or fix.phrase(self.door)]
        return {"check": self.check, "severity": self.severity, "layer": self.layer, "message": self.message,
                "suggestion": self.advice(), "fixes": _json_ready([fix.as_dict(self.door) for fix in said]),
                "numbers": _json_ready(self.numbers)}


@dataclass(frozen=True)
class Diagnosis:
    """What :func:`glassnet.diagnose` found.

    findings : most serious first.
    summary : the key numbers of the model on the data (rows, layers, loss,
        baseline loss, epochs trained, ...), shown when nothing is wrong.
    checks : the names of the checks that ran; skipped : those that could
        not run, with the reason (e.g. no targets given).
    door : the door whose words the suggestions speak (one of
        :data:`glassnet.parameters.DOORS`).
    """

    model: str
    findings: list
    summary: dict
    checks: list
    skipped: dict
    door: str | None = None

    @property
    def ok(self) -> bool:
        """True when no check found a problem."""
        return not self.findings

    def by_check(self, name: str) -> list:
        """The findings of one check."""
        return [finding for finding in self.findings if finding.check == name]

    def spoken_in(self, door: str) -> "Diagnosis":
        """The same diagnosis, its suggestions in ``door``'s words (the command
        line's flags, an estimator's keywords, the page's controls)."""
        return replace(self, door=door, findings=[finding.spoken_in(door) for finding in self.findings])

    def as_dict(self) -> dict:
        return {"model": self.model, "ok": self.ok, "door": self.door, "findings": [f.as_dict() for f in self.findings],
                "summary": _json_ready(self.summary), "checks": list(self.checks), "skipped": dict(self.skipped)}

    # --- printing ---------------------------------------------------------------------
    def renderables(self):
        from rich.table import Table
        from rich.text import Text

        key_numbers = ", ".join(f"{name} {_figure(value)}" for name, value in self.summary.items())
        if self.ok:
            return [Text.assemble(("no problems found", "bold green"), f" in {self.model} ({len(self.checks)} checks): ",
                                  key_numbers)]
        table = Table(title=f"{self.model}: {len(self.findings)} problem(s) found", title_justify="left",
                      show_lines=True)
        table.add_column("severity")
        table.add_column("check")
        # long names and numbers wrap rather than being cut short
        table.add_column("what was found", overflow="fold", ratio=3)
        table.add_column("suggestion", overflow="fold", ratio=2)
        for finding in self.findings:
            where = "" if finding.layer is None else f" (layer {finding.layer})"
            numbers = ", ".join(f"{name}={_figure(value)}" for name, value in finding.numbers.items())
            found = Text(finding.message)
            if numbers:
                found.append("\n" + numbers, style="dim")
            table.add_row(Text(finding.severity, style=_STYLE[finding.severity]), finding.check + where, found,
                          finding.advice(self.door))
        return [table, Text(f"key numbers: {key_numbers}", style="dim")]

    def __rich_console__(self, console, options):
        yield from self.renderables()

    def print(self, console=None) -> None:
        from rich.console import Console

        (console or Console()).print(self)

    def __str__(self) -> str:
        from rich.console import Console

        console = Console(width=100, file=io.StringIO(), color_system=None)
        console.print(self)
        return console.file.getvalue().rstrip()

    def __repr__(self) -> str:
        return f"Diagnosis({self.model}, {len(self.findings)} finding(s): {[f.check for f in self.findings]})"


def _figure(value) -> str:
    if isinstance(value, float):
        return f"{value:.3g}"
    if isinstance(value, (list, tuple)):
        # the table shows the first few; as_dict keeps them all
        shown = ", ".join(_figure(item) for item in value[:_LISTED])
        return "[" + shown + (f", … {len(value)} in all" if len(value) > _LISTED else "") + "]"
    if isinstance(value, dict):
        return _figure([f"{key}: {_figure(item)}" for key, item in value.items()])
    return str(value)


def _json_ready(value):
    """Plain Python numbers (non-finite floats as strings), lists and dicts."""
    if isinstance(value, dict):
        return {str(key): _json_ready(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_ready(item) for item in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value

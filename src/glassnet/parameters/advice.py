"""Advice as data, phrased by each door in its own language.

A finding of the doctor, a note of the table pipeline or a refusal says
what is wrong, where, and how to fix it. The fix is a setting of the one
table (:data:`~.table.TABLE`) and a value: a :class:`Fix`. Each door then
phrases it its own way, with the table's names for that door::

    >>> fix = Fix("learning rate", 0.05, verb="lower")
    >>> fix.phrase("cli"), fix.phrase("estimator"), fix.phrase("playground")
    ('--learning-rate 0.05', 'learning_rate_init=0.05', 'lower the Learning rate to 0.05')

A door without the setting says nothing of it (the playground has no
``--sep``): the words around a fix say what to do in every door, the fix says
how in the door that can.

A :class:`Message` is words, settings named in each door's words
(:class:`Named`: ``--target``, ``Target``) and groups of fixes
(:class:`Fixes`, which vanish where a door has none of theirs).
:class:`FixableError` is a ValueError holding one, and :func:`phrased`
renders any message, refusal or warning for a door. The command line
speaks :data:`~.setting.CLI`, the page :data:`~.setting.PLAYGROUND`, Python
the door of the model at hand.
"""

from __future__ import annotations

import math
import re
import shlex
from dataclasses import dataclass
from typing import Any

from .setting import CLI, ESTIMATOR, NEURAL_NETWORK, PLAYGROUND, TRAIN, Name, Setting

__all__ = ["Fix", "Code", "Named", "Fixes", "Message", "FixableError", "phrased", "setting", "PYTHON_DOORS", "ANY"]

# the doors whose language is Python: a fix is a keyword and its value
PYTHON_DOORS = (NEURAL_NETWORK, TRAIN, ESTIMATOR)
# where a door looks for a setting it lacks: NeuralNetwork's keywords and its train()'s are one language
_ALSO = {NEURAL_NETWORK: (TRAIN,), TRAIN: (NEURAL_NETWORK,)}


class _Any:
    """The value of a fix that names only the setting ("raise the epochs")."""

    def __repr__(self) -> str:
        return "ANY"


ANY = _Any()


def setting(key: str) -> Setting:
    """The setting of the table whose key is ``key`` (``"learning rate"``); ValueError otherwise."""
    from .table import TABLE

    for each in TABLE:
        if each.key == key:
            return each
    raise ValueError(f"unknown setting {key!r}; expected one of: {', '.join(each.key for each in TABLE)}")


def _spelled(setting: Setting, door: str) -> tuple[str, Name] | None:
    """``(door, Name)`` of the door (or its companion) that has ``setting``; None when none has."""
    for each in (door, *_ALSO.get(door, ())):
        if each in setting.doors:
            return each, setting.doors[each]
    return None


def _number(value) -> str:
    return f"{value:g}" if isinstance(value, float) and math.isfinite(value) else str(value)


def _cli_value(value) -> str:
    if isinstance(value, (list, tuple)):
        return ",".join(_cli_value(item) for item in value)
    text = _number(value)
    # a shell reads the value as written: quote what it would split or expand
    return text if re.fullmatch(r"[\w.,:+\-/=@%]+", text) else shlex.quote(text)


def _page_value(value) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(_page_value(item) for item in value)
    return _number(value)


def _python_value(value) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return f"float({str(value)!r})"
    return repr(tuple(value) if isinstance(value, list) else value)


# a fix without a value, by its direction: "a larger --epochs", "a smaller learning_rate_init"
_SIZED = {"raise": "a larger", "lower": "a smaller"}


def label(name: Name) -> str:
    """The control the page shows for a setting (its label, else its name in words)."""
    return name.label or name.name.replace("_", " ")


# --- each door's language: how a fix of one setting is said there -------------------------------
def _as_flag(name: Name, value, verb: str) -> str:
    """The command line: ``--learning-rate 0.05``, ``--early-stopping``, ``a larger --epochs``."""
    if isinstance(value, bool):  # flags that take no value
        return name.name if value else f"leave out {name.name}"
    if value is ANY:
        sized = _SIZED.get(verb)
        return f"{sized} {name.name}" if sized else f"{name.name} {name.metavar or name.bare.upper()}"
    return f"{name.name} {_cli_value(value)}"


def _as_control(name: Name, value, verb: str) -> str:
    """The page: "lower the Learning rate to 0.05", "tick Layer stats", "change the Target"."""
    control = label(name)
    if isinstance(value, bool):
        return f"{'tick' if value else 'untick'} {control}"
    if value is ANY:
        return f"{verb} the {control}"
    return f"{verb} the {control} to {_page_value(value)}"


def _as_keyword(name: Name, value, verb: str) -> str:
    """Python: ``learning_rate_init=0.05``, ``a larger alpha``."""
    if value is ANY:
        sized = _SIZED.get(verb)
        return f"{sized} {name.name}" if sized else name.name
    return f"{name.name}={_python_value(value)}"


_LANGUAGES = {CLI: _as_flag, PLAYGROUND: _as_control}


@dataclass(frozen=True)
class Fix:
    """Set one setting of the table: ``setting`` is its key (``"learning
    rate"``), ``value`` what to set it to (:data:`ANY`: the setting alone,
    "raise the epochs"). ``verb`` is how the page says it ("lower the
    Learning rate to 0.05"; "set" by default)."""

    setting: str
    value: Any = ANY
    verb: str = "set"

    def __post_init__(self):
        setting(self.setting)  # a fix names a setting the table has

    def phrase(self, door: str) -> str:
        """The fix in ``door``'s words: a flag, a keyword or a control; "" when the door lacks the setting."""
        found = _spelled(setting(self.setting), door)
        if found is None:
            return ""
        door, name = found
        return _LANGUAGES.get(door, _as_keyword)(name, self.value, self.verb)

    def as_dict(self, door: str) -> dict:
        """JSON-ready: the table's key, the value (when given) and the fix as ``door`` says it."""
        found = {"setting": self.setting, "said": self.phrase(door)}
        if self.value is not ANY:
            found["value"] = list(self.value) if isinstance(self.value, tuple) else self.value
        return found


@dataclass(frozen=True)
class Code:
    """A fix that only Python can take, as code (``MinMaxScaler(clip=True)``):
    said in the Python doors, not on the command line or the page."""

    text: str

    def phrase(self, door: str) -> str:
        return self.text if door in PYTHON_DOORS else ""

    def as_dict(self, door: str) -> dict:
        return {"code": self.text, "said": self.phrase(door)}


@dataclass(frozen=True)
class Named:
    """A setting named in a door's words (``--target``, ``Target``, ``target``;
    the table's key where the door lacks it)."""

    setting: str

    def phrase(self, door: str) -> str:
        found = _spelled(setting(self.setting), door)
        if found is None:
            return self.setting
        door, name = found
        return label(name) if door == PLAYGROUND else name.name


class Fixes:
    """Fixes (:class:`Fix`, :class:`Code`) shown together: ``" (a, b)"`` in a
    door, or ``otherwise`` (words, "" by default) where the door can take none of them."""

    def __init__(self, *items, before: str = " (", after: str = ")", joiner: str = ", ", otherwise: str = ""):
        self.items = tuple(item for item in items if item is not None)
        self.before, self.after, self.joiner, self.otherwise = before, after, joiner, otherwise

    def phrase(self, door: str) -> str:
        said = [phrase for phrase in (item.phrase(door) for item in self.items) if phrase]
        return f"{self.before}{self.joiner.join(said)}{self.after}" if said else self.otherwise

    def __repr__(self) -> str:
        return f"Fixes{self.items!r}"


class Message:
    """A message of words (str), named settings (:class:`Named`) and fixes
    (:class:`Fixes`, or one :class:`Fix` said as is), phrased per door by
    :meth:`render`; ``str()`` phrases it in ``door``, the door it is meant for."""

    def __init__(self, *parts, door: str = CLI):
        self.parts = tuple(parts)
        self.door = door

    def render(self, door: str | None = None) -> str:
        door = door or self.door
        return "".join(part if isinstance(part, str) else part.phrase(door) for part in self.parts)

    @property
    def fixes(self) -> list:
        """Every fix the message holds, as data."""
        found = []
        for part in self.parts:
            if isinstance(part, Fixes):
                found += list(part.items)
            elif isinstance(part, (Fix, Code)):
                found.append(part)
        return found

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return f"Message({self.render()!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Message) and str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))


class FixableError(ValueError):
    """A refusal that says what, where and the fix as settings: a ValueError
    whose text is its :class:`Message` in the door it is meant for, and which
    :func:`phrased` renders for any other door."""

    def __init__(self, *parts, door: str = CLI):
        self.message = parts[0] if len(parts) == 1 and isinstance(parts[0], Message) else Message(*parts, door=door)
        super().__init__(str(self.message))

    def render(self, door: str | None = None) -> str:
        return self.message.render(door)

    @property
    def fixes(self) -> list:
        return self.message.fixes


def phrased(said, door: str) -> str:
    """``said`` (a :class:`Message`, a :class:`FixableError`, a warning or
    exception whose argument is a Message, or anything else) as ``door`` says it."""
    if isinstance(said, (Message, FixableError)):
        return said.render(door)
    arguments = getattr(said, "args", ())
    if len(arguments) == 1 and isinstance(arguments[0], Message):
        return arguments[0].render(door)
    return str(said)

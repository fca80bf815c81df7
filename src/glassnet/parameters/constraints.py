"""The constraints a setting's value must meet, as small objects.

Each constraint answers four questions: does it ``accept`` a value; does it
``claim`` a value (the value is of its kind, so a refusal should explain this
constraint rather than the whole list of alternatives); how is it described
in an error message and in numpydoc; and how could a text (a command-line
argument, a value in a link) be read as one of its values.

A refusal always reads ``<name> must be <what is allowed>, got <value>``, or,
for a name outside a list, ``unknown <name> <value>; expected one of: ...``
(the wording of :class:`glassnet._registry.Registry`). ``<name>`` is the
door's own name for the setting, so one bad value gets one message text in
every door.

Constraints made of others (a sequence of values, alternatives, a door's
extra values and tighter limits) are in :mod:`.combined`. Nothing here
imports the engine at import time: lists of names are read from
the engine's registries when first needed, so that ``glassnet --help``
starts without loading them.
"""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Any, Callable, Sequence

import numpy as np

__all__ = ["Constraint", "Interval", "Exactly", "Options", "Boolean", "NoneValue", "Text", "Instances",
           "Callables", "FloatDtype", "shown", "is_sequence"]


def shown(value) -> str:
    """A value as an error message shows it: NumPy scalars as Python ones,
    sequences as lists (a tuple from Python, a list from JSON and a parsed
    command-line text read the same)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, (list, tuple, np.ndarray)):
        return "[" + ", ".join(shown(item) for item in value) + "]"
    return repr(value)


def _bound(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _is_number(value) -> bool:
    return isinstance(value, Real) and not isinstance(value, (bool, np.bool_))


def is_sequence(value) -> bool:
    return hasattr(value, "__iter__") and not isinstance(value, (str, bytes, dict))


def _read_number(text: str):
    """``"3"`` -> 3, ``"-1e-3"`` -> -0.001, ``"nan"`` -> nan; None when not a number."""
    text = text.strip()
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return None


class Constraint:
    """What every constraint answers; see the module's docstring."""

    def accepts(self, value) -> bool:
        raise NotImplementedError

    def claims(self, value) -> bool:
        return self.accepts(value)

    def describe(self) -> str:
        """``must be <this>`` in a message."""
        raise NotImplementedError

    def plural(self) -> str:
        """The description of several values, for sequences of them."""
        return f"values that are {self.describe()}"

    def terms(self) -> list[str]:
        """The description as alternatives, to be joined with "or" in a union."""
        return [self.describe()]

    def type_name(self) -> str:
        """The numpydoc type."""
        raise NotImplementedError

    def readings(self, text: str) -> list:
        """Values ``text`` may stand for (a number, a list, True), most likely first."""
        return []

    def offered(self) -> list[str]:
        """The names this constraint lets in (for a menu), none when it takes no names."""
        return []

    def validate(self, name: str, value) -> None:
        """ValueError naming ``name``, what is allowed and ``value``, unless accepted."""
        if not self.accepts(value):
            raise ValueError(self.message(name, value))

    def message(self, name: str, value) -> str:
        return f"{name} must be {self.describe()}, got {shown(value)}"


class Interval(Constraint):
    """Integers (``kind=Integral``) or real numbers (``kind=Real``) between
    ``low`` and ``high`` (None: unbounded), each end closed or open as
    ``closed`` says: "both", "left", "right" or "neither". NaN is never
    inside; booleans are not numbers here."""

    def __init__(self, kind: type, low=None, high=None, closed: str = "both"):
        if kind not in (Integral, Real):
            raise ValueError(f"kind must be numbers.Integral or numbers.Real, got {kind!r}")
        if closed not in ("both", "left", "right", "neither"):
            raise ValueError(f"closed must be 'both', 'left', 'right' or 'neither', got {closed!r}")
        self.kind, self.low, self.high, self.closed = kind, low, high, closed

    def accepts(self, value) -> bool:
        if not _is_number(value) or not isinstance(value, self.kind) or math.isnan(value):
            return False
        low = -math.inf if self.low is None else self.low
        high = math.inf if self.high is None else self.high
        above = value >= low if self.closed in ("both", "left") else value > low
        below = value <= high if self.closed in ("both", "right") else value < high
        return above and below

    def claims(self, value) -> bool:
        # 2.5 for an integer is a wrong number, not a wrong kind of value
        return _is_number(value)

    def _range(self) -> str:
        low = "-inf" if self.low is None else _bound(self.low)
        high = "inf" if self.high is None else _bound(self.high)
        left = "[" if self.closed in ("both", "left") and self.low is not None else "("
        right = "]" if self.closed in ("both", "right") and self.high is not None else ")"
        return f"{left}{low}, {high}{right}"

    def _integers(self) -> str:
        closed_low = self.closed in ("both", "left")
        if self.high is None and self.low is not None:
            return f"{'>=' if closed_low else '>'} {_bound(self.low)}"
        return f"in {self._range()}"

    def describe(self) -> str:
        if self.kind is Integral:
            return f"an integer {self._integers()}"
        if self.low is None and self.high is None:
            return "a finite real number"
        return f"a real number in {self._range()}"

    def plural(self) -> str:
        if self.kind is Integral:
            return f"integers {self._integers()}"
        return f"real numbers in {self._range()}"

    def type_name(self) -> str:
        return "int" if self.kind is Integral else "float"

    def readings(self, text: str) -> list:
        number = _read_number(text)
        return [] if number is None else [number]


class Exactly(Constraint):
    """One value, such as ``numpy.inf`` for "no limit"; ``label`` names it."""

    def __init__(self, value, label: str):
        self.value, self.label = value, label

    def accepts(self, value) -> bool:
        return _is_number(value) and value == self.value

    def claims(self, value) -> bool:
        return _is_number(value)

    def describe(self) -> str:
        return self.label

    def type_name(self) -> str:
        return self.label

    def readings(self, text: str) -> list:
        number = _read_number(text)
        return [] if number is None else [number]


class Options(Constraint):
    """Names from a list. ``names`` is the list or a function returning it
    (read at each use, so a registry's later additions count);
    ``registry`` (a function returning a :class:`~glassnet._registry.Registry`)
    lets an alias of a listed name in, such as 'sigmoid' for 'logistic';
    ``elsewhere`` says why a name the registry holds but the list leaves
    out is refused ("is for the output layer only")."""

    def __init__(self, names: Sequence[str] | Callable[[], Sequence[str]],
                 registry: Callable[[], Any] | None = None, elsewhere: str = ""):
        self._names = names
        self._registry = registry
        self.elsewhere = elsewhere

    @property
    def names(self) -> list[str]:
        return list(self._names() if callable(self._names) else self._names)

    def canonical(self, value: str) -> str:
        """The listed name for ``value`` or its alias."""
        if self._registry is not None and value not in self.names:
            return self._registry().canonical(value)
        return value

    def accepts(self, value) -> bool:
        if not isinstance(value, str):
            return False
        names = self.names
        if value in names:
            return True
        registry = self._registry() if self._registry is not None else None
        return registry is not None and value in registry and registry.canonical(value) in names

    def claims(self, value) -> bool:
        return isinstance(value, str)

    def describe(self) -> str:
        names = self.names
        return repr(names[0]) if len(names) == 1 else "one of " + ", ".join(map(repr, names))

    def plural(self) -> str:
        return "names among " + ", ".join(map(repr, self.names))

    def type_name(self) -> str:
        return "{" + ", ".join(map(repr, self.names)) + "}"

    def message(self, name: str, value) -> str:
        if not isinstance(value, str):
            return super().message(name, value)
        expected = f"expected one of: {', '.join(self.names)}"
        if self.elsewhere and self._registry is not None and value in self._registry():
            return f"{name} {value!r} {self.elsewhere}; {expected}"
        return f"unknown {name} {value!r}; {expected}"

    def offered(self) -> list[str]:
        return self.names


class Boolean(Constraint):
    """True or False (NumPy's too); a text reads as one when it is 'true' or 'false'."""

    def accepts(self, value) -> bool:
        return isinstance(value, (bool, np.bool_))

    def describe(self) -> str:
        return "True or False"

    def terms(self) -> list[str]:
        return ["True", "False"]

    def type_name(self) -> str:
        return "bool"

    def readings(self, text: str) -> list:
        word = text.strip().lower()
        return [word == "true"] if word in ("true", "false") else []


class NoneValue(Constraint):
    """None, which a door gives a meaning of its own (a default, "follow X")."""

    def accepts(self, value) -> bool:
        return value is None

    def describe(self) -> str:
        return "None"

    def type_name(self) -> str:
        return "None"


class Text(Constraint):
    """Any non-empty string; ``what`` says what it names, ``plural`` what several do."""

    def __init__(self, what: str = "a name", plural: str = "names"):
        self.what, self._plural = what, plural

    def accepts(self, value) -> bool:
        return isinstance(value, str) and value != ""

    def claims(self, value) -> bool:
        return isinstance(value, str)

    def describe(self) -> str:
        return self.what

    def plural(self) -> str:
        return self._plural

    def type_name(self) -> str:
        return "str"


class Instances(Constraint):
    """An instance of a class; ``cls`` is the class or a function returning
    it (so that the class's module is imported only when a value is checked)."""

    def __init__(self, cls: type | Callable[[], type], label: str, type_name: str | None = None):
        self._cls, self.label, self._type_name = cls, label, type_name

    @property
    def cls(self) -> type:
        return self._cls if isinstance(self._cls, type) else self._cls()

    def accepts(self, value) -> bool:
        return isinstance(value, self.cls)

    def describe(self) -> str:
        return self.label

    def type_name(self) -> str:
        return self._type_name or self.label


class Callables(Constraint):
    """A list (any iterable but a string) of callables."""

    def accepts(self, value) -> bool:
        return is_sequence(value) and not callable(value) and all(callable(item) for item in value)

    def claims(self, value) -> bool:
        return is_sequence(value) or callable(value)

    def describe(self) -> str:
        return "a list of callables"

    def type_name(self) -> str:
        return "list of callables"


class FloatDtype(Constraint):
    """A floating type by name ('float32', 'float64') or as a NumPy type or dtype."""

    NAMES = ("float32", "float64")

    def accepts(self, value) -> bool:
        if isinstance(value, str):
            return value in self.NAMES
        if isinstance(value, (type, np.dtype)):
            try:
                return np.dtype(value).type in (np.float32, np.float64)
            except TypeError:
                return False
        return False

    def claims(self, value) -> bool:
        return isinstance(value, (str, type, np.dtype))

    def describe(self) -> str:
        return "'float32' or 'float64'"

    def type_name(self) -> str:
        return "{'float32', 'float64'}"

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

Nothing here imports the engine at import time: lists of names are read from
the engine's registries when first needed, so that ``glassnet --help``
starts without loading them.
"""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Any, Callable, Sequence

import numpy as np

__all__ = ["Constraint", "Interval", "Exactly", "Options", "Boolean", "NoneValue", "Text", "Instances",
           "Callables", "FloatDtype", "Each", "AnyOf", "Extended", "Narrowed", "shown", "from_text"]


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


def _is_sequence(value) -> bool:
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
    """Any non-empty string; ``what`` says what it names."""

    def __init__(self, what: str = "a name"):
        self.what = what

    def accepts(self, value) -> bool:
        return isinstance(value, str) and value != ""

    def describe(self) -> str:
        return self.what

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
        return _is_sequence(value) and not callable(value) and all(callable(item) for item in value)

    def claims(self, value) -> bool:
        return _is_sequence(value) or callable(value)

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


class Each(Constraint):
    """A sequence (list, tuple, array) of ``min_length`` to ``max_length``
    values, each accepted by ``item``. A text reads as a comma-separated list."""

    def __init__(self, item: Constraint, min_length: int = 0, max_length: int | None = None,
                 type_name: str | None = None):
        self.item, self.min_length, self.max_length, self._type_name = item, min_length, max_length, type_name

    def accepts(self, value) -> bool:
        if not _is_sequence(value):
            return False
        items = list(value)
        if len(items) < self.min_length or (self.max_length is not None and len(items) > self.max_length):
            return False
        return all(self.item.accepts(item) for item in items)

    def claims(self, value) -> bool:
        return _is_sequence(value)

    def describe(self) -> str:
        if self.max_length is not None:
            count = f"at most {self.max_length} "
        elif self.min_length:
            count = f"{self.min_length} or more "
        else:
            count = ""
        return f"a sequence of {count}{self.item.plural()}"

    def type_name(self) -> str:
        if self._type_name:
            return self._type_name
        return "list of str" if isinstance(self.item, Options) else f"list of {self.item.type_name()}"

    def validate(self, name: str, value) -> None:
        if self.accepts(value):
            return
        # a wrong name in a list of names is explained as that name's refusal
        if isinstance(self.item, Options) and _is_sequence(value):
            for item in value:
                if isinstance(item, str) and not self.item.accepts(item):
                    self.item.validate(name, item)
        raise ValueError(self.message(name, value))

    def readings(self, text: str) -> list:
        parts = [part.strip() for part in text.split(",")] if text.strip() else []
        return [[_best_reading(self.item, part) for part in parts]]

    def offered(self) -> list[str]:
        return self.item.offered()


class AnyOf(Constraint):
    """A value any member accepts. A refusal explains the one member that
    claims the value (a number outside the interval of ``None or a number in
    (0, inf)`` reads "must be a real number in (0, inf)"), all the lists of
    names together for a string, or else every member."""

    def __init__(self, *members: Constraint, type_name: str | None = None):
        flat = []
        for member in members:
            flat.extend(member.members if isinstance(member, AnyOf) else [member])
        self.members, self._type_name = tuple(flat), type_name

    def accepts(self, value) -> bool:
        return any(member.accepts(value) for member in self.members)

    def claims(self, value) -> bool:
        return any(member.claims(value) for member in self.members)

    def describe(self) -> str:
        return _alternatives([term for member in self.members for term in member.terms()])

    def type_name(self) -> str:
        return self._type_name or " or ".join(member.type_name() for member in self.members)

    def readings(self, text: str) -> list:
        return [reading for member in self.members for reading in member.readings(text)]

    def offered(self) -> list[str]:
        return list(dict.fromkeys(name for member in self.members for name in member.offered()))

    def validate(self, name: str, value) -> None:
        if self.accepts(value):
            return
        claimants = [member for member in self.members if member.claims(value)]
        if claimants and all(isinstance(member, Options) for member in claimants):
            names = [name for member in claimants for name in member.names]
            Options(names).validate(name, value)
        if len(claimants) == 1:
            claimants[0].validate(name, value)
        raise ValueError(self.message(name, value))


def _alternatives(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " or " + parts[-1]


def _merged_options(constraints) -> "Options | None":
    """One list of names from several, when every one of ``constraints`` is a list of names."""
    if constraints and all(isinstance(each, Options) for each in constraints):
        return Options([name for each in constraints for name in each.names])
    return None


class Extended(Constraint):
    """A setting's constraint ``base`` with the values one door takes besides
    (``extras``: None for "the default", 'auto'). A refusal explains ``base``
    unless the value is of an extra's kind only, so a value wrong in every
    door gets the same message in every door: ``NeuralNetwork``'s
    learning_rate (None or a number) and the estimators' learning_rate_init
    both refuse -1 and 'abc' as "a real number in (0, inf)"."""

    def __init__(self, base: Constraint, extras: tuple[Constraint, ...]):
        self.base, self.extras = base, tuple(extras)

    def accepts(self, value) -> bool:
        return self.base.accepts(value) or any(extra.accepts(value) for extra in self.extras)

    def claims(self, value) -> bool:
        return self.base.claims(value) or any(extra.claims(value) for extra in self.extras)

    def describe(self) -> str:
        return _alternatives([term for each in (*self.extras, self.base) for term in each.terms()])

    def terms(self) -> list[str]:
        return [term for each in (*self.extras, self.base) for term in each.terms()]

    def type_name(self) -> str:
        return " or ".join(each.type_name() for each in (self.base, *self.extras))

    def readings(self, text: str) -> list:
        return [reading for each in (self.base, *self.extras) for reading in each.readings(text)]

    def offered(self) -> list[str]:
        return list(dict.fromkeys(name for each in (*self.extras, self.base) for name in each.offered()))

    def validate(self, name: str, value) -> None:
        if self.accepts(value):
            return
        claimants = [extra for extra in self.extras if extra.claims(value)]
        if claimants:
            merged = _merged_options(claimants + ([self.base] if self.base.claims(value) else []))
            if merged is not None and self.base.claims(value):
                merged.validate(name, value)  # 'nope' for a loss or 'auto': one list of names
            if not self.base.claims(value):
                if len(claimants) == 1 and not isinstance(claimants[0], Options):
                    claimants[0].validate(name, value)
                raise ValueError(self.message(name, value))
        self.base.validate(name, value)


class Narrowed(Constraint):
    """A door's tighter bound on a setting (the playground's page limits):
    ``base`` is the setting's own constraint, checked first so that a value
    wrong everywhere gets the message every door gives; ``limit`` then
    refuses what this door does not offer."""

    def __init__(self, base: Constraint, limit: Constraint):
        self.base, self.limit = base, limit

    def accepts(self, value) -> bool:
        return self.base.accepts(value) and self.limit.accepts(value)

    def claims(self, value) -> bool:
        return self.base.claims(value)

    def describe(self) -> str:
        return self.limit.describe()

    def type_name(self) -> str:
        return self.limit.type_name()

    def readings(self, text: str) -> list:
        return self.limit.readings(text) + self.base.readings(text)

    def offered(self) -> list[str]:
        return self.limit.offered() or self.base.offered()

    def validate(self, name: str, value) -> None:
        self.base.validate(name, value)
        if not self.limit.accepts(value):
            raise ValueError(f"{name} must be {self.limit.describe()}, got {shown(value)}")


def _best_reading(constraint: Constraint, text: str):
    readings = constraint.readings(text)
    for value in readings:
        if constraint.accepts(value):
            return value
    return readings[0] if readings else text


def from_text(constraint: Constraint, text: str):
    """The value a text given on a command line or in a link stands for: the
    text itself when ``constraint`` takes it ('relu', 'balanced'), else the
    first reading it accepts ("0.01" -> 0.01, "64,32" -> [64, 32],
    "true" -> True), else the likeliest reading, so that the refusal shows
    the number or list the user meant ("-1" -> -1)."""
    if constraint.accepts(text):
        return text
    return _best_reading(constraint, text)

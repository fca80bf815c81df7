"""Constraints made of others: a sequence of values (:class:`Each`), one of
several (:class:`AnyOf`), a setting with a door's extra values
(:class:`Extended`) or under a door's tighter limit (:class:`Narrowed`); and
:func:`from_text`, which reads a command line's or a link's text as the value
it stands for.

Each keeps the rule of :mod:`.constraints`: a refusal explains the part the
value belongs to, so the same wrong value reads the same in every door.
"""

from __future__ import annotations

from .constraints import Constraint, Options, is_sequence, shown

__all__ = ["Each", "AnyOf", "Extended", "Narrowed", "from_text"]


class Each(Constraint):
    """A sequence (list, tuple, array) of ``min_length`` to ``max_length``
    values, each accepted by ``item``. A text reads as a comma-separated list."""

    def __init__(self, item: Constraint, min_length: int = 0, max_length: int | None = None,
                 type_name: str | None = None):
        self.item, self.min_length, self.max_length, self._type_name = item, min_length, max_length, type_name

    def accepts(self, value) -> bool:
        if not is_sequence(value):
            return False
        items = list(value)
        if len(items) < self.min_length or (self.max_length is not None and len(items) > self.max_length):
            return False
        return all(self.item.accepts(item) for item in items)

    def claims(self, value) -> bool:
        return is_sequence(value)

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
        if isinstance(self.item, Options) and is_sequence(value):
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

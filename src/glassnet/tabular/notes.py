"""What the tabular pipeline tells its user about the data, as warnings
that ``glassnet``'s commands print as ``note:`` (or ``warning:``) lines and
the playground shows on its page.

A note that suggests a setting holds a :class:`glassnet.parameters.Message`
(``DataNote(Message(...))``): each door says the fix its own way
(:func:`glassnet.parameters.phrased`), ``str()`` as the command line does.
"""

from __future__ import annotations

from ..parameters import Fix, Fixes, Message

__all__ = ["DataNote", "ImbalanceWarning", "rows", "imputed_note", "identifiers_note", "unseen_note",
           "unseen_labels_note"]

# how many unseen values of one column a note names before saying "..."
_SHOWN = 5


class DataNote(UserWarning):
    """Something done to the data that its user should know: a column left
    out, empty cells filled, categories not seen in training."""


class ImbalanceWarning(UserWarning):
    """The trained network never predicts some class of its training data."""

    # the command line prints it as "warning: ...", not as a note
    shown_as = "warning"


def rows(n: int) -> str:
    return f"{n} row" + ("" if n == 1 else "s")


def _cells(n: int) -> str:
    return f"{n} empty cell" + ("" if n == 1 else "s")


def imputed_note(counts: dict[str, int], imputation, columns, where: str) -> Message:
    """``filled 13 empty cells in the training part (--impute median): bill_length_mm 2 (median 44.5), sex 11
    (most frequent 'male')``."""
    fills = dict(zip(columns.numeric, imputation.numeric_values))
    fills.update(zip(columns.text, imputation.text_values))
    strategy = imputation.strategy.replace("_", " ")
    parts = []
    for name, count in counts.items():
        value = fills[name]
        shown = f"{strategy} {value:g}" if name in columns.numeric else f"most frequent {value!r}"
        parts.append(f"{name} {count} ({shown})")
    return Message(f"filled {_cells(sum(counts.values()))} in {where}", Fixes(Fix("impute", imputation.strategy)),
                   f": {', '.join(parts)}")


def identifiers_note(identifiers) -> Message:
    """Text columns left out as identifier-like (:func:`~.columns.identifier_like`), and how to keep them."""
    several = len(identifiers) > 1
    named = ", ".join(identifier.describe() for identifier in identifiers)
    return Message(f"text column{'s' if several else ''} {named} left out: one-hot encoded, each value would be an "
                   "input of its own, which teaches the network its training rows rather than anything that holds "
                   "for new ones", Fixes(Fix("keep", [identifier.name for identifier in identifiers]),
                                         after=f" keeps {'them' if several else 'it'})"))


def _values(counts: dict[str, int]) -> str:
    shown = [f"{value!r} ({rows(count)})" for value, count in list(counts.items())[:_SHOWN]]
    more = len(counts) - _SHOWN
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def unseen_note(unseen: dict[str, dict[str, int]], where: str) -> str:
    """Categories of ``where`` that training never saw, per column, with counts."""
    columns = "; ".join(f"{name}: {_values(counts)}" for name, counts in unseen.items())
    return f"categories not seen in training, in {where} (encoded as no known category): {columns}"


def unseen_labels_note(unseen: dict[str, int], target: str, where: str) -> str:
    """Labels of the target that training never saw: the model cannot predict them."""
    return (f"{where} holds label(s) of {target!r} not seen in training, which the model cannot predict: "
            f"{_values(unseen)}; each has its own row in the confusion matrix")

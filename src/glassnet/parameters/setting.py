"""One row of the parameter table: a setting, its constraint, its meaning,
and its name (with its default) in each door."""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Any, Mapping

from .combined import Extended, Narrowed
from .constraints import Constraint

__all__ = ["DOORS", "NEURAL_NETWORK", "TRAIN", "ESTIMATOR", "CLI", "PLAYGROUND", "TEXT_DOORS", "Name", "Setting",
           "NO_DEFAULT"]

# the doors, by the names the table and check_settings use
NEURAL_NETWORK = "NeuralNetwork"  # glassnet.NeuralNetwork(...)'s keywords
TRAIN = "NeuralNetwork.train"  # NeuralNetwork.train(...)'s keywords
ESTIMATOR = "estimator"  # MLPClassifier / MLPRegressor parameters (get_params)
CLI = "cli"  # glassnet train's flags (by flag, or by argparse dest)
PLAYGROUND = "playground"  # the playground page's settings
DOORS = (NEURAL_NETWORK, TRAIN, ESTIMATOR, CLI, PLAYGROUND)
# doors whose values may arrive as text (a command line, a link): "0.01" is read as 0.01
TEXT_DOORS = (CLI, PLAYGROUND)

NO_DEFAULT = inspect.Parameter.empty


@dataclass(frozen=True)
class Name:
    """A setting as one door spells it.

    ``default`` is this door's default (doors differ: the article's step
    size is 1, the estimators' 0.001). ``extra`` are values this door takes
    besides the setting's own (None meaning "the optimiser's default",
    'auto'); ``limit`` is this door's tighter bound (the playground's page
    limits), checked after the setting's own constraint. ``note`` is a
    sentence about this door only, added to the setting's meaning.
    ``type`` overrides the numpydoc type. ``glassnet`` marks an estimator
    parameter scikit-learn lacks, ``only`` one of a single estimator
    ("classifier" or "regressor"). ``metavar`` and ``default_text`` shape a
    command-line flag's help, ``keyword`` names its argparse ``dest`` when
    that is not the flag's own name (``--id`` is stored as ``id_column``).
    ``label`` is the playground's control for the setting, as the page shows
    it (advice on the page names the control: "lower the Learning rate").
    """

    name: str
    default: Any = NO_DEFAULT
    extra: tuple[Constraint, ...] = ()
    limit: Constraint | None = None
    note: str = ""
    type: str | None = None
    glassnet: bool = False
    only: str | None = None
    metavar: str | None = None
    default_text: str | None = None
    keyword: str | None = None
    label: str | None = None

    @property
    def bare(self) -> str:
        """A flag's name as a keyword: --learning-rate -> learning_rate (a model file's key)."""
        return self.name.lstrip("-").replace("-", "_")

    @property
    def dest(self) -> str:
        """The keyword argparse stores a flag under: ``keyword`` if given, else :attr:`bare`."""
        return self.keyword or self.bare


@dataclass(frozen=True)
class Setting:
    """One concept of the table, such as "learning rate".

    ``constraint`` is what every door accepts; ``doc`` its meaning, written
    once for every door's documentation (its first sentence is the command
    line's help); ``doors`` maps a door (see :data:`DOORS`) to the
    :class:`Name` it uses.
    """

    key: str
    constraint: Constraint
    doc: str
    doors: Mapping[str, Name] = field(default_factory=dict)
    type: str | None = None

    def name(self, door: str) -> Name:
        """This setting's :class:`Name` in ``door`` (KeyError when the door lacks it)."""
        return self.doors[door]

    def constraint_for(self, door: str) -> Constraint:
        """What ``door`` accepts: the setting's constraint, with the door's
        extra values and under its tighter limit."""
        spelled = self.doors[door]
        constraint = self.constraint
        if spelled.extra:
            constraint = Extended(constraint, spelled.extra)
        if spelled.limit is not None:
            constraint = Narrowed(constraint, spelled.limit)
        return constraint

    def check(self, door: str, value) -> None:
        """ValueError naming the door's name for this setting, what is allowed and ``value``."""
        self.constraint_for(door).validate(self.doors[door].name, value)

    def default(self, door: str):
        return self.doors[door].default

    def doc_for(self, door: str) -> str:
        note = self.doors[door].note
        return f"{self.doc} {note}" if note else self.doc

    def type_for(self, door: str) -> str:
        """The numpydoc type in ``door``."""
        spelled = self.doors[door]
        if spelled.type:
            return spelled.type
        if self.type and not spelled.extra:
            return self.type
        return self.constraint_for(door).type_name()

    def summary(self) -> str:
        """The meaning's first sentence, for short help."""
        sentence = self.doc.split(". ")[0].rstrip(".")
        return sentence[0].lower() + sentence[1:] if sentence[1:2].islower() else sentence

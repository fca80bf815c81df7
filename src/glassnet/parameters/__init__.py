"""One parameter table for every door.

glassnet is used through four doors: ``NeuralNetwork(...)`` (and its
``train(...)``), the estimators ``MLPClassifier``/``MLPRegressor``, the
command line ``glassnet train`` and the playground page. Each spells a
setting its own way (the step size is ``learning_rate``,
``learning_rate_init``, ``--learning-rate`` and ``learning_rate``) and has
its own default, but they all mean the same thing and must refuse the same
values with the same words. So each setting is described once, in
:data:`TABLE` (one :class:`Setting` per concept: a constraint, a meaning,
and a :class:`Name` with its default per door), in the spirit of
scikit-learn's ``_parameter_constraints``, and every door checks through it::

    >>> check_settings("NeuralNetwork", {"learning_rate": -1})
    Traceback (most recent call last):
    ValueError: learning_rate must be a real number in (0, inf), got -1
    >>> check_settings("estimator", {"learning_rate_init": -1})
    Traceback (most recent call last):
    ValueError: learning_rate_init must be a real number in (0, inf), got -1

The doors are :data:`DOORS`: ``"NeuralNetwork"``, ``"NeuralNetwork.train"``,
``"estimator"``, ``"cli"`` (``glassnet train``'s flags, by flag, by the
flag's name as a keyword such as ``learning_rate`` (a model file's key) or
by argparse's ``dest``) and ``"playground"``. The command line's and the
playground's values may be text ("0.01", "64,32", "true"), read before
they are checked. The numpydoc sections of the classes and the command
line's help are written from the same table.

Advice is given in the same names (:mod:`.advice`): a finding or a refusal
holds its fix as a setting of the table and a value (:class:`Fix`), which the
command line says as a flag, Python as a keyword and the page as its control.

This package reads the engine's registries (activations, losses, solvers,
schedules, metrics, initialisers) for its lists of names, when first needed;
it imports neither scikit-learn, pandas nor matplotlib.
"""

from __future__ import annotations

from typing import Iterable

from .advice import ANY, PYTHON_DOORS, Code, Fix, FixableError, Fixes, Message, Named, phrased, setting
from .combined import AnyOf, Each, Extended, Narrowed, from_text
from .constraints import (Boolean, Callables, Constraint, Exactly, FloatDtype, Instances, Interval, NoneValue, Options,
                          Text, shown)
from .setting import CLI, DOORS, ESTIMATOR, NEURAL_NETWORK, NO_DEFAULT, PLAYGROUND, TEXT_DOORS, TRAIN, Name, Setting
from .table import EXTRAPOLATION, IMPUTE, REGRESSION_LOSSES, TABLE, TASKS

__all__ = [
    "TABLE", "DOORS", "NEURAL_NETWORK", "TRAIN", "ESTIMATOR", "CLI", "PLAYGROUND", "Setting", "Name",
    "settings_of", "lookup", "check", "check_settings", "check_network", "offered", "read", "defaults", "docstring_entries", "cli_help",
    "REGRESSION_LOSSES", "EXTRAPOLATION", "TASKS", "IMPUTE",
    "Constraint", "Interval", "Exactly", "Options", "Boolean", "NoneValue", "Text", "Instances", "Callables",
    "FloatDtype", "Each", "AnyOf", "Extended", "Narrowed", "from_text", "shown",
    "Fix", "Code", "Named", "Fixes", "Message", "FixableError", "phrased", "PYTHON_DOORS", "ANY", "setting",
]

_INDEX: dict[str, dict[str, Setting]] = {}


def _door(door: str) -> dict[str, Setting]:
    """``door``'s names -> settings (a command-line flag also by its argparse name)."""
    if door not in DOORS:
        raise ValueError(f"unknown door {door!r}; expected one of: {', '.join(DOORS)}")
    if not _INDEX:
        for each in DOORS:
            names = {}
            for setting in TABLE:
                if each in setting.doors:
                    spelled = setting.doors[each]
                    names[spelled.name] = setting
                    if each == CLI:
                        names[spelled.bare] = setting
                        names[spelled.dest] = setting
            _INDEX[each] = names
    return _INDEX[door]


def settings_of(door: str) -> list[Setting]:
    """The settings ``door`` has, in table order."""
    _door(door)
    return [setting for setting in TABLE if door in setting.doors]


def lookup(door: str, name: str) -> Setting:
    """The setting ``door`` calls ``name``; ValueError listing the door's names otherwise."""
    names = _door(door)
    try:
        return names[name]
    except (KeyError, TypeError):
        known = [setting.doors[door].name for setting in settings_of(door)]
        raise ValueError(f"unknown {door} setting {name!r}; expected one of: {', '.join(known)}") from None


def check(door: str, name: str, value):
    """``value`` when ``door`` accepts it for ``name`` (read from text first in
    the command line and the playground); ValueError naming the door's name,
    what is allowed and the value otherwise."""
    setting = lookup(door, name)
    constraint = setting.constraint_for(door)
    if door in TEXT_DOORS and isinstance(value, str):
        value = from_text(constraint, value)
    constraint.validate(setting.doors[door].name, value)
    return value


def read(door: str, name: str, text: str):
    """The value a text stands for, checked: ``read("cli", "--epochs", "30")`` is 30."""
    setting = lookup(door, name)
    constraint = setting.constraint_for(door)
    value = from_text(constraint, text)
    constraint.validate(setting.doors[door].name, value)
    return value


def offered(door: str, name: str) -> list[str]:
    """The names ``door`` offers for a setting (a menu, argparse's choices):
    ``offered("playground", "optimizer")`` is ['sgd', 'adam']."""
    return lookup(door, name).constraint_for(door).offered()


def check_settings(door: str, settings: dict, *, complete: bool = False) -> dict:
    """Check a whole dict of ``door``'s settings: the checked values (text read
    in the command line and the playground), under the keys given.

    ``complete=True`` adds the door's default for every setting not given.
    Raises ValueError on the first unknown name or bad value, naming it, what
    is allowed and the value.
    """
    _door(door)
    if not isinstance(settings, dict):
        raise ValueError(f"settings must be a dict of names and values, got {shown(settings)}")
    checked = {name: check(door, name, value) for name, value in settings.items()}
    if complete:
        given = {lookup(door, name).key for name in checked}
        for setting in settings_of(door):
            spelled = setting.doors[door]
            if setting.key not in given and spelled.default is not NO_DEFAULT:
                checked[spelled.dest if door == CLI else spelled.name] = spelled.default
    return checked


# a network's configuration as model files keep it (Network.config()) -> NeuralNetwork's keyword for each entry
_NETWORK_KEYWORDS = {"layer_sizes": "layers", "activation": "activation", "output_activation": "output_activation",
                     "loss": "loss", "bias": "bias", "init": "init", "reduction": "reduction", "l2": "l2",
                     "dtype": "dtype"}


def check_network(config: dict) -> dict:
    """A network's configuration as a model file keeps it (``layer_sizes``,
    ``activation``, ``loss``, ...: ``Network.config()``), every entry checked
    by the table under NeuralNetwork's keyword for it (``layer_sizes`` is
    ``layers``); ValueError for an unknown entry or a bad value."""
    if not isinstance(config, dict):
        raise ValueError(f"a network's configuration must be a dict of names and values, got {shown(config)}")
    unknown = [name for name in config if name not in _NETWORK_KEYWORDS]
    if unknown:
        raise ValueError(f"unknown network setting(s) {', '.join(map(repr, unknown))}; expected some of: "
                         f"{', '.join(_NETWORK_KEYWORDS)}")
    check_settings(NEURAL_NETWORK, {_NETWORK_KEYWORDS[name]: value for name, value in config.items()})
    return config


def defaults(door: str) -> dict:
    """Each of ``door``'s settings with its default (a flag under its argparse name)."""
    return {(setting.doors[door].dest if door == CLI else setting.doors[door].name): setting.default(door)
            for setting in settings_of(door) if setting.default(door) is not NO_DEFAULT}


def docstring_entries(door: str, names: Iterable[str]):
    """numpydoc entries for ``names`` (a signature's keywords, in its order):
    type, meaning and default from the table; "(glassnet)" marks an estimator
    parameter scikit-learn lacks."""
    from .._docstring import Entry

    entries = []
    for name in names:
        setting = lookup(door, name)
        spelled = setting.doors[door]
        doc = setting.doc_for(door) + (" (glassnet)" if spelled.glassnet else "")
        entries.append(Entry(name, setting.type_for(door), doc, spelled.default))
    return entries


def cli_help(setting: Setting) -> str:
    """A flag's help: the meaning's first sentence, the command line's note, the default."""
    spelled = setting.doors[CLI]
    text = setting.summary() + (f"; {spelled.note}" if spelled.note else "")
    if isinstance(setting.constraint, Boolean):
        return text
    default = spelled.default
    if spelled.default_text is not None:
        default = spelled.default_text
    elif isinstance(default, (list, tuple)):
        default = ",".join(map(str, default))
    return f"{text} (default: {default})"

"""What each of the page's settings does when it changes, and the controls
the page builds for them: one table, read by the session and the page.

A change of setting is one of four kinds:

* **data** (:data:`DATA`): new data, so a new network from epoch 0;
* **live** (:data:`LIVE`): applied to the running network between two
  ticks, as TensorFlow Playground applies its learning rate: the weights,
  the optimiser's state and the epoch count stay, training goes on, and
  the run's change log (shown in the history download) records it;
* **view** (:data:`VIEW`): only what is drawn changes (the two plotted inputs);
* **reset**, every other setting (the layers, activations, loss, and any
  setting added to the table later unless it is registered here as live):
  a new network from epoch 0.

The settings the page lays out by hand (:data:`LAID_OUT`: the data's and
the layers' controls) are drawn by the page itself; every other playground
setting of :mod:`glassnet.parameters` becomes a control described by
:func:`controls`, so a setting added to the table gets a control without
any change to the page.
"""

from __future__ import annotations

import inspect
from numbers import Integral

from .. import parameters
from .._registry import Registry
from ..engine.optimizers import OPTIMIZERS, SGD, Adam, Optimizer, make_optimizer
from ..parameters import PLAYGROUND, Boolean, Interval, advice
from ..parameters.combined import AnyOf, Extended, Narrowed

__all__ = ["DATA", "VIEW", "LIVE", "LAID_OUT", "effect", "controls", "label", "words", "optimizer_for", "options_of"]

# settings whose change means new data (the seed also draws the split)
DATA = ("dataset", "upload", "target", "ignore", "noise", "points", "test_ratio", "seed")
VIEW = ("feature_x", "feature_y")
# settings the page lays out itself (the data column, the layers' editors)
LAID_OUT = ("dataset", "upload", "target", "ignore", "noise", "points", "test_ratio", "hidden", "activations",
            "feature_x", "feature_y")
def label(name: str) -> str:
    """A setting's name as the page's control shows it ("Learning rate"): the
    parameter table's label for the page (every playground setting has one;
    a name the table lacks is shown in words)."""
    try:
        return advice.label(parameters.lookup(PLAYGROUND, name).name(PLAYGROUND))
    except ValueError:
        return name.replace("_", " ").capitalize()


def words(name: str) -> str:
    """A setting's name within a sentence ("learning rate", "L2")."""
    text = label(name)
    return text if text[1:2].isupper() or text.startswith("Adam") else text[0].lower() + text[1:]


# --- the optimiser ------------------------------------------------------------------------------
def options_of(optimizer: str) -> tuple[str, ...]:
    """The page's settings an optimiser takes besides the learning rate: its
    constructor's keywords that are playground settings (sgd: momentum;
    adam: beta_1, beta_2; both: the schedule and the step rules every
    optimiser takes, such as weight decay and clipping)."""
    keywords = [*inspect.signature(OPTIMIZERS.get(optimizer)).parameters,
                *inspect.signature(Optimizer.__init__).parameters]
    names = {setting.name(PLAYGROUND).name for setting in parameters.settings_of(PLAYGROUND)}
    return tuple(dict.fromkeys(name for name in keywords if name in names and name != "learning_rate"))


def optimizer_for(settings) -> object:
    """A new optimiser of ``settings`` (its name, rate and options)."""
    name = settings.optimizer
    return make_optimizer(name, settings.learning_rate, **{key: getattr(settings, key) for key in options_of(name)})


# --- live settings: name -> apply(model, settings), the model a NeuralNetwork ------------------------
def _learning_rate(model, settings):
    # the new base rate; a schedule goes on from the epoch reached with it
    model.learner.optimizer.set_base_rate(settings.learning_rate)


def _l2(model, settings):
    model.network.l2 = float(settings.l2)


def _batch_size(model, settings):
    model.batch_size = int(settings.batch_size)


def _optimizer(model, settings):
    # another optimiser starts with its own state (no moments yet); the weights stay
    if model.learner.optimizer.name != settings.optimizer:
        model.learner.optimizer = optimizer_for(settings)
        model.solver = settings.optimizer


def _option(kind, name):
    def apply(model, settings):
        optimizer = model.learner.optimizer
        if isinstance(optimizer, kind):  # another optimiser's option waits until it is chosen
            setattr(optimizer, name, float(getattr(settings, name)))

    return apply


def _next_epochs(model, settings):
    pass  # read by every tick (Session.train)


LIVE: Registry = Registry("live setting")
for _name, _apply in (("learning_rate", _learning_rate), ("l2", _l2), ("batch_size", _batch_size),
                      ("optimizer", _optimizer), ("momentum", _option(SGD, "momentum")),
                      ("beta_1", _option(Adam, "beta_1")), ("beta_2", _option(Adam, "beta_2")),
                      ("record_stats", _next_epochs)):
    LIVE.register(_name, _apply)


def effect(name: str) -> str:
    """"data", "live", "view" or "reset": what a change of ``name`` does."""
    if name in DATA:
        return "data"
    if name in LIVE:
        return "live"
    if name in VIEW:
        return "view"
    return "reset"


# --- the controls the page builds --------------------------------------------------------------------
def _interval(constraint):
    """The tightest :class:`Interval` of a setting's constraint, or None."""
    if isinstance(constraint, Narrowed):
        return _interval(constraint.limit) or _interval(constraint.base)
    if isinstance(constraint, Extended):
        return _interval(constraint.base)
    if isinstance(constraint, AnyOf):
        return next((found for found in map(_interval, constraint.members) if found is not None), None)
    return constraint if isinstance(constraint, Interval) else None


def _control(setting) -> dict:
    spelled = setting.name(PLAYGROUND)
    constraint = setting.constraint_for(PLAYGROUND)
    name = spelled.name
    control = {"name": name, "label": label(name), "default": spelled.default, "effect": effect(name),
               "doc": setting.doc_for(PLAYGROUND)}
    offered = constraint.offered()
    interval = _interval(constraint)
    if isinstance(setting.constraint, Boolean):
        control["kind"] = "checkbox"
    elif offered:
        # a choice that may be none (normalisation) offers "none", which the settings read as None
        control.update(kind="select", options=(["none"] if constraint.accepts(None) else []) + list(offered))
    else:
        control["kind"] = "number"
        if interval is not None:
            integer = interval.kind is Integral
            control.update(integer=integer, min=interval.low, max=interval.high)
    # an optimiser's own setting shows with that optimiser only
    users = [optimizer for optimizer in parameters.offered(PLAYGROUND, "optimizer") if name in options_of(optimizer)]
    if users:
        control["optimizers"] = users
    return control


def controls() -> list[dict]:
    """The controls of every playground setting the page does not lay out
    itself, in the table's order: ``name``, ``label``, ``kind`` ("number",
    "select", "checkbox"), ``options``, ``min``/``max``/``integer``,
    ``default``, ``effect`` and ``doc`` (the table's meaning, shown on
    hover); ``optimizers``: shown with these optimisers only."""
    return [_control(setting) for setting in parameters.settings_of(PLAYGROUND)
            if setting.name(PLAYGROUND).name not in LAID_OUT]

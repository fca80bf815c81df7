"""The checks: name -> function(evidence) -> list of findings.

Each check is one small function in a module of its kind (units,
gradients, history, data), registered here with :func:`check`. It reads
the :class:`~.evidence.Evidence` and returns the problems it sees (an empty
list when there are none), or raises :class:`Skip` when it lacks what it
needs (targets, a training history).
"""

from __future__ import annotations

from typing import Callable

from ..._registry import Registry

__all__ = ["CHECKS", "check", "Skip"]

CHECKS: Registry[Callable] = Registry("check")


class Skip(Exception):
    """A check cannot run on this model or data; the message says why."""


def check(name: str):
    """Register the decorated function as the check ``name``."""

    def register(function):
        CHECKS.register(name, function)
        return function

    return register

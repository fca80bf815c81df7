"""Where a warning should point: the first frame outside glassnet and scikit-learn
(and joblib, through which scikit-learn's model selection calls estimators).

A warning raised deep inside ``predict`` is only useful if it names the
user's line. The depth varies (``predict``, ``predict_proba`` through
``predict_log_proba``, scikit-learn's ``score`` calling ``predict``), so the
stack level is found by walking out of the libraries' own files rather than
counted by hand.

The libraries' folders are found with ``importlib.util.find_spec``, which
reads where a package lives without importing it: the engine warns through
this module, and importing it must not load scikit-learn.
"""

from __future__ import annotations

import os
import sys
from importlib.util import find_spec

__all__ = ["user_stacklevel"]


def _folder(package: str) -> str | None:
    """The folder of an installed package, or None; nothing is imported."""
    try:
        spec = find_spec(package)
    except (ImportError, ValueError):
        return None
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    return os.path.abspath(locations[0]) + os.sep if locations else None


_LIBRARIES = tuple(
    folder for folder in (os.path.dirname(os.path.abspath(__file__)) + os.sep, _folder("sklearn"), _folder("joblib"))
    if folder is not None
)


def user_stacklevel() -> int:
    """The ``stacklevel`` for a ``warnings.warn`` made by the caller of this
    function that names the first frame outside glassnet, scikit-learn and joblib."""
    frame = sys._getframe(1)
    level = 1
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(_LIBRARIES):
        frame = frame.f_back
        level += 1
    return level

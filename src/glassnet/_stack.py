"""Where a warning should point: the first frame outside glassnet and scikit-learn
(and joblib, through which scikit-learn's model selection calls estimators).

A warning raised deep inside ``predict`` is only useful if it names the
user's line. The depth varies (``predict``, ``predict_proba`` through
``predict_log_proba``, scikit-learn's ``score`` calling ``predict``), so the
stack level is found by walking out of the libraries' own files rather than
counted by hand.
"""

from __future__ import annotations

import os
import sys

import joblib
import sklearn

__all__ = ["user_stacklevel"]

_LIBRARIES = tuple(
    os.path.dirname(os.path.abspath(path)) + os.sep
    for path in (os.path.dirname(__file__) + os.sep + "__init__.py", sklearn.__file__, joblib.__file__)
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

"""What the page says: errors and notes in the page's words.

The table pipeline and the settings' checks raise their refusals and notes
as data (:class:`glassnet.parameters.Message`): what, where, and the fix as
a setting of the parameter table. The command line says such a fix as a
flag (``--target Sales``); the page says it as its own control ("set the
Target to Sales") and leaves out what it has no control for.
"""

from __future__ import annotations

from ..parameters import PLAYGROUND, phrased

__all__ = ["page_text"]


def page_text(said) -> str:
    """An error, a warning or a message as the page shows it."""
    return phrased(said, PLAYGROUND)

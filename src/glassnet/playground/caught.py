"""What Python warns about while a page's work runs: said to that page, or
logged in words, never printed as a raw Python warning.

``warnings.catch_warnings`` swaps the warnings module's global state, so two
threads using it at once (two pages training, a table being prepared while
another page trains) could lose each other's warnings or leave the swap in
place. Instead :func:`collected` marks the current thread: a warning raised
in it is kept in the thread's list, and one raised anywhere else goes to
whatever showed warnings before (in the server: :func:`log_in_words`).
glassnet's own warnings (notes about the data, divergence) are shown every
time they are raised, not once per place in the code, since every page must
hear its own.
"""

from __future__ import annotations

import logging
import threading
import warnings
from contextlib import contextmanager

__all__ = ["collected", "log_in_words", "LOG"]

LOG = logging.getLogger("glassnet.playground")
_local = threading.local()
_install_lock = threading.Lock()
# what showed warnings before this module's hook (called for warnings no page collects)
_previous = warnings.showwarning
# glassnet's warnings are shown every time they are raised: each page hears its own notes
_GLASSNET = r"glassnet\."


def _show(message, category, filename, lineno, file=None, line=None):
    caught = getattr(_local, "caught", None)
    if caught is not None:
        caught.append(warnings.WarningMessage(message, category, filename, lineno, file, line))
        return
    _previous(message, category, filename, lineno, file, line)


def _install() -> None:
    """Put the hook and the filter in place (again, if something such as a
    test's ``catch_warnings`` has put its own back since)."""
    global _previous
    with _install_lock:
        if warnings.showwarning is not _show:
            _previous = warnings.showwarning
            warnings.showwarning = _show
        if not any(item[0] == "always" and item[3] is not None and item[3].pattern == _GLASSNET
                   for item in warnings.filters):
            warnings.filterwarnings("always", module=_GLASSNET)


@contextmanager
def collected():
    """The warnings raised in this thread while the block runs, as a list of
    ``warnings.WarningMessage`` (filled as they come)."""
    _install()
    outer = getattr(_local, "caught", None)
    _local.caught = caught = []
    try:
        yield caught
    finally:
        _local.caught = outer


def log_in_words() -> None:
    """The server's setting: a warning that no page collects is logged as one
    line of words (``glassnet playground: <message>``), not as Python prints
    warnings (file, line number, class and source line)."""
    global _previous

    def to_log(message, category, filename, lineno, file=None, line=None):
        LOG.warning("%s", message)

    _install()
    _previous = to_log
    if not LOG.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("glassnet playground: %(message)s"))
        LOG.addHandler(handler)
        LOG.setLevel(logging.INFO)
        LOG.propagate = False

"""``python -m glassnet`` runs the command line."""

import os
import signal


def _interrupted_while_starting(signum, frame):
    # Ctrl-C while the command line's modules load: nothing has been read or
    # written yet, so leave at once with one line rather than a traceback
    os.write(2, b"error: interrupted; nothing was written\n")
    os._exit(130)


# first, before the imports that take the time; run() then installs
# Python's own handler inside its error handling
signal.signal(signal.SIGINT, _interrupted_while_starting)

from .cli import run  # noqa: E402

run()

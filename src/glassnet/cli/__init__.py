"""The ``glassnet`` command line.

Each subcommand is a module in this package that registers a
:class:`Command`: its name, a one-line help, a function adding its arguments
and a function running it. ``main`` builds the parser from the registry.

Errors: a :class:`CliError` (bad data, bad model) prints one ``error:`` line
and exits 1; bad usage exits 2 the same way; neither shows a traceback unless
``--debug`` is given. An OSError (a full disk, a missing file) is one line
too. Ctrl-C at any moment is one line and exit 130 (``python -m glassnet``
catches it from its first line, :func:`run` from then on), and a closed
standard output (``glassnet inspect m | head -1``) ends the command quietly
with 141, as a process that SIGPIPE ended would.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import signal
import re
import sys
from dataclasses import dataclass
from typing import Callable

from .. import __version__
from .._registry import Registry

__all__ = ["main", "Command", "COMMANDS", "CliError"]

EXIT_DATA = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
# what a process killed by SIGPIPE reports to its shell (128 + 13)
EXIT_PIPE = 141
# OSErrors of a write: the message says the file was left alone
_WRITE_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG, errno.EROFS, errno.EIO}


class CliError(Exception):
    """A failure the user can fix; printed as ``error: <message>``."""

    def __init__(self, message: str, hint: str | None = None, code: int = EXIT_DATA):
        super().__init__(message)
        self.hint = hint
        self.code = code


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int | None]
    description: str | None = None


COMMANDS: Registry[Command] = Registry("command")


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one ``error:`` line plus a hint.

    A value that looks like a negative number, infinity or NaN (``-1e-3``,
    ``-inf``) is a flag's value, not a flag: argparse alone would take
    ``--learning-rate -1e-3`` for a missing value, and the table could not
    say what is wrong with it.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._negative_number_matcher = _NEGATIVE_NUMBER

    def error(self, message):
        # "argument --epochs: --epochs must be ...": the table's message names the flag already
        named = re.match(r"argument (\S+): (.*)", message, re.DOTALL)
        if named:
            flag, text = named.groups()
            if flag.split("/")[-1] in text.split(" ", 2)[:2]:
                message = text
        self.exit(EXIT_USAGE, f"error: {message}\nhint: run '{self.prog} --help' for usage\n")


_NEGATIVE_NUMBER = re.compile(r"^-(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$|^-(inf|infinity|nan)$", re.IGNORECASE)


def build_parser() -> argparse.ArgumentParser:
    from . import commands  # noqa: F401  (registers the commands)

    parser = _Parser(
        prog="glassnet",
        description="glassnet: a small, transparent neural-network library in NumPy.",
    )
    parser.add_argument("--version", action="version", version=f"glassnet {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the full traceback of an error")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS:
        command = COMMANDS.get(name)
        child = sub.add_parser(
            name,
            help=command.help,
            description=command.description or command.help,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        command.add_arguments(child)
        child.set_defaults(_run=command.run)
    return parser


# the files the running command has written, for the message of an interrupt
WRITTEN: list[str] = []
# set by a command that ends with nothing left to clean up (the playground, once
# its server has stopped): run() then leaves at once, rather than spend a second
# of Ctrl-C tearing down every module a page loaded (pandas, scikit-learn ...)
LEAVE_AT_ONCE: list[bool] = []


def wrote(path) -> None:
    """Record that the running command has written ``path`` (whole)."""
    WRITTEN.append(str(path))


def interrupted() -> str:
    """What an interrupt left: nothing, or the files written before it."""
    if not WRITTEN:
        return "interrupted; nothing was written"
    return "interrupted after writing " + ", ".join(map(repr, WRITTEN))


def main(argv=None) -> int:
    WRITTEN.clear()
    LEAVE_AT_ONCE.clear()
    try:
        return _main(argv)
    except BrokenPipeError:
        # the reader of our output went away (``glassnet inspect m | head -1``):
        # stop quietly, as command-line tools do, with SIGPIPE's exit status
        _silence_closed_streams()
        return EXIT_PIPE
    except KeyboardInterrupt:
        # outside a command's own handling: while parsing or importing
        print(f"error: {interrupted()}", file=sys.stderr)
        return EXIT_INTERRUPTED


def _main(argv) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        code = args._run(args) or 0
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return code
    except CliError as error:
        if args.debug:
            raise
        print(f"error: {error}", file=sys.stderr)
        if error.hint:
            print(f"hint: {error.hint}", file=sys.stderr)
        return error.code
    except BrokenPipeError:
        raise
    except OSError as error:
        # no such file, a directory, no permission, a full disk ...
        if args.debug:
            raise
        print(f"error: {_os_error(error)}", file=sys.stderr)
        return EXIT_DATA
    except ValueError as error:
        # the library's own checks name the problem; show that, not a traceback
        if args.debug:
            raise
        print(f"error: {error}", file=sys.stderr)
        return EXIT_DATA
    except KeyboardInterrupt:
        print(f"error: {interrupted()}", file=sys.stderr)
        return EXIT_INTERRUPTED


def _os_error(error: OSError) -> str:
    """``no such file: 'x.csv'`` rather than ``[Errno 2] No such file or directory: 'x.csv'``."""
    if error.filename is None:
        if error.errno in _WRITE_ERRNOS:  # standard output redirected to a full disk, say
            return f"cannot write the output: {error.strerror.lower()}"
        return error.strerror.lower() if error.strerror else str(error)
    name = repr(str(error.filename))
    if isinstance(error, IsADirectoryError):
        return f"{name} is a directory; expected a file"
    if isinstance(error, FileNotFoundError):
        return f"no such file: {name}"
    if error.errno in _WRITE_ERRNOS:
        return f"cannot write {name}: {error.strerror.lower()}; nothing was written there"
    return f"{(error.strerror or str(error)).lower()}: {name}"


def _silence_closed_streams() -> None:
    """Point standard output (and error, if closed too) at /dev/null, so that
    flushing them at exit raises nothing more."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):
            with contextlib.suppress(OSError, ValueError):
                os.dup2(devnull, stream.fileno())
    os.close(devnull)


def run() -> None:
    """The ``glassnet`` program: :func:`main`, with Ctrl-C and a closed pipe
    ending it quietly at every moment (exit 130 and 141)."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        code = main()
    except KeyboardInterrupt:
        with contextlib.suppress(OSError, ValueError):
            print(f"error: {interrupted()}", file=sys.stderr)
        code = EXIT_INTERRUPTED
    # once the work is done, a late Ctrl-C cannot undo it: the exit stands
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if code == EXIT_INTERRUPTED or LEAVE_AT_ONCE:
        # Python remembers an interrupt that reached it inside an import even
        # once caught, and would end the process by SIGINT instead of 130;
        # nothing is left to clean up, so leave with the status directly
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
        os._exit(code)
    sys.exit(code)

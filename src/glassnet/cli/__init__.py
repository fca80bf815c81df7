"""The ``glassnet`` command line.

Each subcommand is a module in this package that registers a
:class:`Command`: its name, a one-line help, a function adding its arguments
and a function running it. ``main`` builds the parser from the registry.

Errors: a :class:`CliError` (bad data, bad model) prints one ``error:`` line
and exits 1; bad usage exits 2 the same way; neither shows a traceback unless
``--debug`` is given.
"""

from __future__ import annotations

import argparse
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


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return args._run(args) or 0
    except CliError as error:
        if args.debug:
            raise
        print(f"error: {error}", file=sys.stderr)
        if error.hint:
            print(f"hint: {error.hint}", file=sys.stderr)
        return error.code
    except (FileNotFoundError, IsADirectoryError, PermissionError) as error:
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
        print("error: interrupted; nothing was written", file=sys.stderr)
        return EXIT_INTERRUPTED


def _os_error(error: OSError) -> str:
    """``no such file: 'x.csv'`` rather than ``[Errno 2] No such file or directory: 'x.csv'``."""
    if error.filename is None:
        return str(error)
    name = repr(str(error.filename))
    if isinstance(error, IsADirectoryError):
        return f"{name} is a directory; expected a file"
    reason = "no such file" if isinstance(error, FileNotFoundError) else error.strerror.lower()
    return f"{reason}: {name}"


def run() -> None:
    sys.exit(main())

"""Where a command may write.

Every command that writes checks its output paths before any work, and
writes nothing when one is refused:

* an output is never one of the command's inputs (the data file, the model
  file): compared with :func:`os.path.samefile` when both exist (so a
  symbolic or hard link to an input counts as the input) and by resolved
  path otherwise; ``--force`` does not change this;
* two outputs of one command are never the same file;
* an existing file is replaced only when it is the kind of file the output
  writes, recognised by its content (:data:`OUTPUT_KINDS`): a model file by
  a glassnet model file, an ONNX file by an ONNX file, predictions by a CSV
  whose header ``glassnet predict`` wrote, a picture by a PNG, SVG or PDF.
  An empty file may always be replaced. Anything else needs ``--force``.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import EXIT_USAGE, CliError

__all__ = ["Output", "OutputKind", "OUTPUT_KINDS", "check_outputs", "same_file"]

# how much of an existing file is read to recognise it
_HEAD_BYTES = 65536


@dataclass(frozen=True)
class OutputKind:
    """What an output writes: a phrase for messages and a test of an existing file."""

    what: str
    recognises: Callable[[Path], bool]


@dataclass(frozen=True)
class Output:
    """One output of a command: its flag (for messages), its path and its kind."""

    flag: str
    path: str
    kind: str
    suffixes: tuple[str, ...] | None = None


def _head(path: Path, size: int = _HEAD_BYTES) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(size)


def _is_model_file(path: Path) -> bool:
    # the archive's directory alone: a glassnet model file holds glassnet.json
    try:
        with zipfile.ZipFile(path) as archive:
            return "glassnet.json" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False


def _is_onnx_file(path: Path) -> bool:
    # an ONNX model is a protocol buffer whose first field is ir_version
    # (field 1, a varint: tag byte 0x08); checked fully by onnx when installed
    head = _head(path, 16)
    if not head.startswith(b"\x08"):
        return False
    try:
        import onnx
    except ImportError:
        return True
    try:
        onnx.load(str(path), load_external_data=False)
    except Exception:  # any parse failure: not an ONNX file
        return False
    return True


def _is_predictions(path: Path) -> bool:
    # glassnet predict's header: an identifier, predicted_<target>, ..., note
    try:
        first = _head(path).decode("utf-8-sig").splitlines()[:1]
    except UnicodeDecodeError:
        return False
    if not first:
        return False
    header = next(csv.reader(io.StringIO(first[0])), [])
    return len(header) >= 3 and header[-1] == "note" and header[1].startswith("predicted_")


def _is_picture(path: Path) -> bool:
    head = _head(path, 4096)
    if head.startswith((b"\x89PNG\r\n\x1a\n", b"%PDF-")):
        return True
    text = head.lstrip().lower()
    return text.startswith((b"<?xml", b"<svg")) and b"<svg" in text


OUTPUT_KINDS: dict[str, OutputKind] = {
    "model": OutputKind("a glassnet model file", _is_model_file),
    "onnx": OutputKind("an ONNX model file", _is_onnx_file),
    "predictions": OutputKind("predictions written by glassnet predict", _is_predictions),
    "picture": OutputKind("a PNG, SVG or PDF picture", _is_picture),
}


def same_file(first: str | os.PathLike, second: str | os.PathLike) -> bool:
    """Whether two paths name one file: the same inode when both exist
    (links included), else the same resolved path."""
    try:
        if os.path.exists(first) and os.path.exists(second):
            return os.path.samefile(first, second)
    except OSError:
        pass
    return Path(first).resolve() == Path(second).resolve()


def _check_writable(output: Output) -> None:
    target = Path(output.path)
    if target.is_dir():
        raise CliError(f"{output.path!r} is a directory; expected a file name")
    if not target.parent.is_dir():
        raise CliError(f"the folder of {output.path!r} does not exist")
    if output.suffixes and target.suffix.lower() not in output.suffixes:
        raise CliError(f"{output.path!r} must end in {', '.join(output.suffixes)}", code=EXIT_USAGE)


def check_outputs(outputs, inputs=(), force: bool = False) -> None:
    """Refuse, before any work, an output that could not be written or would
    destroy something (see the module docstring).

    ``outputs`` are :class:`Output` (None entries are skipped); ``inputs``
    are ``(what, path)`` pairs such as ``("DATA", "cs.csv")``.
    """
    outputs = [output for output in outputs if output is not None and output.path is not None]
    inputs = [(what, path) for what, path in inputs if path is not None]
    for index, output in enumerate(outputs):
        _check_writable(output)
        for what, path in inputs:
            if same_file(output.path, path):
                raise CliError(f"{output.flag} {output.path!r} is the {what} file {path!r}; writing there would "
                               "destroy it", hint=f"choose another path for {output.flag}", code=EXIT_USAGE)
        for other in outputs[:index]:
            if same_file(output.path, other.path):
                raise CliError(f"{output.flag} and {other.flag} name the same file {output.path!r}",
                               code=EXIT_USAGE)
        _check_replaceable(output, force)


def _check_replaceable(output: Output, force: bool) -> None:
    target = Path(output.path)
    if force or not target.exists():
        return
    kind = OUTPUT_KINDS[output.kind]
    try:
        if target.stat().st_size == 0 or kind.recognises(target):
            return
    except OSError:  # unreadable: the write will say why, or replace it
        return
    raise CliError(f"{output.flag} {output.path!r} already exists and is not {kind.what}; glassnet replaces "
                   "only a file of the kind it writes", hint="pass --force to replace it, or choose another path",
                   code=EXIT_USAGE)

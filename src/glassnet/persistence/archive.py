"""The model file: a zip archive of one JSON document and ``.npy`` arrays.

Layout::

    glassnet.json        {"format": "glassnet-model", "version": 1,
                          "kind": "...", "state": {...},
                          "arrays": {"name": {"dtype": "<f8", "shape": [3, 3]}, ...}}
    arrays/<name>.npy    one NumPy array per entry of "arrays"

Reading trusts nothing in the file. Before any array is read the reader
checks, in order: the file's size against a limit; that it is a zip archive;
every member's name (no folders other than ``arrays/``, no ``..``, no
absolute paths, no duplicates, nothing undeclared) and declared size; the
JSON's format name and version; every declared array's dtype (plain
numbers: never object, structured or pickled) and shape; and the total the
JSON and the arrays would take once read, against :func:`array_limit` (a
multiple of the file's size, at least :data:`ARRAY_BYTES_FLOOR`, at most
:data:`MAX_BYTES`), so a small file cannot expand into gigabytes.

The arrays come back as a :class:`~glassnet.engine.state_arrays.StateArrays`:
nothing is decompressed until the model's kind takes an array with the
shape and dtype it needs. Then the ``.npy`` header alone is read and must
match the declaration exactly before the data is read, straight into an
array of that size, with ``allow_pickle=False`` semantics (numbers only).
The zip's CRC catches bytes changed after writing. Every failure is a
``ValueError``.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import re
import struct
import zipfile
import zlib

import numpy as np

from ..engine.state_arrays import StateArrays

__all__ = ["FORMAT", "VERSION", "MAX_BYTES", "ARRAY_BYTES_FLOOR", "ARRAY_BYTES_RATIO", "FileDamaged", "array_limit",
           "pack", "unpack"]

FORMAT = "glassnet-model"
VERSION = 1
# no model this library trains comes near this; a larger file is refused
# before it is read (``max_bytes`` raises the limit)
MAX_BYTES = 2 * 1024**3
# the JSON document holds settings and history, never weights
MAX_JSON_BYTES = 64 * 1024**2
# what a file may expand to once read, by default: weights are random-looking
# numbers that deflate hardly at all, so a real model file is about as large
# as its arrays; a file expanding 32 times (or beyond 64 MiB, for a small
# file) holds something else, such as a zip bomb
ARRAY_BYTES_FLOOR = 64 * 1024**2
ARRAY_BYTES_RATIO = 32
# arrays are decompressed this much at a time
_CHUNK_BYTES = 4 * 1024**2
# dtype kinds a model may hold: bool, signed and unsigned integers, floats
_NUMERIC_KINDS = "biuf"
_META = "glassnet.json"
_ARRAY_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]{0,127}")


def pack(kind: str, state: dict, arrays: dict[str, np.ndarray]) -> bytes:
    """The bytes of a model file holding ``state`` (JSON-ready) and ``arrays``."""
    declared = {}
    for name, array in arrays.items():
        _check_name(name)
        array = np.asarray(array)
        if array.dtype.kind not in _NUMERIC_KINDS:
            raise ValueError(f"array {name!r} has dtype {array.dtype}; a model file holds numeric arrays only")
        declared[name] = {"dtype": array.dtype.str, "shape": list(array.shape)}
    document = {"format": FORMAT, "version": VERSION, "kind": kind, "state": state, "arrays": declared}
    # allow_nan=False: NaN/inf are not JSON; the states write them as strings
    text = json.dumps(document, allow_nan=False, ensure_ascii=False, indent=1)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(_META, text.encode("utf-8"))
        for name, array in arrays.items():
            member = io.BytesIO()
            np.lib.format.write_array(member, np.ascontiguousarray(array), allow_pickle=False)
            archive.writestr(f"arrays/{name}.npy", member.getvalue())
    return buffer.getvalue()


def array_limit(file_size: int) -> int:
    """The default limit on what a file of ``file_size`` bytes may expand to
    (its JSON and arrays once read): :data:`ARRAY_BYTES_RATIO` times its size,
    at least :data:`ARRAY_BYTES_FLOOR`, at most :data:`MAX_BYTES`."""
    return min(MAX_BYTES, max(ARRAY_BYTES_FLOOR, ARRAY_BYTES_RATIO * int(file_size)))


def unpack(data: bytes, *, source: str = "the file",
           max_array_bytes: int | None = None) -> tuple[str, dict, StateArrays]:
    """``(kind, state, arrays)`` from the bytes of a model file.

    Everything but the arrays' data is validated here; each array is checked
    and read when taken from ``arrays`` (see the module docstring).
    ``max_array_bytes`` replaces :func:`array_limit` as the limit on the total.
    """
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ValueError(f"{source} is not a glassnet model file (not a zip archive; it may be truncated)")
    with _damage_is_a_value_error(source):
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = _check_members(archive, source)
        document = _read_document(archive, source)
        specs = {name: _declared_spec(name, spec, source)
                 for name, spec in _declared_arrays(document, members, source).items()}
    limit = array_limit(len(data)) if max_array_bytes is None else int(max_array_bytes)
    total = members[_META].file_size + sum(dtype.itemsize * math.prod(shape) for dtype, shape in specs.values())
    if total > limit:
        raise ValueError(
            f"{source} would take {total} bytes once read, more than the {limit} bytes allowed for a file of "
            f"{len(data)} bytes (a model's numbers hardly compress); if you trust the file, load it with "
            "glassnet.load(path, max_array_bytes=...)"
        )

    def read(name, spec):
        try:
            with _damage_is_a_value_error(source):
                return _read_array(archive, members, name, spec, source)
        except ValueError as error:  # already names the file: passed on as it is
            raise FileDamaged(str(error)) from None

    return document["kind"], document["state"], StateArrays(specs, read)


class FileDamaged(ValueError):
    """An array's bytes do not match the file's own declaration (raised when
    the array is taken, so while the model is being rebuilt)."""


@contextlib.contextmanager
def _damage_is_a_value_error(source: str):
    try:
        yield
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, struct.error, EOFError, OSError,
            NotImplementedError) as error:
        # CRC mismatch, corrupt deflate stream, truncated member, unsupported compression ...
        raise ValueError(f"{source} is damaged or truncated: {error}") from None


def _check_name(name: str) -> None:
    if not isinstance(name, str) or not _ARRAY_NAME.fullmatch(name):
        raise ValueError(f"array name {name!r} is not allowed; expected letters, digits, '_', '.', '-'")


def _check_members(archive: zipfile.ZipFile, source: str) -> dict[str, zipfile.ZipInfo]:
    """The archive's members by name, after refusing path tricks and absurd sizes."""
    members: dict[str, zipfile.ZipInfo] = {}
    for info in archive.infolist():
        name = info.filename
        if name in members:
            raise ValueError(f"{source} holds the member {name!r} twice; a model file names each once")
        if name != _META and not (name.startswith("arrays/") and name.endswith(".npy")
                                  and _ARRAY_NAME.fullmatch(name[len("arrays/"):-len(".npy")])):
            raise ValueError(
                f"{source} holds an unexpected member {name!r}; a model file holds only "
                f"{_META!r} and 'arrays/<name>.npy'"
            )
        if info.flag_bits & 0x1:
            raise ValueError(f"{source}: member {name!r} is encrypted; glassnet never writes encrypted files")
        # deflate cannot expand data more than ~1032:1; a larger declared
        # size is a lie meant to exhaust memory
        limit = MAX_JSON_BYTES if name == _META else max(1032 * info.compress_size, 1024)
        if info.file_size > limit:
            raise ValueError(
                f"{source}: member {name!r} declares {info.file_size} bytes, more than its "
                "compressed size allows; the file is not a valid glassnet model"
            )
        members[name] = info
    if _META not in members:
        raise ValueError(f"{source} is not a glassnet model file (it has no {_META!r})")
    return members


def _read_document(archive: zipfile.ZipFile, source: str) -> dict:
    try:
        document = json.loads(archive.read(_META).decode("utf-8"),
                              parse_constant=_refuse_constant)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise ValueError(f"{source} has an unreadable {_META!r}: {error}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        found = document.get("format") if isinstance(document, dict) else None
        raise ValueError(f"{source} is not a glassnet model file (format {found!r}; expected {FORMAT!r})")
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ValueError(f"{source} has an invalid format version {version!r}; expected an integer from 1 to {VERSION}")
    if version > VERSION:
        raise ValueError(
            f"{source} was written by a newer glassnet (format version {version}); this glassnet "
            f"reads versions up to {VERSION}: upgrade glassnet to load it"
        )
    for key, kind in (("kind", str), ("state", dict), ("arrays", dict)):
        if not isinstance(document.get(key), kind):
            raise ValueError(f"{source}: {_META!r} has no valid {key!r} entry; the file is not a valid glassnet model")
    return document


def _refuse_constant(name):
    raise ValueError(f"the model file's JSON holds {name}, which is not valid JSON")


def _declared_arrays(document: dict, members: dict, source: str) -> dict:
    declared = document["arrays"]
    on_disk = {name[len("arrays/"):-len(".npy")] for name in members if name != _META}
    if set(declared) != on_disk:
        missing, extra = sorted(set(declared) - on_disk), sorted(on_disk - set(declared))
        raise ValueError(
            f"{source}: the arrays in the archive do not match its declaration "
            f"(missing: {missing or 'none'}; undeclared: {extra or 'none'})"
        )
    return declared


def _read_array(archive, members, name: str, spec, source: str) -> np.ndarray:
    dtype, shape = spec
    info = members[f"arrays/{name}.npy"]
    with archive.open(info) as member:
        header_dtype, header_shape, fortran = _read_header(member, name, source)
        if header_dtype != dtype or header_shape != shape:
            raise ValueError(
                f"{source}: array {name!r} holds {header_dtype} {header_shape}, but the file declares "
                f"{dtype} {shape}; the file has been altered"
            )
        # read in chunks straight into the array, whose size is the checked
        # declaration: at no moment is more held than the array and a chunk
        array = np.empty(shape, dtype=dtype, order="F" if fortran else "C")
        raw = array.reshape(-1, order="A").view(np.uint8)
        filled = 0
        while filled < raw.size:
            chunk = member.read(min(raw.size - filled, _CHUNK_BYTES))
            if not chunk:
                break
            raw[filled:filled + len(chunk)] = np.frombuffer(chunk, dtype=np.uint8)
            filled += len(chunk)
        extra = member.read(1)
    if filled != raw.size or extra:
        raise ValueError(
            f"{source}: array {name!r} has {'more' if extra else filled} bytes of data; its shape {shape} and "
            f"dtype {dtype} need {raw.size}"
        )
    # glassnet writes C order; a Fortran-order array is handed out as C order too
    return np.ascontiguousarray(array) if fortran else array


def _declared_spec(name, spec, source):
    try:
        dtype = np.dtype(spec["dtype"])
        shape = tuple(spec["shape"])
    except (TypeError, KeyError, ValueError) as error:
        raise ValueError(f"{source}: array {name!r} has an invalid declaration {spec!r}: {error}") from None
    if dtype.kind not in _NUMERIC_KINDS or dtype.fields is not None or dtype.subdtype is not None:
        raise ValueError(
            f"{source}: array {name!r} declares dtype {dtype}; a model file holds numeric arrays only "
            "(object arrays and pickles are refused)"
        )
    if not all(isinstance(n, int) and not isinstance(n, bool) and 0 <= n for n in shape) or len(shape) > 8:
        raise ValueError(f"{source}: array {name!r} declares an invalid shape {spec['shape']!r}")
    return dtype, shape


def _read_header(member, name, source):
    """dtype, shape and order from a ``.npy`` header, without reading data."""
    try:
        version = np.lib.format.read_magic(member)
        reader = {(1, 0): np.lib.format.read_array_header_1_0,
                  (2, 0): np.lib.format.read_array_header_2_0}.get(version)
        if reader is None:
            raise ValueError(f"unsupported .npy version {version}")
        # the header readers parse a Python literal safely (ast.literal_eval)
        shape, fortran, dtype = reader(member)
    except ValueError as error:
        raise ValueError(f"{source}: array {name!r} has an invalid .npy header: {error}") from None
    if dtype.hasobject:
        raise ValueError(f"{source}: array {name!r} is an object array; a model file holds numeric arrays only")
    return dtype, tuple(shape), fortran

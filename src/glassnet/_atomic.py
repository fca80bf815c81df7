"""Writes that land whole or not at all.

A file is written under a temporary name in the target's own folder (so the
final rename never crosses file systems), flushed and fsync'ed, then moved
into place with :func:`os.replace`, which is atomic on POSIX and Windows.
Until that rename the previous file, if any, is untouched; if anything fails
the temporary file is removed. Readers therefore see the old file or the new
one, never a mixture, and several writers racing on one path leave exactly
one of their files. A symbolic link at the path is followed: its target is
replaced and the link stays.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

__all__ = ["atomic_path", "atomic_write_bytes", "atomic_write_text"]


@contextlib.contextmanager
def atomic_path(path):
    """Yield a temporary path next to ``path``; rename it onto ``path`` on success.

    The body writes to the yielded path by any means (``savefig``, ``to_csv``,
    ...). On an exception, KeyboardInterrupt included, the temporary file is
    deleted and ``path`` keeps its old content.
    """
    target = Path(path)
    if target.is_symlink():
        # write where the link points, as open(path, "w") would, and keep the
        # link: renaming onto the link itself would replace it with a file
        target = Path(os.path.realpath(target))
    if target.is_dir():
        raise IsADirectoryError(f"{str(target)!r} is a directory; expected a file path")
    folder = target.parent
    if not folder.is_dir():
        raise FileNotFoundError(f"the folder {str(folder)!r} of {str(target)!r} does not exist")
    # the temporary name keeps the suffix so that tools choosing a format by
    # suffix (matplotlib's savefig, pandas) write the right one
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=f".tmp{target.suffix}", dir=folder)
    os.close(handle)
    temporary = Path(temporary)
    # mkstemp makes the file private (0600); give it the mode an ordinary
    # open() would: the old file's mode, or 0666 less the umask
    os.chmod(temporary, _mode_for(target))
    try:
        yield temporary
        with open(temporary, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(temporary, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        if error.filename is None or str(error.filename) == str(temporary):
            # a full disk, a quota ...: name the file the caller asked for,
            # not the temporary one, which is gone
            raise OSError(error.errno, error.strerror, str(path)) from error
        raise
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def _mode_for(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def atomic_write_bytes(path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_path(path) as temporary:
        temporary.write_bytes(data)


def atomic_write_text(path, text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` atomically."""
    atomic_write_bytes(path, text.encode(encoding))

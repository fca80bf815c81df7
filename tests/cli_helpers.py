"""Running the real ``glassnet`` command in tests: a subprocess, or a terminal."""

import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FRUIT = ROOT / "examples" / "data" / "fruit.csv"
FRUIT_TEST = ROOT / "examples" / "data" / "fruit_test.csv"
FRUIT_NEW = ROOT / "examples" / "data" / "fruit_new.csv"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
ENV = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path), MPLBACKEND="Agg", COLUMNS="120")


def glassnet(*args, cwd=None, timeout=300, env=None):
    """``python -m glassnet ARGS`` in a fresh process: CompletedProcess with text output.
    ``env`` adds environment variables."""
    return subprocess.run([sys.executable, "-m", "glassnet", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env={**ENV, **(env or {})}, timeout=timeout)


class Terminal:
    """``glassnet ARGS`` with a pseudo-terminal as its stdin/stdout/stderr."""

    def __init__(self, *args, cwd=None):
        self.master, slave = pty.openpty()
        self.process = subprocess.Popen([sys.executable, "-m", "glassnet", *map(str, args)], stdin=slave,
                                        stdout=slave, stderr=slave, cwd=cwd, env=ENV, close_fds=True)
        os.close(slave)
        self.output = ""

    def read_until(self, pattern: str, timeout: float = 120) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            match = re.search(pattern, self.output)
            if match:
                return match
            self._read(0.2)
        raise AssertionError(f"{pattern!r} never appeared; the terminal showed:\n{self.output[-2000:]}")

    def _read(self, wait: float) -> int:
        """Bytes read within ``wait`` seconds (0: nothing came, or the child closed the terminal)."""
        ready, _, _ = select.select([self.master], [], [], wait)
        if not ready:
            return 0
        try:
            chunk = os.read(self.master, 65536)
        except OSError:
            return 0
        # colours and cursor moves are dropped: tests read the text
        self.output += ANSI.sub("", chunk.decode("utf-8", "replace"))
        return len(chunk)

    def wait(self, timeout: float = 120) -> int:
        deadline = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < deadline:
            self._read(0.1)
        while self._read(0.05):
            pass
        code = self.process.wait(timeout=max(1.0, deadline - time.monotonic()))
        os.close(self.master)
        return code


def glassnet_peak(*args, cwd=None, timeout=300):
    """``python -m glassnet ARGS`` in a fresh process: ``(CompletedProcess, peak resident memory in bytes)``,
    the peak read from the kernel's account of that one child (``wait4``'s ``ru_maxrss``, in KiB on Linux)."""
    import tempfile

    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen([sys.executable, "-m", "glassnet", *map(str, args)], stdout=out, stderr=err,
                                   cwd=cwd, env=ENV, text=True)
        deadline = time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                raise AssertionError(f"glassnet {' '.join(map(str, args))} ran past {timeout} s")
            time.sleep(0.05)
        # reaped here, so Popen must not wait for it again
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        done = subprocess.CompletedProcess(process.args, process.returncode, out.read(), err.read())
    return done, usage.ru_maxrss * 1024

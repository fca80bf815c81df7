"""A real JupyterLab in tests: the server in a subprocess, on a temporary root
folder, with kernels that import this checkout's glassnet."""

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from cli_helpers import ENV


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def write_notebook(path: Path, cells: list[str]) -> Path:
    """A notebook of code ``cells`` for the Python 3 kernel."""
    notebook = {
        "nbformat": 4, "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"},
                     "language_info": {"name": "python"}},
        "cells": [{"cell_type": "code", "id": f"cell-{index}", "metadata": {}, "execution_count": None,
                   "outputs": [], "source": source} for index, source in enumerate(cells)],
    }
    path.write_text(json.dumps(notebook, indent=1))
    return path


class JupyterLab:
    """``jupyter lab --no-browser`` on a free port with a fresh token, serving ``root``.

    Its settings, workspaces and runtime files live in ``home``, so the
    user's JupyterLab is neither read nor changed; its kernels get this
    process's ``sys.path`` (PYTHONPATH), so they import the glassnet under test.
    """

    def __init__(self, root: Path, home: Path):
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.base = f"http://127.0.0.1:{self.port}/"
        settings = home / "settings"
        # no news or update checks: the page stays as the test leaves it
        notification = settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
        notification.parent.mkdir(parents=True, exist_ok=True)
        notification.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
        env = {**ENV, "JUPYTER_CONFIG_DIR": str(home / "config"), "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
               "JUPYTERLAB_SETTINGS_DIR": str(settings), "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
               "PYTHONUNBUFFERED": "1"}
        self.log = open(home / "jupyterlab.log", "w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={self.port}", "--ServerApp.port_retries=0",
             "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={self.token}", "--allow-root",
             f"--ServerApp.root_dir={root}"],
            stdout=self.log, stderr=subprocess.STDOUT, env=env, cwd=root,
        )
        self.log_path = home / "jupyterlab.log"
        self._wait_until_up()

    def _wait_until_up(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"jupyter lab exited with {self.process.returncode}: {self.log_path.read_text()}")
            try:
                with urllib.request.urlopen(f"{self.base}api/status?token={self.token}", timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise AssertionError(f"jupyter lab did not answer in {timeout} s: {self.log_path.read_text()}")

    def url(self, notebook: str) -> str:
        return f"{self.base}lab/tree/{notebook}?token={self.token}"

    def stop(self) -> None:
        # the server's own shutdown ends its kernels too
        try:
            request = urllib.request.Request(f"{self.base}api/shutdown?token={self.token}", method="POST")
            urllib.request.urlopen(request, timeout=10).close()
        except OSError:
            pass
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()

"""Running the real ``glassnet playground`` server in tests, and the data they upload."""

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np

from cli_helpers import ENV


class Server:
    """``glassnet playground --no-browser --port 0 ARGS`` in a subprocess; ``url`` is the printed URL."""

    def __init__(self, *args):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "glassnet", "playground", "--no-browser", "--port", "0", *map(str, args)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV,
        )
        line = self.process.stdout.readline()
        match = re.search(r"(http://([^/]+)/)\?token=(\w+)", line)
        if match is None:
            self.process.kill()
            raise AssertionError(f"no URL in {line!r}; stderr: {self.process.stderr.read()}")
        self.url = match.group(0)
        self.base = match.group(1)
        self.netloc = match.group(2)
        self.token = match.group(3)

    def stop(self) -> int:
        """Ctrl-C, as a user stops it; the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=20)
        finally:
            if self.process.poll() is None:
                self.process.kill()
            self.process.stdout.close()
            self.process.stderr.close()


class AppServer:
    """The playground's app served by uvicorn in a thread of the test's own
    process, so that a test can look at the server's state (``state``:
    the start table, the uploads, the sessions)."""

    def __init__(self, **options):
        import socket
        import threading
        import time

        import uvicorn

        from glassnet.playground.app import create_app
        from glassnet.playground.security import allowed_hosts, new_token

        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        port = sock.getsockname()[1]
        self.token = new_token()
        self.netloc = f"127.0.0.1:{port}"
        self.base = f"http://{self.netloc}/"
        self.url = f"{self.base}?token={self.token}"
        app = create_app(self.token, allowed_hosts("127.0.0.1", port), **options)
        self.state = app.app.state.playground
        config = uvicorn.Config(app, log_level="warning", ws="websockets-sansio", ws_per_message_deflate=False,
                                lifespan="off", timeout_graceful_shutdown=0.5)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [sock]}, daemon=True)
        self.thread.start()
        for _ in range(600):
            if self.server.started:
                break
            time.sleep(0.05)
        self.socket = sock

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=20)
        self.socket.close()


def penguins_csv(path, columns=("bill_length_mm", "flipper_length_mm", "island", "species")):
    """Palmer penguins with a text column (island) and missing cells, as a CSV file."""
    from palmerpenguins import load_penguins

    frame = load_penguins()[list(columns)]
    assert frame.isna().any().any()
    frame.to_csv(path, index=False)
    return path


def rich_trace_numbers(text: str) -> dict:
    """``{name: numbers}`` from ``glassnet trace``'s table: x, y, then ``<layer>.z``, ``.a``,
    ``.delta``, ``.grad_weights`` and ``.grad_bias`` (matrices flattened row by row)."""
    keys = {"x": "x", "y": "y", "z": "z", "a": "a", "delta": "delta", "∂loss/∂W": "grad_weights",
            "∂loss/∂b": "grad_bias"}
    numbers, current, layer = {}, None, None
    for line in text.splitlines():
        cells = [cell.strip() for cell in re.split(r"[│┃]", line)]
        if len(cells) < 4:
            continue
        label, name, values = cells[1], cells[2], cells[3]
        found = re.match(r"(\d+): ", label)
        if found:
            layer = int(found.group(1))
        if name in keys:
            key = keys[name]
            current = key if key in ("x", "y") else f"{layer}.{key}"
            numbers[current] = []
        elif name or current is None:
            continue
        numbers[current] += [float(value) for value in re.findall(r"-?\d+\.\d+(?:e[-+]\d+)?", values)]
    return {key: np.array(value) for key, value in numbers.items()}


def require_browser_tools(*modules: str) -> None:
    """At a browser test module's import: pytest-playwright (and ``modules``)
    importable, or the module skipped (failed under CI=true, where .ci/run
    installs them)."""
    import importlib

    import pytest

    for name in ("pytest_playwright", *modules):
        try:
            importlib.import_module(name)
        except ImportError:
            if os.environ.get("CI", "").lower() == "true":
                raise
            pytest.skip(f"the browser tests need {name}: pip install -e '.[test]'", allow_module_level=True)


def chromium_or_skip():
    """The system chromium; skip (or fail under CI=true) when it is missing."""
    import shutil

    import pytest

    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        reason = ("the browser tests need Debian's chromium: sudo apt-get update && sudo apt-get install -y chromium "
                  "(playwright install cannot download browsers here)")
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return path


# --- a page in the browser ---------------------------------------------------------------------------
def wait_for_frame(page, after: int = 0):
    page.wait_for_function(f"window.playground && window.playground.state.frames > {after}")


def frames(page) -> int:
    return page.evaluate("window.playground.state.frames")


def epoch(page) -> int:
    return int(page.get_by_test_id("epoch").text_content())


def step(page, times: int = 1):
    for _ in range(times):
        before = epoch(page)
        page.get_by_test_id("step").click()
        page.wait_for_function(f"document.querySelector('[data-testid=epoch]').textContent === '{before + 1}'")


def loaded(page, action):
    """Do ``action()``, then wait until new data has come and been drawn."""
    loads = page.evaluate("window.playground.state.loads")
    action()
    page.wait_for_function(f"window.playground.state.loads > {loads}")
    page.wait_for_function("window.playground.state.lastHeader.version === window.playground.state.data.version")


def applied(page, action):
    """Do ``action()``, a live edit, then wait until the server has applied it to the running network."""
    count = page.evaluate("window.playground.state.applies")
    action()
    page.wait_for_function(f"window.playground.state.applies > {count}")


def choose(page, test_id: str, value: str):
    loaded(page, lambda: page.get_by_test_id(test_id).select_option(value))


def upload(page, path):
    loaded(page, lambda: page.get_by_test_id("upload").set_input_files(str(path)))


def download_history(page, tmp_path):
    """The page's "Download history (CSV)", saved as the browser would and read back as a DataFrame."""
    import pandas as pd

    with page.expect_download() as download:
        page.get_by_test_id("download-history").click()
    path = tmp_path / "history.csv"
    download.value.save_as(path)
    return pd.read_csv(path)


def shoot(page, tmp_path, name):
    """A full-page screenshot, to look at as a user would: kept in the folder
    GLASSNET_SCREENSHOTS names, if any, else in the test's temporary folder."""
    folder = Path(os.environ.get("GLASSNET_SCREENSHOTS") or tmp_path)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)

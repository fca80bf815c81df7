"""The playground's memory and liveness on awkward uploads, in figures.

For each upload below, a fresh ``glassnet playground`` server (a
subprocess) gets two pages, over WebSockets as the browser speaks to it:

* a page training the circle set, playing the whole time: the frames it
  receives while the other page's table is being prepared show whether the
  event loop kept going;
* a page that uploads the table, trains on it (or gets the server's
  refusal), steps, plays for a second and closes.

What is measured: the server's peak resident memory (``VmHWM``, the high-
water mark of the whole process since it started), its resident memory
after the uploading page closed, the seconds from the upload to the
table's data (or refusal), and the training page's frames meanwhile.

The uploads are those issue reports gave as memory bombs:

* ``ids-20k``: 0.5 MB, 20,000 rows with an identifier-like text column;
* ``ids-80k``: 1.3 MB, 80,000 such rows;
* ``wide-10k``: 2.6 MB, 10,000 numeric columns × 40 rows.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import re
import signal
import subprocess
import sys
import time

import numpy as np

__all__ = ["UPLOADS", "measure_uploads", "upload_bytes"]


def _identifiers(rng, n: int, length: int) -> list[str]:
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz0123456789"))
    return ["".join(row) for row in letters[rng.integers(0, letters.size, (n, length))]]


def _ids_20k(rng) -> bytes:
    n = 20_000
    ids = _identifiers(rng, n, 8)
    x1, x2 = rng.normal(size=n), rng.normal(size=n)
    label = np.where(x1 + x2 > 0, "yes", "no")
    lines = ["id,x1,x2,label"] + [f"{i},{a:.3f},{b:.3f},{c}" for i, a, b, c in zip(ids, x1, x2, label)]
    return ("\n".join(lines) + "\n").encode()


def _ids_80k(rng) -> bytes:
    n = 80_000
    ids = _identifiers(rng, n, 8)
    x = rng.normal(size=n)
    label = np.where(x > 0, "y", "n")
    lines = ["id,x,label"] + [f"{i},{a:.2f},{c}" for i, a, c in zip(ids, x, label)]
    return ("\n".join(lines) + "\n").encode()


def _wide_10k(rng) -> bytes:
    rows, columns = 40, 10_000
    values = rng.random((rows, columns))
    label = np.where(values[:, 0] > 0.5, "a", "b")
    lines = [",".join([*(f"c{j}" for j in range(columns)), "label"])]
    lines += [",".join([*(f"{v:.3f}" for v in row), lab]) for row, lab in zip(values, label)]
    return ("\n".join(lines) + "\n").encode()


# name -> a function of a generator giving the file's bytes
UPLOADS = {"ids-20k": _ids_20k, "ids-80k": _ids_80k, "wide-10k": _wide_10k}


def upload_bytes(name: str, seed: int = 0) -> bytes:
    return UPLOADS[name](np.random.default_rng(seed))


def _memory_mb(pid: int) -> dict:
    """The process's peak and current resident memory, in MB (Linux)."""
    figures = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmHWM", "VmRSS"):
                figures[key] = int(value.split()[0]) / 1024
    return figures


class _Page:
    """One page of the playground, as its WebSocket sees it: a thread reads
    everything that arrives (as a browser does), counting the frames."""

    def __init__(self, netloc: str, token: str):
        import threading

        from websockets.sync.client import connect

        self._stack = contextlib.ExitStack()
        self.connection = self._stack.enter_context(connect(f"ws://{netloc}/ws?token={token}", open_timeout=60,
                                                            origin=f"http://{netloc}", max_size=None,
                                                            ping_interval=None))
        self.frames = 0
        self.messages: queue.SimpleQueue = queue.SimpleQueue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.session = self.until("hello")["session"]

    def _read(self) -> None:
        try:
            for message in self.connection:
                if isinstance(message, bytes):
                    self.frames += 1
                else:
                    self.messages.put(json.loads(message))
        except Exception:  # the connection closed
            pass

    def until(self, *kinds, timeout: float = 600) -> dict:
        """The next JSON message of one of ``kinds``."""
        while True:
            message = self.messages.get(timeout=timeout)
            if message["type"] in kinds:
                return message

    def send(self, command: dict) -> None:
        self.connection.send(json.dumps(command))

    def close(self) -> None:
        self._stack.close()


def _post(netloc: str, token: str, session: str, name: str, body: bytes) -> tuple[int, dict]:
    import http.client

    connection = http.client.HTTPConnection(netloc, timeout=600)
    connection.request("POST", f"/upload?session={session}&name={name}&token={token}", body=body,
                       headers={"Content-Length": str(len(body))})
    response = connection.getresponse()
    answer = response.status, json.loads(response.read())
    connection.close()
    return answer


def measure_upload(name: str, content: bytes, patience: float = 300.0) -> dict:
    """One upload's figures; ``patience``: the seconds to wait for the table's data."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    server = subprocess.Popen([sys.executable, "-m", "glassnet", "playground", "--no-browser", "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        url = server.stdout.readline()
        netloc, token = re.search(r"http://([^/]+)/\?token=(\w+)", url).groups()
        other = _Page(netloc, token)
        other.send({"type": "settings", "settings": {"dataset": "circle"}})
        other.until("data")
        other.send({"type": "play"})
        other.until("state")
        time.sleep(1.0)
        before = _memory_mb(server.pid)
        page = _Page(netloc, token)
        page.send({"type": "settings", "settings": {"dataset": "circle"}})
        page.until("data")
        started = time.perf_counter()
        frames_before = other.frames
        status, answer = _post(netloc, token, page.session, name + ".csv", content)
        outcome = "refused at upload: " + answer.get("error", "") if status != 200 else None
        inputs = 0
        if outcome is None:
            page.send({"type": "settings", "settings": {"dataset": "upload", "upload": answer["upload"]}})
            try:
                message = page.until("data", "error", timeout=patience)
                outcome = "trained" if message["type"] == "data" else "refused: " + message["message"]
                inputs = len(message.get("inputs", []))
            except queue.Empty:
                outcome = f"no answer within {patience:g} s"
        seconds = time.perf_counter() - started
        frames_meanwhile = other.frames - frames_before
        if outcome == "trained":
            for _ in range(3):
                page.send({"type": "step"})
            page.send({"type": "play"})
            time.sleep(1.0)
            page.send({"type": "pause"})
            page.until("state")
            page.send({"type": "reset"})
            page.until("data")
        page.close()
        time.sleep(1.0)
        after = _memory_mb(server.pid)
        other.close()
        return {"upload": name, "megabytes": len(content) / 1e6, "outcome": outcome, "inputs": inputs,
                "seconds_to_data": seconds, "other_page_frames_meanwhile": frames_meanwhile,
                "rss_before_mb": before["VmRSS"], "peak_mb": after["VmHWM"], "rss_after_close_mb": after["VmRSS"]}
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        server.stdout.close()
        server.stderr.close()


def measure_uploads(names=None, patience: float = 300.0) -> list[dict]:
    return [measure_upload(name, upload_bytes(name), patience) for name in (names or UPLOADS)]


def print_uploads(results: list[dict]) -> None:
    print("uploads (a fresh server each; another page training the circle set meanwhile):")
    for row in results:
        print(f"  {row['upload']:9s} {row['megabytes']:4.1f} MB: {row['outcome'][:70]}; {row['inputs']} inputs; "
              f"data after {row['seconds_to_data']:.1f} s, other page's frames meanwhile {row['other_page_frames_meanwhile']}; "
              f"server peak {row['peak_mb']:.0f} MB (before {row['rss_before_mb']:.0f} MB, "
              f"{row['rss_after_close_mb']:.0f} MB after the page closed)")

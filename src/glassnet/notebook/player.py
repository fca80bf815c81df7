"""Training in a background thread of the kernel, the widget's Play button.

A :class:`Player` plays one run (a :class:`~.tables.TableRun` or a
:class:`~.arrays.ModelRun`): ticks of a few epochs, each aimed at
:data:`TICK_SECONDS` (as the playground's server does, so a pause answers
at once and a tick's overhead stays small beside its epochs), and a frame
of the current weights at most :data:`FRAME_RATE` times a second and at
most :data:`FRAME_SHARE` of the time. Whatever reads or changes the run
holds :attr:`Player.lock`, so a cell or a command never sees the weights
in the middle of an epoch; :meth:`pause` waits for the tick under way to
end and then shows the last frame, so the page shows the epoch the model
is at.
"""

from __future__ import annotations

import threading
import time
from typing import Callable

import numpy as np

__all__ = ["Player", "FRAME_RATE", "TICK_SECONDS", "FRAME_SHARE"]

FRAME_RATE = 20
TICK_SECONDS = 0.015
FRAME_SHARE = 0.15


class Player:
    """Plays ``run``; ``show(frame)`` draws a frame's bytes, ``playing(bool)``
    shows the state, ``problem(text)`` a message (a diverged run stops)."""

    def __init__(self, run, show: Callable[[bytes], None], playing: Callable[[bool], None],
                 problem: Callable[[str], None]):
        self.run = run
        self._show, self._playing, self._problem = show, playing, problem
        self.lock = threading.RLock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_frame = 0.0
        self._frame_cost = 0.0

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def show_frame(self) -> None:
        """Build and show the frame of the current weights."""
        # the last finite weights of a diverged run may lie beyond float32, the frames' type:
        # they travel as infinities, which the view draws grey
        with self.lock, np.errstate(over="ignore", invalid="ignore"):
            start = time.perf_counter()
            frame = self.run.frame()
            self._last_frame = time.perf_counter()
            self._frame_cost = self._last_frame - start
        self._show(frame)

    def _frame_due(self) -> bool:
        interval = max(1.0 / FRAME_RATE, self._frame_cost / FRAME_SHARE)
        return time.perf_counter() - self._last_frame >= interval

    def play(self) -> None:
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="glassnet widget", daemon=True)
        self._playing(True)
        self._thread.start()

    def _loop(self) -> None:
        epochs = 1
        try:
            while not self._stop.is_set():
                with self.lock:
                    start = time.perf_counter()
                    problem = self.run.train(epochs)
                    elapsed = time.perf_counter() - start
                    if problem is None and self._frame_due():
                        self.show_frame()
                if problem is not None:
                    self._stop.set()
                    self.show_frame()
                    self._problem(problem)
                    self._playing(False)
                    return
                # aim each tick at TICK_SECONDS, growing at most twofold per tick
                epochs = max(1, min(2 * epochs, int(epochs * TICK_SECONDS / max(elapsed, 1e-6))))
                # let a command waiting for the lock (a trace, a pause) have it
                time.sleep(0)
        except Exception as error:  # the kernel keeps going; the page says what happened
            self._stop.set()
            self._problem(f"training stopped: {error!r}")
            self._playing(False)

    def pause(self) -> None:
        """Stop after the tick under way, then show the frame of the epoch reached."""
        thread = self._thread
        self._stop.set()
        if thread is not None and thread is not threading.current_thread():
            thread.join()
        self._thread = None
        self._playing(False)
        self.show_frame()

    def step(self, epochs: int = 1) -> str | None:
        """Pause, then train exactly ``epochs`` epochs and show them; a message if training diverged."""
        self.pause()
        with self.lock:
            problem = self.run.train(epochs)
        self.show_frame()
        return problem

    def stop(self) -> None:
        """Stop training for good (the widget is closing): no frame is shown."""
        thread = self._thread
        self._stop.set()
        if thread is not None and thread is not threading.current_thread():
            thread.join()
        self._thread = None

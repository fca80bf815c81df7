"""Work off the event loop, in threads that never hold up Ctrl-C.

The event loop only moves messages: training ticks, frames, traces, new
data and downloads all run in threads, so a page preparing a large table
never stops another page's frames. asyncio's default executor would do,
but its threads are joined when the server stops, so a table still being
prepared would keep the server alive after Ctrl-C; these threads are
daemons, which the interpreter does not wait for.

A :class:`Worker` is one page's thread: its work runs in order, one piece
at a time (the page's run is never touched by two threads at once).
:func:`in_thread` runs one piece of work in a thread of its own (preparing
new data while the page's worker goes on training).
"""

from __future__ import annotations

import asyncio
import queue
import threading

__all__ = ["Worker", "in_thread"]


def _settle(future: asyncio.Future, result, error) -> None:
    if future.cancelled():  # the page went away while the work ran
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)


def _run(loop, future, function, args) -> None:
    result = error = None
    try:
        result = function(*args)
    except BaseException as caught:  # handed to the awaiting coroutine, which re-raises it
        error = caught
    try:
        loop.call_soon_threadsafe(_settle, future, result, error)
    except RuntimeError:  # the loop has closed: the server is stopping
        pass


class Worker:
    """A daemon thread running one page's work in order."""

    def __init__(self, name: str = "glassnet-playground"):
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._serve, name=name, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            _run(*item)

    async def run(self, function, *args):
        """``function(*args)`` in this worker's thread, once the work before it is done."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self._queue.put((loop, future, function, args))
        return await future

    def close(self) -> None:
        """End the thread once the work already given is done."""
        self._queue.put(None)


async def in_thread(function, *args):
    """``function(*args)`` in a daemon thread of its own."""
    loop = asyncio.get_running_loop()
    future = loop.create_future()
    threading.Thread(target=_run, args=(loop, future, function, args), name="glassnet-playground-data",
                     daemon=True).start()
    return await future

"""The playground's Starlette app: the page, uploads, downloads, one WebSocket.

Each page is a session of its own (see :mod:`.session`): its settings, its
run, its upload (see :mod:`.uploads`); the table given on the command line
is every new page's starting point. Commands arrive on the WebSocket as
JSON (``play``, ``pause``, ``step``, ``reset``, ``settings``, ``trace``);
the answers go back as JSON messages (``hello``, ``data``, ``applied``,
``state``, ``trace``, ``note``, ``error``) and the frames as binary
messages (see :mod:`.frames`).

The event loop only moves messages. Everything that computes (training
ticks, frames, traces, new data, downloads) runs in threads (see
:mod:`.worker`), so a page preparing a large table never stops another
page's frames. Training runs a tick at a time in the page's worker, and
stops between ticks (a flag, not a cancellation); frames go out at most
:data:`FRAME_RATE` times a second from their own task, so a slow page never
slows training. A page that disconnects takes its session with it.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from pathlib import Path

from starlette.applications import Starlette
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.websockets import WebSocket, WebSocketDisconnect

from .caught import LOG
from .controls import controls
from .messages import page_text
from .security import COOKIE, Guard
from .session import START_FILE, Session, choices
from .uploads import Uploads
from .worker import Worker, in_thread

__all__ = ["create_app", "FRAME_RATE", "TICK_SECONDS", "TRACE_SECONDS"]

STATIC = Path(__file__).parent / "static"
FRAME_RATE = 30
# training runs in ticks of about this long: long enough that a tick's
# overhead is small beside the epochs, short enough that pause answers at once
TICK_SECONDS = 0.015
# while playing, building frames takes at most about this share of the time:
# a big network's frames come less often rather than slow its training
FRAME_SHARE = 0.15
# while playing, a traced row's trace follows the weights this often
TRACE_SECONDS = 0.25
# the commands that make sense before the first settings have built a network
_BEFORE_SETTINGS = ("settings", "pause")


class Runner:
    """Plays one session: the training task, the frame task and the commands.

    Whatever touches the session runs in ``worker`` while holding ``lock``,
    except :meth:`Session.plan`, which reads the session's settings and data
    but changes nothing (so the page trains on while new data is prepared).
    """

    def __init__(self, websocket: WebSocket, session: Session, start: dict):
        self.websocket = websocket
        self.session = session
        # the settings a page falls back to when its link's cannot be used
        self.start = start
        self.worker = Worker()
        self.lock = asyncio.Lock()
        self.playing = False
        self.training: asyncio.Task | None = None
        self.latest: bytes | None = None
        self.last_frame = 0.0
        self.last_trace = 0.0
        self.frame_cost = 0.0
        self.frame_ready = asyncio.Event()
        self.sender = asyncio.create_task(self._send_frames())

    # --- work in the worker's thread (with ``lock`` held) ---------------------------------------
    def _frame(self) -> bytes | None:
        if self.session.model is None:
            return None
        start = time.perf_counter()
        frame = self.session.frame()
        self.last_frame = time.perf_counter()
        self.frame_cost = self.last_frame - start
        return frame

    def _tick(self, epochs: int, always: bool = False):
        """Train ``epochs`` epochs; ``(problem, seconds training, frame, trace, news)``: the frame
        and the trace when due (after the training, so that they come as often as they may), or
        ``always``."""
        start = time.perf_counter()
        problem = self.session.train(epochs)
        elapsed = time.perf_counter() - start
        frame = self._frame() if problem or always or self.frame_due else None
        trace = None
        if frame is not None and (always or self.trace_due):
            trace = self.session.retrace()
            self.last_trace = time.perf_counter()
        return problem, elapsed, frame, trace, self.session.take_news()

    def _after_change(self) -> tuple[bytes | None, dict | None]:
        """The frame and trace of weights that changed outside a tick."""
        return self._frame(), self.session.retrace()

    # --- what goes to the page --------------------------------------------------------------------
    def post(self, frame: bytes | None) -> None:
        if frame is None:
            return
        self.latest = frame
        self.frame_ready.set()

    async def post_all(self, frame, trace, news=()) -> None:
        self.post(frame)
        if trace is not None:
            await self.send_json(trace)
        for note in news:
            await self.send_json({"type": "note", "message": note})

    @property
    def frame_due(self) -> bool:
        interval = max(1.0 / FRAME_RATE, self.frame_cost / FRAME_SHARE)
        return time.perf_counter() - self.last_frame >= interval

    @property
    def trace_due(self) -> bool:
        return self.session.traced is not None and time.perf_counter() - self.last_trace >= TRACE_SECONDS

    async def _train(self):
        epochs = 1
        while self.playing:
            async with self.lock:
                problem, elapsed, frame, trace, news = await self.worker.run(self._tick, epochs)
                await self.post_all(frame, trace, news)
            if problem:
                self.playing = False
                await self.send_json({"type": "error", "message": problem})
                await self.send_json({"type": "state", "running": False})
                return
            # aim each tick at TICK_SECONDS, growing at most twofold per tick
            epochs = max(1, min(2 * epochs, int(epochs * TICK_SECONDS / max(elapsed, 1e-6))))
            await asyncio.sleep(0)

    async def _send_frames(self):
        # only the newest frame goes: a page slower than the frames skips some
        while True:
            await self.frame_ready.wait()
            self.frame_ready.clear()
            message, self.latest = self.latest, None
            if message is None:
                continue
            try:
                await self.websocket.send_bytes(message)
            except (WebSocketDisconnect, RuntimeError):  # the page has gone; the receive loop ends the session
                return

    async def send_json(self, message: dict):
        await self.websocket.send_text(json.dumps(message, allow_nan=False))

    async def stop_training(self):
        self.playing = False
        if self.training is not None:
            await self.training
        self.training = None

    async def close(self):
        await self.stop_training()
        self.sender.cancel()
        self.worker.close()
        if self.session.uploads is not None:
            self.session.uploads.release(self.session)

    # --- commands --------------------------------------------------------------------
    async def handle(self, command: dict):
        kind = command.get("type")
        handler = getattr(self, f"_on_{kind}", None) if isinstance(kind, str) else None
        if handler is None:
            raise ValueError(f"unknown command {kind!r}; expected play, pause, step, reset, settings or trace")
        if self.session.model is None and kind not in _BEFORE_SETTINGS:
            raise ValueError(f"there is no data or network yet: send the settings before {kind!r}")
        await handler(command)

    async def _on_play(self, command):
        if not self.playing:
            await self.stop_training()
            self.playing = True
            self.training = asyncio.create_task(self._train())
        await self.send_json({"type": "state", "running": True})

    async def _pause(self):
        await self.stop_training()
        await self.send_json({"type": "state", "running": False})

    async def _on_pause(self, command):
        await self._pause()
        async with self.lock:
            await self.post_all(*await self.worker.run(self._after_change))

    async def _on_step(self, command):
        await self._pause()
        async with self.lock:
            problem, _, frame, trace, news = await self.worker.run(self._tick, 1, True)
            await self.post_all(frame, trace, news)
        if problem:
            raise ValueError(problem)

    async def _on_reset(self, command):
        await self._pause()
        async with self.lock:
            change = await self.worker.run(self.session.reset)
            await self._describe(change)

    async def _on_settings(self, command):
        try:
            # new data is prepared in a thread of its own, while the page's worker trains on
            change = await in_thread(self.session.plan, command.get("settings", {}))
        except ValueError as error:
            if self.session.model is not None:
                raise  # the page's run goes on as it was
            await self._fall_back(error)
            return
        if change.resets:
            await self._pause()
        async with self.lock:
            await self.worker.run(self.session.commit, change)
            if change.redraws:
                await self._describe(change)
            else:
                await self.send_json(self.session.applied(change))
                # a live edit changes the loss and the gradients (L2), not the weights
                await self.post_all(*await self.worker.run(self._after_change))

    async def _fall_back(self, error: ValueError):
        """The page's first settings (its link's) cannot be used: it starts
        where a new page starts, and says why."""
        change = await in_thread(self.session.plan, dict(self.start))
        async with self.lock:
            await self.worker.run(self.session.commit, change)
            await self.send_json({"type": "note", "message": f"The link's settings could not be used ({page_text(error)}); "
                                                             "the page starts where a new page starts."})
            await self._describe(change)

    async def _describe(self, change):
        """The new data and network (or view), their first frame and the trace (with ``lock`` held)."""
        self.latest = None  # a frame of the old network waiting to go is dropped
        description = await self.worker.run(self.session.description, change)
        await self.send_json(description)
        frame, trace = await self.worker.run(self._after_change)
        await self.post_all(frame, trace or {"type": "trace", "cleared": True})

    async def _on_trace(self, command):
        async with self.lock:
            message = await self.worker.run(self.session.trace, command.get("part"), command.get("index"))
        self.last_trace = time.perf_counter()
        await self.send_json(message)


def create_app(token: str, hosts: set[str], *, max_upload_bytes: int = 50 * 2**20, table=None,
               dataset: str | None = None, target: str | None = None):
    """The ASGI app behind the :class:`~glassnet.playground.security.Guard`.

    ``table`` is ``(frame, name)`` of a file given on the command line;
    ``dataset`` and ``target`` are every new page's starting choices.
    """
    start = {"dataset": START_FILE if table is not None else (dataset or "circle")}
    if target is not None:
        start["target"] = target
    state = {"start": table, "uploads": Uploads(), "sessions": {}}

    async def page(request):
        response = FileResponse(STATIC / "index.html", headers={"cache-control": "no-store"})
        response.set_cookie(COOKIE, token, httponly=True, samesite="strict")
        return response

    def _runner(request) -> Runner | None:
        return state["sessions"].get(request.query_params.get("session", ""))

    gone = {"error": "no such session (its page has closed); reload the page"}

    async def upload(request):
        runner = _runner(request)
        if runner is None:
            return JSONResponse(gone, status_code=404)
        name = request.query_params.get("name", "upload.csv")[:200]
        declared = request.headers.get("content-length")
        limit_mb = max_upload_bytes / 2**20
        too_big = {"error": f"the file is larger than the upload limit of {limit_mb:.3g} MB; "
                            "start the playground with --max-upload-mb to allow more"}
        if declared is not None and declared.isdigit() and int(declared) > max_upload_bytes:
            return JSONResponse(too_big, status_code=413)
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > max_upload_bytes:
                return JSONResponse(too_big, status_code=413)
            chunks.append(chunk)
        from ..tabular.reading import read_bytes

        try:
            frame = await in_thread(read_bytes, b"".join(chunks), name)
        except ValueError as error:
            return JSONResponse({"error": page_text(error)}, status_code=400)
        kept = state["uploads"].add(frame, name)
        return JSONResponse({"upload": kept.id, "name": name, "columns": list(frame.columns), "rows": len(frame)})

    async def model_file(request):
        runner = _runner(request)
        if runner is None or runner.session.model is None:
            return JSONResponse(gone, status_code=404)
        async with runner.lock:  # between two ticks: the weights of one epoch
            data = await runner.worker.run(runner.session.model_file)
        return Response(data, media_type="application/octet-stream",
                        headers={"content-disposition": 'attachment; filename="playground.glassnet"'})

    async def history(request):
        runner = _runner(request)
        if runner is None or runner.session.model is None:
            return JSONResponse(gone, status_code=404)
        async with runner.lock:
            text = await runner.worker.run(runner.session.history_csv)
        return Response(text, media_type="text/csv",
                        headers={"content-disposition": 'attachment; filename="history.csv"'})

    async def websocket(websocket: WebSocket):
        await websocket.accept()
        session_id = secrets.token_hex(8)
        runner = Runner(websocket, Session(state["start"], state["uploads"]), start)
        state["sessions"][session_id] = runner
        file = state["start"][1] if state["start"] is not None else None
        try:
            await runner.send_json({"type": "hello", "session": session_id, "choices": choices(), "file": file,
                                    "controls": controls(), "defaults": start})
            while True:
                message = await websocket.receive()
                if message["type"] == "websocket.disconnect":
                    raise WebSocketDisconnect(message.get("code", 1000))
                text = message.get("text")
                if text is None:  # a binary message: commands are JSON text
                    await runner.send_json({"type": "error", "message": "the playground takes commands as JSON "
                                            "text messages; a binary message was refused"})
                    continue
                try:
                    command = json.loads(text)
                    if not isinstance(command, dict):
                        raise ValueError("a command is a JSON object with a type")
                    await runner.handle(command)
                except (ValueError, json.JSONDecodeError) as error:
                    await runner.send_json({"type": "error", "message": page_text(error)})
                except (WebSocketDisconnect, asyncio.CancelledError):
                    raise
                except Exception as error:  # the page stays usable; the log keeps the details
                    LOG.exception("a command of a page failed")
                    await runner.send_json({"type": "error", "message": f"internal error: {error!r}"})
        except (WebSocketDisconnect, RuntimeError):
            pass
        finally:
            await runner.close()
            state["sessions"].pop(session_id, None)

    routes = [
        Route("/", page),
        Route("/upload", upload, methods=["POST"]),
        Route("/model.glassnet", model_file),
        Route("/history.csv", history),
        WebSocketRoute("/ws", websocket),
        Mount("/static", StaticFiles(directory=STATIC)),
    ]
    app = Starlette(routes=routes)
    app.state.playground = state
    return Guard(app, token, hosts)

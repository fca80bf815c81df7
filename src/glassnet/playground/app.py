"""The playground's Starlette app: the page, uploads, downloads, one WebSocket.

Commands arrive on the WebSocket as JSON (``play``, ``pause``, ``step``,
``reset``, ``settings``, ``trace``); the answers go back as JSON messages
(``hello``, ``data``, ``state``, ``trace``, ``error``) and the frames as
binary messages (see :mod:`.frames`). Training runs in a worker thread a tick
at a time, so the event loop stays free for commands; frames go out at most
:data:`FRAME_RATE` times a second from their own task, so a slow page never
slows training. A page that disconnects takes its session with it: its
training stops.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import time
from pathlib import Path

from starlette.applications import Starlette
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.websockets import WebSocket, WebSocketDisconnect

from .messages import page_text
from .security import COOKIE, Guard
from .session import UPLOADED, Session, choices

__all__ = ["create_app", "FRAME_RATE", "TICK_SECONDS"]

STATIC = Path(__file__).parent / "static"
FRAME_RATE = 30
# training runs in ticks of about this long: long enough that a tick's
# overhead is small beside the epochs, short enough that pause answers at once
TICK_SECONDS = 0.015
# while playing, building frames takes at most about this share of the time:
# a big network's frames come less often rather than slow its training
FRAME_SHARE = 0.15
_log = logging.getLogger("glassnet.playground")
# the commands that make sense before the first settings have built a network
_BEFORE_SETTINGS = ("settings", "pause")


class Runner:
    """Plays one session: the training task, the frame task and the commands.

    Whatever touches the session holds ``lock``; training stops between
    ticks (a flag, not a cancellation, so a tick in its worker thread always
    finishes before anything else reads the weights).
    """

    def __init__(self, websocket: WebSocket, session: Session):
        self.websocket = websocket
        self.session = session
        self.lock = asyncio.Lock()
        self.playing = False
        self.training: asyncio.Task | None = None
        self.latest: bytes | None = None
        self.last_frame = 0.0
        self.frame_cost = 0.0
        self.frame_ready = asyncio.Event()
        self.sender = asyncio.create_task(self._send_frames())

    def post_frame(self) -> None:
        """Build the frame of the current weights (with ``lock`` held) for the sender."""
        if self.session.model is None:
            return
        start = time.perf_counter()
        self.latest = self.session.frame()
        self.last_frame = time.perf_counter()
        self.frame_cost = self.last_frame - start
        self.frame_ready.set()

    @property
    def frame_due(self) -> bool:
        interval = max(1.0 / FRAME_RATE, self.frame_cost / FRAME_SHARE)
        return time.perf_counter() - self.last_frame >= interval

    async def _train(self):
        loop = asyncio.get_running_loop()
        epochs = 1
        while self.playing:
            async with self.lock:
                start = time.perf_counter()
                problem = await loop.run_in_executor(None, self.session.train, epochs)
                elapsed = time.perf_counter() - start
                if problem or self.frame_due:
                    self.post_frame()
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
            self.post_frame()

    async def _on_step(self, command):
        await self._pause()
        async with self.lock:
            problem = self.session.train(1)
            self.post_frame()
        if problem:
            raise ValueError(problem)

    async def _on_reset(self, command):
        await self._pause()
        async with self.lock:
            self.session.reset()
            await self._describe()

    async def _on_settings(self, command):
        await self._pause()
        loop = asyncio.get_running_loop()
        async with self.lock:
            # a large table takes a moment to split and encode: off the event loop
            await loop.run_in_executor(None, self.session.apply, command.get("settings", {}))
            await self._describe()

    async def _describe(self):
        """The new data and network, then their first frame (with ``lock`` held)."""
        self.latest = None  # a frame of the old network waiting to go is dropped
        await self.send_json(self.session.description())
        self.post_frame()

    async def _on_trace(self, command):
        async with self.lock:
            message = self.session.trace(command.get("part"), command.get("index"))
        await self.send_json(message)


def create_app(token: str, hosts: set[str], *, max_upload_bytes: int = 50 * 2**20, table=None,
               dataset: str | None = None, target: str | None = None):
    """The ASGI app behind the :class:`~glassnet.playground.security.Guard`.

    ``table`` is ``(frame, name)`` of a file given on the command line;
    ``dataset`` and ``target`` are the page's starting choices.
    """
    state = {"table": table, "sessions": {}}
    start_dataset = UPLOADED if table is not None else (dataset or "circle")

    async def page(request):
        response = FileResponse(STATIC / "index.html", headers={"cache-control": "no-store"})
        response.set_cookie(COOKIE, token, httponly=True, samesite="strict")
        return response

    async def upload(request):
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
            frame = await asyncio.get_running_loop().run_in_executor(None, read_bytes, b"".join(chunks), name)
        except ValueError as error:
            return JSONResponse({"error": page_text(error)}, status_code=400)
        state["table"] = (frame, name)
        return JSONResponse({"name": name, "columns": list(frame.columns), "rows": len(frame)})

    def _runner(request) -> Runner | None:
        return state["sessions"].get(request.query_params.get("session", ""))

    gone = {"error": "no such session (its page has closed); reload the page"}

    async def model_file(request):
        runner = _runner(request)
        if runner is None or runner.session.model is None:
            return JSONResponse(gone, status_code=404)
        async with runner.lock:  # between two ticks: the weights of one epoch
            data = runner.session.model_file()
        return Response(data, media_type="application/octet-stream",
                        headers={"content-disposition": 'attachment; filename="playground.glassnet"'})

    async def history(request):
        runner = _runner(request)
        if runner is None or runner.session.model is None:
            return JSONResponse(gone, status_code=404)
        async with runner.lock:
            text = runner.session.history_csv()
        return Response(text, media_type="text/csv",
                        headers={"content-disposition": 'attachment; filename="history.csv"'})

    async def websocket(websocket: WebSocket):
        await websocket.accept()
        session_id = secrets.token_hex(8)
        runner = Runner(websocket, Session(lambda: state["table"]))
        state["sessions"][session_id] = runner
        file = state["table"][1] if state["table"] is not None else None
        try:
            await runner.send_json({"type": "hello", "session": session_id, "choices": choices(), "file": file,
                                    "defaults": {"dataset": start_dataset, "target": target}})
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
                    _log.exception("playground command failed")
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

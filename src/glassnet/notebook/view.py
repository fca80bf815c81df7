"""The widget itself: an anywidget whose view is the playground page's own
ES modules, fed by the kernel.

The view (``widget.js``) receives the page's modules as text
(:func:`page_modules`: every module of the playground's ``static/`` folder
but the page's entry, ``main.js``) and imports them; it draws the
description of the data and the frames of the playground (see
:mod:`glassnet.playground.frames`) exactly as the page does. Buttons and
clicks come back as messages (``play``, ``pause``, ``step``, ``reset``,
``trace``, ``plot``); training runs in the kernel, in a background thread
(:class:`~.player.Player`).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import anywidget
import traitlets

from ..playground import frames
from ..playground.frames import decode_header
from .player import Player

__all__ = ["PlaygroundWidget", "page_modules", "STATIC"]

HERE = Path(__file__).parent
# the playground page's folder: its modules draw the widget
STATIC = Path(frames.__file__).parent / "static"
_COMMANDS = ("play", "pause", "step", "reset", "trace", "plot")
_log = logging.getLogger("glassnet.notebook")


def _shell():
    """The IPython shell running this, if any (its events tell when a cell ends)."""
    import sys

    ipython = sys.modules.get("IPython")
    return ipython.get_ipython() if ipython is not None else None


def page_modules() -> dict[str, str]:
    """The playground page's ES modules by file name, without the page's entry (main.js)."""
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(STATIC.glob("*.js"))
            if path.name != "main.js"}


class PlaygroundWidget(anywidget.AnyWidget):
    """The playground of one run in a notebook cell; make it with :func:`glassnet.widget`.

    ``model`` is the model being trained, ``X`` and ``y`` what it trains
    on (as ``model.train`` or ``partial_fit`` takes them), ``epoch`` the
    epochs it has trained. :meth:`play`, :meth:`pause`, :meth:`step` and
    :meth:`reset` do what the buttons do; :meth:`close` stops training and
    closes the view.
    """

    _esm = HERE / "widget.js"
    _css = (STATIC / "vendor" / "uPlot.min.css").read_text(encoding="utf-8") + \
        (HERE / "widget.css").read_text(encoding="utf-8")
    # the page's modules and uPlot (vendored, MIT), which curves.js finds as window.uPlot
    _modules = traitlets.Dict().tag(sync=True)
    _uplot = traitlets.Unicode("").tag(sync=True)
    # the playground's "data" message, the last frame (binary) and the last trace
    _description = traitlets.Dict().tag(sync=True)
    _frame = traitlets.Bytes(b"").tag(sync=True)
    _trace = traitlets.Dict().tag(sync=True)
    running = traitlets.Bool(False, read_only=True).tag(sync=True)
    error = traitlets.Unicode("", read_only=True).tag(sync=True)

    def __init__(self, run, **kwargs):
        super().__init__(_modules=page_modules(),
                         _uplot=(STATIC / "vendor" / "uPlot.iife.min.js").read_text(encoding="utf-8"), **kwargs)
        self._run = run
        # the kernel's main thread (commands, cells) and the training thread both set traits
        self._sync = threading.RLock()
        self._player = Player(run, self._show_frame, self._show_running, self._show_error)
        self.on_msg(self._on_message)
        self._describe()
        # a cell that trains the model on (w.model.train(...)) is shown when it ends
        self._shell = _shell()
        if self._shell is not None:
            self._shell.events.register("post_run_cell", self._after_cell)

    # --- what a cell reads -----------------------------------------------------------------------
    @property
    def model(self):
        """The model being trained: your own, or the NeuralNetwork the widget built."""
        return self._run.model

    @property
    def X(self):
        return self._run.X

    @property
    def y(self):
        return self._run.y

    @property
    def X_test(self):
        return self._run.X_test

    @property
    def y_test(self):
        return self._run.y_test

    @property
    def epoch(self) -> int:
        with self._player.lock:
            return self._run.epoch

    # --- what the buttons do -------------------------------------------------------------------
    def play(self) -> None:
        """Train in the background until :meth:`pause`."""
        self._set(error="")
        self._player.play()

    def pause(self) -> None:
        """Stop after the tick under way; the view then shows the epoch the model is at."""
        self._player.pause()

    def step(self, epochs: int = 1) -> None:
        """Pause, then train exactly ``epochs`` epochs (one by default)."""
        if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
            raise ValueError(f"epochs must be an integer >= 1, got {epochs!r}")
        self._set(error="")
        problem = self._player.step(epochs)
        if problem:
            self._set(error=problem)

    def reset(self) -> None:
        """Pause and start again from the starting weights (the seed's, or your model's as it was given)."""
        self._player.pause()
        with self._player.lock:
            self._run.reset()
        self._set(error="")
        self._describe()

    def plot(self, feature_x: int, feature_y: int) -> None:
        """Draw the inputs ``feature_x`` across and ``feature_y`` up."""
        self._player.pause()
        with self._player.lock:
            self._run.plot(feature_x, feature_y)
        self._describe()

    def close(self) -> None:
        """Stop the training thread and close the view."""
        self._player.stop()
        if self._shell is not None:
            try:
                self._shell.events.unregister("post_run_cell", self._after_cell)
            except ValueError:  # already gone
                pass
            self._shell = None
        super().close()

    def _after_cell(self, _result=None) -> None:
        if not self._player.running and self._frame and decode_header(self._frame)[0]["epoch"] != self.epoch:
            self._player.show_frame()

    # --- the view's messages -------------------------------------------------------------------
    def _on_message(self, _widget, content, _buffers) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        try:
            if kind not in _COMMANDS:
                raise ValueError(f"unknown command {kind!r}; expected one of: {', '.join(_COMMANDS)}")
            if kind == "trace":
                with self._player.lock:
                    message = self._run.trace(content.get("part"), content.get("index"))
                self._set(_trace=message)
            elif kind == "plot":
                self.plot(content.get("feature_x"), content.get("feature_y"))
            else:
                getattr(self, kind)()
        except ValueError as error:
            self._set(error=str(error))
        except Exception as error:  # the view stays usable; the kernel's log keeps the details
            _log.exception("widget command failed")
            self._set(error=f"internal error: {error!r}")

    # --- the traits, set from either thread ----------------------------------------------------------
    def _set(self, **values) -> None:
        with self._sync, self.hold_trait_notifications():
            for name, value in values.items():
                self.set_trait(name, value)

    def _describe(self) -> None:
        with self._player.lock:
            description = self._run.description()
        self._set(_description=description, _trace={})
        self._player.show_frame()

    def _show_frame(self, frame: bytes) -> None:
        self._set(_frame=frame)

    def _show_running(self, running: bool) -> None:
        self._set(running=running)

    def _show_error(self, message: str) -> None:
        self._set(error=message)

"""A training progress bar (rich) usable as a training-loop callback.

:class:`ProgressBar` is called with each epoch's record, the dict that
:func:`glassnet.engine.training.train` passes to its callbacks (``epoch``, ``loss``
and, with validation data, ``val_loss`` and ``val_<metric>``). It shows the
epoch out of the total, the training loss and the validation figures::

    with ProgressBar(total=200) as bar:
        train(network, optimizer, X, Y, epochs=200, callbacks=[bar])

The estimators use it for ``progress=True``; ``glassnet train`` can use it
the same way. It never stops training (it returns None).

:class:`LiveCurve` is the same callback as a loss curve redrawn under a
notebook cell; :func:`progress_display` chooses between them
(``NeuralNetwork.train(..., live=True)``, the estimators'
``progress="live"``): the curve in a notebook, the bar elsewhere.

:class:`RowProgress` counts rows instead of epochs, for passes over a table
read in chunks (``glassnet train --chunk-rows``).
"""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn
from rich.text import Text

__all__ = ["ProgressBar", "RowProgress", "LiveCurve", "format_figures", "in_notebook", "progress_display"]


def format_figures(record: dict) -> str:
    """``loss 0.1234  val_loss 0.2345  val_accuracy 0.9500`` from one record."""
    names = ["loss"] + sorted(key for key in record if key.startswith("val_"))
    return "  ".join(f"{name} {record[name]:.4g}" for name in names if name in record)


class ProgressBar:
    """A live bar: ``epoch n/total``, elapsed time, loss and validation figures.

    total : the number of epochs planned (training may stop earlier; the bar
        then ends where training ended).
    description : the text in front of the bar.
    console : a ``rich.console.Console`` (default: standard error).
    transient : remove the bar when training ends.
    """

    def __init__(self, total: int, description: str = "training", console: Console | None = None, transient: bool = False):
        self.total = int(total)
        self.description = description
        self.console = console if console is not None else Console(stderr=True)
        self.transient = transient
        self.last_record: dict | None = None
        self._progress = None
        self._task = None

    def start(self) -> "ProgressBar":
        if self._progress is None:
            self._progress = Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(bar_width=24),
                TextColumn("epoch"),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("{task.fields[figures]}"),
                console=self.console,
                transient=self.transient,
            )
            self._task = self._progress.add_task(self.description, total=self.total, figures="")
            self._progress.start()
        return self

    def __call__(self, record: dict) -> None:
        self.start()
        self.last_record = record
        self._progress.update(self._task, advance=1, figures=format_figures(record))

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def __enter__(self) -> "ProgressBar":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()


class _RowsColumn(ProgressColumn):
    """``400,000/800,000 rows  183,204 rows/s`` (the total once known; the speed once measured)."""

    def render(self, task) -> Text:
        done = f"{int(task.completed):,}" + (f"/{int(task.total):,}" if task.total is not None else "") + " rows"
        speed = task.finished_speed or task.speed
        return Text(done + (f"  {speed:,.0f} rows/s" if speed else ""))


class RowProgress:
    """A live line for passes over a table read in chunks (``glassnet train
    --chunk-rows``): what the pass does, the rows done (of the total, once a
    first pass has counted them), rows per second and the elapsed time::

        training, pass 2 of 5  ━━━━━━━━━━  400,000/800,000 rows  183,204 rows/s  0:00:02

    console : a ``rich.console.Console`` (default: standard error).
    """

    def __init__(self, console: Console | None = None, transient: bool = False):
        self.console = console if console is not None else Console(stderr=True)
        self.transient = transient
        self._progress = None
        self._task = None

    def rows(self, chunks, description: str, total: int | None = None):
        """Yield the items of ``chunks`` (DataFrames or arrays), counting their
        rows on one line that says ``description``."""
        if self._progress is None:
            self._progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(bar_width=20), _RowsColumn(),
                                      TimeElapsedColumn(), console=self.console, transient=self.transient)
            self._progress.start()
        if self._task is not None:
            self._progress.stop_task(self._task)
        self._task = self._progress.add_task(description, total=total)
        for chunk in chunks:
            yield chunk
            self._progress.update(self._task, advance=len(chunk))

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def __enter__(self) -> "RowProgress":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class LiveCurve:
    """The loss per epoch drawn live under a notebook cell, a callback like
    :class:`ProgressBar`: one display (an inline SVG, see
    :func:`glassnet._html.curve`) updated in place at most ``rate`` times a
    second, and once more when training ends (:meth:`close`).

    ``display`` is ``IPython.display.display`` (a test may pass its own):
    it is called as ``display(html, display_id=True)`` and its handle's
    ``update(html)`` redraws.
    """

    def __init__(self, total: int, description: str = "training", *, display=None, rate: float = 10.0):
        self.total = int(total)
        self.description = description
        self.records: list[dict] = []
        self.last_record: dict | None = None
        self._display = display
        self._interval = 1.0 / rate
        self._handle = None
        self._shown = 0.0
        self._drawn = 0

    def html(self):
        """The current picture, as an ``IPython.display.HTML`` (or its text without IPython)."""
        from . import _html

        series = {"loss": [record["loss"] for record in self.records]}
        if any("val_loss" in record for record in self.records):
            series["val_loss"] = [record.get("val_loss") for record in self.records]
        last = self.records[-1] if self.records else {}
        title = f"{self.description}: epoch {len(self.records)}/{self.total}  {format_figures(last)}".rstrip()
        text = f'<div class="glassnet-live">{_html.curve(series, title=title)}</div>'
        try:
            from IPython.display import HTML
        except ImportError:
            return text
        return HTML(text)

    def _show(self) -> None:
        import time

        self._shown = time.monotonic()
        self._drawn = len(self.records)
        if self._handle is None:
            display = self._display
            if display is None:
                from IPython.display import display
            self._handle = display(self.html(), display_id=True)
        else:
            self._handle.update(self.html())

    def __call__(self, record: dict) -> None:
        import time

        self.records.append(dict(record))
        self.last_record = record
        if self._handle is None or time.monotonic() - self._shown >= self._interval:
            self._show()

    def close(self) -> None:
        """Draw the last epochs the rate limit held back."""
        if self.records and self._drawn != len(self.records):
            self._show()

    def __enter__(self) -> "LiveCurve":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def in_notebook() -> bool:
    """Whether this runs in a Jupyter kernel (JupyterLab, Notebook, VS Code,
    Colab...), whose cells can show HTML; False in a terminal, a script or
    plain IPython. Looks without importing IPython."""
    import sys

    if "IPython" not in sys.modules:
        return False
    shell = sys.modules["IPython"].get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def progress_display(kind, total: int, description: str = "training"):
    """The callback showing training's progress: ``kind`` True for the
    progress bar, "live" for the live loss curve in a notebook (the bar
    elsewhere), False or None for nothing."""
    if not kind:
        return None
    if kind == "live" and in_notebook():
        return LiveCurve(total, description)
    return ProgressBar(total, description=description)

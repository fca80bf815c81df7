"""A playground data set, or your DataFrame, as the widget shows it.

:class:`TableRun` is the playground's own training run
(:class:`~glassnet.playground.session.Session`) behind the widget: the same
data sets, the same table pipeline (``glassnet train``'s
:func:`~glassnet.tabular.pipeline.prepare_table`, through the page's
``page_table``), the same :class:`~glassnet.NeuralNetwork` built from the
page's settings and trained in ticks on data bound once, the same frames
and traces. A DataFrame is read as a CSV file would be (text cells), so it
is prepared exactly as the same table uploaded to the page.
"""

from __future__ import annotations

from ..playground.session import UPLOADED, Session
from ..tabular.reading import text_cells

__all__ = ["TableRun"]


class TableRun:
    """The playground's run of ``settings`` (the page's settings, checked by
    the table's "playground" door); ``frame`` is a DataFrame to use as the
    uploaded table."""

    def __init__(self, settings: dict, frame=None, name: str = "DataFrame"):
        table = None if frame is None else (text_cells(frame), name)
        if table is not None:
            settings = {**settings, "dataset": UPLOADED}
        self.session = Session(lambda: table)
        self.session.apply(settings)

    # --- what a cell reads -------------------------------------------------------------------
    @property
    def model(self):
        """The :class:`~glassnet.NeuralNetwork` being trained (a new one after Reset)."""
        return self.session.model

    @property
    def X(self):
        """The network's inputs of the training rows (scaled as the pipeline scales them)."""
        return self.session.data.X_train

    @property
    def y(self):
        """The training rows' targets as the network trains on them (encoded)."""
        return self.session.Y_train

    @property
    def X_test(self):
        return self.session.data.X_test

    @property
    def y_test(self):
        return self.session.Y_test

    # --- the widget's questions ----------------------------------------------------------------
    @property
    def version(self) -> int:
        return self.session.version

    @property
    def epoch(self) -> int:
        return self.session.epoch

    def train(self, epochs: int = 1) -> str | None:
        return self.session.train(epochs)

    def reset(self) -> None:
        self.session.reset()

    def plot(self, feature_x: int, feature_y: int) -> None:
        """Plot other inputs; as on the playground's page, the run starts again."""
        self.session.apply({**self.session.settings.as_dict(), "feature_x": feature_x, "feature_y": feature_y})

    def description(self) -> dict:
        return self.session.description()

    def frame(self) -> bytes:
        return self.session.frame()

    def trace(self, part: str, index: int) -> dict:
        return self.session.trace(part, index)

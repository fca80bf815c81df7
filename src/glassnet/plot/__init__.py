"""Pictures, drawn with matplotlib.

Figures are built with ``matplotlib.figure.Figure`` directly rather than
``pyplot``, so they need no display and leave pyplot's global state alone.
Each function returns the Figure and, given a path, saves it (PNG, SVG or
PDF by the file's extension). One module per kind of picture.
"""

from ._common import save_figure
from .curves import error_development

__all__ = ["error_development", "save_figure"]

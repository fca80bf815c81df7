"""Shared helpers for glassnet's pictures."""

from __future__ import annotations

from pathlib import Path

from matplotlib.figure import Figure

FORMATS = (".png", ".svg", ".pdf")


def save_figure(figure: Figure, path) -> Figure:
    """Save ``figure`` to ``path`` (format from the extension) when a path is given."""
    if path is not None:
        path = Path(path)
        if path.suffix.lower() not in FORMATS:
            raise ValueError(f"plot path must end in .png, .svg or .pdf, got {str(path)!r}")
        figure.savefig(path, dpi=120, bbox_inches="tight")
    return figure

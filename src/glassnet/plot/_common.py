"""Shared helpers for glassnet's pictures."""

from __future__ import annotations

from pathlib import Path

from matplotlib.figure import Figure

from .._atomic import atomic_path

FORMATS = (".png", ".svg", ".pdf")


def save_figure(figure: Figure, path) -> Figure:
    """Save ``figure`` to ``path`` (format from the extension) when a path is given."""
    if path is not None:
        path = Path(path)
        if path.suffix.lower() not in FORMATS:
            raise ValueError(f"plot path must end in .png, .svg or .pdf, got {str(path)!r}")
        # written under a temporary name and renamed: a failed save never
        # leaves a half-written picture or destroys the previous one
        with atomic_path(path) as temporary:
            figure.savefig(temporary, dpi=120, bbox_inches="tight", format=path.suffix.lower()[1:])
    return figure

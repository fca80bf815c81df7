"""Models that draw themselves: the HTML a notebook shows for a network.

Plain functions of plain values (layer sizes, activation names, figures, a
curve), so every layer can use them: the engine's ``Network``, the
article's class and the estimators call :func:`card` from their
``_repr_html_``; :func:`curve` draws the live loss curve of a fit in a
notebook. The pictures are inline SVG: no script, no file, no library, so
they show in JupyterLab, VS Code, Colab, GitHub's notebook viewer and
nbconvert's HTML alike.
"""

from __future__ import annotations

import html
import math
from typing import Sequence

__all__ = ["card", "network_svg", "sparkline", "curve", "number"]

BLUE = "#0877bd"
ORANGE = "#f59322"
INK = "#333"
MUTED = "#777"
# a layer wider than this is drawn as its first and last units around an ellipsis
_SHOWN_UNITS = 8
# a curve of more epochs than this is drawn from evenly spaced samples
_CURVE_POINTS = 400


def number(value) -> str:
    """A figure as the playground's page shows it: four significant digits,
    scientific notation for the very small and the very large; "–" for none."""
    if value is None:
        return "–"
    value = float(value)
    if not math.isfinite(value):
        return "–" if math.isnan(value) else ("∞" if value > 0 else "−∞")
    magnitude = abs(value)
    if magnitude != 0 and (magnitude < 1e-3 or magnitude >= 1e5):
        return f"{value:.2e}"
    return f"{value:.4g}"


def _escape(text) -> str:
    return html.escape(str(text), quote=True)


def _shown_units(size: int) -> list[int | None]:
    """The units drawn for a layer of ``size``: all, or the first and last few with None for the gap."""
    if size <= _SHOWN_UNITS:
        return list(range(size))
    half = _SHOWN_UNITS // 2
    return [*range(half - 1), None, *range(size - half, size)]


def network_svg(layer_sizes: Sequence[int], activations: Sequence[str], *, width: int = 360) -> str:
    """An SVG of the layers: a column of units per layer, every edge between
    neighbouring columns, each column captioned with its size and activation
    (the inputs with their count)."""
    sizes = [int(size) for size in layer_sizes]
    columns = [_shown_units(size) for size in sizes]
    tallest = max(len(units) for units in columns)
    gap, radius, top = 18, 6, 16
    height = top + tallest * gap + 30
    step = (width - 60) / max(1, len(sizes) - 1)
    xs = [30 + step * index for index in range(len(sizes))]

    def ys(units):
        start = top + (tallest - len(units)) * gap / 2 + gap / 2
        return [start + gap * position for position in range(len(units))]

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="glassnet-layers" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="layers {"-".join(map(str, sizes))}">']
    for index in range(len(sizes) - 1):
        left, right = columns[index], columns[index + 1]
        for y1, unit1 in zip(ys(left), left):
            for y2, unit2 in zip(ys(right), right):
                if unit1 is not None and unit2 is not None:
                    parts.append(f'<line x1="{xs[index]:.1f}" y1="{y1:.1f}" x2="{xs[index + 1]:.1f}" y2="{y2:.1f}" '
                                 'stroke="#c8d3da" stroke-width="0.8"/>')
    for index, units in enumerate(columns):
        fill = "#fff" if index == 0 else (ORANGE if index == len(sizes) - 1 else BLUE)
        for y, unit in zip(ys(units), units):
            if unit is None:
                parts.append(f'<text x="{xs[index]:.1f}" y="{y + 4:.1f}" text-anchor="middle" font-size="12" '
                             f'fill="{MUTED}">⋮</text>')
            else:
                parts.append(f'<circle cx="{xs[index]:.1f}" cy="{y:.1f}" r="{radius}" fill="{fill}" '
                             f'stroke="{INK}" stroke-width="0.8"/>')
        caption = f"{sizes[0]} inputs" if index == 0 else f"{sizes[index]} · {activations[index - 1]}"
        parts.append(f'<text class="glassnet-layer" x="{xs[index]:.1f}" y="{height - 8}" text-anchor="middle" '
                     f'font-size="10" fill="{INK}">{_escape(caption)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _points(values: Sequence[float], width: float, height: float, pad: float, low=None, high=None) -> str:
    """The polyline points of ``values`` over the box (finite values only)."""
    finite = [(index, float(value)) for index, value in enumerate(values)
              if value is not None and math.isfinite(float(value))]
    if not finite:
        return ""
    if len(finite) > _CURVE_POINTS:
        stride = len(finite) / _CURVE_POINTS
        finite = [finite[int(k * stride)] for k in range(_CURVE_POINTS)] + [finite[-1]]
    low = min(value for _, value in finite) if low is None else low
    high = max(value for _, value in finite) if high is None else high
    span = (high - low) or 1.0
    last = max(1, len(values) - 1)
    return " ".join(f"{pad + (width - 2 * pad) * index / last:.1f},"
                    f"{height - pad - (height - 2 * pad) * (value - low) / span:.1f}" for index, value in finite)


def sparkline(values: Sequence[float], *, width: int = 160, height: int = 36, colour: str = BLUE) -> str:
    """A small SVG line of ``values`` (one per epoch), its ends marked."""
    points = _points(values, width, height, 3)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="glassnet-sparkline" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}"><polyline fill="none" stroke="{colour}" stroke-width="1.5" '
            f'points="{points}"/></svg>')


def curve(series: dict[str, Sequence[float]], *, title: str = "", width: int = 420, height: int = 160) -> str:
    """An SVG chart of one or more curves by epoch (training loss in blue,
    the next in orange...), with the range of values and the epochs on its axes."""
    colours = [BLUE, ORANGE, "#2ca02c", "#d62728"]
    finite = [float(value) for values in series.values() for value in values
              if value is not None and math.isfinite(float(value))]
    low, high = (min(finite), max(finite)) if finite else (0.0, 1.0)
    epochs = max((len(values) for values in series.values()), default=0)
    left, bottom = 48, 18
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="glassnet-curve" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="system-ui, sans-serif" font-size="10">',
             f'<rect x="{left}" y="4" width="{width - left - 4}" height="{height - bottom - 4}" fill="none" '
             f'stroke="#ccc"/>',
             f'<text x="{left - 4}" y="12" text-anchor="end" fill="{MUTED}">{number(high)}</text>',
             f'<text x="{left - 4}" y="{height - bottom}" text-anchor="end" fill="{MUTED}">{number(low)}</text>',
             f'<text x="{width - 4}" y="{height - 4}" text-anchor="end" fill="{MUTED}">epoch {epochs}</text>']
    for index, (name, values) in enumerate(series.items()):
        points = _points(values, width - left - 4, height - bottom - 4, 2, low, high)
        parts.append(f'<g transform="translate({left},4)"><polyline class="glassnet-series" data-name="{_escape(name)}" '
                     f'fill="none" stroke="{colours[index % len(colours)]}" stroke-width="1.5" points="{points}"/></g>')
        parts.append(f'<text x="{left + 6 + 110 * index}" y="{height - 4}" fill="{colours[index % len(colours)]}">'
                     f'{_escape(name)}</text>')
    if title:
        parts.append(f'<text x="{left + 6}" y="16" fill="{INK}">{_escape(title)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def card(title: str, layer_sizes: Sequence[int], activations: Sequence[str], figures: Sequence[tuple[str, object]],
         losses: Sequence[float] = ()) -> str:
    """The HTML card of a model: its name, the picture of its layers, its
    figures (``(name, value)`` pairs, each in a cell whose ``data-figure``
    is the name) and, after training, a sparkline of the loss per epoch."""
    rows = "".join(f'<tr><th style="text-align:left;font-weight:normal;color:{MUTED};padding:1px 10px 1px 0">'
                   f'{_escape(name)}</th><td data-figure="{_escape(name)}" style="text-align:left;padding:1px 0">'
                   f'{_escape(value)}</td></tr>' for name, value in figures)
    line = (f'<div style="margin-top:4px;color:{MUTED};font-size:11px">loss per epoch<br>{sparkline(losses)}</div>'
            if len(losses) > 1 else "")
    return (f'<div class="glassnet-card" style="display:inline-flex;flex-wrap:wrap;gap:16px;align-items:flex-start;'
            f'font:12px/1.4 system-ui,sans-serif;color:{INK};border:1px solid #ddd;border-radius:6px;padding:8px 12px;'
            f'background:#fff"><div><div style="font-weight:600;margin-bottom:2px">{_escape(title)}</div>'
            f'{network_svg(layer_sizes, activations)}</div><div><table style="border-collapse:collapse">{rows}</table>'
            f'{line}</div></div>')

"""Chart geometry for server-rendered SVG: plain data in, coordinates out (no Flask).

The templates draw what these functions compute (`hr/_charts.html`); colours come from CSS
classes, so the charts obey the stylesheet and the Content Security Policy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    css: str


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    css: str
    label: str
    value: float


@dataclass(frozen=True)
class BarRow:
    y: float
    label: str
    short: str
    total: float
    note: str
    segments: list[Segment] = field(default_factory=list)


@dataclass(frozen=True)
class BarChart:
    """Horizontal stacked bars, one row per category."""

    title: str
    width: int
    height: int
    label_width: int
    bar_width: int
    bar_height: int
    rows: list[BarRow]
    series: list[Series]


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def stacked_bars(
    title: str,
    rows: Sequence[tuple[str, dict[str, float], str]],
    series: Sequence[Series],
    *,
    share: bool = True,
    width: int = 100,
    label_width: int = 0,
    bar_height: int = 10,
    gap: int = 0,
    note_width: int = 0,
) -> BarChart:
    """Rows of (label, values by series key, note) as stacked bars.

    With `share` every bar is 100 % wide and its segments are shares of the row's total (for
    completion by department); without it, bars are scaled to the largest total. By default
    coordinates are percents of the bar, so that each bar is a small SVG stretched to its row
    while labels stay HTML text (readable on a phone).
    """
    bar_width = width - label_width - note_width
    scale_max = max((sum(v.get(s.key, 0) for s in series) for _l, v, _n in rows), default=0)
    out: list[BarRow] = []
    for i, (label, values, note) in enumerate(rows):
        total = sum(values.get(s.key, 0) for s in series)
        denominator = total if share else scale_max
        x = float(label_width)
        segments = []
        for s in series:
            value = values.get(s.key, 0)
            if not value or not denominator:
                continue
            w = bar_width * value / denominator
            segments.append(Segment(round(x, 2), round(w, 2), s.css, s.label, value))
            x += w
        out.append(
            BarRow(
                y=float(i * (bar_height + gap)),
                label=label,
                short=_shorten(label, 26),
                total=total,
                note=note,
                segments=segments,
            )
        )
    height = max(len(rows) * (bar_height + gap) - gap, bar_height)
    return BarChart(title, width, height, label_width, bar_width, bar_height, out, list(series))


@dataclass(frozen=True)
class Column:
    label: str
    value: float
    #: the column's height in percent of the plot
    height: float
    text: str


@dataclass(frozen=True)
class ColumnChart:
    """Vertical columns of values between 0 and `maximum` (a trend over time)."""

    title: str
    columns: list[Column]


def columns(
    title: str, points: Sequence[tuple[str, float, str]], *, maximum: float = 1.0
) -> ColumnChart:
    """Points of (label, value, text) as columns scaled to `maximum`."""
    cols = [
        Column(
            label=label,
            value=value,
            height=round(100 * min(max(value, 0.0), maximum) / maximum, 2) if maximum else 0.0,
            text=text,
        )
        for label, value, text in points
    ]
    return ColumnChart(title, cols)

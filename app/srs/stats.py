"""Review statistics on plain data: daily counts, streaks, forecast, and chart geometry.

The database groups reviews and due dates by UTC hour (a bounded number of rows whatever the
history); here those hours are folded into the learner's study days (04:00 local rollover), and
the charts are laid out as rectangles for the server to draw as SVG.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from app.srs.days import study_day

HOUR = 3600


def per_day(hour_counts: Iterable[tuple[int, int]], tz: ZoneInfo) -> Counter[date]:
    """Fold ``(hours since the epoch, count)`` rows into counts per study day."""
    out: Counter[date] = Counter()
    for hour, count in hour_counts:
        moment = datetime.fromtimestamp(int(hour) * HOUR, UTC)
        out[study_day(moment, tz)] += int(count)
    return out


def streak(days: Iterable[date], today: date) -> int:
    """Consecutive study days up to today, or up to yesterday when today has none yet."""
    studied = set(days)
    day = today if today in studied else today - timedelta(days=1)
    count = 0
    while day in studied:
        count += 1
        day -= timedelta(days=1)
    return count


def longest_streak(days: Iterable[date]) -> int:
    """The longest run of consecutive study days."""
    best = run = 0
    previous: date | None = None
    for day in sorted(set(days)):
        run = run + 1 if previous and day - previous == timedelta(days=1) else 1
        best = max(best, run)
        previous = day
    return best


def true_retention(passed: int, failed: int) -> float | None:
    """Share of reviews of mature-state cards answered Hard, Good or Easy (None without data)."""
    total = passed + failed
    return passed / total if total else None


def forecast(
    due_by_day: Mapping[date, int], overdue: int, today: date, days: int = 30
) -> list[tuple[date, int]]:
    """Cards due on each of the next `days` study days; today includes what is overdue."""
    out = []
    for offset in range(days):
        day = today + timedelta(days=offset)
        out.append((day, due_by_day.get(day, 0) + (overdue if offset == 0 else 0)))
    return out


# --------------------------------------------------------------------------- chart geometry


@dataclass(frozen=True)
class Cell:
    x: int
    y: int
    day: date
    count: int
    #: 0 (none) to 4 (the busiest days)
    level: int


@dataclass(frozen=True)
class Heatmap:
    cells: list[Cell]
    #: (x, first day of a month) for the month labels above the grid
    months: list[tuple[int, date]]
    width: int
    height: int
    total: int
    active_days: int


CELL = 12
GAP = 2
TOP = 16
LEFT = 24


def level(count: int, busiest: int) -> int:
    if count <= 0 or busiest <= 0:
        return 0
    return max(1, min(4, math.ceil(4 * count / busiest)))


def heatmap(counts: Mapping[date, int], today: date, weeks: int = 53) -> Heatmap:
    """A calendar of the last `weeks` weeks: one column per week (Monday on top)."""
    first = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    busiest = max((c for d, c in counts.items() if first <= d <= today), default=0)
    cells: list[Cell] = []
    months: list[tuple[int, date]] = []
    day = first
    while day <= today:
        column = (day - first).days // 7
        x = LEFT + column * (CELL + GAP)
        if day.day == 1 or (day == first):
            months.append((x, day))
        count = counts.get(day, 0)
        cells.append(Cell(x, TOP + day.weekday() * (CELL + GAP), day, count, level(count, busiest)))
        day += timedelta(days=1)
    in_range = [c for c in cells if c.count]
    return Heatmap(
        cells=cells,
        months=months[1:] if len(months) > 1 and months[1][0] - months[0][0] < 3 * CELL else months,
        width=LEFT + weeks * (CELL + GAP),
        height=TOP + 7 * (CELL + GAP),
        total=sum(c.count for c in in_range),
        active_days=len(in_range),
    )


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    label: str


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    #: the value of the top grid line, and its y
    top_value: int
    baseline: float


def nice_ceiling(value: int) -> int:
    """A round number at or above `value` for the top of a chart's scale (1, 2, 5, 10, 20…)."""
    if value <= 0:
        return 1
    magnitude = 10 ** int(math.floor(math.log10(value)))
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def bar_chart(
    values: list[tuple[str, int]], width: int = 600, height: int = 160, bottom: int = 18
) -> BarChart:
    """Vertical bars for labelled values, scaled to a round maximum."""
    top_value = nice_ceiling(max((v for _l, v in values), default=0))
    plot = height - bottom - 4
    slot = width / max(1, len(values))
    bars = []
    for i, (label, value) in enumerate(values):
        h = plot * value / top_value
        bars.append(
            Bar(
                x=round(i * slot + slot * 0.15, 2),
                y=round(4 + plot - h, 2),
                width=round(slot * 0.7, 2),
                height=round(h, 2),
                value=value,
                label=label,
            )
        )
    return BarChart(bars=bars, width=width, height=height, top_value=top_value,
                    baseline=4 + plot)  # fmt: skip


# --------------------------------------------------------------------------- calibration


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    r: float
    #: predicted and actual recall (0–1), and the reviews behind the point
    predicted: float
    actual: float
    count: int


@dataclass(frozen=True)
class CalibrationChart:
    points: list[Point]
    size: int
    pad: int
    #: (value, position) of the grid lines on both axes
    ticks: list[tuple[int, float]]


def calibration_chart(bins, size: int = 260, pad: int = 34) -> CalibrationChart:
    """A square chart of predicted (x) against actual (y) recall; a perfect model lies on the
    diagonal. Dots grow with the number of reviews behind them."""
    plot = size - 2 * pad
    busiest = max((b.count for b in bins), default=1)
    points = [
        Point(
            x=round(pad + plot * b.predicted, 1),
            y=round(pad + plot * (1 - b.actual), 1),
            r=round(3 + 6 * math.sqrt(b.count / busiest), 1),
            predicted=b.predicted,
            actual=b.actual,
            count=b.count,
        )
        for b in bins
    ]
    ticks = [(v, round(pad + plot * v / 100, 1)) for v in (0, 25, 50, 75, 100)]
    return CalibrationChart(points=points, size=size, pad=pad, ticks=ticks)

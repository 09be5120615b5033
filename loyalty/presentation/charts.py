"""Charts for the retailer's reports (SPEC §7): time buckets and bar geometry, no ORM, no HTML.

The reports count things per day or per week in the database; these functions turn those plain
numbers into the shapes a template draws as inline SVG, so the chart needs no JavaScript and the
arithmetic is tested on its own.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

DAY = "day"
WEEK = "week"
# Up to about two months a bar per day stays readable; beyond that a bar per week.
MAX_DAYS_PER_DAY_BARS = 62
MAX_X_LABELS = 10


def period_unit(start: date, end: date) -> str:
    """A bar per day for ranges up to about two months, a bar per week beyond."""
    return DAY if (end - start).days + 1 <= MAX_DAYS_PER_DAY_BARS else WEEK


def period_start(day: date, unit: str) -> date:
    """The first day of the period holding `day`; weeks start on Monday, as SQL truncates them."""
    return day - timedelta(days=day.weekday()) if unit == WEEK else day


def period_starts(start: date, end: date, unit: str) -> list[date]:
    """Every period from the one holding `start` to the one holding `end`, none missing."""
    step = timedelta(days=7 if unit == WEEK else 1)
    first, last = period_start(start, unit), period_start(end, unit)
    return [first + step * n for n in range((last - first) // step + 1)]


def axis_label(day: date) -> str:
    """Short, for under the x axis: "Mar 2"."""
    return f"{day:%b} {day.day}"


def period_label(day: date, unit: str) -> str:
    """Long, for tooltips and the table: "Mar 2, 2026" or "Week of Mar 2, 2026"."""
    text = f"{day:%b} {day.day}, {day.year}"
    return f"Week of {text}" if unit == WEEK else text


def fill_periods(periods: Sequence[date], counts: Mapping[date, int]) -> list[int]:
    """Counts in period order with 0 for a period that had nothing."""
    return [int(counts.get(period, 0)) for period in periods]


def nice_step(value: float) -> int:
    """The smallest 1, 2 or 5 times a power of ten that is at least `value` (at least 1)."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for factor in (1, 2, 5, 10):
        if factor * power >= value:
            return int(factor * power)
    return int(10 * power)  # pragma: no cover - the loop always returns


def axis_ticks(max_value: int, *, count: int = 4) -> list[int]:
    """Round numbers from 0 up to at least `max_value`, about `count` steps apart."""
    step = nice_step(max_value / count)
    top = max(step, math.ceil(max_value / step) * step)
    return list(range(0, top + 1, step))


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    series: int
    label: str  # what a tooltip and a screen reader say: "Mar 3, 2026, Punches: 12"


@dataclass(frozen=True)
class Tick:
    position: float
    text: str


@dataclass(frozen=True)
class BarChart:
    title: str
    summary: str
    width: int
    height: int
    left: int
    top: int
    bottom: int  # the y of the x axis
    right: int
    series_names: tuple[str, ...]
    bars: tuple[Bar, ...]
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]
    rows: tuple[tuple[str, tuple[int, ...]], ...]  # the table fallback: label and each value

    @property
    def is_empty(self) -> bool:
        return all(bar.value == 0 for bar in self.bars)


def grouped_bar_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    long_labels: Sequence[str] | None = None,
    period_name: str = "period",
    width: int = 720,
    height: int = 240,
) -> BarChart:
    """One group of bars per label, one bar per series, all on one scale from 0 to a round top.

    `labels` go under the axis (thinned out to about ten); `long_labels`, when given, name each
    period in tooltips and in the table fallback.
    """
    names = _period_names(labels, long_labels, series)
    left, right, top, bottom = 48, width - 8, 12, height - 28
    ticks = axis_ticks(max((max(values, default=0) for _, values in series), default=0))
    scale = (bottom - top) / ticks[-1]
    group = (right - left) / max(len(labels), 1)
    return BarChart(
        title=title,
        summary=_summary(len(labels), series, period_name),
        width=width,
        height=height,
        left=left,
        top=top,
        bottom=bottom,
        right=right,
        series_names=tuple(name for name, _ in series),
        bars=_bars(names, series, left=left, bottom=bottom, group=group, scale=scale),
        y_ticks=tuple(Tick(round(bottom - tick * scale, 2), str(tick)) for tick in ticks),
        x_ticks=_x_ticks(labels, left=left, group=group),
        rows=_table_rows(names, series),
    )


def _period_names(
    labels: Sequence[str],
    long_labels: Sequence[str] | None,
    series: Sequence[tuple[str, Sequence[int]]],
) -> list[str]:
    """What names each period in tooltips and the table; refuses data that misses a period."""
    names = list(long_labels) if long_labels is not None else list(labels)
    if len(names) != len(labels):
        raise ValueError("long_labels must name every period.")
    for name, values in series:
        if len(values) != len(labels):
            raise ValueError(f"{name} has {len(values)} values for {len(labels)} periods.")
    return names


def _bars(
    names: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    *,
    left: float,
    bottom: float,
    group: float,
    scale: float,
) -> tuple[Bar, ...]:
    """The bars period by period, each period's series side by side in 80% of its width."""
    bar_width = group * 0.8 / max(len(series), 1)
    bars = []
    for index in range(len(names)):
        for number, (name, values) in enumerate(series):
            value = int(values[index])
            bars.append(
                Bar(
                    x=round(left + group * (index + 0.1) + bar_width * number, 2),
                    y=round(bottom - value * scale, 2),
                    width=round(bar_width, 2),
                    height=round(value * scale, 2),
                    value=value,
                    series=number,
                    label=f"{names[index]}, {name}: {value}",
                )
            )
    return tuple(bars)


def _x_ticks(labels: Sequence[str], *, left: float, group: float) -> tuple[Tick, ...]:
    """Labels under the middle of their period, thinned out to at most MAX_X_LABELS."""
    every = math.ceil(len(labels) / MAX_X_LABELS) if labels else 1
    return tuple(
        Tick(round(left + group * (index + 0.5), 2), label)
        for index, label in enumerate(labels)
        if index % every == 0
    )


def _summary(periods: int, series: Sequence[tuple[str, Sequence[int]]], period_name: str) -> str:
    totals = ", ".join(f"{name} {sum(values)}" for name, values in series)
    plural = "" if periods == 1 else "s"
    return f"Total over {periods} {period_name}{plural}: {totals}."


def _table_rows(
    names: Sequence[str], series: Sequence[tuple[str, Sequence[int]]]
) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """The table fallback: each period's name and its value in every series."""
    return tuple(
        (names[index], tuple(int(values[index]) for _, values in series))
        for index in range(len(names))
    )

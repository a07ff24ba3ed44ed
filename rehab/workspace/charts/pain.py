"""The pain trajectory chart of the patient page.

`pain_chart` takes plain data (dated back/hip pain readings, phase periods,
the current phase's pain thresholds) and returns the geometry of an SVG in
user units; `templates/rehab/includes/pain_chart.svg.html` draws it. Series
differ by colour *and* by dash and marker shape, so a black-and-white print
stays readable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import mark_safe

from content.codes import PAIN_MAX, Phase
from content.display import label_of

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 40, 28, 24, 34
MAX_X_TICKS = 8
MONTHS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")



@dataclass(frozen=True)
class Reading:
    date: dt.date
    activity: int | None
    rest: int | None
    is_visit: bool = True


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: int
    date: dt.date
    is_visit: bool


@dataclass
class Series:
    key: str
    label: str
    points: list[Point] = field(default_factory=list)

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def markers(self) -> str:
        """The SVG markers of every point, each with its title: activity a
        circle, rest a square, hollow for a self-report. Built here in one
        pass, not by the template point by point: a patient with a long
        record has hundreds of points, and the page must not slow with them.
        Only numbers and dates go in besides the escaped label."""
        label, circle = escape(self.label), self.key == "activity"
        markers = []
        for p in self.points:
            css = f"marker marker-{self.key}{'' if p.is_visit else ' marker-self'}"
            title = f"{label} {p.value}/10 on {p.date.day} {MONTHS[p.date.month]} {p.date.year}"
            title += "" if p.is_visit else " (self-report)"
            if circle:
                markers.append(f'<circle class="{css}" cx="{p.x:.1f}" cy="{p.y:.1f}" r="4"><title>{title}</title></circle>')
            else:
                markers.append(f'<rect class="{css}" x="{p.x - 4:.1f}" y="{p.y - 4:.1f}" width="8" height="8">'
                               f"<title>{title}</title></rect>")
        return mark_safe("\n".join(markers))  # noqa: S308 - numbers, dates and the escaped label only


@dataclass(frozen=True)
class Band:
    phase: str
    label: str
    x: float
    width: float


@dataclass(frozen=True)
class Threshold:
    label: str
    value: int
    y: float
    key: str


@dataclass(frozen=True)
class Tick:
    pos: float
    label: str


@dataclass
class PainChart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    start: dt.date
    end: dt.date
    series: list[Series]
    bands: list[Band]
    thresholds: list[Threshold]
    x_ticks: list[Tick]
    y_ticks: list[Tick]

    @property
    def has_data(self) -> bool:
        return any(s.points for s in self.series)

    @property
    def plot_height(self) -> int:
        return self.plot_bottom - self.plot_top


def pain_chart(readings, *, periods=(), thresholds=(), start: dt.date, end: dt.date) -> PainChart:
    """Geometry of the chart from `start` to `end`.

    readings: Reading values; periods: (phase, start, end) tuples;
    thresholds: (key, label, value) with key "activity" or "rest".
    """
    readings = sorted(readings, key=lambda r: r.date)
    if readings:
        start, end = min(start, readings[0].date), max(end, readings[-1].date)
    if end <= start:
        end = start + dt.timedelta(days=7)
    span = (end - start).days
    plot_right, plot_bottom = WIDTH - RIGHT, HEIGHT - BOTTOM

    def x_of(day: dt.date) -> float:
        return LEFT + (day - start).days / span * (plot_right - LEFT)

    def y_of(value: int) -> float:
        return plot_bottom - value / PAIN_MAX * (plot_bottom - TOP)

    series = [Series("activity", "Activity pain"), Series("rest", "Rest pain")]
    for reading in readings:
        for line in series:
            value = getattr(reading, line.key)
            if value is not None:
                line.points.append(Point(x_of(reading.date), y_of(value), value, reading.date, reading.is_visit))

    bands = []
    for phase, band_start, band_end in periods:
        band_start, band_end = max(band_start, start), min(band_end, end)
        if band_end > band_start:
            bands.append(Band(phase, label_of(Phase, phase), x_of(band_start),
                              x_of(band_end) - x_of(band_start)))

    return PainChart(
        width=WIDTH, height=HEIGHT, plot_left=LEFT, plot_right=plot_right, plot_top=TOP,
        plot_bottom=plot_bottom, start=start, end=end, series=series, bands=bands,
        thresholds=[Threshold(label, value, y_of(value), key) for key, label, value in thresholds],
        x_ticks=_date_ticks(start, end, x_of),
        y_ticks=[Tick(y_of(v), str(v)) for v in range(0, PAIN_MAX + 1, 2)],
    )


def _date_ticks(start: dt.date, end: dt.date, x_of) -> list[Tick]:
    """Ticks every whole number of weeks from the start, at most MAX_X_TICKS."""
    weeks = (end - start).days / 7
    step = max(1, -(-int(weeks) // (MAX_X_TICKS - 1)))
    ticks, day = [], start
    while day <= end:
        ticks.append(Tick(x_of(day), f"{day.day} {day:%b}"))
        day += dt.timedelta(weeks=step)
    return ticks

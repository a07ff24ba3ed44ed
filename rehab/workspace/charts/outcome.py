"""A small trend chart per outcome measure on the patient page (DESIGN §9):
the readings over time, the baseline as a line and the meaningful (or
minimal detectable) change around it as a band. Plain geometry in SVG user
units; `templates/rehab/includes/outcome_chart.svg.html` draws it. The band
is hatched as well as tinted, so it survives a black-and-white print.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from content.display import number_text

WIDTH, HEIGHT = 340, 130
LEFT, RIGHT, TOP, BOTTOM = 36, 12, 12, 24


@dataclass(frozen=True)
class TrendPoint:
    x: float
    y: float
    date: dt.date
    text: str


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    points: list[TrendPoint]
    baseline_y: float | None
    band_top: float | None
    band_bottom: float | None
    y_ticks: list[tuple[float, str]]
    start: dt.date
    end: dt.date

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def plot_width(self) -> int:
        return self.plot_right - self.plot_left

    @property
    def band_height(self) -> float:
        return (self.band_bottom or 0) - (self.band_top or 0)


def trend_chart(readings, *, band=None, decimals: int = 0, start: dt.date, end: dt.date) -> TrendChart:
    """readings: [(date, value)] oldest first; band: the change either side of the baseline."""
    readings = sorted(readings, key=lambda r: r[0])
    values = [Decimal(str(v)) for _, v in readings]
    if readings:
        start, end = min(start, readings[0][0]), max(end, readings[-1][0])
    if end <= start:
        end = start + dt.timedelta(days=7)
    baseline = values[0] if values else None
    band = Decimal(str(band)) if band is not None else None
    lows, highs = list(values), list(values)
    if baseline is not None and band is not None:
        lows.append(baseline - band)
        highs.append(baseline + band)
    low, high = (min(lows), max(highs)) if lows else (Decimal(0), Decimal(1))
    if high == low:
        low, high = low - 1, high + 1
    pad = (high - low) / 10
    low, high = low - pad, high + pad
    plot_right, plot_bottom = WIDTH - RIGHT, HEIGHT - BOTTOM
    span = (end - start).days

    def x_of(day: dt.date) -> float:
        return LEFT + (day - start).days / span * (plot_right - LEFT)

    def y_of(value: Decimal) -> float:
        return float(plot_bottom - (value - low) / (high - low) * (plot_bottom - TOP))

    points = [TrendPoint(x_of(d), y_of(v), d, number_text(v, decimals)) for (d, _), v in zip(readings, values,
                                                                                            strict=True)]
    has_band = baseline is not None and band is not None
    return TrendChart(
        width=WIDTH, height=HEIGHT, plot_left=LEFT, plot_right=plot_right, plot_top=TOP, plot_bottom=plot_bottom,
        points=points,
        baseline_y=y_of(baseline) if baseline is not None else None,
        band_top=y_of(baseline + band) if has_band else None,
        band_bottom=y_of(baseline - band) if has_band else None,
        # The lowest and highest scores given (not the band's edges, which no one scored).
        y_ticks=[(y_of(v), number_text(v, decimals)) for v in sorted({min(values), max(values)})] if values
        else [(y_of(v), number_text(v, decimals)) for v in (low + pad, high - pad)],
        start=start, end=end,
    )

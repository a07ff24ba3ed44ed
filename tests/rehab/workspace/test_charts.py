"""The pain trajectory chart: geometry from plain data, no database."""

import datetime as dt
from decimal import Decimal

from rehab.workspace.charts.outcome import trend_chart
from rehab.workspace.charts.pain import HEIGHT, WIDTH, Reading, pain_chart

START = dt.date(2026, 6, 8)


def chart(readings=(), **kw):
    kw.setdefault("start", START)
    kw.setdefault("end", START + dt.timedelta(days=70))
    return pain_chart(readings, **kw)


def test_pain_maps_to_height_with_zero_at_the_bottom_and_ten_at_the_top():
    c = chart([Reading(START, activity=0, rest=10)])
    activity, rest = c.series
    assert activity.points[0].y == c.plot_bottom
    assert rest.points[0].y == c.plot_top


def test_dates_map_left_to_right_across_the_plot():
    c = chart([Reading(START, 5, None), Reading(START + dt.timedelta(days=70), 3, None)])
    first, last = c.series[0].points
    assert (first.x, last.x) == (c.plot_left, c.plot_right)
    assert c.series[1].points == []


def test_missing_values_are_skipped_not_drawn_as_zero():
    c = chart([Reading(START, 6, None), Reading(START + dt.timedelta(days=7), None, 2)])
    assert [p.value for p in c.series[0].points] == [6]
    assert [p.value for p in c.series[1].points] == [2]


def test_phase_periods_become_shaded_bands_in_order():
    periods = [("normalise", START, START + dt.timedelta(days=35)),
               ("rebuild", START + dt.timedelta(days=35), START + dt.timedelta(days=70))]
    c = chart(periods=periods)
    assert [b.phase for b in c.bands] == ["normalise", "rebuild"]
    assert c.bands[0].x == c.plot_left
    assert abs(c.bands[0].x + c.bands[0].width - c.bands[1].x) < 1e-9
    assert abs(c.bands[1].x + c.bands[1].width - c.plot_right) < 1e-9


def test_thresholds_are_horizontal_lines_at_their_pain_level():
    c = chart(thresholds=[("activity", "Activity exit ≤ 4", 4)])
    (line,) = c.thresholds
    assert line.y == c.plot_bottom - 0.4 * (c.plot_bottom - c.plot_top)
    assert line.label == "Activity exit ≤ 4"


def test_readings_outside_the_range_widen_it_and_self_reports_are_marked():
    early = START - dt.timedelta(days=3)
    c = chart([Reading(early, 5, 2, is_visit=False)])
    assert c.start == early
    assert c.series[0].points[0].is_visit is False


def test_chart_fits_its_viewbox_and_has_readable_ticks():
    c = chart([Reading(START, 5, 2)], end=START + dt.timedelta(days=200))
    assert (c.width, c.height) == (WIDTH, HEIGHT)
    assert 2 <= len(c.x_ticks) <= 8
    assert all(c.plot_left <= t.pos <= c.plot_right for t in c.x_ticks)
    assert [t.label for t in c.y_ticks] == ["0", "2", "4", "6", "8", "10"]


def test_an_empty_chart_has_no_data():
    assert chart().has_data is False
    assert chart([Reading(START, 1, None)]).has_data is True


def test_markers_are_a_circle_per_activity_point_and_a_square_per_rest_point_with_their_titles():
    from django.template.loader import render_to_string

    chart = pain_chart([Reading(dt.date(2026, 3, 2), 6, 2), Reading(dt.date(2026, 3, 9), 4, None, is_visit=False)],
                       start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))
    svg = render_to_string("rehab/includes/pain_chart.svg.html", {"chart": chart})
    plot = svg[:svg.index("</svg>")]  # not the legend
    assert plot.count('<circle class="marker marker-activity" ') == 1
    assert plot.count('<circle class="marker marker-activity marker-self" ') == 1
    assert plot.count('<rect class="marker marker-rest" ') == 1
    assert "<title>Activity pain 6/10 on 2 Mar 2026</title>" in svg
    assert "<title>Activity pain 4/10 on 9 Mar 2026 (self-report)</title>" in svg
    rest = chart.series[1].points[0]
    assert f'x="{rest.x - 4:.1f}" y="{rest.y - 4:.1f}" width="8" height="8"><title>Rest pain 2/10 on 2 Mar 2026' in svg


def test_a_trend_labels_the_lowest_and_highest_scores_not_the_change_bands_edges():
    chart = trend_chart([(dt.date(2026, 9, 1), Decimal("2.67")), (dt.date(2026, 10, 1), Decimal("7.67"))],
                        band=Decimal(2), decimals=2, start=dt.date(2026, 9, 1), end=dt.date(2026, 10, 5))
    assert [label for _, label in chart.y_ticks] == ["2.67", "7.67"]
    flat = trend_chart([(dt.date(2026, 9, 1), Decimal(5))], band=Decimal(2), start=dt.date(2026, 9, 1),
                       end=dt.date(2026, 9, 8))
    assert [label for _, label in flat.y_ticks] == ["5"]

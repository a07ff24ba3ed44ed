"""The adherence rule (DESIGN 9): days with exercises done ÷ days in the
window, over the last 7 and 28 days or since the plan started."""

import datetime as dt

import pytest

from rehab.rules.adherence import adherence_over, flag_advice, plan_start

AS_OF = dt.date(2026, 12, 5)
LONG_AGO = dt.date(2026, 6, 8)


def days_ago(*ns):
    return [AS_OF - dt.timedelta(days=n) for n in ns]


def test_the_7_day_window_is_today_and_the_6_days_before():
    week = adherence_over(days_ago(0, 6, 7), plan_start=LONG_AGO, as_of=AS_OF, days=7)
    assert (week.days_done, week.days, week.start) == (2, 7, AS_OF - dt.timedelta(days=6))
    assert not week.shortened


def test_the_28_day_window_counts_day_27_and_not_day_28():
    month = adherence_over(days_ago(27, 28, 40), plan_start=LONG_AGO, as_of=AS_OF, days=28)
    assert (month.days_done, month.days) == (1, 28)


def test_a_day_counts_once_however_many_exercises_were_marked():
    days = days_ago(1, 1, 1, 2)
    assert adherence_over(days, plan_start=LONG_AGO, as_of=AS_OF, days=7).days_done == 2


def test_a_mark_after_as_of_does_not_count():
    week = adherence_over([AS_OF + dt.timedelta(days=1)], plan_start=LONG_AGO, as_of=AS_OF, days=7)
    assert week.days_done == 0


def test_a_plan_started_3_days_ago_shortens_both_windows_to_4_days():
    start = AS_OF - dt.timedelta(days=3)
    for days in (7, 28):
        figure = adherence_over(days_ago(0, 1, 3), plan_start=start, as_of=AS_OF, days=days)
        assert (figure.days_done, figure.days, figure.start, figure.shortened) == (3, 4, start, True)
        assert figure.percent == 75


def test_a_plan_started_exactly_7_days_ago_is_not_a_shortened_week():
    start = AS_OF - dt.timedelta(days=6)
    week = adherence_over([], plan_start=start, as_of=AS_OF, days=7)
    assert (week.days, week.shortened) == (7, False)
    month = adherence_over([], plan_start=start, as_of=AS_OF, days=28)
    assert (month.days, month.shortened) == (7, True)


def test_a_plan_starting_today_is_a_one_day_window():
    assert adherence_over([AS_OF], plan_start=AS_OF, as_of=AS_OF, days=28).percent == 100


def test_no_figure_before_the_plan_starts():
    assert adherence_over([], plan_start=AS_OF + dt.timedelta(days=1), as_of=AS_OF, days=7) is None


@pytest.mark.parametrize(("done", "days", "percent", "low"), [
    (14, 28, 50, False),  # exactly half is not "under 50 %"
    (13, 28, 46, True),
    (1, 2, 50, False),
    (1, 3, 33, True),
    (2, 3, 67, False),
    (0, 28, 0, True),
])
def test_percent_and_low(done, days, percent, low):
    start = AS_OF - dt.timedelta(days=days - 1)
    figure = adherence_over(days_ago(*range(done)), plan_start=start, as_of=AS_OF, days=28)
    assert (figure.percent, figure.is_low) == (percent, low)


def test_the_plan_starts_with_the_programme():
    assert plan_start(programme_start=LONG_AGO, first_planned=None, first_marked=None, first_link=LONG_AGO) == LONG_AGO
    # Planned before the programme started (registered ahead): the programme start.
    assert plan_start(programme_start=LONG_AGO, first_planned=LONG_AGO - dt.timedelta(days=3),
                      first_marked=None, first_link=LONG_AGO) == LONG_AGO


def test_a_patient_given_the_plan_after_the_programme_started_starts_then():
    registered = AS_OF - dt.timedelta(days=2)
    assert plan_start(programme_start=LONG_AGO, first_planned=registered, first_marked=None,
                      first_link=registered) == registered
    assert plan_start(programme_start=LONG_AGO, first_planned=registered, first_marked=AS_OF,
                      first_link=registered) == registered


def test_a_patient_without_a_portal_link_has_not_started_ticking():
    """Nowhere to tick, nothing to count: not 0 %."""
    assert plan_start(programme_start=LONG_AGO, first_planned=LONG_AGO, first_marked=None, first_link=None) is None
    assert adherence_over([], plan_start=None, as_of=AS_OF, days=28) is None


def test_a_plan_ticked_only_from_the_first_portal_link_starts_there():
    linked = AS_OF - dt.timedelta(days=5)
    assert plan_start(programme_start=LONG_AGO, first_planned=LONG_AGO, first_marked=None,
                      first_link=linked) == linked
    # Marks from before the link (imported): the plan was ticked all along.
    early = LONG_AGO + dt.timedelta(days=3)
    assert plan_start(programme_start=LONG_AGO, first_planned=LONG_AGO, first_marked=early,
                      first_link=linked) == LONG_AGO


def test_marks_from_before_the_plan_reached_kinetic_mean_it_started_with_the_programme():
    imported = AS_OF
    assert plan_start(programme_start=LONG_AGO, first_planned=imported,
                      first_marked=LONG_AGO + dt.timedelta(days=20), first_link=imported) == LONG_AGO
    # ... and never after the first mark.
    early = LONG_AGO - dt.timedelta(days=2)
    assert plan_start(programme_start=LONG_AGO, first_planned=imported, first_marked=early,
                      first_link=imported) == early


def _month(done):
    return adherence_over(days_ago(*range(done)), plan_start=LONG_AGO, as_of=AS_OF, days=28)


def test_plateau_advice_says_to_check_low_adherence_first():
    advice = flag_advice("plateau_12w", "Carry out a comprehensive review.", _month(9))
    assert advice == (
        "Adherence over the last 28 days is 32 % (9 of 28 days with exercises done): check adherence before "
        "escalating. Carry out a comprehensive review."
    )


@pytest.mark.parametrize(("code", "done"), [("plateau_12w", 14), ("pain_regression", 3), ("dvt_signs", 0)])
def test_other_advice_is_unchanged(code, done):
    assert flag_advice(code, "Review.", _month(done)) == "Review."


def test_plateau_advice_without_a_figure_is_unchanged():
    assert flag_advice("plateau_12w", "Review.", None) == "Review."

"""The portal's limits (DESIGN 4.4): at most 10 self-reports per link per
clinic day, the same report resent within 10 minutes is the same report, at
most one email per patient and code per 24 hours — and the patient is never
left without the advice for what they ticked."""

import datetime as dt
from collections import Counter

import pytest
import time_machine

from content.codes import Symptom
from content.flag_kinds import FLAG_KINDS, FlagCode
from patients.models import Entry
from portal.self_reports import DAILY_LIMIT
from portal.wording import in_clinic_words
from rehab.models import Flag
from tests.portal.flow import report_steps

pytestmark = pytest.mark.django_db

# 11:00 in the clinic (Europe/London, summer time).
MORNING = dt.datetime(2026, 7, 15, 10, tzinfo=dt.UTC)

CALF = {"symptoms": [Symptom.CALF_SWELLING], "pain_lumbar_bilateral_activity": "4"}
SADDLE = {"symptoms": [Symptom.SADDLE_NUMBNESS]}
NOT_SAVED = "Your report was not saved"


@pytest.fixture
def clock():
    with time_machine.travel(MORNING, tick=False) as traveller:
        yield traveller


@pytest.fixture
def send(client, portal, django_capture_on_commit_callbacks):
    """send(data) -> response, with the engine's on-commit work (flags, emails) run."""
    _, token = portal

    def post(data):
        with django_capture_on_commit_callbacks(execute=True):
            return report_steps(client, token, data)

    return post


def reports(patient):
    return Entry.objects.filter(patient=patient, kind=Entry.SELF_REPORT)


def emails_by_code(outbox):
    # Subject: "[Kinetic] SAME DAY: Possible DVT — patient P-0001"
    return Counter(message.subject.split(": ", 1)[1].split(" — ")[0] for message in outbox)


def test_a_hundred_posts_through_one_link_save_ten_reports_and_email_once_per_code(
    clock, send, planned_patient, physio, mailoutbox
):
    bodies = [
        CALF,
        SADDLE,
        {"pain_knee_rest": "3"},
        {"symptoms": [Symptom.FOOT_DROP, Symptom.CALF_SWELLING]},
        CALF,
    ]
    responses = []
    for n in range(100):
        # Identical bodies over and over, and bodies that differ each time.
        data = bodies[n % len(bodies)] if n % 2 else {**SADDLE, "pain_lateral_hip_rest": str(n % 11)}
        responses.append(send(data))
        clock.shift(dt.timedelta(seconds=40))  # 100 posts over ~67 minutes, one clinic day

    assert reports(planned_patient).count() == DAILY_LIMIT
    assert all(r.status_code in (200, 302) for r in responses)
    assert {r.status_code for r in responses[-20:]} == {200}
    # Every refused report still told the patient what to do about saddle numbness.
    for response in responses[-20:]:
        page = response.content.decode()
        assert NOT_SAVED in page
        if "saddle_numbness" in str(response.wsgi_request.POST.getlist("symptoms")):
            assert "Go to the emergency department now" in page
            assert FLAG_KINDS[FlagCode.CAUDA_EQUINA].patient_advice in page
    per_code = emails_by_code(mailoutbox)
    assert per_code and max(per_code.values()) == 1
    assert {m.to[0] for m in mailoutbox} == {physio.email}
    # Several saved reports raised cauda_equina: all open, all on the caseload,
    # only the first emailed, the others marked handled without an email.
    cauda = Flag.objects.filter(patient=planned_patient, code=FlagCode.CAUDA_EQUINA)
    assert cauda.count() > 1
    assert cauda.needs_attention().count() == cauda.count()
    assert cauda.filter(notified_at__isnull=False).count() == cauda.count()
    assert cauda.filter(email_suppressed=False).count() == 1


def test_the_same_report_resent_within_ten_minutes_is_the_same_report(clock, send, planned_patient, mailoutbox):
    first = send(CALF)
    clock.shift(dt.timedelta(minutes=9, seconds=59))
    again = send({"pain_lumbar_bilateral_activity": "4", "symptoms": [Symptom.CALF_SWELLING]})
    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert reports(planned_patient).count() == 1
    assert Flag.objects.filter(patient=planned_patient).count() == 1
    assert len(mailoutbox) == 1


def test_the_same_report_after_ten_minutes_is_a_new_report(clock, send, planned_patient, mailoutbox):
    first = send(CALF)
    clock.shift(dt.timedelta(minutes=10, seconds=1))
    later = send(CALF)
    assert later.status_code == 302 and later["Location"] != first["Location"]
    assert reports(planned_patient).count() == 2
    # A second DVT flag for the physio to see, but no second email within 24 hours.
    assert Flag.objects.filter(patient=planned_patient, code=FlagCode.DVT_SIGNS).needs_attention().count() == 2
    assert len(mailoutbox) == 1


@pytest.mark.parametrize("changed", [
    {"symptoms": [Symptom.CALF_SWELLING], "pain_lumbar_bilateral_activity": "5"},
    {"symptoms": [Symptom.CALF_SWELLING]},
    {"symptoms": [Symptom.CALF_SWELLING, Symptom.FEVER], "pain_lumbar_bilateral_activity": "4"},
], ids=["other-score", "score-left-out", "another-symptom"])
def test_a_different_report_within_ten_minutes_is_saved(clock, send, planned_patient, changed):
    first = send(CALF)
    clock.shift(dt.timedelta(minutes=1))
    second = send(changed)
    assert second["Location"] != first["Location"]
    assert reports(planned_patient).count() == 2


def test_the_result_of_a_resent_report_shows_its_advice_again(clock, send, client, planned_patient):
    send(SADDLE)
    again = send(SADDLE)
    page = client.get(again["Location"]).content.decode()
    assert "Go to the emergency department now" in page
    assert "Your report has been saved" in page


def fill_the_day(send, clock):
    for n in range(DAILY_LIMIT):
        assert send({"pain_knee_rest": str(n)}).status_code == 302
        clock.shift(dt.timedelta(minutes=1))


def test_over_the_limit_a_red_flag_still_gets_its_advice_and_nothing_is_saved(
    clock, send, planned_patient, mailoutbox
):
    fill_the_day(send, clock)
    mailoutbox.clear()
    flags_before = Flag.objects.count()

    response = send({"symptoms": [Symptom.SADDLE_NUMBNESS, Symptom.CALF_SWELLING]})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Go to the emergency department now" in page
    assert FLAG_KINDS[FlagCode.CAUDA_EQUINA].patient_advice in page
    dvt_advice = in_clinic_words(FLAG_KINDS[FlagCode.DVT_SIGNS].patient_advice, planned_patient.clinic)
    assert dvt_advice in page
    assert page.index(FLAG_KINDS[FlagCode.CAUDA_EQUINA].patient_advice) < page.index(dvt_advice)
    assert NOT_SAVED in page and "Please call Riverside Physio" in page
    assert "has been saved" not in page
    assert reports(planned_patient).count() == DAILY_LIMIT
    assert Flag.objects.count() == flags_before
    assert mailoutbox == []


def test_over_the_limit_a_report_without_red_flags_says_it_was_not_saved(clock, send, planned_patient):
    fill_the_day(send, clock)
    response = send({"pain_knee_rest": "2", "pain_lumbar_bilateral_rest": "6"})
    page = response.content.decode()
    assert response.status_code == 200
    assert NOT_SAVED in page and "Please call Riverside Physio" in page
    assert "When to get help quickly" in page  # the warning signs, still
    assert reports(planned_patient).count() == DAILY_LIMIT


def test_over_the_limit_a_resent_report_still_reaches_its_result(clock, send, planned_patient):
    fill_the_day(send, clock)
    last = send({"pain_knee_rest": str(DAILY_LIMIT - 1)})
    assert last.status_code == 302
    assert reports(planned_patient).count() == DAILY_LIMIT


def test_the_limit_starts_again_at_the_clinics_midnight(send, planned_patient):
    # 23:30 in London is 22:30 UTC: the clinic's day, not UTC's, is the one counted.
    with time_machine.travel(dt.datetime(2026, 7, 15, 22, 30, tzinfo=dt.UTC), tick=False) as clock:
        fill_the_day(send, clock)
        assert NOT_SAVED in send({"pain_knee_rest": "10"}).content.decode()
        clock.move_to(dt.datetime(2026, 7, 15, 23, 1, tzinfo=dt.UTC))  # 00:01 on the 16th in London
        assert send({"pain_knee_rest": "10"}).status_code == 302
    assert reports(planned_patient).filter(date=dt.date(2026, 7, 16)).count() == 1


def test_the_limit_is_per_link(clock, send, client, planned_patient, physio):
    from rehab.portal_links import portal_link_issue

    fill_the_day(send, clock)
    _, new_token = portal_link_issue(patient=planned_patient, issued_by=physio)
    assert report_steps(client, new_token, {"pain_knee_rest": "1"}).status_code == 302


def test_the_limit_holds_with_redis_down(clock, send, planned_patient, settings):
    # A real client pointed at a port where no Redis listens.
    settings.CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }}
    for n in range(DAILY_LIMIT + 5):
        response = send({"pain_knee_rest": str(n % 11), "pain_lateral_hip_rest": str(n // 11)})
        assert response.status_code in (200, 302)
        clock.shift(dt.timedelta(minutes=1))
    assert reports(planned_patient).count() == DAILY_LIMIT

"""The record history page: who changed a patient's record, readable, in the
clinic's words; scoped to the clinic; a fixed number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from patients.models import Entry
from rehab import flags
from rehab.entries import entry_create, entry_update
from rehab.models import Flag
from rehab.phase_moves import patient_move_phase
from rehab.portal_links import portal_link_issue, portal_link_revoke
from rehab.workspace.record_history import ENGINE, PATIENT_VIA_PORTAL

pytestmark = pytest.mark.django_db


def _history(client, patient, **params):
    return client.get(reverse("patient_history", args=[patient.pk]), params)


def _whats(response):
    return [change.what for change in response.context["changes"]]


@pytest.mark.parametrize("user_fixture", ["physio", "colleague", "clinic_admin"])
def test_clinic_staff_read_the_history(client, request, patient, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))

    response = _history(client, patient)

    assert response.status_code == 200
    assert "Patient record created" in response.content.decode()


def test_another_clinics_staff_get_404(client, patient, outsider):
    client.force_login(outsider)

    assert _history(client, patient).status_code == 404


def test_the_page_needs_a_login(client, patient):
    response = _history(client, patient)

    assert response.status_code == 302 and "/login/" in response.url


def test_the_patient_page_links_to_the_history(client, physio, patient):
    client.force_login(physio)

    body = client.get(reverse("patient_detail", args=[patient.pk])).content.decode()

    assert reverse("patient_history", args=[patient.pk]) in body


def test_a_visit_and_its_flag_read_in_clinic_words(client, physio, patient, record, day):
    record(patient, day(3), pain=[("lumbar_bilateral", "activity", 6)], symptoms=["calf_swelling"])
    client.force_login(physio)

    changes = _history(client, patient).context["changes"]

    by_what = {c.what: c for c in changes}
    raised = by_what["Flag raised: Signs of deep vein thrombosis (same day)"]
    assert (raised.who, raised.why) == (ENGINE, flags.RAISED)
    assert by_what["Pain score added to the visit of 11 Jun 2026"].details == [
        ("Lower back, both sides, activity", "—", "6/10")]
    assert by_what["Red-flag symptom ticked on the visit of 11 Jun 2026"].details == [
        ("Symptom", "—", "Calf swelling (operated leg)")]
    assert [c.what for c in changes][-1] == "Patient record created"


def test_editing_a_visit_lists_only_what_the_edit_changed(client, physio, patient, record, day):
    entry = record(patient, day(3), pain=[("lumbar_bilateral", "activity", 4), ("knee", "activity", 5)],
                   symptoms=["fever", "weight_loss"])
    client.force_login(physio)
    before = len(_history(client, patient).context["changes"])
    # Up a score, one removed, one added; one sign unticked, one kept, one ticked.
    entry_update(entry=entry, date=day(3), pain=[("lumbar_bilateral", "activity", 6), ("buttock_si", "rest", 3)],
                 symptoms=["weight_loss", "calf_swelling"])

    changes = _history(client, patient).context["changes"]
    edit = {(c.what, tuple(c.details)) for c in changes[:len(changes) - before]
            if c.kind in ("pain", "symptom")}
    on = "the visit of 11 Jun 2026"
    assert edit == {
        (f"Pain score changed on {on}", (("Lower back, both sides, activity", "4/10", "6/10"),)),
        (f"Pain score removed from {on}", (("Knee, activity", "5/10", "—"),)),
        (f"Pain score added to {on}", (("Buttock / sacroiliac, rest", "—", "3/10"),)),
        (f"Red-flag symptom removed from {on}", (("Symptom", "Fever", "—"),)),
        (f"Red-flag symptom ticked on {on}", (("Symptom", "—", "Calf swelling (operated leg)"),)),
    }


def test_engine_closes_and_reopens_are_listed_with_their_reasons(
    client, physio, patient, record, day, django_capture_on_commit_callbacks
):
    calf = [("lumbar_bilateral", "activity", 5)]
    entry = record(patient, day(3), pain=calf, symptoms=["calf_swelling"])
    with django_capture_on_commit_callbacks(execute=True):
        entry_update(entry=entry, date=day(3), pain=calf, symptoms=[])
    with django_capture_on_commit_callbacks(execute=True):
        entry_update(entry=entry, date=day(3), pain=calf, symptoms=["calf_redness"])
    client.force_login(physio)

    changes = _history(client, patient).context["changes"]

    closed = next(c for c in changes if c.what.startswith("Flag closed"))
    reopened = next(c for c in changes if c.what.startswith("Flag reopened"))
    assert closed.who == reopened.who == ENGINE
    assert closed.why == flags.NO_LONGER_PRESENT and reopened.why == flags.REOPENED
    assert changes.index(reopened) < changes.index(closed)  # newest first


def test_acknowledgement_phase_move_and_field_changes_name_the_physio(client, physio, colleague, patient, record, day):
    record(patient, day(3), symptoms=["calf_swelling"])
    flags.flag_acknowledge(flag=Flag.objects.get(patient=patient), user=physio, note="Sent for a Doppler scan.")
    patient_move_phase(patient=patient, to_phase="rebuild", expected_from="normalise", reason="Criteria met",
                       by=physio)
    patient.refresh_from_db()
    patient.physio = colleague
    patient._history_user = physio
    patient._change_reason = "Handover"
    patient.save()
    client.force_login(colleague)

    changes = _history(client, patient).context["changes"]

    handover = changes[0]
    assert (handover.what, handover.who, handover.why) == ("Patient record changed", "Jo Smith", "Handover")
    assert ("Physio", "Jo Smith", "Amir Khan") in handover.details
    ack = next(c for c in changes if c.what.startswith("Flag acknowledged"))
    assert ack.who == "Jo Smith" and ack.details == [("Note", "—", "Sent for a Doppler scan.")]
    move = next(c for c in changes if c.what.startswith("Phase move recorded"))
    assert move.what == "Phase move recorded: Normalise → Rebuild" and move.why == "Criteria met"
    phase_change = next(c for c in changes if c.what == "Patient record changed" and c.why.startswith("Phase move"))
    assert ("Phase", "Normalise", "Rebuild") in phase_change.details


def test_self_reports_are_by_the_patient_and_portal_links_show_no_token(client, physio, patient, record, day):
    record(patient, day(4), kind="self_report", pain=[("lateral_hip", "night", 4)])
    link, token = portal_link_issue(patient=patient, issued_by=physio)
    portal_link_revoke(patient=patient, revoked_by=physio)
    client.force_login(physio)

    response = _history(client, patient)

    changes = response.context["changes"]
    report = next(c for c in changes if c.what.startswith("Self-report of"))
    assert report.who == PATIENT_VIA_PORTAL
    linked = entry_create(patient=patient, kind="self_report", date=day(5), symptoms=["fever"], portal_link=link)
    sent = next(c for c in _history(client, patient).context["changes"]
                if c.what == f"Self-report of {day(5).day} {day(5):%b %Y} recorded")
    assert linked.portal_link_id and not [d for d in sent.details if d[0] == "Portal link"]  # no internal id
    assert {"Portal link issued", "Portal link revoked"} <= set(_whats(response))
    body = response.content.decode()
    assert link.token_hash not in body and token not in body


def _patient_edits(patient, physio, count):
    for n in range(count):
        patient.given_name = f"Mary{n}"
        patient._history_user = physio
        patient.save()


def _page_queries(client, patient):
    with CaptureQueriesContext(connection) as queries:
        assert _history(client, patient).status_code == 200
    return len(queries)


def test_the_page_costs_the_same_queries_for_3_and_30_changes(client, physio, clinic, record, day):
    from tests.factories import PatientFactory

    few, many = PatientFactory(clinic=clinic, physio=physio), PatientFactory(clinic=clinic, physio=physio)
    for patient, count in ((few, 3), (many, 30)):
        record(patient, day(3), pain=[("lumbar_bilateral", "activity", 6)], symptoms=["calf_swelling"])
        _patient_edits(patient, physio, count)
    client.force_login(physio)
    _page_queries(client, few)  # warm the session

    assert _page_queries(client, few) == _page_queries(client, many)


def test_the_history_is_paged_newest_first(client, physio, patient):
    _patient_edits(patient, physio, 60)
    client.force_login(physio)

    first, second = _history(client, patient), _history(client, patient, page=2)

    assert len(first.context["changes"]) == 50 and len(second.context["changes"]) == 11
    assert first.context["changes"][0].details == [("Given name", "Mary58", "Mary59")]
    assert second.context["changes"][-1].what == "Patient record created"
    dates = [c.when for c in first.context["changes"] + second.context["changes"]]
    assert dates == sorted(dates, reverse=True)


def test_a_flag_raised_through_a_physios_request_is_still_the_engines(client, physio, patient):
    """The engine runs when the physio's visit commits, inside their request:
    the raise is the engine's all the same (the visit is the physio's)."""
    client.force_login(physio)
    day = patient.programme_start + dt.timedelta(days=3)

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("visit_create", args=[patient.pk]), {
            "date": day.isoformat(), "symptoms": ["calf_swelling"]})

    assert response.status_code == 302
    raised = Flag.objects.get(patient=patient, code="dvt_signs").history.get()
    assert raised.history_user is None and raised.history_change_reason == flags.RAISED
    assert Entry.history.get(patient_id=patient.pk).history_user == physio

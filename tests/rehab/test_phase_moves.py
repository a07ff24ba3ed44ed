"""Moving a patient between phases from the workspace, including two physios
moving the same patient at the same moment."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from content.models import ExitCriterion
from content.models import Phase as ContentPhase
from rehab.models import Flag, PhaseTransition
from tests.factories import EntryFactory, FlagFactory


def move(client, patient, to_phase="rebuild", reason="Exit criteria met", expected_from="normalise", **kw):
    return client.post(reverse("phase_move", args=[patient.pk]),
                       {"to_phase": to_phase, "reason": reason, "expected_from": expected_from}, **kw)


def test_move_form_offers_forward_back_and_discharge_beside_the_criteria(client, physio, patient):
    patient.phase = "rebuild"
    patient.save()
    client.force_login(physio)
    html = client.get(reverse("phase_move", args=[patient.pk])).content.decode()
    assert "Forward to Integrate" in html
    assert "Back to Normalise" in html
    assert "Discharge" in html
    assert "Rebuild exit criteria" in html
    assert 'name="expected_from" value="rebuild"' in html


def test_moving_forward_records_a_transition_with_the_reason(client, physio, patient):
    FlagFactory(patient=patient, code="ready_to_progress", severity="info")
    client.force_login(physio)
    response = move(client, patient, reason="Pain 3/10, stands 25 min")
    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.phase == "rebuild"
    transition = PhaseTransition.objects.get(patient=patient)
    assert (transition.from_phase, transition.to_phase, transition.moved_by, transition.reason) == (
        "normalise", "rebuild", physio, "Pain 3/10, stands 25 min")
    assert Flag.objects.get(code="ready_to_progress").closed_at is not None
    page = client.get(response.url).content.decode()
    assert "Pain 3/10, stands 25 min" in page


def test_a_move_needs_a_reason(client, physio, patient):
    client.force_login(physio)
    response = move(client, patient, reason="  ")
    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["Give a reason for the move."]
    assert not PhaseTransition.objects.exists()


def test_discharge_and_back_are_possible(client, physio, patient):
    client.force_login(physio)
    move(client, patient, to_phase="discharged", reason="Goals met")
    patient.refresh_from_db()
    assert patient.phase == "discharged"
    move(client, patient, to_phase="normalise", reason="Flare, re-admitted", expected_from="discharged")
    patient.refresh_from_db()
    assert patient.phase == "normalise"
    assert PhaseTransition.objects.filter(patient=patient).count() == 2


def test_a_stale_form_gets_told_who_just_moved_the_patient(client, physio, colleague, patient):
    other = Client()
    other.force_login(colleague)
    move(other, patient)
    client.force_login(physio)
    response = move(client, patient, to_phase="discharged", follow=True)
    assert "This patient was just moved to Rebuild by Amir Khan" in response.content.decode()
    assert PhaseTransition.objects.filter(patient=patient).count() == 1
    patient.refresh_from_db()
    assert patient.phase == "rebuild"


@pytest.mark.django_db(transaction=True)
def test_two_physios_moving_at_the_same_moment_make_exactly_one_transition(physio, colleague, patient):
    """Two real transactions on PostgreSQL: both read the phase, then both post."""
    barrier = threading.Barrier(2, timeout=10)
    results = {}

    def physio_moves(user, to_phase):
        try:
            client = Client()
            client.force_login(user)
            form = client.get(reverse("phase_move", args=[patient.pk])).context["form"]
            expected_from = form.initial["expected_from"]
            barrier.wait()  # both have read "normalise" before either moves
            response = move(client, patient, to_phase=to_phase, expected_from=expected_from, follow=True)
            results[user.username] = (expected_from, response.content.decode())
        finally:
            connection.close()

    threads = [threading.Thread(target=physio_moves, args=(physio, "rebuild")),
               threading.Thread(target=physio_moves, args=(colleague, "discharged"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert {expected for expected, _ in results.values()} == {"normalise"}
    transitions = list(PhaseTransition.objects.filter(patient=patient))
    assert len(transitions) == 1
    winner = transitions[0].moved_by.username
    loser = next(name for name in results if name != winner)
    assert "This patient was just moved to" in results[loser][1]
    assert "Moved to" in results[winner][1]
    patient.refresh_from_db()
    assert patient.phase == transitions[0].to_phase


# Discharge (DESIGN 4.4) ------------------------------------------------------

def _open_red_flag(patient, code="infection_signs", severity="same_day"):
    from tests.factories import EntryFactory

    entry = EntryFactory(patient=patient)
    return FlagFactory(patient=patient, code=code, severity=severity, entry=entry,
                       message="Fever reported with joint pain.")


def discharge(client, patient, **notes):
    data = {"to_phase": "discharged", "reason": "Goals met", "expected_from": patient.phase}
    data.update({f"acknowledge_{flag_id}": note for flag_id, note in notes.items()})
    return client.post(reverse("phase_move", args=[patient.pk]), data)


def test_discharge_form_lists_each_open_red_flag_and_refuses_without_a_note(client, physio, patient):
    red = _open_red_flag(patient)
    client.force_login(physio)
    page = client.get(reverse("phase_move", args=[patient.pk])).content.decode()
    assert "Before a discharge: open red flags" in page and "Fever reported with joint pain." in page

    response = discharge(client, patient)

    assert response.status_code == 200
    assert "Acknowledge this red flag (say what was done) before discharging." in response.content.decode()
    patient.refresh_from_db()
    red.refresh_from_db()
    assert patient.phase == "normalise" and red.acknowledged_at is None
    assert not PhaseTransition.objects.exists()


def test_discharge_acknowledges_red_flags_with_the_notes_and_closes_progress_flags(client, physio, patient):
    red = _open_red_flag(patient)
    plateau = FlagFactory(patient=patient, code="plateau_12w", severity="review")
    client.force_login(physio)

    response = discharge(client, patient, **{str(red.pk): "Seen same day by GP; antibiotics, settled."})

    assert response.status_code == 302
    patient.refresh_from_db()
    red.refresh_from_db()
    plateau.refresh_from_db()
    assert patient.phase == "discharged"
    assert red.is_open and red.acknowledged_by == physio
    assert red.acknowledgement_note == "Seen same day by GP; antibiotics, settled."
    assert not plateau.is_open and plateau.closed_reason == "Discharged."


def test_other_moves_do_not_need_the_red_flag_notes(client, physio, patient):
    _open_red_flag(patient)
    client.force_login(physio)
    assert move(client, patient).status_code == 302


def test_the_service_refuses_a_discharge_that_leaves_a_red_flag_unseen(physio, patient):
    from rehab.phase_moves import DischargeBlocked, patient_move_phase

    first, second = _open_red_flag(patient), _open_red_flag(patient, code="night_pain", severity="urgent")
    with pytest.raises(DischargeBlocked) as blocked:
        patient_move_phase(patient=patient, to_phase="discharged", expected_from="normalise", reason="Done",
                           by=physio, acknowledgements={first.pk: "Seen."})
    assert [flag.pk for flag in blocked.value.flags] == [second.pk]
    first.refresh_from_db()
    assert first.acknowledged_at is None  # nothing changed, not even the first note
    patient.refresh_from_db()
    assert patient.phase == "normalise"


def test_a_discharged_patient_with_an_unseen_red_flag_stays_on_the_caseload(client, physio, patient):
    from rehab.workspace import selectors

    patient.phase = "discharged"
    patient.save()
    red = _open_red_flag(patient)
    filters = selectors.CaseloadFilters(scope=selectors.MINE)
    listed = [row.patient.pk for row in selectors.caseload_rows(patient.clinic, physio, filters).object_list]
    assert listed == [patient.pk]

    Flag.objects.filter(pk=red.pk).update(acknowledged_at=red.raised_at, acknowledged_by=physio,
                                          acknowledgement_note="Seen.")
    assert not selectors.caseload_rows(patient.clinic, physio, filters).object_list


def test_a_move_keeps_a_timed_up_and_go_criterion_with_its_tenth(client, physio, patient):
    """A decimal value (TUG, a questionnaire score) is stored in the move's
    snapshot as a JSON number: it used to fail the move with a TypeError."""
    normalise = ContentPhase.objects.get(clinic=patient.clinic, code="normalise")
    normalise.exit_criteria.all().delete()
    ExitCriterion.objects.create(phase=normalise, measure="tug_s", comparator="<=", threshold=12)
    EntryFactory(patient=patient, date=patient.clinic.today(), tug_s=Decimal("11.4"))
    client.force_login(physio)
    assert move(client, patient).status_code == 302
    [row] = PhaseTransition.objects.get(patient=patient).criteria_snapshot
    assert (row["measure"], row["value"], row["status"]) == ("tug_s", 11.4, "met")

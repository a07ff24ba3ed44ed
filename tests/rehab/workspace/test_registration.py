"""Registering a patient and correcting their details, from the caseload."""

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection, transaction
from django.urls import reverse

from patients.models import Patient
from tests.concurrency import wait_for_a_lock_waiter
from tests.factories import PatientFactory, PhysioFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clinic_day():
    with time_machine.travel(dt.datetime(2026, 9, 15, 10, 0, tzinfo=dt.UTC), tick=True):
        yield


def details(**changes):
    data = {"given_name": "Ann", "family_name": "Hughes", "date_of_birth": "1952-04-09", "ref": "P-0007",
            "operated_side": "right", "surgery_date": "2026-08-20", "programme_start": "2026-08-27",
            "physio": "", "email": "ann@example.org"}
    data.update(changes)
    return data


def test_a_physio_reaches_registration_from_the_caseload_in_one_click(client, physio):
    client.force_login(physio)
    caseload = client.get(reverse("caseload")).content.decode()
    assert f'href="{reverse("patient_create")}"' in caseload


def test_registering_a_patient_suggests_the_next_ref_and_offers_the_portal_link(client, physio, clinic):
    PatientFactory(clinic=clinic, ref="P-0041", physio=physio)
    PatientFactory(clinic=clinic, ref="P-0998", physio=physio)
    client.force_login(physio)
    form = client.get(reverse("patient_create")).content.decode()
    assert 'value="P-0999"' in form

    response = client.post(reverse("patient_create"), details(ref="P-0999", physio=physio.pk))

    patient = Patient.objects.get(ref="P-0999")
    assert response.url == reverse("patient_registered", args=[patient.pk])
    assert (patient.clinic, patient.phase, patient.physio, patient.email) == (
        clinic, "normalise", physio, "ann@example.org")
    assert patient.plan_items.exists()  # Normalise's template
    created = patient.history.earliest()
    assert created.history_user == physio and created.history_change_reason == "Registered"
    offer = client.get(response.url).content.decode()
    assert "Issue the portal link" in offer and reverse("portal_link_issue", args=[patient.pk]) in offer


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"surgery_date": "2026-09-16"}, "surgery_date", "The surgery date cannot be in the future."),
    ({"programme_start": "2026-08-19"}, "programme_start", "The programme cannot start before the surgery."),
    ({"ref": "p-0001"}, "ref", "P-0001 is already Mary Lee"),
    ({"date_of_birth": "2030-01-01"}, "date_of_birth", "The date of birth must be in the past."),
    ({"given_name": ""}, "given_name", "This field is required."),
    ({"operated_side": "both"}, "operated_side", "Select a valid choice."),
    ({"email": "not-an-address"}, "email", "Enter a valid email address."),
    ({"date_of_birth": "1890-04-09"}, "date_of_birth", "makes the patient 136 at the surgery: check the year"),
    ({"date_of_birth": "2026-07-01"}, "date_of_birth", "makes the patient 0 at the surgery: check the year"),
    ({"programme_start": "2027-08-27"}, "programme_start", "more than three months from today: check the year"),
    ({"surgery_date": "2016-01-01", "programme_start": "2016-02-01"}, "programme_start",
     "more than two years ago: check the year"),
])
def test_bad_details_get_a_field_message_and_register_nobody(client, physio, patient, changes, field, message):
    client.force_login(physio)
    response = client.post(reverse("patient_create"), details(**changes))
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert Patient.objects.count() == 1


def test_a_physio_of_another_clinic_cannot_be_assigned(client, physio, other_clinic):
    stranger = PhysioFactory(clinic=other_clinic, username="stranger")
    client.force_login(physio)
    response = client.post(reverse("patient_create"), details(physio=stranger.pk))
    assert "physio" in response.context["form"].errors
    assert not Patient.objects.filter(ref="P-0007").exists()


def test_a_clinic_admin_registers_and_corrects_patients_too(client, clinic_admin, clinic):
    client.force_login(clinic_admin)
    client.post(reverse("patient_create"), details())
    patient = Patient.objects.get(ref="P-0007")
    assert patient.clinic == clinic
    assert client.get(reverse("patient_edit", args=[patient.pk])).status_code == 200


def test_reassigning_and_correcting_are_audited(client, physio, colleague, patient):
    client.force_login(physio)
    data = details(ref=patient.ref, given_name=patient.given_name, family_name=patient.family_name,
                   date_of_birth=patient.date_of_birth.isoformat(), operated_side=patient.operated_side,
                   surgery_date=patient.surgery_date.isoformat(),
                   programme_start=patient.programme_start.isoformat(), physio=colleague.pk, email="")
    response = client.post(reverse("patient_edit", args=[patient.pk]), data)
    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.physio == colleague
    latest = patient.history.latest()
    assert latest.history_user == physio and latest.history_change_reason == "Reassigned"


def test_the_surgery_date_cannot_move_after_a_recorded_visit(client, physio, patient):
    from tests.factories import EntryFactory

    EntryFactory(patient=patient, date=patient.programme_start)
    client.force_login(physio)
    later = patient.programme_start + dt.timedelta(days=1)
    response = client.post(reverse("patient_edit", args=[patient.pk]), details(
        ref=patient.ref, surgery_date=later.isoformat(), programme_start=later.isoformat()))
    assert "is a visit on" in " ".join(response.context["form"].errors["surgery_date"])


def test_the_programme_start_cannot_move_after_a_phase_move(client, physio, patient):
    from tests.factories import PhaseTransitionFactory

    PhaseTransitionFactory(patient=patient, date=dt.date(2026, 9, 5))
    client.force_login(physio)
    response = client.post(reverse("patient_edit", args=[patient.pk]), details(
        ref=patient.ref, surgery_date=patient.surgery_date.isoformat(), programme_start="2026-09-10"))
    errors = " ".join(response.context["form"].errors["programme_start"])
    assert "moved phase on 05 Sep 2026" in errors
    patient.refresh_from_db()
    assert patient.programme_start != dt.date(2026, 9, 10)


def test_registering_the_same_name_and_birth_date_again_asks_to_be_sure(client, physio, clinic):
    existing = PatientFactory(clinic=clinic, ref="P-0001", given_name="John", family_name="Brown",
                              date_of_birth=dt.date(1949, 11, 13))
    client.force_login(physio)
    same = details(given_name="john", family_name="Brown ", date_of_birth="1949-11-13", ref="X-11")
    response = client.post(reverse("patient_create"), same)
    page = response.content.decode()
    assert "John Brown, born 13 Nov 1949, is already registered as P-0001." in page
    assert reverse("patient_detail", args=[existing.pk]) in page and 'name="confirm_same_person"' in page
    assert Patient.objects.count() == 1
    response = client.post(reverse("patient_create"), {**same, "confirm_same_person": "on"})
    assert response.status_code == 302 and Patient.objects.filter(ref="X-11").exists()


def test_another_clinics_patient_cannot_be_edited(client, outsider, patient):
    client.force_login(outsider)
    assert client.get(reverse("patient_edit", args=[patient.pk])).status_code == 404
    assert client.post(reverse("patient_edit", args=[patient.pk]), details()).status_code == 404
    assert client.get(reverse("patient_registered", args=[patient.pk])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_two_registrations_taking_the_same_suggested_ref_at_once_get_a_message_not_an_error(client, physio, clinic):
    """The form sees the reference free; another registration takes it before
    this one is written. The database's unique constraint decides, and the
    second physio gets the form back with the reference's message."""
    inserted = threading.Event()

    def the_other_physio():
        try:
            with transaction.atomic():
                PatientFactory(clinic=clinic, ref="P-0007", family_name="Other")
                inserted.set()
                wait_for_a_lock_waiter()  # commit only once this test's own insert waits behind ours
        finally:
            connection.close()

    other = threading.Thread(target=the_other_physio)
    other.start()
    assert inserted.wait(10)
    client.force_login(physio)
    response = client.post(reverse("patient_create"), details(ref="P-0007"))
    other.join()
    assert response.status_code == 200
    assert response.context["form"].errors["ref"] == ["Another patient of this clinic already has this reference."]
    assert list(Patient.objects.values_list("family_name", flat=True)) == ["Other"]

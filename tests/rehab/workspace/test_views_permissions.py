"""Who can reach the workspace: staff of the patient's clinic only.

Owner and colleague (same clinic) get the page, an outsider gets 404 for
every patient URL, an anonymous visitor is sent to log in, and a clinic admin
can read but not change clinical data (403).
"""

import datetime as dt

import pytest
from django.urls import reverse

from patients.models import Entry
from rehab.models import Flag, PhaseTransition
from tests.factories import EntryFactory, EntrySymptomFactory, FlagFactory


@pytest.fixture
def visit(patient):
    return EntryFactory(patient=patient, date=patient.programme_start + dt.timedelta(days=7))


@pytest.fixture
def flag(patient, visit):
    return FlagFactory(patient=patient, code="dvt_signs", severity="same_day", entry=visit)


def _users(request, who):
    return None if who == "anonymous" else request.getfixturevalue(who)


GET_URLS = {
    "patient_detail": lambda p, v: reverse("patient_detail", args=[p.pk]),
    "visit_create": lambda p, v: reverse("visit_create", args=[p.pk]),
    "visit_update": lambda p, v: reverse("visit_update", args=[p.pk, v.pk]),
    "visit_delete": lambda p, v: reverse("visit_delete", args=[p.pk, v.pk]),
    "phase_move": lambda p, v: reverse("phase_move", args=[p.pk]),
}
EXPECTED = {"physio": 200, "colleague": 200, "outsider": 404}


@pytest.mark.parametrize("name", sorted(GET_URLS))
@pytest.mark.parametrize("who", ["physio", "colleague", "outsider", "anonymous"])
def test_every_patient_url_is_visible_only_to_staff_of_the_patients_clinic(client, request, patient, visit,
                                                                              name, who):
    url = GET_URLS[name](patient, visit)
    user = _users(request, who)
    if user:
        client.force_login(user)
    response = client.get(url)
    if who == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == EXPECTED[who]
    if response.status_code == 404:
        assert patient.family_name not in response.content.decode()


@pytest.mark.parametrize("who", ["physio", "colleague", "outsider", "anonymous"])
def test_acknowledging_a_flag_is_open_only_to_physios_of_the_patients_clinic(client, request, patient, flag, who):
    user = _users(request, who)
    if user:
        client.force_login(user)
    response = client.post(reverse("flag_acknowledge", args=[patient.pk, flag.pk]), {"note": "Called GP"})
    flag.refresh_from_db()
    if who in ("physio", "colleague"):
        assert response.status_code == 302
        assert flag.acknowledged_by == user
    else:
        assert flag.acknowledged_at is None
        if who == "outsider":
            assert response.status_code == 404
        else:
            assert response.url.startswith(reverse("login"))


def test_caseload_asks_an_anonymous_visitor_to_log_in(client):
    response = client.get(reverse("caseload"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_caseload_never_lists_another_clinics_patients(client, outsider, patient):
    client.force_login(outsider)
    response = client.get(reverse("caseload"), {"scope": "clinic", "status": "all"})
    assert response.status_code == 200
    assert patient.ref not in response.content.decode()


def test_a_flag_of_another_patient_cannot_be_acknowledged_through_this_patients_url(client, physio, patient, clinic):
    from tests.factories import PatientFactory

    other = PatientFactory(clinic=clinic, physio=physio)
    other_flag = FlagFactory(patient=other)
    client.force_login(physio)
    response = client.post(reverse("flag_acknowledge", args=[patient.pk, other_flag.pk]), {"note": "x"})
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["patient_detail"])
def test_clinic_admin_can_read_the_patient_page(client, clinic_admin, patient, visit, name):
    client.force_login(clinic_admin)
    assert client.get(GET_URLS[name](patient, visit)).status_code == 200
    assert client.get(reverse("caseload")).status_code == 200


def test_clinic_admin_cannot_change_clinical_data(client, clinic_admin, patient, visit, flag):
    EntrySymptomFactory(entry=visit, code="calf_swelling")
    client.force_login(clinic_admin)
    posts = [
        (reverse("visit_create", args=[patient.pk]), {"date": visit.date.isoformat()}),
        (reverse("visit_update", args=[patient.pk, visit.pk]), {"date": visit.date.isoformat()}),
        (reverse("visit_delete", args=[patient.pk, visit.pk]), {}),
        (reverse("flag_acknowledge", args=[patient.pk, flag.pk]), {"note": "seen"}),
        (reverse("phase_move", args=[patient.pk]),
         {"to_phase": "rebuild", "reason": "ok", "expected_from": "normalise"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert Entry.objects.filter(patient=patient).count() == 1
    assert visit.symptoms.count() == 1
    assert Flag.objects.get(pk=flag.pk).acknowledged_at is None
    assert not PhaseTransition.objects.filter(patient=patient).exists()
    patient.refresh_from_db()
    assert patient.phase == "normalise"

"""The patient portal at /p/<token>/: what it shows, what it hides, its headers
and its answer to bad links."""

import logging

import pytest
from django.test import Client

from content.models import EducationArticle, Exercise
from patients.models import AssignedPlanItem, Entry
from portal import ratelimit
from rehab.plans import plan_assign_from_template
from rehab.portal_links import portal_link_issue, portal_link_revoke
from tests.factories import PatientFactory
from tests.portal.flow import report_steps

pytestmark = pytest.mark.django_db


def test_the_portal_shows_the_patients_plan(client, portal_url, planned_patient):
    item = planned_patient.plan_items.select_related("exercise").first()
    item.note = "Keep the pelvis level."
    item.save()
    page = client.get(portal_url).content.decode()
    assert f"Hello {planned_patient.given_name}" in page
    assert "Normalise" in page and "Typically weeks 1–6" in page
    for plan_item in planned_patient.plan_items.select_related("exercise"):
        assert plan_item.exercise.name in page
    assert item.effective_dosage in page
    for step in item.exercise.instruction_steps:
        assert f"<li>{step}</li>" in page.replace("&#x27;", "'")
    assert "Keep the pelvis level." in page


def test_the_portal_shows_dos_donts_as_bullets_and_the_same_day_care_box(client, portal_url, clinic):
    page = client.get(portal_url).content.decode()
    dos = EducationArticle.objects.get(clinic=clinic, slug="dos")
    first_bullet = dos.body.splitlines()[0][2:]
    assert f"<li>{first_bullet}" in page
    assert "<h2 class=\"h4\" id=\"seek-help-title\">When to get help quickly</h2>" in page  # the article's own title
    assert "emergency department" in page
    assert "{#" not in page and "{%" not in page  # no template comment or tag shown as text


def test_a_discharged_patient_without_exercises_is_not_told_to_keep_up_the_ones_below(client, portal_url,
                                                                                      planned_patient):
    planned_patient.plan_items.all().delete()
    planned_patient.phase = "discharged"
    planned_patient.save()
    page = client.get(portal_url).content.decode()
    assert "You have finished the programme" in page
    assert "ask them which exercises to keep doing" in page
    assert "Keep up the exercises below" not in page and "has not added exercises yet" not in page


def test_the_portal_reveals_no_surname_birth_date_reference_or_staff_surname(client, portal_url, planned_patient,
                                                                            physio):
    page = client.get(portal_url).content.decode()
    assert planned_patient.family_name not in page
    assert planned_patient.ref not in page
    assert planned_patient.date_of_birth.strftime("%Y") not in page
    assert physio.last_name not in page
    assert "Caseload" not in page and "Log out" not in page


def test_patient_a_link_shows_nothing_of_patient_b(client, clinic, physio, portal_url, planned_patient):
    other = PatientFactory(clinic=clinic, physio=physio, given_name="Bartholomew", family_name="Quill")
    special = Exercise.objects.create(clinic=clinic, name="Only for Bartholomew", instructions="x", dosage="1")
    AssignedPlanItem.objects.create(patient=other, exercise=special, note="Private note for B")
    page = client.get(portal_url).content.decode()
    assert "Bartholomew" not in page and "Quill" not in page
    assert "Only for Bartholomew" not in page and "Private note for B" not in page


def test_portal_responses_carry_privacy_headers(client, portal_url):
    for response in (client.get(portal_url), client.get("/p/not-a-real-token/")):
        assert response["Referrer-Policy"] == "no-referrer"
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert response["Cache-Control"] == "private, no-store"


def test_unknown_expired_and_revoked_links_answer_the_same_404(client, planned_patient, physio, portal):
    link, revoked_token = portal
    portal_link_revoke(patient=planned_patient, revoked_by=physio)
    expired_patient = PatientFactory(clinic=planned_patient.clinic, physio=physio)
    expired, expired_token = portal_link_issue(patient=expired_patient, issued_by=physio, days=1)
    type(expired).objects.filter(pk=expired.pk).update(
        created_at=expired.created_at.replace(year=2020), expires_at=expired.expires_at.replace(year=2020)
    )
    responses = [client.get(f"/p/{token}/") for token in ("x" * 43, revoked_token, expired_token)]
    assert {r.status_code for r in responses} == {404}
    assert len({r.content for r in responses}) == 1
    assert {r.templates[0].name for r in responses} == {"portal/not_found.html"}


def test_bad_tokens_are_not_logged_by_django(client, caplog):
    with caplog.at_level(logging.DEBUG):
        client.get("/p/secret-looking-token/")
        client.get("/p/secret-looking-token/report/extra/")
        client.get("/p/secret-looking-token")
    assert "secret-looking-token" not in caplog.text


def test_a_valid_token_is_not_logged_when_reporting(client, portal, caplog):
    _, token = portal
    with caplog.at_level(logging.DEBUG):
        client.get(f"/p/{token}/")
        report_steps(client, token, {"pain_knee_rest": "2"})
        client.get(f"/p/{token}/report/")
        client.get(f"/p/{token}/nowhere/")
    assert token not in caplog.text


def test_too_many_bad_tokens_from_one_address_answer_429(client):
    for attempt in range(ratelimit.BAD_TOKEN_LIMIT):
        assert client.get(f"/p/guess-{attempt}/").status_code == 404
    assert client.get("/p/guess-last/").status_code == 429


def test_while_an_address_is_limited_its_valid_links_still_open(client, portal, portal_url):
    """A care home's wifi: one resident's mistyped links (or a scanner on the
    network) never keep another from their plan or from reporting a red flag."""
    _, token = portal
    care_home = Client(REMOTE_ADDR="10.0.0.1")
    for attempt in range(ratelimit.BAD_TOKEN_LIMIT):
        care_home.get(f"/p/guess-{attempt}/")
    assert care_home.get("/p/guess-again/").status_code == 429
    assert care_home.get(portal_url).status_code == 200
    sent = report_steps(care_home, token, {"pain_knee_rest": "2", "symptoms": ["chest_pain"]})
    assert sent.status_code == 302
    assert Entry.objects.filter(kind=Entry.SELF_REPORT, symptoms__code="chest_pain").exists()
    assert client.get("/p/guess-elsewhere/", REMOTE_ADDR="10.0.0.2").status_code == 404


def test_a_working_link_with_an_unknown_page_says_the_page_is_missing_not_the_link(client, portal):
    _, token = portal
    response = client.get(f"/p/{token}/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "This page is not here" in page and "Your link still works" in page
    assert "This link is not available" not in page
    # The clinic's name in the header, as on every page of a working link.
    header = page.split("<header", 1)[1].split("</header>", 1)[0]
    assert portal[0].patient.clinic.name in header


def test_the_bad_link_page_gives_the_emergency_signs_and_number(client):
    page = client.get("/p/not-a-link/").content.decode()
    assert "Sudden shortness of breath or chest pain: call" in page and 'href="tel:999"' in page
    assert "bladder or bowel control" in page


def test_the_portal_follows_the_current_plan(client, portal_url, planned_patient):
    planned_patient.phase = "rebuild"
    planned_patient.save()
    plan_assign_from_template(patient=planned_patient)
    page = client.get(portal_url).content.decode()
    assert "Clamshells" in page
    assert "Rebuild" in page


def test_a_retired_exercise_stays_on_the_patients_portal(client, portal_url, planned_patient):
    exercise = planned_patient.plan_items.first().exercise
    exercise.is_active = False
    exercise.save()
    response = client.get(portal_url)
    assert response.status_code == 200
    assert exercise.name in response.content.decode()


def _guess_until_limited(client, **headers):
    for attempt in range(ratelimit.BAD_TOKEN_LIMIT):
        client.get(f"/p/guess-{attempt}/", **headers)


def test_behind_the_proxy_patients_are_limited_one_by_one(client, portal_url, settings):
    settings.TRUSTED_PROXY_HOPS = 1
    proxy = {"REMOTE_ADDR": "10.9.9.9"}
    _guess_until_limited(client, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)
    assert client.get("/p/guess-again/", HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy).status_code == 429
    assert client.get("/p/guess-again/", HTTP_X_FORWARDED_FOR="203.0.113.6", **proxy).status_code == 404


def test_a_forged_forwarded_for_does_not_escape_the_limit(client, portal_url, settings):
    settings.TRUSTED_PROXY_HOPS = 1
    proxy = {"REMOTE_ADDR": "10.9.9.9"}
    _guess_until_limited(client, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)
    # The client writes its own X-Forwarded-For; the proxy appends the real address.
    forged = client.get("/p/guess-again/", HTTP_X_FORWARDED_FOR="203.0.113.6, 203.0.113.5", **proxy)
    assert forged.status_code == 429


def test_without_trusted_proxies_forwarded_for_is_ignored(client, portal_url, settings):
    settings.TRUSTED_PROXY_HOPS = 0
    _guess_until_limited(client, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert client.get("/p/guess-again/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 429


def test_with_redis_unreachable_the_portal_still_opens(client, portal_url, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0",
                                   "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
    assert client.get(portal_url).status_code == 200
    assert client.get("/p/guess-while-redis-is-down/").status_code == 404

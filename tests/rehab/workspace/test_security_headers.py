"""Security headers on every page: every URL pattern of the project, taken
from the URL resolver (not a list kept by hand), is requested as a physio
and as a clinic admin with its parameters filled by real objects of their
clinic, and every answer carries the Content-Security-Policy, the
Permissions-Policy, no-store caching and the framing, sniffing and referrer
headers. Static files keep their long cache lifetimes."""

import re

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.urls import URLResolver, get_resolver, resolve
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from content.admin_scoping import scope_choices
from content.instruments import Instrument
from interchange.models import ImportJob
from patients.models import Patient
from patients.outcomes import record_outcome
from portal import ratelimit
from rehab.portal_links import portal_link_issue
from tests.factories import (
    AssignedPlanItemFactory,
    ClinicAdminFactory,
    EntryFactory,
    EntrySymptomFactory,
    FlagFactory,
    PainScoreFactory,
    PhaseTransitionFactory,
    SelfReportFactory,
)

pytestmark = pytest.mark.django_db

CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
DENIED_FEATURES = ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics")


def url_patterns(patterns=None, prefix=""):
    """(route, callback) for every URL pattern of the project, includes walked."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern.callback


ROUTE_PARAMETER = re.compile(r"<(?:[^>:]+:)?(?P<name>\w+)>")
REGEX_GROUP = re.compile(r"\((?:\?P<(?P<name>\w+)>)?[^)]*\)")
# simple_history's per-version page is a regex with unnamed groups.
UNNAMED_GROUPS = ("object_id", "history_id")
ADMIN_MODEL_ROUTE = re.compile(r"^admin/(?P<app>\w+)/(?P<model>\w+)/")


@pytest.fixture
def world(clinic, physio, clinic_admin, patient):
    """One real object of each kind in the users' clinic."""
    visit = EntryFactory(patient=patient, recorded_by=physio)
    PainScoreFactory(entry=visit)
    EntrySymptomFactory(entry=visit)
    self_report = SelfReportFactory(patient=patient)
    _, token = portal_link_issue(patient=patient, issued_by=physio)
    Group.objects.create(name="Front desk")
    return {
        "patient_id": patient.pk,
        "visit_id": visit.pk,
        "self_report_id": self_report.pk,
        "flag_id": FlagFactory(patient=patient, code="dvt_signs", severity="same_day", entry=visit).pk,
        "item_id": AssignedPlanItemFactory(patient=patient).pk,
        "job_id": ImportJob.objects.create(clinic=clinic, uploaded_by=clinic_admin, filename="c.json").pk,
        "token": token,
        "uidb64": urlsafe_base64_encode(force_bytes(physio.pk)),
        "_reset_token": default_token_generator.make_token(physio),
        "rest": "somewhere/else",
        "code": "koos_jr",  # an outcome instrument of the clinic
        "path": "exercises/no-such-picture.jpg",  # media, served by Django in tests
        "app_label": "patients",
        "url": "no-such-page/",
        "content_type_id": ContentType.objects.get_for_model(Patient).pk,
        "clinic": clinic,
        "_phase_transition": PhaseTransitionFactory(patient=patient, moved_by=physio),
        "outcome_id": record_outcome(
            patient=patient, instrument=Instrument.objects.get(clinic=clinic, code="koos_jr"),
            date=visit.date, by="staff", answers=[1] * 7, entered_by=physio).pk,
    }


@pytest.fixture(autouse=True)
def _no_bad_token_count():
    """The portal's catch-all counts a bad link per client in Redis; leave none behind."""
    key = ratelimit._key(type("R", (), {"META": {"REMOTE_ADDR": "127.0.0.1"}})())
    cache.delete(key)
    yield
    cache.delete(key)


def parameter_values(route, callback, world):
    values = dict(world)
    values["entry_id"] = world["self_report_id"] if route.startswith("p/") else world["visit_id"]
    model = _admin_model(route)
    if model is not None:
        obj = scope_choices(model.objects.all(), world["clinic"].pk).first()
        assert obj is not None, f"no {model._meta.label} of the clinic to fill {route}"
        values["object_id"] = values["id"] = obj.pk
        if hasattr(obj, "history"):
            values["history_id"] = obj.history.first().history_id
    if route.startswith("password-reset/"):
        values["token"] = world["_reset_token"]
    if route.startswith("admin/r/"):
        values["object_id"] = world["patient_id"]
    return values


def _admin_model(route):
    match = ADMIN_MODEL_ROUTE.match(route)
    try:
        return apps.get_model(match["app"], match["model"]) if match else None
    except LookupError:  # admin/password_change/done/ and the like
        return None


def fill(route, values):
    """The route with every parameter replaced by its value."""

    def value(name):
        assert name in values, f"no value for parameter {name!r} of {route}; add one to the fixture"
        return str(values[name])

    unnamed = iter(UNNAMED_GROUPS)
    url = REGEX_GROUP.sub(lambda m: value(m["name"] or next(unnamed)), route)  # re_path() groups first
    url = ROUTE_PARAMETER.sub(lambda m: value(m["name"]), url)
    return "/" + url.replace("^", "").replace("$", "")


def every_url(world):
    urls = []
    for route, callback in url_patterns():
        url = fill(route, parameter_values(route, callback, world))
        assert resolve(url).func == callback, f"{url} does not resolve to the pattern {route}"
        urls.append(url)
    return urls


def directives(header):
    parsed = {}
    for part in header.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


def assert_security_headers(response, url):
    where = f"{url} ({response.status_code})"
    csp = response.headers.get("Content-Security-Policy", "")
    assert directives(csp) == CONTENT_SECURITY_POLICY, where
    assert "unsafe" not in csp, where
    policy = response.headers.get("Permissions-Policy", "")
    for feature in DENIED_FEATURES:
        assert f"{feature}=()" in policy, where
    cache_control = {d.strip() for d in response.headers.get("Cache-Control", "").split(",")}
    assert {"no-store", "private"} <= cache_control, where
    assert response.headers.get("X-Frame-Options") == "DENY", where
    assert response.headers.get("X-Content-Type-Options") == "nosniff", where
    expected_referrer = "no-referrer" if url.startswith("/p/") else "same-origin"
    assert response.headers.get("Referrer-Policy") == expected_referrer, where


def test_the_url_walk_covers_the_workspace_the_portal_and_the_admin(world):
    urls = every_url(world)
    assert len(urls) == len(set(urls)) > 90
    patient = world["patient_id"]
    for expected in ("/", f"/patients/{patient}/", "/caseload/export/download/", f"/p/{world['token']}/",
                     f"/admin/patients/patient/{patient}/change/", f"/admin/patients/patient/{patient}/history/"):
        assert expected in urls


@pytest.mark.parametrize("who", ["physio", "clinic_admin"])
def test_every_url_answers_with_the_security_headers(client, request, world, who):
    client.force_login(request.getfixturevalue(who))
    statuses = {}
    for url in every_url(world):
        response = client.get(url)
        assert_security_headers(response, url)
        statuses[url] = response.status_code
    # The walk reached real pages, not only refusals.
    patient = world["patient_id"]
    assert statuses["/"] == statuses[f"/patients/{patient}/"] == statuses[f"/p/{world['token']}/"] == 200
    admin_history = f"/admin/patients/patient/{patient}/history/"
    assert statuses[admin_history] == (200 if who == "clinic_admin" else 302)


# Answers that need a query string the URL pattern cannot tell.
WITH_QUERY = [
    "/caseload/export/download/?format=json",
    "/caseload/export/download/?format=csv",
    "/caseload/export/download/?format=fhir",
    "/admin/autocomplete/?app_label=content&model_name=phasetemplateitem&field_name=exercise&term=",
    "/admin/patients/patient/?q=Lee",
]


@pytest.mark.parametrize("url", WITH_QUERY)
@pytest.mark.parametrize("who", ["physio", "clinic_admin"])
def test_exports_and_admin_lookups_answer_with_the_security_headers(client, request, world, who, url):
    client.force_login(request.getfixturevalue(who))
    response = client.get(url)
    assert_security_headers(response, url)
    if url.startswith("/caseload/") or who == "clinic_admin":
        assert response.status_code == 200


def test_the_login_page_and_the_portal_carry_the_policy_for_anonymous_visitors(client, world):
    for url in ("/login/", f"/p/{world['token']}/", "/p/not-a-real-link/"):
        assert_security_headers(client.get(url), url)


def test_static_files_keep_their_cache_lifetime(client, settings, physio):
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_MAX_AGE = 3600
    client.force_login(physio)
    response = client.get("/static/css/kinetic.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    assert "max-age=3600" in response.headers["Cache-Control"]


# The record's ids in the walk's URLs: each such URL belongs to the clinic.
RECORD_KEYS = ("patient_id", "visit_id", "self_report_id", "flag_id", "item_id", "job_id", "outcome_id")


@pytest.mark.parametrize("who", ["outsider", "other_admin"])
def test_every_workspace_url_of_a_clinics_record_is_404_to_another_clinic(client, request, world, who, other_clinic):
    """The same walk, by staff of another clinic: every URL naming one of the
    clinic's records answers 404, to GET and POST, and nothing changes. (The
    portal's URLs open by their token; the admin's are walked by
    tests/test_admin_isolation.py.)"""
    user = (request.getfixturevalue("outsider") if who == "outsider"
            else ClinicAdminFactory(clinic=other_clinic, username="hilltop-admin"))
    client.force_login(user)
    before = _record_counts(world)
    walked = []
    for url in every_url(world):
        if url.startswith(("/p/", "/admin/")) or not any(str(world[key]) in url for key in RECORD_KEYS):
            continue
        statuses = set()
        for method in (client.get, client.post):
            response = method(url)
            # A method the URL does not take is refused before any look-up (405), as for an unknown id.
            assert response.status_code in (404, 405), f"{method.__name__.upper()} {url}: {response.status_code}"
            assert str(world["patient_id"]) not in response.content.decode()
            statuses.add(response.status_code)
        assert 404 in statuses, f"{url}: {statuses}"
        walked.append(url)
    assert len(walked) > 20
    assert _record_counts(world) == before


def _record_counts(world):
    patient = Patient.objects.get(pk=world["patient_id"])
    return (patient.entries.count(), patient.flags.filter(acknowledged_at__isnull=False).count(),
            patient.plan_items.count(), patient.outcomes.count(), patient.portal_links.filter(revoked_at=None).count(),
            patient.phase, ImportJob.objects.count())

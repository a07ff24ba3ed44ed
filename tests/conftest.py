import shutil
import uuid

import pytest
from django.conf import settings
from django.test import override_settings

from rehab.plans import plan_assign_from_template
from rehab.portal_links import portal_link_issue
from tests.factories import ClinicAdminFactory, ClinicFactory, PatientFactory, PhysioFactory


@pytest.fixture(scope="session", autouse=True)
def _throwaway_media():
    """Pictures the tests upload go to the test settings' temporary MEDIA_ROOT,
    removed when the run ends."""
    yield
    if "kinetic-test-media" in str(settings.MEDIA_ROOT):
        shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.fixture(autouse=True)
def _fresh_request_limits():
    """The password-reset counters live in the shared Redis: each test counts
    from zero under its own key prefix. (Not through pytest-django's
    `settings` fixture: requested here, it would outlive the other autouse
    fixtures, and a test's own settings, such as an unreachable cache, would
    still hold while they clean up.)"""
    with override_settings(RATELIMIT_CACHE_PREFIX=f"rl:{uuid.uuid4().hex}:"):
        yield


@pytest.fixture
def clinic(db):
    return ClinicFactory(slug="riverside", name="Riverside Physio")


@pytest.fixture
def other_clinic(db):
    return ClinicFactory(slug="hilltop", name="Hilltop Rehab")


@pytest.fixture
def physio(clinic):
    return PhysioFactory(clinic=clinic, username="jsmith", first_name="Jo", last_name="Smith")


@pytest.fixture
def colleague(clinic):
    return PhysioFactory(clinic=clinic, username="akhan", first_name="Amir", last_name="Khan")


@pytest.fixture
def clinic_admin(clinic):
    return ClinicAdminFactory(clinic=clinic, username="admin-riverside")


@pytest.fixture
def outsider(other_clinic):
    return PhysioFactory(clinic=other_clinic, username="outsider")


@pytest.fixture
def patient(clinic, physio):
    return PatientFactory(clinic=clinic, physio=physio, ref="P-0001")



@pytest.fixture
def planned_patient(patient):
    plan_assign_from_template(patient=patient)
    return patient


@pytest.fixture
def portal(planned_patient, physio):
    """(link, token) for the patient, issued by their physio."""
    return portal_link_issue(patient=planned_patient, issued_by=physio)


@pytest.fixture
def portal_url(portal):
    _, token = portal
    return f"/p/{token}/"


# The browser fixtures live in one place so that a single Playwright session
# serves every browser test, wherever its module sits.
from tests.browser.support import browser, new_page, page  # noqa: E402, F401

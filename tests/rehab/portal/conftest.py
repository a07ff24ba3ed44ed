import pytest
from django.core.cache import cache
from django.template.loader import render_to_string

from rehab.plans import plan_assign_from_template
from rehab.portal import ratelimit
from rehab.portal.links import portal_link_issue
from rehab.portal.selectors import plan_panel_context

TEST_IPS = ("127.0.0.1", "10.0.0.1", "10.0.0.2", "203.0.113.5", "203.0.113.6")


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    """The bad-token counters live in the shared Redis: start each test clean."""
    keys = [ratelimit._key(type("R", (), {"META": {"REMOTE_ADDR": ip}})()) for ip in TEST_IPS]
    cache.delete_many(keys)
    yield
    cache.delete_many(keys)


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


def render_panel(patient, user):
    """The plan panel as the patient page will render it."""
    return render_to_string(
        "rehab/includes/patient_plan_panel.html", {"patient": patient, **plan_panel_context(patient, user)}
    )

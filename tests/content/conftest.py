import pytest

from content.models import Phase


@pytest.fixture
def admin_client(client, clinic_admin):
    """The test client, logged in as the clinic's admin."""
    client.force_login(clinic_admin)
    return client


@pytest.fixture
def integrate(clinic):
    """The clinic's Integrate phase (seeded with the clinic)."""
    return Phase.objects.get(clinic=clinic, code="integrate")

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from patients import accounts
from tests.factories import ClinicAdminFactory


@pytest.fixture
def other_clinic_admin(other_clinic):
    return ClinicAdminFactory(clinic=other_clinic, username="admin-hilltop")


def two_factor_on(user):
    """A confirmed authenticator and ten recovery codes, as enrolment leaves them."""
    device = TOTPDevice.objects.create(user=user, name=accounts.AUTHENTICATOR_NAME, confirmed=True)
    accounts.recovery_codes_regenerate(user=user)
    return device


def current_code(device):
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"

"""Two-factor sign-in in a real browser: a physio sets it up from the user
menu by scanning (here: reading) the secret, signs in again with a recovery
code, and a colleague signs in with the app's code on a phone."""

import base64
import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from patients import accounts
from tests.browser.support import PHONE, screenshot
from tests.factories import ClinicFactory, PhysioFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def staff():
    clinic = ClinicFactory(slug="riverside", name="Riverside Physio")
    return {
        "physio": PhysioFactory(clinic=clinic, username="jsmith", first_name="Jo", last_name="Smith"),
        "colleague": PhysioFactory(clinic=clinic, username="akhan", first_name="Amir", last_name="Khan"),
    }


def code_from_secret(secret):
    key = base64.b32decode(secret)
    return f"{totp(key):06d}"


def password_step(page, username):
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Log in").click()


def test_setting_up_two_factor_and_signing_in_with_it(page, live_server, staff):
    password_step(page, "jsmith")
    page.wait_for_url("**/")
    page.get_by_role("button", name=re.compile("Jo Smith")).click()
    screenshot(page, "user-menu-desktop")
    page.get_by_role("link", name="Two-factor sign-in").click()
    page.wait_for_url("**/account/two-factor/")
    assert page.get_by_role("img", name="QR code to scan with your authenticator app").is_visible()
    screenshot(page, "two-factor-setup-desktop")

    secret = page.get_by_label("Setup key").inner_text().replace(" ", "")
    page.get_by_label("6-digit code from the app").fill(code_from_secret(secret))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    page.wait_for_url("**/account/two-factor/recovery-codes/")
    codes = page.get_by_role("list", name="Unused recovery codes").locator("code").all_inner_texts()
    assert len(codes) == 10
    screenshot(page, "two-factor-recovery-codes-desktop")

    page.get_by_role("button", name=re.compile("Jo Smith")).click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/login/")

    # The same 30-second code cannot be used twice, so this sign-in uses a recovery code.
    password_step(page, "jsmith")
    page.wait_for_url("**/login/verify/**")
    assert page.get_by_text("Signing in as jsmith").is_visible()
    screenshot(page, "two-factor-verify-desktop")
    page.get_by_label("Authentication code").fill(codes[0])
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", name="Caseload").is_visible()
    assert page.get_by_text("You signed in with a recovery code; 9 left.").is_visible()


def test_signing_in_with_the_apps_code_on_a_phone(new_page, live_server, staff):
    device = TOTPDevice.objects.create(user=staff["colleague"], name="Authenticator app", confirmed=True)
    accounts.recovery_codes_regenerate(user=staff["colleague"])
    phone = new_page(viewport=PHONE)
    password_step(phone, "akhan")
    phone.wait_for_url("**/login/verify/**")
    phone.get_by_label("Authentication code").fill("000000" if code_from_secret(
        base64.b32encode(device.bin_key).decode()) != "000000" else "111111")
    phone.get_by_role("button", name="Verify").click()
    assert phone.get_by_text("That code is not right").is_visible()
    screenshot(phone, "two-factor-verify-wrong-code-phone")

    phone.wait_for_timeout(1100)  # django-otp pauses a second after a wrong code
    phone.get_by_label("Authentication code").fill(code_from_secret(base64.b32encode(device.bin_key).decode()))
    phone.get_by_role("button", name="Verify").click()
    phone.wait_for_url(f"{live_server.url}/")
    assert phone.get_by_role("heading", name="Caseload").is_visible()

    phone.goto("/account/two-factor/")
    screenshot(phone, "two-factor-status-phone")
    phone.get_by_role("button", name="Toggle navigation").click()
    phone.locator("#main-nav.show").wait_for()  # the menu has finished sliding open
    phone.get_by_role("button", name=re.compile("Amir Khan")).click()
    phone.get_by_role("button", name="Log out").wait_for()
    screenshot(phone, "user-menu-phone")
    phone.get_by_role("link", name="Change password").click()
    phone.wait_for_url("**/account/password/")
    screenshot(phone, "password-change-phone")


def test_a_locked_out_sign_in_explains_itself_on_a_phone(new_page, staff):
    phone = new_page(viewport=PHONE)
    phone.goto("/login/")
    for attempt in range(5):
        phone.get_by_label("Username").fill("jsmith")
        phone.get_by_label("Password").fill(f"not-my-password-{attempt}")
        phone.get_by_role("button", name="Log in").click()
        phone.wait_for_load_state()
    assert phone.get_by_text("Too many failed sign-ins").is_visible()
    assert phone.get_by_role("link", name="Forgot your password?").is_visible()
    screenshot(phone, "login-locked-out-phone")


def test_a_clinic_that_requires_two_factor_sends_a_phone_user_to_set_it_up(new_page, live_server, staff):
    clinic = staff["physio"].clinic
    clinic.require_two_factor = True
    clinic.save()
    phone = new_page(viewport=PHONE)
    password_step(phone, "jsmith")
    phone.wait_for_url("**/account/two-factor/")
    assert phone.get_by_text("Riverside Physio requires two-factor sign-in").is_visible()
    screenshot(phone, "two-factor-required-setup-phone")
    secret = phone.get_by_label("Setup key").inner_text().replace(" ", "")
    phone.get_by_label("6-digit code from the app").fill(code_from_secret(secret))
    phone.get_by_role("button", name="Turn on two-factor sign-in").click()
    phone.wait_for_url("**/account/two-factor/recovery-codes/")
    screenshot(phone, "two-factor-recovery-codes-phone")
    phone.get_by_role("link", name="Kinetic").click()
    phone.wait_for_url(f"{live_server.url}/")

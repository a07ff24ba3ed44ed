"""Optional two-factor sign-in (TOTP app + recovery codes), a clinic's
requirement of it, and a clinic admin's reset of it."""

import datetime as dt

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from patients import accounts
from tests.factories import PortalLinkFactory
from tests.rehab.workspace.accounts.conftest import current_code, two_factor_on

VERIFY = reverse("two_factor_verify")


def sign_in(client, username="jsmith", password="pw", next_url=""):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data, follow=True)


def test_enrolment_shows_a_qr_code_and_the_secret_and_a_code_turns_it_on(client, physio):
    client.force_login(physio)
    response = client.get(reverse("two_factor"))
    page = response.content.decode()
    device = TOTPDevice.objects.get(user=physio, confirmed=False)
    assert "<svg" in page and "QR code to scan with your authenticator app" in page
    assert "".join(response.context["secret_groups"]) in page.replace("<span>", "").replace("</span> ", "")
    # Reloading keeps the same secret, so a code already scanned still works.
    client.get(reverse("two_factor"))
    assert TOTPDevice.objects.filter(user=physio).count() == 1

    response = client.post(reverse("two_factor"), {"code": "000000" if current_code(device) != "000000"
                                                   else "111111"})
    assert "That code is not right" in response.content.decode()
    device.throttling_failure_count = 0  # the test does not wait out django-otp's one-second pause
    device.save()

    response = client.post(reverse("two_factor"), {"code": current_code(device)}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("two_factor_recovery_codes")
    assert accounts.two_factor_enabled(physio)
    codes = response.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(code in response.content.decode() for code in codes)


def test_a_user_with_two_factor_must_enter_a_code_before_any_staff_page(client, physio):
    device = two_factor_on(physio)
    response = sign_in(client)
    assert response.redirect_chain[-1][0] == f"{VERIFY}?next=/"
    assert "Authentication code" in response.content.decode()
    for path in (reverse("caseload"), reverse("library"), reverse("password_change"), "/admin/"):
        response = client.get(path)
        assert response.status_code == 302 and response.url.startswith(VERIFY), path

    response = client.post(VERIFY, {"code": "12345", "next": "/"})
    assert "That code is not right" in response.content.decode()
    device.throttling_failure_count = 0
    device.save()
    response = client.post(VERIFY, {"code": current_code(device), "next": "/"})
    assert response.status_code == 302 and response.url == "/"
    assert client.get(reverse("caseload")).status_code == 200


def test_the_code_step_also_guards_the_django_admin(client, clinic_admin):
    device = two_factor_on(clinic_admin)
    sign_in(client, "admin-riverside")
    response = client.get("/admin/patients/patient/")
    assert response.status_code == 302 and response.url.startswith(VERIFY)
    client.post(VERIFY, {"code": current_code(device)})
    assert client.get("/admin/patients/patient/").status_code == 200


def test_a_recovery_code_signs_in_once(physio):
    two_factor_on(physio)
    code = accounts.recovery_codes(physio)[0]
    first = Client()
    sign_in(first)
    response = first.post(VERIFY, {"code": code.upper(), "next": "/"}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "9 left" in response.content.decode()

    second = Client()
    sign_in(second)
    response = second.post(VERIFY, {"code": code, "next": "/"})
    assert "That code is not right" in response.content.decode()
    assert second.get(reverse("caseload")).status_code == 302


def test_wrong_codes_meet_the_sign_in_lockout(client, physio, time_machine):
    two_factor_on(physio)
    start = dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC)
    time_machine.move_to(start, tick=False)
    sign_in(client)
    for attempt in range(1, 11):
        # Past django-otp's growing pause, so every guess is checked.
        time_machine.move_to(start + dt.timedelta(minutes=attempt), tick=False)
        response = client.post(VERIFY, {"code": "123456"})
        if response.status_code == 429:
            break
    assert response.status_code == 429 and attempt <= 5
    assert "Too many failed sign-ins" in response.content.decode()
    assert client.get(reverse("caseload")).url.startswith(reverse("login"))


def test_regenerating_recovery_codes_replaces_them_all(client, physio):
    device = two_factor_on(physio)
    old = set(accounts.recovery_codes(physio))
    client.force_login(physio)
    client.post(VERIFY, {"code": current_code(device)})
    response = client.post(reverse("two_factor_recovery_codes"), follow=True)
    new = set(response.context["codes"])
    assert len(new) == 10 and not new & old
    assert StaticToken.objects.filter(device__user=physio).count() == 10
    download = client.get(reverse("two_factor_recovery_codes"), {"download": 1})
    assert download["Content-Disposition"].startswith("attachment")
    assert all(code in download.content.decode() for code in new)


def test_turning_two_factor_off_needs_a_current_code(client, physio):
    device = two_factor_on(physio)
    client.force_login(physio)
    client.post(VERIFY, {"code": current_code(device)})
    device.refresh_from_db()
    response = client.post(reverse("two_factor_turn_off"), {"code": "000000"})
    assert response.status_code == 400 and accounts.two_factor_enabled(physio)
    response = client.post(reverse("two_factor_turn_off"), {"code": accounts.recovery_codes(physio)[0]},
                           follow=True)
    assert "Two-factor sign-in is off." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=physio, confirmed=True).exists()
    assert not StaticDevice.objects.filter(user=physio).exists()


def test_a_clinic_that_requires_two_factor_sends_staff_to_set_it_up_first(client, clinic, physio, clinic_admin):
    clinic.require_two_factor = True
    clinic.save()
    for user in (physio, clinic_admin):
        client.force_login(user)
        for path in (reverse("caseload"), "/admin/", reverse("password_change")):
            response = client.get(path)
            assert response.status_code == 302 and response.url == reverse("two_factor"), (user, path)
        page = client.get(reverse("two_factor")).content.decode()
        assert "Riverside Physio requires two-factor sign-in" in page
        device = TOTPDevice.objects.get(user=user, confirmed=False)
        client.post(reverse("two_factor"), {"code": current_code(device)})
        assert client.get(reverse("caseload")).status_code == 200


def test_open_pages_stay_open_for_a_staff_member_who_still_owes_a_code(client, physio, patient):
    two_factor_on(physio)
    sign_in(client)
    assert client.get("/healthz").status_code == 200
    assert client.get(reverse("password_reset")).status_code == 200
    # The portal answers as it does for anyone (this token is unknown: 404), never a redirect.
    PortalLinkFactory(patient=patient)
    assert client.get("/p/unknown-token/").status_code == 404


def test_a_clinic_admin_can_require_two_factor_on_the_clinic_form(client, clinic, clinic_admin):
    client.force_login(clinic_admin)
    url = reverse("admin:patients_clinic_change", args=[clinic.pk])
    assert "require_two_factor" in client.get(url).content.decode()
    response = client.post(url, {"name": clinic.name, "time_zone": clinic.time_zone, "require_two_factor": "on",
                                      "emergency_number": "999"})
    assert response.status_code == 302
    clinic.refresh_from_db()
    assert clinic.require_two_factor


def _reset(client, admin_user, target):
    client.force_login(admin_user)
    return client.post(reverse("admin:patients_user_changelist"),
                       {"action": "reset_two_factor", "_selected_action": [target.pk]})


def test_a_clinic_admin_resets_a_colleagues_two_factor(client, clinic_admin, colleague):
    two_factor_on(colleague)
    assert _reset(client, clinic_admin, colleague).status_code == 302
    assert not accounts.two_factor_enabled(colleague)
    assert accounts.recovery_codes(colleague) == []
    response = sign_in(Client(), "akhan")
    assert response.redirect_chain[-1][0] == reverse("caseload")


def test_a_clinic_admin_cannot_reset_another_clinics_two_factor(client, other_clinic_admin, colleague):
    two_factor_on(colleague)
    _reset(client, other_clinic_admin, colleague)
    assert accounts.two_factor_enabled(colleague)


def test_the_staff_list_shows_who_has_two_factor(client, clinic_admin, colleague):
    two_factor_on(colleague)
    client.force_login(clinic_admin)
    response = client.get(reverse("admin:patients_user_changelist"))
    rows = {user.username: user.has_two_factor for user in response.context["cl"].result_list}
    assert rows["akhan"] is True and rows["admin-riverside"] is False


@pytest.mark.parametrize("model", [TOTPDevice, StaticDevice])
def test_django_otps_unscoped_admin_pages_are_unregistered(model):
    assert not admin.site.is_registered(model)

"""Portal link services: hashed storage, expiry, revocation, last use."""

import datetime as dt
import hashlib

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from patients.models import PortalLink
from rehab.portal_links import portal_link_issue, portal_link_resolve, portal_link_revoke, portal_link_touch
from tests.factories import PortalLinkFactory

pytestmark = pytest.mark.django_db


def test_the_database_holds_only_the_sha256_of_the_token(patient, physio):
    link, token = portal_link_issue(patient=patient, issued_by=physio)
    link.refresh_from_db()
    assert len(token) >= 43
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert link.token_hash != token


def test_the_token_is_not_in_any_column_of_any_table(patient, physio):
    _, token = portal_link_issue(patient=patient, issued_by=physio)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND data_type IN ('text', 'character varying')"
        )
        columns = cursor.fetchall()
        for table, column in columns:
            cursor.execute(
                f'SELECT 1 FROM "{table}" WHERE "{column}" LIKE %s LIMIT 1',  # noqa: S608 (catalogue names)
                [f"%{token[:20]}%"],
            )
            assert cursor.fetchone() is None, f"{table}.{column} holds the token"


def test_the_token_resolves_to_its_link(portal):
    link, token = portal
    assert portal_link_resolve(token) == link


def test_an_unknown_token_resolves_to_nothing(portal):
    _, token = portal
    assert portal_link_resolve(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert portal_link_resolve("") is None


def test_the_stored_hash_does_not_open_the_portal(portal):
    link, _ = portal
    assert portal_link_resolve(link.token_hash) is None


def test_a_link_expires_after_the_configured_days(patient, physio, settings):
    settings.PORTAL_LINK_DAYS = 30
    with time_machine.travel(dt.datetime(2026, 7, 1, 12, tzinfo=dt.UTC), tick=False):
        link, token = portal_link_issue(patient=patient, issued_by=physio)
    assert link.expires_at == dt.datetime(2026, 7, 31, 12, tzinfo=dt.UTC)
    with time_machine.travel(dt.datetime(2026, 7, 31, 11, 59, tzinfo=dt.UTC), tick=False):
        assert portal_link_resolve(token) == link
    with time_machine.travel(dt.datetime(2026, 7, 31, 12, 0, 1, tzinfo=dt.UTC), tick=False):
        assert portal_link_resolve(token) is None


def test_the_default_lifetime_is_ninety_days(patient, physio):
    link, _ = portal_link_issue(patient=patient, issued_by=physio)
    assert link.expires_at - link.created_at == dt.timedelta(days=90)


def test_a_revoked_link_no_longer_resolves(portal, physio):
    link, token = portal
    assert portal_link_revoke(patient=link.patient, revoked_by=physio) == 1
    assert portal_link_resolve(token) is None
    link.refresh_from_db()
    assert link.revoked_at is not None


def test_issuing_a_new_link_revokes_the_old_one(portal, physio):
    old, old_token = portal
    new, new_token = portal_link_issue(patient=old.patient, issued_by=physio)
    old.refresh_from_db()
    assert old.revoked_at is not None
    assert portal_link_resolve(old_token) is None
    assert portal_link_resolve(new_token) == new
    assert PortalLink.objects.filter(patient=old.patient, revoked_at__isnull=True).get() == new


def test_the_database_refuses_two_live_links_for_one_patient(portal):
    link, _ = portal
    with pytest.raises(IntegrityError), transaction.atomic():
        PortalLinkFactory(patient=link.patient)


def test_last_use_is_written_at_most_once_a_minute(portal):
    link, token = portal
    start = dt.datetime(2026, 7, 1, 9, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        portal_link_touch(portal_link_resolve(token))
    with time_machine.travel(start + dt.timedelta(seconds=59), tick=False):
        portal_link_touch(portal_link_resolve(token))
    link.refresh_from_db()
    assert link.last_used_at == start
    with time_machine.travel(start + dt.timedelta(seconds=61), tick=False):
        portal_link_touch(portal_link_resolve(token))
    link.refresh_from_db()
    assert link.last_used_at == start + dt.timedelta(seconds=61)


def test_issue_and_revoke_are_in_the_links_history(portal, physio):
    link, _ = portal
    portal_link_revoke(patient=link.patient, revoked_by=physio)
    reasons = list(link.history.order_by("history_date").values_list("history_change_reason", flat=True))
    assert reasons[0] == "Issued"
    assert reasons[-1].startswith("Revoked")
    assert timezone.now() >= link.history.latest().revoked_at


def test_issuing_again_from_a_stale_page_keeps_the_link_just_given(client, physio, patient):
    from django.urls import reverse

    from patients.models import PortalLink

    client.force_login(physio)
    url = reverse("portal_link_issue", args=[patient.pk])
    first = client.post(url, {"replaces": ""})
    assert first.status_code == 200
    issued = PortalLink.objects.get(patient=patient, revoked_at__isnull=True)
    # The browser re-sends the same form (refresh), still saying "no link yet".
    again = client.post(url, {"replaces": ""}, follow=True)
    assert "issued for this patient a moment ago" in again.content.decode()
    assert PortalLink.objects.get(patient=patient, revoked_at__isnull=True) == issued
    assert PortalLink.objects.filter(patient=patient).count() == 1
    # From a page that shows the current link, a new one replaces it.
    assert client.post(url, {"replaces": str(issued.pk)}).status_code == 200
    assert PortalLink.objects.get(patient=patient, revoked_at__isnull=True) != issued

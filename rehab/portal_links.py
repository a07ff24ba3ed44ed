"""Portal links: issue, revoke, resolve.

The token is shown once, when the link is issued; only its SHA-256 is stored,
so the database holds nothing that opens a portal. Looking a link up by the
hash (not the token) means the database index compares digests, whose prefixes
have nothing to do with the token's, so timing reveals nothing about how close
a guess was.
"""

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from patients.models import Patient, PortalLink

# Recording every page view would write once per request; a minute is precise
# enough to tell the physio whether and when the patient looks at the portal.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)

# Compared against on a miss so that a miss does the same work as a hit.
_MISS = PortalLink(
    token_hash="0" * 64,
    created_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC),
    expires_at=dt.datetime(2000, 1, 2, tzinfo=dt.UTC),
)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class PortalLinkChanged(Exception):
    """The patient's live link is no longer the one the physio saw."""


ANY_LINK = object()


def replaces_posted(posted: str | None):
    """What a form's `replaces` field says about the live link the page
    showed: absent → ANY_LINK (no check); "" → None (no link was live);
    otherwise that link's id. Anything but an id (a forged form) is taken as
    "no link was live", which a live link then contradicts."""
    if posted is None:
        return ANY_LINK
    return int(posted) if posted.isdigit() else None


def portal_link_issue(
    *, patient: Patient, issued_by, replaces=ANY_LINK, days: int | None = None, reason: str = "Issued"
) -> tuple[PortalLink, str]:
    """Issue a new link, revoking the patient's live one. Returns (link, token):
    the token exists only in this return value.

    `replaces` is the id of the live link the physio saw (None: no link). If
    another link was issued since (a colleague, or the browser re-sending the
    form on refresh), PortalLinkChanged is raised and nothing changes, so the
    link the patient was just given keeps working.
    """
    days = settings.PORTAL_LINK_DAYS if days is None else days
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        # Serialise issuers: the database allows one unrevoked link per patient.
        Patient.objects.select_for_update().filter(pk=patient.pk).first()
        current = live_link(patient)
        if replaces is not ANY_LINK and (current.pk if current else None) != replaces:
            raise PortalLinkChanged
        for old in PortalLink.objects.filter(patient=patient, revoked_at__isnull=True):
            old.revoked_at = now
            old._change_reason = "Replaced by a new link"
            old.save(update_fields=["revoked_at"])
        link = PortalLink(
            patient=patient,
            token_hash=token_hash(token),
            created_by=issued_by,
            created_at=now,
            expires_at=now + dt.timedelta(days=days),
        )
        link._change_reason = reason
        link.save()
    return link, token


def portal_link_revoke(*, patient: Patient, revoked_by=None) -> int:
    """Revoke the patient's live link (if any); returns how many were revoked."""
    revoked = 0
    with transaction.atomic():
        for link in PortalLink.objects.select_for_update().filter(patient=patient, revoked_at__isnull=True):
            link.revoked_at = timezone.now()
            link._change_reason = f"Revoked by {revoked_by}" if revoked_by else "Revoked"
            link.save(update_fields=["revoked_at"])
            revoked += 1
    return revoked


def portal_link_resolve(token: str) -> PortalLink | None:
    """The usable link for `token`, or None for an unknown, expired or revoked one."""
    digest = token_hash(token)
    link = (
        PortalLink.objects.select_related("patient", "patient__clinic", "patient__physio")
        .filter(token_hash=digest)
        .first()
    )
    candidate = link if link is not None else _MISS
    matches = hmac.compare_digest(candidate.token_hash, digest)
    usable = candidate.is_usable(timezone.now())
    return link if (matches and usable) else None


def portal_link_touch(link: PortalLink) -> None:
    """Record a use, at most once per LAST_USED_RESOLUTION."""
    now = timezone.now()
    if link.last_used_at is not None and now - link.last_used_at < LAST_USED_RESOLUTION:
        return
    PortalLink.objects.filter(pk=link.pk).update(last_used_at=now)
    link.last_used_at = now


def live_link(patient: Patient) -> PortalLink | None:
    """The patient's unrevoked link (possibly expired), for the staff panel."""
    return PortalLink.objects.filter(patient=patient, revoked_at__isnull=True).first()

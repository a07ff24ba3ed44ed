"""Answers a patient is part-way through on the portal, kept on the server
so that they outlast the browser's session (a questionnaire saved for later
and finished the next day, on another phone too)."""

import datetime as dt

from django.db import models
from django.http import QueryDict
from django.utils import timezone

from patients.models import PortalLink

# A questionnaire stays open for a week (DESIGN 9): so do the answers saved for it.
DRAFT_DAYS = 7


class PortalDraftQuerySet(models.QuerySet):
    def current(self):
        """Drafts saved within DRAFT_DAYS: older ones are as good as gone."""
        return self.filter(updated_at__gte=timezone.now() - dt.timedelta(days=DRAFT_DAYS))


class PortalDraft(models.Model):
    """Not part of the clinical record: nothing here reaches the patient's
    record until the patient sends it. One per portal link and form
    (`key`: "report", or "questionnaire:<instrument id>"); dropped when sent,
    and by the daily clean-up after DRAFT_DAYS."""

    link = models.ForeignKey(PortalLink, on_delete=models.CASCADE, related_name="drafts", db_index=False)
    key = models.CharField(max_length=40)
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = PortalDraftQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["link", "key"], name="portal_draft_one_per_form")]

    def __str__(self):
        return f"{self.key} ({self.updated_at:%Y-%m-%d %H:%M})"


def draft_read(link, key: str) -> dict | None:
    return PortalDraft.objects.current().filter(link=link, key=key).values_list("data", flat=True).first()


def draft_write(link, key: str, data: dict) -> None:
    PortalDraft.objects.update_or_create(link=link, key=key, defaults={"data": data})


def draft_drop(link, key: str) -> None:
    PortalDraft.objects.filter(link=link, key=key).delete()


def answers_keep(link, page: str, post) -> None:
    """A form sent with answers to correct: kept for that page's next GET to
    show with its errors (post, redirect, get), so that the browser's back
    button never lands on a form's response and asks to send it again."""
    draft_write(link, f"again:{page}", {name: values for name, values in post.lists()})


def answers_take(link, page: str) -> QueryDict | None:
    """The answers answers_keep kept for `page`, once; None when there are none."""
    key = f"again:{page}"
    kept = draft_read(link, key)
    if kept is None:
        return None
    draft_drop(link, key)
    data = QueryDict(mutable=True)
    for name, values in kept.items():
        data.setlist(name, values)
    return data


def drafts_expired_delete() -> int:
    """The daily clean-up: drafts older than DRAFT_DAYS."""
    cutoff = timezone.now() - dt.timedelta(days=DRAFT_DAYS)
    return PortalDraft.objects.filter(updated_at__lt=cutoff).delete()[0]

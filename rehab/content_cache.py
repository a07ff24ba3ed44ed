"""The clinic's patient-facing content, read from the database once and then
from the cache (Redis) until the clinic changes it.

Every portal page shows the clinic's education articles (parsed from their
markup, put in the clinic's words and made HTML), names the patient's phase,
and lists the questionnaires the clinic schedules. These are the same for
every patient of a clinic and change only when a clinic admin edits them, yet
reading and parsing them was a third of a portal page's cost (issue 13).

What keeps the cache right:

- The content is kept per clinic (under its id and its creation time, so a
  recreated database whose clinic got the same id never meets an old entry)
  with the *content version* it was read at: a random token kept in the cache
  under the clinic's id. Any save or delete of the clinic, or of one of its
  articles, phases, questionnaires or their questions, sets a new token at
  once and again when the transaction commits (receivers below). A page that
  reads afterwards finds the kept content's token stale and reads the
  database afresh: an edit shows on the next request; a page that read the
  old rows while the edit was being committed kept them with a token that no
  longer matches.
- Writes that send no signal (`QuerySet.update`, SQL), and an edit made
  while Redis was unreachable (no new token could be set), are not seen until
  the entry expires (CONTENT_TIMEOUT, an hour); the admin and the services
  save rows.
- With the cache unreachable the content is read from the database, as the
  portal works on with Redis down.
"""

import logging
import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from content.instruments import Instrument, InstrumentItem
from content.models import ArticleSection, EducationArticle, Phase
from content.text import article_blocks
from content.wording import article_blocks_for_clinic
from patients.models import Clinic

log = logging.getLogger(__name__)

# How long a write that sends no signal can go unseen. A miss costs three
# small queries once per clinic, so an hour is cheap.
CONTENT_TIMEOUT = 60 * 60
# Part of the key: a release that changes what ClinicContent holds (or how
# articles are drawn) raises it, so it never unpickles an older release's entry.
CONTENT_FORMAT = 1


@dataclass
class ClinicContent:
    """What every patient of the clinic sees alike."""

    articles: dict[str, list[EducationArticle]]  # by section code, each with .blocks and .html
    phases: dict[str, Phase]  # by phase code
    questionnaires: list[Instrument]  # active and scheduled, each with .item_count


def article_html(blocks: list[dict]) -> SafeString:
    """An article's blocks as the pages show them: paragraphs and bullet lists."""
    return mark_safe("".join(  # noqa: S308  (every text is escaped by format_html)
        format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((item,) for item in block["items"])))
        if block["kind"] == "ul" else format_html("<p>{}</p>", block["text"])
        for block in blocks
    ))


def clinic_content_read(clinic: Clinic) -> ClinicContent:
    """The clinic's content from the database (three queries)."""
    articles = {code: [] for code in ArticleSection.values}
    for article in EducationArticle.objects.filter(clinic=clinic, audience="patient", is_active=True).order_by(
        "order", "title", "pk"
    ):
        article.blocks = article_blocks_for_clinic(article_blocks(article.body), clinic)
        article.html = article_html(article.blocks)
        articles[article.section].append(article)
    phases = {phase.code: phase for phase in Phase.objects.filter(clinic=clinic)}
    # item_count: how many questions, told to the patient before they start.
    questionnaires = list(
        Instrument.objects.filter(clinic=clinic, is_active=True, scheduled=True).annotate(item_count=Count("items"))
    )
    return ClinicContent(articles=articles, phases=phases, questionnaires=questionnaires)


def clinic_content(clinic: Clinic) -> ClinicContent:
    """The clinic's content: from the cache when it holds the current version
    (one round trip for the version and the content together), otherwise
    read from the database and kept for the next page."""
    version_key, content_key = _version_key(clinic.pk), _content_key(clinic)
    try:
        found = cache.get_many([version_key, content_key])
        version = found.get(version_key)
        if version is None:
            cache.add(version_key, uuid.uuid4().hex, timeout=None)
            version = cache.get(version_key)
    except Exception:
        log.warning("Clinic content cache unavailable (cache unreachable); reading the database", exc_info=True)
        return clinic_content_read(clinic)
    kept = found.get(content_key)
    if kept is not None and kept[0] == version:
        return kept[1]
    content = clinic_content_read(clinic)
    try:
        cache.set(content_key, (version, content), timeout=CONTENT_TIMEOUT)
    except Exception:
        log.warning("Could not keep the clinic content (cache unreachable)", exc_info=True)
    return content


def _version_key(clinic_id) -> str:
    return f"clinic-content-version:{clinic_id}"


def _content_key(clinic: Clinic) -> str:
    return f"clinic-content:{CONTENT_FORMAT}:{clinic.pk}:{clinic.created_at.timestamp()}"


def clinic_content_changed(clinic_id) -> None:
    """A new content version for the clinic, now and when the transaction commits."""

    def renew():
        try:
            cache.set(_version_key(clinic_id), uuid.uuid4().hex, timeout=None)
        except Exception:
            log.warning("Could not renew clinic %s's content version (cache unreachable)", clinic_id, exc_info=True)

    renew()
    transaction.on_commit(renew)


@receiver([post_save, post_delete], sender=Clinic, dispatch_uid="clinic_content_clinic")
def _clinic_saved(sender, instance, **kwargs):
    # Its name, phone and emergency number are in the articles' words.
    clinic_content_changed(instance.pk)


@receiver([post_save, post_delete], sender=EducationArticle, dispatch_uid="clinic_content_article")
@receiver([post_save, post_delete], sender=Phase, dispatch_uid="clinic_content_phase")
@receiver([post_save, post_delete], sender=Instrument, dispatch_uid="clinic_content_instrument")
def _content_saved(sender, instance, **kwargs):
    clinic_content_changed(instance.clinic_id)


@receiver([post_save, post_delete], sender=InstrumentItem, dispatch_uid="clinic_content_instrument_item")
def _question_saved(sender, instance, **kwargs):
    if InstrumentItem.instrument.is_cached(instance):
        clinic_id = instance.instrument.clinic_id
    else:
        clinic_id = Instrument.objects.filter(pk=instance.instrument_id).values_list("clinic_id", flat=True).first()
    if clinic_id is not None:
        clinic_content_changed(clinic_id)

"""Everything a clinic admin publishes for patients reaches the portal: the
phase description and every shown patient article, by its section code."""

import pytest

from content import defaults
from content.models import EducationArticle, Phase
from tests.factories import EducationArticleFactory

pytestmark = pytest.mark.django_db

Section = EducationArticle.Section


def test_every_default_patient_article_reaches_the_portal(client, portal_url, clinic):
    page = client.get(portal_url).content.decode().replace("&#x27;", "'")
    patient_articles = [spec for spec in defaults.EDUCATION if spec["audience"] == "patient"]
    assert len(patient_articles) == 7
    for article in EducationArticle.objects.filter(clinic=clinic, audience="patient"):
        first_line = article.body.splitlines()[0].removeprefix("- ")
        assert first_line in page, article.slug


def test_clinician_articles_stay_off_the_portal(client, portal_url, clinic):
    page = client.get(portal_url).content.decode()
    for article in EducationArticle.objects.filter(clinic=clinic, audience="clinician"):
        assert article.title not in page


def test_the_seeded_sections_come_from_codes_not_slugs(clinic):
    sections = dict(EducationArticle.objects.filter(clinic=clinic).values_list("slug", "section"))
    assert sections["dos"] == Section.DOS
    assert sections["donts"] == Section.DONTS
    assert sections["seek-same-day-care"] == Section.SEEK_SAME_DAY_CARE
    assert sections["first-72-hours"] == Section.GENERAL


def test_a_renamed_slug_keeps_its_section_on_the_portal(client, portal_url, clinic):
    article = EducationArticle.objects.get(clinic=clinic, section=Section.SEEK_SAME_DAY_CARE)
    article.slug = "urgent-help"
    article.body = "- Your calf is hot, swollen and sore"
    article.save()
    page = client.get(portal_url).content.decode()
    same_day_box = page.split('id="seek-help"')[1].split("</section>")[0]
    assert "<li>Your calf is hot, swollen and sore</li>" in same_day_box


def test_a_retired_article_vanishes_from_the_portal(client, portal_url, clinic):
    article = EducationArticle.objects.get(clinic=clinic, slug="first-72-hours")
    assert article.title in client.get(portal_url).content.decode()
    article.is_active = False
    article.save()
    assert article.title not in client.get(portal_url).content.decode()


def test_general_articles_are_collapsible_in_the_admins_order(client, portal_url, clinic):
    EducationArticle.objects.filter(clinic=clinic, section=Section.GENERAL).update(is_active=False)
    EducationArticleFactory(clinic=clinic, title="Sleeping comfortably", order=2, section=Section.GENERAL)
    EducationArticleFactory(clinic=clinic, title="Driving again", order=1, section=Section.GENERAL)
    page = client.get(portal_url).content.decode()
    assert '<summary class="h5 mb-0">Driving again</summary>' in page
    assert page.index("Driving again") < page.index("Sleeping comfortably")


def test_another_clinics_articles_never_show(client, portal_url, other_clinic):
    EducationArticleFactory(clinic=other_clinic, title="Hilltop parking", section=Section.GENERAL)
    assert "Hilltop parking" not in client.get(portal_url).content.decode()


def test_the_phase_description_reaches_the_portal(client, portal_url, clinic):
    Phase.objects.filter(clinic=clinic, code="normalise").update(
        description="Settle the pain first.\n\nThen we build strength."
    )
    page = client.get(portal_url).content.decode()
    assert "<p>Settle the pain first.</p>" in page
    assert "Then we build strength." in page


def test_without_the_clinics_warning_signs_article_the_signs_are_grouped_by_how_soon_they_need_help(
        client, portal_url, clinic):
    """The fallback once listed every sign as "call today", a clicking hip beside
    chest pain: it now follows the rules' own severities, most urgent first."""
    EducationArticle.objects.filter(clinic=clinic, section=Section.SEEK_SAME_DAY_CARE).update(is_active=False)
    clinic.emergency_number = "112"
    clinic.save()
    box = client.get(portal_url).content.decode().split('id="seek-help"')[1].split("</section>")[0]
    now = box.index("Call 112 or go to the emergency department now")
    today = box.index("Get checked today")
    tell = box.index("Tell your physiotherapist at your next visit")
    assert now < box.index("Pain in your chest") < today < box.index("Swelling in the calf") < tell
    assert tell < box.index("Your hip clicks, catches or locks")

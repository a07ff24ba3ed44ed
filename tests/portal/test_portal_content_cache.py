"""The clinic's articles, phases and questionnaires are read once and kept in
the cache (rehab.content_cache): a clinic admin's edit shows on the very next
page, and one clinic's kept content never reaches another clinic's patients."""

import pytest

from content.instruments import Instrument
from content.models import EducationArticle, Phase
from rehab.content_cache import clinic_content
from rehab.plans import plan_assign_from_template
from rehab.portal_links import portal_link_issue
from tests.factories import EducationArticleFactory, PatientFactory, PhysioFactory

pytestmark = pytest.mark.django_db

Section = EducationArticle.Section


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_an_article_edit_shows_on_the_next_page(client, portal_url, clinic, django_capture_on_commit_callbacks):
    article = EducationArticle.objects.get(clinic=clinic, slug="first-72-hours")
    assert article.title in _page(client, portal_url)  # now kept in the cache
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "Your first three days"
        article.body = "Rest between short walks.\n\n- Ice the wound for 10 minutes"
        article.save()
    page = _page(client, portal_url)
    assert "Your first three days" in page
    assert "<p>Rest between short walks.</p><ul><li>Ice the wound for 10 minutes</li></ul>" in page


def test_a_new_retired_or_deleted_article_shows_at_once(client, portal_url, clinic):
    _page(client, portal_url)
    EducationArticleFactory(clinic=clinic, title="Driving again", section=Section.GENERAL)
    assert "Driving again" in _page(client, portal_url)
    retired = EducationArticle.objects.get(clinic=clinic, slug="first-72-hours")
    retired.is_active = False
    retired.save()
    assert retired.title not in _page(client, portal_url)
    EducationArticle.objects.get(clinic=clinic, title="Driving again").delete()
    assert "Driving again" not in _page(client, portal_url)


def test_a_phase_questionnaire_or_clinic_edit_shows_at_once(client, portal_url, clinic, planned_patient):
    page = _page(client, portal_url)
    assert "Questions about your knee" in page
    phase = Phase.objects.get(clinic=clinic, code=planned_patient.phase)
    phase.goal = "Walk to the shop and back"
    phase.save()
    assert "Walk to the shop and back" in _page(client, portal_url)
    koos = Instrument.objects.get(clinic=clinic, code="koos_jr")
    koos.patient_title = "Knee and hip questions"
    koos.save()
    assert "Knee and hip questions" in _page(client, portal_url)
    # The articles say "call Riverside Physio on …": the clinic's number is in their words.
    EducationArticleFactory(clinic=clinic, title="If it swells", section=Section.GENERAL,
                            body="Contact your clinic if the wound weeps.")
    clinic.phone = "020 7946 0999"
    clinic.save()
    assert "Call Riverside Physio on 020 7946 0999 if the wound weeps." in _page(client, portal_url)


def test_one_clinics_kept_content_never_shows_on_another_clinics_portal(client, portal_url, clinic, other_clinic):
    EducationArticleFactory(clinic=clinic, title="Riverside parking", section=Section.GENERAL,
                            body="Park behind the river gate.")
    EducationArticleFactory(clinic=other_clinic, title="Hilltop parking", section=Section.GENERAL,
                            body="Park at the top of the hill.")
    Phase.objects.filter(clinic=other_clinic).update(goal="A Hilltop goal")
    hilltop_physio = PhysioFactory(clinic=other_clinic, username="hilltop-physio")
    hilltop_patient = PatientFactory(clinic=other_clinic, physio=hilltop_physio, ref="H-0001")
    plan_assign_from_template(patient=hilltop_patient)
    _, token = portal_link_issue(patient=hilltop_patient, issued_by=hilltop_physio)
    hilltop_url = f"/p/{token}/"

    for _ in range(2):  # the second round from the cache
        riverside, hilltop = _page(client, portal_url), _page(client, hilltop_url)
        assert "Park behind the river gate." in riverside and "Riverside parking" in riverside
        assert "Hilltop" not in riverside and "Park at the top of the hill." not in riverside
        assert "A Hilltop goal" in hilltop and "Park at the top of the hill." in hilltop
        assert "Riverside" not in hilltop and "Park behind the river gate." not in hilltop
    assert clinic_content(clinic) is not clinic_content(other_clinic)
    assert {a.clinic_id for section in clinic_content(other_clinic).articles.values() for a in section} == {
        other_clinic.pk}


def test_a_clinic_recreated_with_the_same_id_never_meets_the_old_content(clinic):
    EducationArticleFactory(clinic=clinic, title="Old clinic's article", section=Section.GENERAL)
    assert "Old clinic's article" in [a.title for a in clinic_content(clinic).articles[Section.GENERAL]]
    # A restored or recreated database: the same id, another clinic (its own creation time).
    EducationArticle.objects.filter(clinic=clinic, title="Old clinic's article").update(title="New clinic's")
    clinic.created_at = clinic.created_at.replace(year=clinic.created_at.year - 1)
    titles = [a.title for a in clinic_content(clinic).articles[Section.GENERAL]]
    assert "New clinic's" in titles and "Old clinic's article" not in titles


def test_the_portal_reads_no_content_query_once_the_content_is_kept(
    client, portal_url, clinic, django_assert_num_queries
):
    _page(client, portal_url)
    # The link (with patient, clinic and physio), and one statement for the
    # plan with today's marks, the record's first visit, last phase move and
    # each questionnaire's last answer: none of the clinic's articles, phases
    # or questionnaires.
    with django_assert_num_queries(2):
        _page(client, portal_url)
    for number in range(5):
        EducationArticleFactory(clinic=clinic, title=f"More reading {number}", section=Section.GENERAL)
    _page(client, portal_url)
    with django_assert_num_queries(2):
        assert "More reading 4" in _page(client, portal_url)

"""The patient portal in a real browser: a phone, a red-flag self-report, print,
and a clinic admin's content edit reaching the patient's page."""


import pytest
from django.core.cache import cache

from content.models import EducationArticle, Exercise
from portal import ratelimit
from rehab.models import Flag
from rehab.plans import plan_assign_from_template
from rehab.portal_links import portal_link_issue
from tests.browser.support import ARTIFACTS, PHONE, login, report_on_portal, screenshot
from tests.browser.test_programme_print import MIN_BODY_PT, read_pdf
from tests.factories import ClinicAdminFactory, ClinicFactory, PatientFactory, PhysioFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def portal_patient():
    cache.delete(ratelimit._key(type("R", (), {"META": {"REMOTE_ADDR": "127.0.0.1"}})()))
    clinic = ClinicFactory(slug="riverside", name="Riverside Physio")
    physio = PhysioFactory(clinic=clinic, username="jsmith", first_name="Jo", last_name="Smith")
    patient = PatientFactory(clinic=clinic, physio=physio, given_name="Mary", family_name="Okafor")
    plan_assign_from_template(patient=patient)
    item = patient.plan_items.first()
    item.note = "Keep your pelvis level and breathe out as you lift."
    item.save()
    _, token = portal_link_issue(patient=patient, issued_by=physio)
    return patient, f"/p/{token}/"


def test_a_patient_reports_saddle_numbness_from_a_phone_and_sees_emergency_advice(new_page, portal_patient):
    patient, url = portal_patient
    page = new_page(viewport=PHONE)
    page.goto(url)
    assert page.get_by_role("heading", name="Hello Mary").is_visible()
    assert page.get_by_role("heading", name="When to get help quickly").is_visible()
    assert "Okafor" not in page.content()
    # Nothing may overflow sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "portal-phone")

    page.set_viewport_size({"width": 733, "height": 1062})  # A4 less 8 mm margins, at 96 dpi
    page.emulate_media(media="print")
    assert not page.get_by_role("link", name="Tell your physiotherapist how you are").is_visible()
    assert page.get_by_text("Supine hip flexor stretch").is_visible()
    # Steps folded away on screen ("How to do it") are printed.
    first_step = patient.plan_items.order_by("order", "id").first().exercise.instruction_steps[0]
    assert page.get_by_text(first_step).first.is_visible()
    screenshot(page, "portal-print")
    pdf = page.pdf(format="A4", print_background=True)
    (ARTIFACTS / "portal-print.pdf").write_bytes(pdf)
    # Printed from the browser, the page is as readable as the printable
    # programme: 12 pt text or more, one column, every exercise whole.
    pages = read_pdf(pdf)
    smallest = min(size for page in pages for size in page["sizes"])
    assert smallest >= MIN_BODY_PT, f"printed text at {smallest} pt"
    assert len(pages) <= patient.plan_items.count() + 2
    page.emulate_media(media="screen")
    page.set_viewport_size(PHONE)

    report_on_portal(page, places={"Front of the hip / groin": {"Moving": 4}},
                     signs=["Numbness around your bottom, genitals or inner thighs"])
    page.wait_for_url("**/report/*/")
    assert page.get_by_role("heading", name="Go to the emergency department now").is_visible()
    screenshot(page, "portal-emergency-phone")
    assert Flag.objects.filter(patient=patient, code="cauda_equina", severity="emergency").exists()

    page.reload()  # the result page is a GET: refreshing never sends the report twice
    assert patient.entries.count() == 1


def test_a_clinic_admin_edits_instructions_and_the_portal_shows_them(new_page, portal_patient):
    patient, url = portal_patient
    ClinicAdminFactory(clinic=patient.clinic, username="admin-riverside")
    exercise = patient.plan_items.select_related("exercise").first().exercise

    admin = new_page()
    login(admin, "admin-riverside")
    admin.goto("/library/")
    admin.get_by_role("link", name="Edit exercises").click()
    admin.get_by_role("link", name=exercise.name, exact=True).click()
    admin.locator("#id_instructions").fill("Lie on your back near the edge of the bed.\nLet the free leg hang down slowly.")
    admin.get_by_role("button", name="Save", exact=True).click()
    admin.wait_for_url("**/admin/content/exercise/")
    assert Exercise.objects.get(pk=exercise.pk).instruction_steps[1] == "Let the free leg hang down slowly."

    phone = new_page(viewport=PHONE)
    phone.goto(url)
    card = phone.locator(".portal-exercise").filter(has=phone.get_by_role("heading", name=exercise.name, exact=True))
    card.get_by_text("How to do it").click()  # the steps open on a tap
    assert card.get_by_text("Let the free leg hang down slowly.").is_visible()


def test_a_clinic_admin_edits_an_article_and_the_patients_phone_shows_it(new_page, portal_patient):
    patient, url = portal_patient
    clinic = patient.clinic
    clinic.phone = "020 7946 0000"
    clinic.opening_hours = "Monday to Friday, 8am to 6pm"
    clinic.address = "1 River Lane, London SE1 1AA"
    clinic.save()
    ClinicAdminFactory(clinic=clinic, username="admin-riverside")
    article = EducationArticle.objects.get(clinic=clinic, slug="first-72-hours")

    admin = new_page()
    login(admin, "admin-riverside")
    admin.goto(f"/admin/content/educationarticle/{article.pk}/change/")
    admin.locator("#id_body").fill("Rest for a day, then walk a little every hour.\n\n- Use ice for 15 minutes.")
    admin.get_by_role("button", name="Save", exact=True).click()
    admin.wait_for_url("**/admin/content/educationarticle/")
    screenshot(admin, "admin-article-list")

    phone = new_page(viewport=PHONE)
    phone.goto(url)
    phone.screenshot(path=str(ARTIFACTS / "portal-articles-phone-top.png"))
    phone.get_by_text(article.title).click()  # the article opens on a tap
    assert phone.get_by_text("Rest for a day, then walk a little every hour.").is_visible()
    assert phone.get_by_role("listitem").filter(has_text="Use ice for 15 minutes.").is_visible()
    call = phone.get_by_role("link", name="Call 020 7946 0000")
    assert call.is_visible() and call.get_attribute("href") == "tel:02079460000"
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(phone, "portal-articles-phone")
    # The full page is long: the parts a person checks, one by one.
    phone.locator(".portal-more").screenshot(path=str(ARTIFACTS / "portal-articles-phone-about.png"))
    phone.locator(".portal-footer").screenshot(path=str(ARTIFACTS / "portal-articles-phone-contact.png"))

    desktop = new_page()
    desktop.goto(url)
    desktop.get_by_text(article.title).click()
    assert desktop.get_by_text("Rest for a day, then walk a little every hour.").is_visible()
    screenshot(desktop, "portal-articles-desktop")
    desktop.screenshot(path=str(ARTIFACTS / "portal-articles-desktop-about.png"))

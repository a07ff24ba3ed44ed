"""Issue 15's "Done when", end to end in a real browser: a clinic admin
uploads an exercise picture and rewrites a patient article; the patient's
phone shows both; the patient ticks two exercises and reports 3/10 in three
screens; the physio's patient page shows the adherence and the report; the
printout is A4 at 12 pt or more with the picture in it."""

import re
from pathlib import Path

import pytest
from django.core.cache import cache

from content.models import EducationArticle, Exercise
from patients.models import AdherenceMark, Entry
from portal import ratelimit
from rehab.plans import plan_assign_from_template
from rehab.portal_links import portal_link_issue
from tests.browser.support import DESKTOP, PHONE, login, no_sideways_scroll, policy_violations, screenshot
from tests.browser.test_programme_print import MIN_BODY_PT, read_pdf
from tests.factories import ClinicAdminFactory, ClinicFactory, PatientFactory, PhysioFactory
from tests.picture_files import picture_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ALT = "Lying on your back, one knee bent, the other leg straight"
NEW_TEXT = "Rest for a day, then walk a little every hour."
SHOTS = Path("/work/helpers/shots/journey")


def shot(page, name):
    path = screenshot(page, f"patient-side-{name}")
    if SHOTS.is_dir():
        (SHOTS / f"journey-{name}.png").write_bytes(path.read_bytes())


def tick(label, exercise):
    """A tick button's accessible name: its label, then the exercise's name."""
    return re.compile(rf"^{label}\W+{re.escape(exercise.name)}$")


@pytest.fixture
def journey():
    cache.delete(ratelimit._key(type("R", (), {"META": {"REMOTE_ADDR": "127.0.0.1"}})()))
    clinic = ClinicFactory(slug="riverside", name="Riverside Physio", phone="020 7946 0000")
    ClinicAdminFactory(clinic=clinic, username="admin-riverside")
    physio = PhysioFactory(clinic=clinic, username="jsmith", first_name="Jo", last_name="Smith")
    patient = PatientFactory(clinic=clinic, physio=physio, given_name="Mary", family_name="Okafor")
    plan_assign_from_template(patient=patient)
    _, token = portal_link_issue(patient=patient, issued_by=physio)
    return patient, f"/p/{token}/"


def test_admin_content_reaches_the_patient_who_ticks_reports_and_prints(new_page, journey):
    patient, url = journey
    plan = [item.exercise for item in patient.plan_items.select_related("exercise").order_by("order", "id")]
    first, second = plan[0], plan[1]
    assert not first.picture
    article = EducationArticle.objects.get(clinic=patient.clinic, slug="first-72-hours")

    # The clinic admin: from the library to the exercise, a picture from a phone camera.
    admin = new_page(viewport=DESKTOP)
    login(admin, "admin-riverside")
    admin.goto("/library/")
    admin.get_by_role("link", name="Edit exercises").click()
    admin.get_by_role("link", name=first.name, exact=True).click()
    admin.locator("#id_picture").set_input_files(files=[{
        "name": "IMG_2041.jpg", "mimeType": "image/jpeg",
        "buffer": picture_bytes("JPEG", size=(2400, 1600), colour=(200, 170, 60), gps=True)}])
    admin.locator("#id_picture_alt").fill(ALT)
    admin.get_by_role("button", name="Save", exact=True).click()
    admin.wait_for_url("**/admin/content/exercise/")
    assert Exercise.objects.get(pk=first.pk).picture
    # ... then the article, from the library's "Edit education".
    admin.goto("/library/")
    admin.get_by_role("link", name="Edit education").click()
    admin.get_by_role("link", name=article.title, exact=True).click()
    admin.locator("#id_body").fill(f"{NEW_TEXT}\n\n- Use ice for 15 minutes.")
    admin.get_by_role("button", name="Save", exact=True).click()
    admin.wait_for_url("**/admin/content/educationarticle/")

    # The patient's phone: the picture under "How to do it", the new article text.
    phone = new_page(viewport=PHONE)
    problems = policy_violations(phone)
    phone.goto(url)
    card = phone.locator(".portal-exercise").filter(has=phone.get_by_role("heading", name=first.name, exact=True))
    picture = card.get_by_role("img", name=ALT)
    assert not picture.is_visible()  # a tap away
    card.get_by_text("How to do it").click()
    picture.scroll_into_view_if_needed()
    assert picture.is_visible()
    assert phone.evaluate("(img) => img.complete && img.naturalWidth > 0", picture.element_handle())
    phone.get_by_text(article.title).click()
    assert phone.get_by_text(NEW_TEXT).is_visible()
    assert phone.get_by_role("listitem").filter(has_text="Use ice for 15 minutes.").is_visible()
    assert no_sideways_scroll(phone)
    shot(phone, "portal-phone")

    # Two exercises ticked.
    phone.get_by_role("button", name=tick("I did this today", first)).click()
    phone.wait_for_url(f"**#exercise-{first.code}")
    phone.get_by_role("button", name=tick("I did this today", second)).click()
    phone.wait_for_url(f"**#exercise-{second.code}")
    assert phone.get_by_text(f"Today: 2 of {len(plan)} exercises ticked.", exact=False).is_visible()

    # 3 out of 10 when moving, in three screens.
    phone.get_by_role("link", name="Tell your physiotherapist how you are").click()
    phone.get_by_role("heading", name="Where does it hurt today?").wait_for()
    phone.get_by_label("Knee", exact=True).check()
    phone.get_by_role("button", name="Next").click()
    phone.get_by_role("heading", name="How much does it hurt?").wait_for()
    phone.get_by_role("group", name="Knee: Moving").get_by_text("3", exact=True).click()
    phone.get_by_role("button", name="Next").click()
    phone.get_by_role("heading", name="Have you noticed any of these since your last report?").wait_for()
    phone.get_by_role("button", name="Send to my physiotherapist").click()
    phone.get_by_role("heading", name="Thank you, Mary").wait_for()
    shot(phone, "report-sent-phone")
    assert {(m.exercise_id, m.status) for m in AdherenceMark.objects.filter(patient=patient)} == {
        (first.pk, "done"), (second.pk, "done")}
    report = Entry.objects.get(patient=patient, kind=Entry.SELF_REPORT)
    assert list(report.pain_scores.values_list("location", "context", "score")) == [("knee", "activity", 3)]

    # The printout, from the portal's home page, as Chromium prints it.
    phone.goto(url)
    phone.get_by_role("link", name="Print my exercises").click()
    phone.wait_for_url("**/print/")
    pages = read_pdf(phone.pdf(format="A4", print_background=True, prefer_css_page_size=True))
    smallest = min(size for page in pages for size in page["sizes"])
    assert smallest >= MIN_BODY_PT, f"text at {smallest} pt"
    on = [page for page in pages if first.name in page["text"]]
    assert len(on) == 1 and on[0]["images"] >= 1, "the uploaded picture is not beside its exercise"
    assert problems == [], problems

    # The physio: caseload, then the patient page with the marks and the report.
    staff = new_page(viewport=DESKTOP)
    login(staff, "jsmith")
    staff.get_by_role("link", name="Okafor, Mary").click()
    adherence = staff.locator("#adherence")
    assert adherence.locator(".adherence-percent").all_inner_texts() == ["100 %"]
    assert adherence.locator(".adherence-days").get_by_text(first.name).is_visible()
    assert adherence.locator(".adherence-days").get_by_text(second.name).is_visible()
    entry = staff.locator("#entries .entry-item").filter(has_text="Self-report")
    assert entry.locator(".entry-pain").inner_text().split() == ["Knee", "activity", "3"]  # "Moving" in the patient's words
    assert staff.get_by_role("img", name=ALT).is_visible()  # the plan panel shows the picture too
    shot(staff, "patient-desktop")

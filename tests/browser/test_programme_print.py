"""Issue 15 in a real browser: a clinic admin uploads an exercise picture,
the patient sees it on their phone and prints their home programme; the
physio prints it from the patient page with a new link's QR code. The PDFs
come from Chromium itself (page.pdf) and are read back with pdfminer.six:
A4, no exercise split across pages, no text under 12 pt, the pictures in."""

import io
import re
import unicodedata
from pathlib import Path

import pytest
from django.core.cache import cache
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTImage, LTTextLine

from content.models import Exercise
from portal import ratelimit
from rehab.plans import plan_assign_from_template
from rehab.portal_links import live_link, portal_link_issue
from tests.browser.support import ARTIFACTS, DESKTOP, PHONE, login, policy_violations, screenshot
from tests.factories import ClinicAdminFactory, ClinicFactory, PatientFactory, PhysioFactory
from tests.picture_files import picture_bytes, picture_upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

A4_POINTS = (595, 842)
MIN_BODY_PT = 12


@pytest.fixture
def programme_patient():
    cache.delete(ratelimit._key(type("R", (), {"META": {"REMOTE_ADDR": "127.0.0.1"}})()))
    clinic = ClinicFactory(slug="riverside", name="Riverside Physio", phone="020 7946 0000",
                           opening_hours="Monday to Friday, 8am to 6pm")
    physio = PhysioFactory(clinic=clinic, username="jsmith", first_name="Jo", last_name="Smith")
    patient = PatientFactory(clinic=clinic, physio=physio, given_name="Mary", family_name="Okafor")
    plan_assign_from_template(patient=patient)
    # Every exercise but the first with a picture (the admin uploads the first
    # in the journey), each its own colour so the PDF holds distinct images.
    for n, item in enumerate(patient.plan_items.select_related("exercise").order_by("order")[1:], start=1):
        exercise = item.exercise
        exercise.picture = picture_upload(f"e{n}.jpg", size=(1200, 800), colour=(30 * n % 255, 140, 90))
        exercise.picture_alt = f"How to do {exercise.name}"
        exercise.save()
    item = patient.plan_items.order_by("order").first()
    item.note = "Keep your pelvis level and breathe out as you lift."
    item.save()
    _, token = portal_link_issue(patient=patient, issued_by=physio)
    return patient, f"/p/{token}/"


def read_pdf(pdf: bytes):
    """Per page: its size in points, its text (in reading order, ligatures
    such as "ﬂ" unfolded, one space between words), the size of every
    character, and how many images are drawn on it."""
    pages = []
    for layout in extract_pages(io.BytesIO(pdf)):
        found = {"sizes": [], "images": 0, "lines": []}

        def walk(element, found=found):
            if isinstance(element, LTChar):
                if element.get_text().strip():
                    found["sizes"].append(round(element.size, 1))
                return
            if isinstance(element, LTImage):
                found["images"] += 1
            if isinstance(element, LTTextLine):
                found["lines"].append(element.get_text())
            if hasattr(element, "__iter__"):
                for child in element:
                    walk(child)

        walk(layout)
        text = words(unicodedata.normalize("NFKC", " ".join(found["lines"])))
        pages.append({"size": (round(layout.width), round(layout.height)), "text": text,
                      "sizes": found["sizes"], "images": found["images"]})
    return pages


def words(text: str) -> str:
    return " ".join(text.split())


def check_programme_pdf(pdf: bytes, patient, name: str):
    (ARTIFACTS / f"{name}.pdf").write_bytes(pdf)
    pages = read_pdf(pdf)
    items = list(patient.plan_items.select_related("exercise").order_by("order"))
    assert 2 <= len(pages) <= len(items) + 3, f"{len(pages)} pages"
    assert all(page["size"] == A4_POINTS for page in pages)
    smallest = min(size for page in pages for size in page["sizes"])
    assert smallest >= MIN_BODY_PT, f"text at {smallest} pt"
    for item in items:
        exercise = item.exercise
        # Text extraction joins wrapped lines with a space; a step's first
        # words are enough to find it.
        first = f"{exercise.name}"
        last = words(exercise.instruction_steps[-1])[:40]
        on = [i for i, page in enumerate(pages) if first in page["text"]]
        ends = [i for i, page in enumerate(pages) if last in page["text"]]
        assert len(on) == 1 and on == ends, f"{exercise.name} is split across pages {on} / {ends}"
        if exercise.picture:
            assert pages[on[0]]["images"] >= 1, f"{exercise.name}'s picture is not on its page"
    assert sum(page["images"] for page in pages) >= sum(1 for item in items if item.exercise.picture)
    assert "020 7946 0000" in pages[0]["text"]
    assert "Warning signs" in " ".join(page["text"] for page in pages)
    return pages


def shots_copy(path: Path, name: str):
    """A copy for the people reviewing this change (not needed by the test)."""
    target = Path("/work/helpers/shots/pics")
    if target.is_dir():
        (target / f"{name}.png").write_bytes(path.read_bytes())


def test_the_admin_uploads_a_picture_and_the_patient_sees_it_and_prints_the_programme(new_page, programme_patient):
    patient, url = programme_patient
    ClinicAdminFactory(clinic=patient.clinic, username="admin-riverside")
    exercise = patient.plan_items.select_related("exercise").order_by("order").first().exercise

    admin = new_page()
    login(admin, "admin-riverside")
    admin.goto(f"/admin/content/exercise/{exercise.pk}/change/")
    admin.locator("#id_picture").set_input_files(files=[{
        "name": "IMG_2041.jpg", "mimeType": "image/jpeg",
        "buffer": picture_bytes("JPEG", size=(3000, 2000), colour=(200, 170, 60), gps=True)}])
    admin.locator("#id_picture_alt").fill("Lying on your back with one knee bent, the other leg over the bed's edge")
    admin.get_by_role("button", name="Save", exact=True).click()
    admin.wait_for_url("**/admin/content/exercise/")
    exercise = Exercise.objects.get(pk=exercise.pk)
    assert exercise.picture

    phone = new_page(viewport=PHONE)
    violations = policy_violations(phone)
    phone.goto(url)
    card = phone.locator(".portal-exercise").filter(has=phone.get_by_role("heading", name=exercise.name, exact=True))
    card.get_by_text("How to do it").click()  # the picture is with the steps, a tap away
    picture = phone.get_by_role("img", name="Lying on your back with one knee bent")
    picture.scroll_into_view_if_needed()
    assert picture.is_visible()
    assert phone.evaluate("(img) => img.complete && img.naturalWidth", picture.element_handle()) == 1200
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shots_copy(screenshot(phone, "pics-portal-phone"), "portal-phone")
    picture.screenshot(path=str(ARTIFACTS / "pics-portal-phone-picture.png"))
    shots_copy(ARTIFACTS / "pics-portal-phone-picture.png", "portal-phone-picture")

    phone.get_by_role("link", name="Print my exercises").click()
    phone.wait_for_url("**/print/")
    assert phone.get_by_role("heading", name="Home exercise programme for Mary").is_visible()
    assert phone.locator(".programme-qr svg").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shots_copy(screenshot(phone, "pics-print-portal-phone"), "print-portal-phone")
    pdf = phone.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    check_programme_pdf(pdf, patient, "pics-print-portal")
    assert not violations, violations

    desktop = new_page(viewport=DESKTOP)
    desktop.goto(url)
    shots_copy(screenshot(desktop, "pics-portal-desktop"), "portal-desktop")
    desktop.goto(url + "print/")
    shots_copy(screenshot(desktop, "pics-print-portal-desktop"), "print-portal-desktop")


def test_the_physio_prints_the_programme_with_a_new_links_qr_code(new_page, programme_patient):
    patient, url = programme_patient
    page = new_page(viewport=DESKTOP)
    violations = policy_violations(page)
    login(page, "jsmith")
    page.goto(f"/patients/{patient.pk}/")
    assert page.get_by_role("img", name=re.compile("^How to do ")).first.is_visible()
    page.locator("#plan").screenshot(path=str(ARTIFACTS / "pics-plan-panel-desktop.png"))
    shots_copy(ARTIFACTS / "pics-plan-panel-desktop.png", "plan-panel-desktop")
    old = live_link(patient)

    page.get_by_role("link", name="Print home programme").click()
    page.wait_for_url("**/programme/print/")
    assert page.get_by_text("This printout has no QR code").is_visible()
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    pages = check_programme_pdf(pdf, patient, "pics-print-staff-no-qr")
    assert "has no QR code" not in " ".join(p["text"] for p in pages), "the staff note is not printed"

    page.get_by_role("button", name="Print with a new portal link (QR code)").click()
    page.wait_for_load_state()
    assert page.get_by_text("A new portal link was issued").is_visible()
    assert page.locator(".programme-qr svg").is_visible()
    assert live_link(patient).pk != old.pk
    shots_copy(screenshot(page, "pics-print-staff-desktop"), "print-staff-desktop")
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    check_programme_pdf(pdf, patient, "pics-print-staff")
    page.emulate_media(media="print")
    shots_copy(screenshot(page, "pics-print-staff-as-printed"), "print-staff-as-printed")
    assert not violations, violations

    phone = new_page(viewport=PHONE)
    login(phone, "jsmith")
    phone.goto(f"/patients/{patient.pk}/programme/print/")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shots_copy(screenshot(phone, "pics-print-staff-phone"), "print-staff-phone")


def test_the_physio_revokes_after_confirming_and_prints_a_just_issued_link(new_page, programme_patient):
    patient, url = programme_patient
    page = new_page(viewport=DESKTOP)
    violations = policy_violations(page)
    login(page, "jsmith")
    page.goto(f"/patients/{patient.pk}/")
    panel = page.locator("#portal-link")
    old = live_link(patient)

    # Cancel in the confirmation sends nothing; OK revokes, and the panel says so where the page lands.
    page.once("dialog", lambda dialog: dialog.dismiss())
    panel.get_by_role("button", name="Revoke link").click()
    assert live_link(patient).pk == old.pk
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    panel.get_by_role("button", name="Revoke link").click()
    page.wait_for_url("**/#portal-link")
    assert questions == ["Revoke Mary's portal link? It stops working at once; Mary will need a new one."]
    assert panel.get_by_text("Portal link revoked: it no longer opens the patient's page.").is_visible()
    assert live_link(patient) is None

    # Issued, shown once, then printed with that same link: its QR code and its address to type.
    panel.get_by_role("button", name="Issue portal link").click()
    shown = page.locator("#portal-url").input_value()
    issued = live_link(patient)
    page.get_by_role("button", name="Print the home programme with this link").click()
    page.locator(".programme-qr svg").wait_for()
    assert page.locator(".programme-url").inner_text() == shown
    assert live_link(patient).pk == issued.pk  # the same link, not another
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    pages = check_programme_pdf(pdf, patient, "pics-print-issued-link")
    # The address breaks before the token, never inside it (extraction joins lines with a space).
    assert shown.split("/p/")[1] in " ".join(p["text"] for p in pages)
    screenshot(page, "print-issued-link-desktop")
    assert not violations, violations

"""The portal on a patient's phone: the plan on the first screen, a 3/10
report in three screens (without JavaScript), errors where the patient is
looking, axe-core clean, usable at 200 % zoom and with 44-pixel targets on
a 320-pixel phone, on every portal page
(questionnaires, their errors, saved and thanks pages included)."""

import re

import pytest
from django.core.cache import cache

from patients.models import Entry
from portal import ratelimit
from portal.self_reports import DAILY_LIMIT
from rehab.plans import plan_assign_from_template
from rehab.portal_links import portal_link_issue
from tests.browser.support import (
    ARTIFACTS,
    DESKTOP,
    PHONE,
    accessibility_violations,
    no_sideways_scroll,
    screenshot,
)
from tests.factories import ClinicFactory, PatientFactory, PhysioFactory, SelfReportFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# 200 % zoom of a 1280x800 screen: the same CSS pixels as a 640x400 window.
ZOOM_200 = {"width": 640, "height": 400}
# The smallest phones still sold (an iPhone SE's first generation).
SMALL_PHONE = {"width": 320, "height": 640}
RESULT = re.compile(r"/report/[0-9a-f-]{36}/$")


@pytest.fixture
def patient_url():
    cache.delete(ratelimit._key(type("R", (), {"META": {"REMOTE_ADDR": "127.0.0.1"}})()))
    clinic = ClinicFactory(slug="riverside", name="Riverside Physio", phone="020 7946 0000",
                           opening_hours="Monday to Friday, 8am to 6pm", address="1 River Lane\nLondon SE1 1AA")
    physio = PhysioFactory(clinic=clinic, username="jsmith", first_name="Jo", last_name="Smith")
    patient = PatientFactory(clinic=clinic, physio=physio, given_name="Mary", family_name="Okafor")
    plan_assign_from_template(patient=patient)
    item = patient.plan_items.order_by("order", "id").first()
    item.note = "Keep your pelvis level and breathe out as you lift."
    item.save()
    _, token = portal_link_issue(patient=patient, issued_by=physio)
    return patient, f"/p/{token}/"


# Everything a 70-year-old reads is at least 16 px, everything they tap at least 44 px each way.
READABLE_AND_TAPPABLE = """() => {
  const shown = (el) => {
    const box = el.getBoundingClientRect(), style = getComputedStyle(el);
    return box.width > 1 && box.height > 1 && style.visibility !== "hidden" && style.display !== "none";
  };
  const describe = (el) => `${el.tagName.toLowerCase()}.${el.className}: ${el.textContent.trim().slice(0, 40)}`;
  const small = [...document.querySelectorAll("main *, header *, footer *")].filter((el) => shown(el)
    && [...el.childNodes].some((node) => node.nodeType === 3 && node.textContent.trim())
    && parseFloat(getComputedStyle(el).fontSize) < 16).map(describe);
  const tiny = [...document.querySelectorAll("a, button, summary, label, input, select, textarea")].filter((el) => {
    // A box inside a label: the label is what is tapped, and is measured; a
    // label beside its box (a text field's) is not a target itself.
    if (!shown(el) || (el.tagName !== "LABEL" && el.closest("label"))) return false;
    if (el.tagName === "LABEL" && !el.querySelector("input")) return false;
    const box = el.getBoundingClientRect();
    return box.height < 44 || box.width < 44;
  }).map(describe);
  return {small, tiny};
}"""


def above_the_fold(page, locator):
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"]


def test_the_first_phone_screen_shows_todays_first_exercise(new_page, patient_url):
    patient, url = patient_url
    first = patient.plan_items.select_related("exercise").order_by("order", "id").first()
    phone = new_page(viewport=PHONE)
    phone.goto(url)
    today = phone.locator("#today")
    name = today.get_by_role("heading", name=first.exercise.name)
    assert above_the_fold(phone, today.get_by_role("heading", name="Today's exercises"))
    assert above_the_fold(phone, name)
    assert above_the_fold(phone, today.locator(".portal-dosage").first)
    assert today.locator(".portal-dosage").first.inner_text() == first.effective_dosage
    # The signs that need help now, and the number to call, stay on the first screen too.
    strip = phone.locator(".portal-urgent-strip")
    assert above_the_fold(phone, strip)
    assert "Chest pain, sudden breathlessness, or new numbness between your legs?" in strip.inner_text()
    assert strip.get_by_role("link", name="999").get_attribute("href") == "tel:999"
    phone.screenshot(path=str(ARTIFACTS / "portal-home-phone-first-screen.png"))
    # How to do it is a tap away.
    first_step = first.exercise.instruction_steps[0]
    assert not today.get_by_text(first_step).first.is_visible()
    today.locator(".portal-exercise").first.get_by_text("How to do it").click()
    assert today.get_by_text(first_step).first.is_visible()
    assert no_sideways_scroll(phone)
    screenshot(phone, "portal-home-phone")

    desktop = new_page(viewport=DESKTOP)
    desktop.goto(url)
    screenshot(desktop, "portal-home-desktop")


def test_a_patient_reports_3_out_of_10_in_three_screens_without_javascript(new_page, patient_url):
    patient, url = patient_url
    phone = new_page(viewport=PHONE, java_script_enabled=False)
    phone.goto(url)
    screens, sends = [], []
    phone.on("framenavigated", lambda frame: screens.append(frame.url) if frame == phone.main_frame else None)
    phone.on("request", lambda request: sends.append(request.url)
             if request.method == "POST" and request.is_navigation_request() else None)

    phone.get_by_role("link", name="Tell your physiotherapist how you are").click()
    phone.get_by_role("heading", name="Where does it hurt today?").wait_for()
    screenshot(phone, "portal-report-1-where-phone")
    phone.get_by_label("Knee").check()
    phone.get_by_role("button", name="Next").click()

    phone.get_by_role("heading", name="How much does it hurt?").wait_for()
    screenshot(phone, "portal-report-2-how-much-phone")
    phone.get_by_role("group", name="Knee: Moving").get_by_text("3", exact=True).click()
    phone.get_by_role("button", name="Next").click()

    phone.get_by_role("heading", name="Have you noticed any of these since your last report?").wait_for()
    assert phone.get_by_text("moving 3 out of 10").is_visible()
    screenshot(phone, "portal-report-3-signs-phone")
    phone.get_by_role("button", name="Send to my physiotherapist").click()
    phone.get_by_role("heading", name="Thank you, Mary").wait_for()
    screenshot(phone, "portal-report-sent-phone")

    assert len(sends) == 3, sends  # one tap on Next or Send per screen
    report_screens = [u for u in screens if "/report/" in u and not RESULT.search(u)]
    assert len(report_screens) == 3, screens
    entry = Entry.objects.get(patient=patient, kind=Entry.SELF_REPORT)
    assert list(entry.pain_scores.values_list("location", "context", "score")) == [("knee", "activity", 3)]


def test_going_back_from_the_warning_signs_keeps_the_ticked_signs(new_page, patient_url):
    """A patient who ticks signs, then goes back to change how much it hurts
    (by the review's button or the step's own way back), finds them still
    ticked, and they are sent."""
    patient, url = patient_url
    phone = new_page(viewport=PHONE)
    phone.goto(url + "report/")
    phone.get_by_label("Knee").check()
    phone.get_by_role("button", name="Next").click()
    phone.get_by_role("group", name="Knee: Moving").get_by_text("3", exact=True).click()
    phone.get_by_role("button", name="Next").click()
    calf = phone.get_by_label("Swelling in the calf of your operated leg")
    calf.check()
    phone.get_by_role("button", name="Change how much").click()
    phone.get_by_role("group", name="Knee: Moving").get_by_text("5", exact=True).click()
    phone.get_by_role("button", name="Next").click()
    assert calf.is_checked()
    assert phone.get_by_text("moving 5 out of 10").is_visible()
    phone.get_by_role("button", name="Back to “How much does it hurt?”").click()
    phone.get_by_role("heading", name="How much does it hurt?").wait_for()
    phone.get_by_role("button", name="Next").click()
    assert calf.is_checked()
    screenshot(phone, "portal-report-signs-kept-phone")
    phone.get_by_role("button", name="Send to my physiotherapist").click()
    phone.get_by_role("heading", name="Get checked today").wait_for()
    entry = Entry.objects.get(patient=patient, kind=Entry.SELF_REPORT)
    assert list(entry.symptoms.values_list("code", flat=True)) == ["calf_swelling"]


def test_the_back_button_after_a_corrected_answer_goes_back_to_the_step_not_a_resend_warning(new_page,
                                                                                              patient_url):
    """An answer to correct is shown by the step's own page (after a
    redirect): going back later lands on the step, not on the browser's
    "Confirm Form Resubmission"."""
    patient, url = patient_url
    phone = new_page(viewport=PHONE)
    phone.goto(url + "report/")
    phone.get_by_role("button", name="Next").click()  # nothing tapped
    phone.get_by_text("Tap each place that hurts").first.wait_for()
    phone.get_by_label("Knee").check()
    phone.get_by_role("button", name="Next").click()
    phone.get_by_role("heading", name="How much does it hurt?").wait_for()
    phone.go_back()
    assert phone.get_by_role("heading", name="Where does it hurt today?").is_visible()
    assert "ERR_CACHE_MISS" not in phone.content()


def test_a_wrong_answer_is_shown_at_the_top_and_takes_the_focus(new_page, patient_url):
    patient, url = patient_url
    phone = new_page(viewport=PHONE)
    phone.goto(url + "report/")
    phone.get_by_role("button", name="Next").click()
    alert = phone.get_by_role("alert")
    assert "Tap each place that hurts" in alert.inner_text()
    assert above_the_fold(phone, alert)
    assert phone.evaluate("document.activeElement.classList.contains('portal-error-summary')")
    assert phone.title().startswith("Error: ")
    screenshot(phone, "portal-report-1-error-phone")

    phone.get_by_label("Lower back, across both sides").check()
    phone.get_by_label("Knee").check()
    phone.get_by_role("button", name="Next").click()
    phone.get_by_role("group", name="Knee: Resting").get_by_text("0", exact=True).click()
    phone.get_by_role("button", name="Next").click()
    alert = phone.get_by_role("alert")
    assert "Lower back, across both sides: choose how much it hurts" in alert.inner_text()
    assert above_the_fold(phone, alert)
    assert phone.evaluate("document.activeElement.classList.contains('portal-error-summary')")
    # The answer given is kept.
    assert phone.get_by_role("group", name="Knee: Resting").get_by_label("0", exact=True).is_checked()
    screenshot(phone, "portal-report-2-error-phone")
    assert not Entry.objects.filter(patient=patient).exists()


def test_saddle_numbness_on_a_phone_reaches_the_full_width_emergency_advice(new_page, patient_url):
    patient, url = patient_url
    phone = new_page(viewport=PHONE)
    phone.goto(url)
    phone.get_by_role("link", name="Tell your physiotherapist how you are").click()
    phone.get_by_label("Nowhere: nothing hurts today").check()
    phone.get_by_role("button", name="Next").click()
    assert phone.get_by_text("Step 3 of 3").is_visible()
    phone.get_by_label("Numbness around your bottom, genitals or inner thighs", exact=False).check()
    phone.get_by_role("button", name="Send to my physiotherapist").click()
    phone.wait_for_url("**/report/*/")
    heading = phone.get_by_role("heading", name="Go to the emergency department now")
    assert above_the_fold(phone, heading)
    advice = phone.locator("section.portal-advice-emergency").bounding_box()
    main = phone.locator("main").bounding_box()
    assert advice["width"] >= main["width"] - 40  # the width of the page, less its margins
    screenshot(phone, "portal-report-emergency-phone")
    assert patient.flags.filter(code="cauda_equina", severity="emergency").exists()


def _pages(phone, url, patient):
    """Visit every portal page in turn, yielding (name, page) at each."""
    phone.goto(url)
    yield "home", phone
    for summary in phone.locator("details > summary").all():
        summary.click()
    yield "home-opened", phone
    phone.get_by_role("link", name="Questions about your knee").click()
    yield "questionnaire-koos", phone
    phone.get_by_role("button", name="Send my answers").click()
    yield "questionnaire-koos-error", phone
    phone.get_by_role("button", name="Save and finish later").click()
    yield "questionnaire-saved", phone
    phone.get_by_role("link", name="Activities you find hard").click()
    yield "questionnaire-psfs", phone
    for number, activity in enumerate(("Climbing stairs", "Getting out of a car", "Walking to the shops"), start=1):
        phone.get_by_label("What activity?").nth(number - 1).fill(activity)
        phone.get_by_role("group", name="How well can you do it now?").nth(number - 1).get_by_text(
            "4", exact=True).click()
    phone.get_by_role("button", name="Send my answers").click()
    phone.get_by_role("heading", name="Thank you").wait_for()
    yield "questionnaire-thanks", phone
    phone.goto(url + "report/")
    yield "report-where", phone
    phone.get_by_role("button", name="Next").click()
    yield "report-where-error", phone
    phone.get_by_label("Knee").check()
    phone.get_by_label("Buttock, or where the back meets the pelvis").check()
    phone.get_by_role("button", name="Next").click()
    yield "report-how-much", phone
    phone.get_by_role("group", name="Knee: Moving").get_by_text("3", exact=True).click()
    phone.get_by_role("button", name="Next").click()
    yield "report-how-much-error", phone
    phone.get_by_role("group", name="Buttock, or where the back meets the pelvis: Resting").get_by_text(
        "5", exact=True).click()
    phone.get_by_role("button", name="Next").click()
    yield "report-signs", phone
    phone.get_by_role("button", name="Send to my physiotherapist").click()
    phone.get_by_role("heading", name="Thank you, Mary").wait_for()
    yield "result-saved", phone
    phone.goto(url + "report/")
    phone.get_by_label("Nowhere: nothing hurts today").check()
    phone.get_by_role("button", name="Next").click()
    phone.get_by_role("button", name="Send to my physiotherapist").click()
    phone.get_by_role("heading", name="Good to hear you are well").wait_for()
    yield "report-nothing-to-send", phone
    phone.goto(url + "report/")
    phone.get_by_label("Nowhere: nothing hurts today").check()
    phone.get_by_role("button", name="Next").click()
    phone.get_by_label("Swelling in the calf of your operated leg").check()
    phone.get_by_role("button", name="Send to my physiotherapist").click()
    phone.get_by_role("heading", name="Get checked today").wait_for()
    yield "result-same-day", phone
    for _ in range(DAILY_LIMIT - 2):
        SelfReportFactory(patient=patient, date=patient.clinic.today(), portal_link=patient.portal_links.first())
    phone.goto(url + "report/")
    phone.get_by_label("Nowhere: nothing hurts today").check()
    phone.get_by_role("button", name="Next").click()
    phone.get_by_label("Numbness around your bottom, genitals or inner thighs", exact=False).check()
    phone.get_by_role("button", name="Send to my physiotherapist").click()
    phone.get_by_text("Your report was not saved").wait_for()
    yield "result-not-saved", phone
    phone.goto("/p/not-a-real-token/")
    yield "not-found", phone
    for attempt in range(ratelimit.BAD_TOKEN_LIMIT):
        phone.goto(f"/p/guess-{attempt}/")
    phone.goto("/p/guess-again/")
    phone.get_by_role("heading", name="This link is not available").wait_for()
    yield "too-many", phone
    phone.goto(url + "no-such-page/")
    yield "page-not-found", phone


def test_every_portal_page_passes_axe_and_fits_at_200_percent_zoom(new_page, patient_url):
    patient, url = patient_url
    phone = new_page(viewport=PHONE)
    violations, too_wide, seen, cramped = [], [], [], []
    for name, page in _pages(phone, url, patient):
        seen.append(name)
        violations += accessibility_violations(page)
        found = page.evaluate(READABLE_AND_TAPPABLE)
        cramped += [f"{name}: text under 16 px: {text}" for text in found["small"]]
        cramped += [f"{name}: tap target under 44 px: {target}" for target in found["tiny"]]
        screenshot(page, f"portal-a11y-{name}-phone")
        page.set_viewport_size(ZOOM_200)
        if not no_sideways_scroll(page):
            too_wide.append(name)
        screenshot(page, f"portal-a11y-{name}-zoom200")
        page.set_viewport_size(SMALL_PHONE)
        cramped += [f"{name} at 320 px: tap target under 44 px: {target}"
                    for target in page.evaluate(READABLE_AND_TAPPABLE)["tiny"]]
        page.set_viewport_size(DESKTOP)
        violations += accessibility_violations(page)
        screenshot(page, f"portal-a11y-{name}-desktop")
        page.set_viewport_size(PHONE)
    cache.delete(ratelimit._key(type("R", (), {"META": {"REMOTE_ADDR": "127.0.0.1"}})()))
    assert len(seen) == 19
    assert violations == [], "\n".join(violations)
    assert too_wide == []
    assert cramped == [], "\n".join(cramped)

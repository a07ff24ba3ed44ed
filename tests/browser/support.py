"""Real-browser journeys: Playwright driving Debian's Chromium (no browser
download at run time) against pytest-django's live server.

Screenshots go to test-artifacts/screenshots/ for people to look at.
"""

import os
import shutil
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def chromium_path():
    for candidate in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    return None


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if executable is None:
        message = "Chromium not found: install Debian's chromium package (or set CHROMIUM=/path)."
        if os.environ.get("CI") or os.environ.get("KINETIC_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in the test thread for
    # as long as the browser is open; the ORM calls tests make meanwhile are
    # still plain synchronous code, so Django's async-safety check is lifted
    # for exactly that span (a suite without browser tests keeps it).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS, headless=True)
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def new_page(browser, live_server):
    """new_page(viewport=PHONE) -> a page in a fresh context rooted at the live server."""
    contexts = []

    def make(viewport=DESKTOP, **options):
        context = browser.new_context(viewport=viewport, base_url=live_server.url, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def login(page, username, password="pw"):
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")


def screenshot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def policy_violations(page):
    """Start recording, for `page` and every page it navigates to, each
    Content-Security-Policy violation (the `securitypolicyviolation` event),
    each console message about a refused resource or a policy header, and
    each uncaught script error. Returns the list it fills."""
    found = []

    def record(source, violation):
        found.append(f"{violation['directive']} blocked {violation['blocked']} on {violation['page']}"
                     f" ({violation['sample']!r})")

    page.context.expose_binding("kineticPolicyViolation", record)
    page.context.add_init_script("""
        document.addEventListener("securitypolicyviolation", (event) => {
            window.kineticPolicyViolation({directive: event.violatedDirective, blocked: event.blockedURI,
                                           page: event.documentURI, sample: event.sample});
        });
    """)
    page.on("console", lambda message: found.append(f"console: {message.text}")
            if message.type in ("error", "warning")
            and any(word in message.text for word in ("Content Security Policy", "Refused", "Permissions-Policy",
                                                      "Permissions policy"))
            else None)
    page.on("pageerror", lambda error: found.append(f"script error: {error}"))
    return found


def accessibility_violations(page):
    """axe-core's violations on the page as it is now (every rule axe runs by
    default: WCAG 2.x A and AA and its best practices), as readable lines; []
    when there are none."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [] if results.violations_count == 0 else [f"{page.url}: {results.generate_report()}"]


def no_sideways_scroll(page):
    """Nothing on the page is wider than the window (no horizontal scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def report_on_portal(page, places=None, signs=()):
    """From the patient's portal page, send a self-report through its steps,
    tapping what the patient taps: `places` {"Knee": {"Moving": 3}} (None for
    "Nowhere"), `signs` the start of each warning sign to tick."""
    page.get_by_role("link", name="Tell your physiotherapist how you are").click()
    for place in places or ["Nowhere: nothing hurts today"]:
        page.get_by_label(place, exact=True).check()
    page.get_by_role("button", name="Next").click()
    for place, scores in (places or {}).items():
        for context, score in scores.items():
            page.get_by_role("group", name=f"{place}: {context}").get_by_text(str(score), exact=True).click()
    if places:
        page.get_by_role("button", name="Next").click()
    for sign in signs:
        page.get_by_label(sign, exact=False).check()
    page.get_by_role("button", name="Send to my physiotherapist").click()

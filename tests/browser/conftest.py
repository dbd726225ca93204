"""Browser tests: Debian's Chromium driven by Playwright, axe-core on every page, no console error allowed, and every
HTML document the browser receives (pages and htmx partials) valid for the Nu HTML Checker (tests/browser/html.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pyotp
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser.html import DocumentCollector, HtmlChecker, assert_valid_html
from tests.conftest import TOTP_SECRET
from tests.factories import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Chromium per test module: Playwright's sync API marks its event loop as running in the test's thread for as
    long as it is open, which would make every later `asyncio.run` of the process (pyHanko signs with one) fail."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def html_checker() -> Iterator[HtmlChecker]:
    """The Nu HTML Checker of this test process (each xdist worker has its own), started once, in the background."""
    checker = HtmlChecker()
    yield checker
    checker.close()


@pytest.fixture
def page(browser: Browser, live_server, html_checker: HtmlChecker) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    collector = DocumentCollector(context)
    page = context.new_page()
    page.console_errors = []  # type: ignore[attr-defined]
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    yield page
    try:
        documents = collector.documents()
    finally:
        context.close()
    assert page.console_errors == [], page.console_errors  # type: ignore[attr-defined]
    assert_valid_html(html_checker, documents)


def assert_accessible(page: Page) -> None:
    """axe-core finds nothing on the page as it is now (WCAG 2.x A/AA and best practices)."""
    results = Axe().run(page, options=AXE_OPTIONS)
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[node['target'] for node in v['nodes']]}"
        for v in results.response["violations"]
    ]
    assert violations == [], f"{page.url}:\n" + "\n".join(violations)


def press(page: Page, key: str, times: int = 1) -> None:
    for _ in range(times):
        page.keyboard.press(key)


def tab_to(page: Page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching `selector` has the focus (as a keyboard user would)."""
    target = page.locator(selector)
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def sign_in(page: Page, email: str, *, totp: bool = False) -> None:
    """Sign in through the real login form, with the keyboard, and the TOTP step for agents."""
    page.goto("/compte/login/")
    tab_to(page, "#id_login")
    page.keyboard.type(email)
    tab_to(page, "#id_password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    if totp:
        page.wait_for_url("**/compte/2fa/authenticate/")
        tab_to(page, "#id_code")
        page.keyboard.type(pyotp.TOTP(TOTP_SECRET).now())
        page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/compte/login/" not in url and "/2fa/authenticate/" not in url)


def occupation_request_at_its_second_page(page: Page, email: str) -> None:
    """On a phone (390 × 844), signed in, a new "Occupation du domaine public" request by a private person, at its
    second page (the occupation: dates, equipment)."""
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, email)
    page.goto("/demarches/occupation-domaine-public/")
    page.locator("main button[type='submit']").click()
    page.wait_for_url("**/etape/1/")
    page.get_by_label("Un particulier").check()
    page.get_by_role("button", name="Continuer").click()
    page.wait_for_url("**/etape/2/")

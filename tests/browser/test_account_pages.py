"""The sign-in page on a phone (390 × 844), with the keyboard: Tab order of the form, and "Start" pressed before
signing in leads to the new draft once signed in (issue 19)."""

import pytest
from playwright.sync_api import expect

from teleservices.models import Case
from tests.browser.conftest import assert_accessible, tab_to
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _focused(page) -> str:
    return page.evaluate("document.activeElement.id || document.activeElement.getAttribute('href')")


def test_tab_goes_from_the_email_to_the_password_then_the_forgotten_password_link(page, organisation):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/compte/login/")
    assert_accessible(page)
    tab_to(page, "#id_login")
    page.keyboard.press("Tab")
    assert _focused(page) == "id_password"
    page.keyboard.press("Tab")
    assert _focused(page) == "/compte/password/reset/"


def test_signing_in_from_start_lands_on_the_new_draft(page, alice, teleservices):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/demarches/inscription-scolaire/")
    tab_to(page, "main button[type='submit']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/compte/login/?next=**")
    assert_accessible(page)
    tab_to(page, "#id_login")
    page.keyboard.type(alice.email)
    tab_to(page, "#id_password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/etape/1/")
    draft = Case.objects.get(user=alice)
    assert draft.is_draft and draft.teleservice.slug == "inscription-scolaire"
    expect(page.locator("h1")).to_be_visible()
    assert_accessible(page)

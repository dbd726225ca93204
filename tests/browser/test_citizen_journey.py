"""A new citizen signs up and creates their household, with the keyboard only; axe-core on every page."""

import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from playwright.sync_api import expect

from portal.models import HouseholdMember
from tests.browser.conftest import assert_accessible, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Loire-en-automne-2026"


def _type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


def test_a_citizen_signs_up_and_creates_a_household_with_the_keyboard_only(page, organisation):
    page.goto("/")
    assert_accessible(page)
    tab_to(page, "main a[href='/compte/signup/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/compte/signup/")
    assert_accessible(page)

    _type_into(page, "#id_email", "sam@example.org")
    _type_into(page, "#id_first_name", "Sam")
    _type_into(page, "#id_last_name", "Leroy")
    _type_into(page, "#id_password1", PASSWORD)
    _type_into(page, "#id_password2", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/compte/confirm-email/")
    assert_accessible(page)

    link = re.search(r"https?://\S+/compte/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto(urlparse(link).path)
    assert_accessible(page)
    tab_to(page, "main button[type='submit']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/espace/")
    assert_accessible(page)

    tab_to(page, "header a[href='/espace/foyer/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/espace/foyer/")
    assert_accessible(page)

    _type_into(page, "#id_street", "5 rue Neuve")
    _type_into(page, "#id_postcode", "456")
    _type_into(page, "#id_city", "Beaulieu-sur-Loire")
    _type_into(page, "#id_birth_date", "12/03/1988")
    page.keyboard.press("Enter")
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("code postal")
    expect(page.locator("#id_street")).to_have_value("5 rue Neuve")
    assert_accessible(page)

    tab_to(page, "#id_postcode")
    page.keyboard.press("Control+A")
    page.keyboard.type("45630")
    page.keyboard.press("Enter")
    page.wait_for_url("**/espace/foyer/")
    expect(page.locator("h1")).to_have_text("Mon foyer")
    assert_accessible(page)

    tab_to(page, "main a[href='/espace/foyer/membres/ajouter/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/membres/ajouter/")
    assert_accessible(page)
    _type_into(page, "#id_first_name", "Nina")
    _type_into(page, "#id_last_name", "Leroy")
    _type_into(page, "#id_birth_date", "02/09/2019")
    tab_to(page, "input[name='relationship'][value='partner']")
    page.keyboard.press("ArrowDown")  # radio group: the arrow keys move to "child"
    page.keyboard.press("Enter")
    page.wait_for_url("**/espace/foyer/")
    expect(page.locator("table")).to_contain_text("Nina Leroy")
    assert_accessible(page)
    member = HouseholdMember.objects.get(first_name="Nina")
    assert member.relationship == HouseholdMember.Relationship.CHILD
    assert str(member.birth_date) == "2019-09-02"
    assert member.household.members.get(user__email="sam@example.org").relationship == "declarant"

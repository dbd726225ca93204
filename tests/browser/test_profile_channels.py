"""On a phone, alice's profile offers the contact channels the portal can use (text messages only when they are
enabled) and shows her phone number as she would write it, however she typed it."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def profile(page, alice):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, alice.email)
    return page


def test_without_text_messages_the_profile_offers_email_and_post_only(profile, settings):
    settings.SMS_ENABLED = False
    page = profile
    page.goto("/espace/profil/")
    channels = page.locator("input[name='preferred_channel']")
    expect(channels).to_have_count(2)
    expect(page.get_by_label("courriel", exact=True)).to_be_visible()
    expect(page.get_by_label("SMS", exact=True)).to_have_count(0)
    expect(page.locator("input[name='notify_by_sms']")).to_have_count(0)
    assert_accessible(page)


def test_alice_types_her_number_with_dots_chooses_sms_and_sees_it_in_the_national_format(profile, alice, settings):
    settings.SMS_ENABLED = True
    page = profile
    page.goto("/espace/profil/")
    tab_to(page, "#id_phone")
    page.keyboard.press("Control+A")
    page.keyboard.type("06.12.34.56.78")
    page.get_by_label("SMS", exact=True).check()
    page.get_by_role("button", name="Enregistrer mon profil").click()
    expect(page.locator(".messages, [role='status']").first).to_contain_text("Votre profil a été enregistré")
    expect(page.locator("#id_phone")).to_have_value("06 12 34 56 78")
    expect(page.get_by_label("SMS", exact=True)).to_be_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the page scrolls sideways"
    assert_accessible(page)
    alice.refresh_from_db()
    assert (alice.phone, alice.preferred_channel) == ("+33612345678", "sms")

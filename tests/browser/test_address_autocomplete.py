"""On a phone, alice types the address of an occupation of the public domain: the street input is a combobox of the
addresses the Base Adresse Nationale finds (a local stand-in serving a recorded answer, asked by our server only),
chosen with the arrows and Enter, which fills the postcode and the town; with the geocoder failing or off, she types
the address by hand and nothing breaks."""

import pytest
from playwright.sync_api import expect

from teleservices import services
from tests.browser.conftest import assert_accessible, sign_in, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STREET, POSTCODE, CITY = "#id_lieu__street", "#id_lieu__postcode", "#id_lieu__city"


@pytest.fixture
def address_page(page, alice, teleservices, ban):
    """The page of the draft that asks the address, on a phone, the geocoder a local stand-in; the requests the
    browser sends are kept."""
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, alice.email)
    draft = services.case_start(user=alice, teleservice=teleservices["occupation-domaine-public"])
    page.requested = []  # type: ignore[attr-defined]
    page.on("request", lambda request: page.requested.append(request.url))
    page.goto(f"/brouillons/{draft.public_id}/etape/2/")
    return page


def test_alice_chooses_a_suggested_address_with_the_keyboard(address_page, ban, live_server):
    page = address_page
    street = page.locator(STREET)
    expect(street).to_have_attribute("role", "combobox")
    expect(street).to_have_attribute("aria-expanded", "false")
    tab_to(page, STREET)
    page.keyboard.type("12 rue du change")
    listbox = page.get_by_role("listbox", name="Adresses proposées")
    expect(listbox).to_be_visible()
    expect(street).to_have_attribute("aria-expanded", "true")
    expect(street).to_have_attribute("aria-controls", listbox.get_attribute("id"))
    expect(listbox.get_by_role("option")).to_have_count(4)
    expect(page.locator(".address-suggestions + [aria-live='polite']")).to_contain_text("4 adresses proposées")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the page scrolls sideways"
    assert_accessible(page)

    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    second = listbox.get_by_role("option").nth(1)
    expect(second).to_have_attribute("aria-selected", "true")
    expect(street).to_have_attribute("aria-activedescendant", second.get_attribute("id"))
    expect(street).to_be_focused()
    page.keyboard.press("Enter")  # chooses the address; the form is not sent
    expect(street).to_have_value("12 Rue du Change")
    expect(page.locator(POSTCODE)).to_have_value("45000")
    expect(page.locator(CITY)).to_have_value("Orléans")
    expect(listbox).to_be_hidden()
    expect(street).to_have_attribute("aria-expanded", "false")
    assert "/etape/2/" in page.url
    # The browser asked our site only, never the geocoder.
    assert all(url.startswith(live_server.url) for url in page.requested), page.requested
    assert ban.queries


def test_escape_closes_the_suggestions_and_a_tap_chooses_one(address_page, ban):
    page = address_page
    street = page.locator(STREET)
    street.click()
    page.keyboard.type("12 rue du chan")
    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(street).to_have_attribute("aria-expanded", "false")
    expect(street).to_have_value("12 rue du chan")
    page.keyboard.type("g")
    expect(listbox).to_be_visible()
    listbox.get_by_role("option", name="12 Rue du Change 37000 Tours").click()
    expect(page.locator(POSTCODE)).to_have_value("37000")
    expect(page.locator(CITY)).to_have_value("Tours")
    expect(street).to_be_focused()


@pytest.mark.parametrize("geocoder", ["failing", "off"])
def test_without_an_answering_geocoder_alice_types_the_address_by_hand(address_page, ban, settings, geocoder):
    page = address_page
    if geocoder == "failing":
        ban.status = 500
    else:
        settings.GEOCODER_URL = ""
        page.reload()
    page.get_by_label("Terrasse").check()
    page.fill("#id_date_debut", "")
    page.locator(STREET).click()
    page.keyboard.type("1 place du Marché")
    page.wait_for_timeout(600)  # past the delay after which a suggestion would be asked
    if geocoder == "failing":  # asked, nothing shown, nothing said
        assert ban.queries
        expect(page.locator("[role='listbox']")).to_be_hidden()
        expect(page.locator(".address-suggestions + [aria-live='polite']")).to_have_text("")
    else:  # a plain text input
        expect(page.locator("[role='combobox'], [role='listbox']")).to_have_count(0)
        assert not any("/espace/adresses/" in url for url in page.requested)
    page.fill(POSTCODE, "45190")
    page.fill(CITY, "Beaulieu-sur-Loire")
    page.locator("button[value='continue']:not([aria-hidden])").click()
    # The date is missing: the page comes back with the address as typed.
    expect(page.locator(".error-summary, [data-autofocus]").first).to_be_visible()
    expect(page.locator(STREET)).to_have_value("1 place du Marché")
    expect(page.locator(CITY)).to_have_value("Beaulieu-sur-Loire")
    assert_accessible(page)

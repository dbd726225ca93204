"""A citizen on a phone (390 × 844) searches in their own words from the home page's box, with the keyboard: a
misspelt "pasport" finds the appointment, which they follow; a word nothing holds brings suggestions and the town
hall's contact. axe-core on each page."""

import pytest
from playwright.sync_api import expect

from appointments import demo as appointments_demo
from gru.models import Organisation
from tests.browser.conftest import assert_accessible, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 390, 844


@pytest.fixture
def phone(page, teleservices, alice):
    appointments_demo.seed({"alice@example.org": alice})
    town_hall = Organisation.objects.get()
    town_hall.phone, town_hall.email = "02 38 00 00 00", "mairie@beaulieu.example.org"
    town_hall.save()
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    return page


def _search_from_home(page, text: str) -> None:
    page.goto("/")
    assert_accessible(page)
    tab_to(page, "#id_q")
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    page.wait_for_url("**/demarches/?q=*")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, "the page scrolls sideways"
    assert_accessible(page)


def test_a_misspelt_word_typed_on_the_home_page_finds_the_appointment_to_follow(phone):
    page = phone
    _search_from_home(page, "pasport")
    main = page.locator("main")
    expect(main.get_by_role("status")).to_contain_text("2 résultats pour « pasport »")
    expect(main.get_by_role("heading", name="Rendez-vous")).to_be_visible()
    expect(page.locator("#id_q")).to_have_value("pasport")

    tab_to(page, "main a[href='/rendez-vous/passeport/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/rendez-vous/passeport/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Demande de passeport")


def test_nothing_found_offers_the_closest_procedure_and_the_town_halls_contact(phone):
    page = phone
    _search_from_home(page, "cantoche")
    main = page.locator("main")
    expect(main.get_by_role("status")).to_contain_text("0 résultat pour « cantoche »")
    expect(main.get_by_role("heading", name="Vous cherchiez peut-être")).to_be_visible()
    expect(main.get_by_role("link", name="Inscription scolaire")).to_be_visible()
    expect(main.get_by_role("link", name="02 38 00 00 00")).to_have_attribute("href", "tel:0238000000")
    expect(main.get_by_role("link", name="mairie@beaulieu.example.org")).to_be_visible()

    tab_to(page, "main a[href='/demarches/inscription-scolaire/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/demarches/inscription-scolaire/")

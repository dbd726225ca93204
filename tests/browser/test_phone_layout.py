"""A signed-in citizen on a phone (390 × 844): a folded menu opened with the keyboard, secondary buttons that look
secondary, a long email address that does not push the profile sideways, and a file over its limit refused before it
is sent; axe-core on each state."""

import pytest
from playwright.sync_api import expect

from portal.models import User
from teleservices import services
from tests.browser.conftest import assert_accessible, sign_in, tab_to
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 390, 844
LONG_EMAIL = "marie.christine.delafontainesainthilaire.beaulieusurloire@administrationexemple.example.org"


@pytest.fixture
def phone(page):
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    UserFactory(email=LONG_EMAIL, first_name="Marie-Christine", last_name="de La Fontaine")
    sign_in(page, LONG_EMAIL)
    return page


def test_the_menu_folds_behind_a_button_the_keyboard_opens(phone):
    page = phone
    page.goto("/espace/")
    button = page.get_by_role("button", name="Menu")
    expect(button).to_have_attribute("aria-expanded", "false")
    profile_link = page.locator("header a[href='/espace/profil/']")
    expect(profile_link).to_be_hidden()
    assert page.locator("header").bounding_box()["height"] < 0.15 * HEIGHT
    assert_accessible(page)

    tab_to(page, "[data-menu-button]")
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(profile_link).to_be_visible()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    assert_accessible(page)

    tab_to(page, "header a[href='/espace/profil/']")
    page.keyboard.press("Escape")
    expect(button).to_be_focused()
    expect(profile_link).to_be_hidden()


def test_the_profile_fits_the_screen_and_secondary_buttons_look_secondary(phone):
    page = phone
    page.goto("/espace/profil/")
    expect(page.locator("main")).to_contain_text(LONG_EMAIL)
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, "the page scrolls sideways"

    def background(selector: str) -> str:
        return page.locator(selector).evaluate("element => getComputedStyle(element).backgroundColor")

    assert background(".language-switcher .button--secondary") != background("main .actions button[type='submit']")
    assert_accessible(page)


def test_a_file_over_the_limit_is_refused_before_it_is_sent(phone, teleservices):

    page = phone
    draft = services.case_start(user=User.objects.get(email=LONG_EMAIL), teleservice=teleservices["signalement-voirie"])
    page.goto(f"/brouillons/{draft.public_id}/etape/1/")
    photo = page.locator("#id_photo")
    expect(photo).to_have_attribute("data-max-size", str(8 * 1024 * 1024))
    posts = []
    page.on("request", lambda request: request.method == "POST" and posts.append(request.url))
    photo.set_input_files(
        {"name": "photo.png", "mimeType": "image/png", "buffer": b"\x89PNG" + b"\x00" * 8 * 1024 * 1024}
    )
    message = "Ce fichier dépasse 8\xa0Mo, la taille maximale acceptée : choisissez-en un plus léger."
    assert photo.evaluate("input => input.validationMessage") == message
    page.locator("button[value='continue']:not([aria-hidden])").click()
    expect(photo).to_be_focused()
    assert posts == []
    assert photo.evaluate("input => input.files.length") == 0

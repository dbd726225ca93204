"""On a phone (390 × 844), with the keyboard: alice filters the afternoon slots, sees what to bring and the first free
slots, picks one, books it for her daughter with her ANTS pre-application number (a wrong one is refused, nothing
typed is lost), and the confirmation says for whom; axe-core on each page."""

import pytest
from playwright.sync_api import expect

from appointments.models import Appointment
from portal.models import HouseholdMember
from tests.appointments.conftest import at, rule, slot
from tests.browser.booking import booking  # noqa: F401 (fixture)
from tests.browser.conftest import assert_accessible, sign_in, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 390, 844
MONDAY_TWO = at("2027-03-01", "14:00")


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, "the page scrolls sideways"
    assert_accessible(page)


def _choose_radio(page, name: str, value: str) -> None:
    """Tab to a group of radios (the focus lands on the checked one), then the arrow keys to the one wanted."""
    tab_to(page, f"input[type='radio'][name='{name}']:checked", limit=120)
    wanted = page.locator(f"input[type='radio'][name='{name}'][value='{value}']")
    for _ in range(10):
        if wanted.is_checked():
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{name}={value} cannot be chosen with the arrow keys")


def test_alice_books_an_afternoon_slot_for_her_daughter_with_her_ants_number(page, alice, booking):  # noqa: F811
    passport, town_hall = booking.passport, booking.town_hall
    passport.asks_ants_number = True
    passport.to_bring = "Une photo d'identité\nUn justificatif de domicile"
    passport.save()
    rule(town_hall, [passport], opens="14:00", closes="17:00")
    lea = HouseholdMember.objects.get(household__members__user=alice, first_name="Léa")
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    sign_in(page, alice.email)
    page.goto("/rendez-vous/passeport/")
    expect(page.locator(".to-bring li")).to_have_count(2)
    expect(page.get_by_role("heading", name="Premiers créneaux disponibles")).to_be_visible()
    _fits(page)

    _choose_radio(page, "moment", "apres-midi")
    tab_to(page, ".week-filters button[type='submit']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/rendez-vous/passeport/?*moment=apres-midi*")
    expect(page.locator("input[type='radio'][name='moment'][value='apres-midi']")).to_be_checked()
    assert "moment=apres-midi" in page.locator(".week-nav a").first.get_attribute("href")
    first = page.locator(".first-free button.slot").first
    expect(first).to_have_attribute("value", slot(town_hall, MONDAY_TWO))
    _fits(page)

    tab_to(page, f".first-free button[value='{slot(town_hall, MONDAY_TWO)}']", limit=120)
    page.keyboard.press("Enter")
    page.wait_for_url("**/reserver/?*")
    expect(page.locator("main")).to_contain_text("lundi 1 mars 2027")
    expect(page.locator("a[href='https://passeport.ants.gouv.fr']")).to_be_visible()
    _fits(page)

    _choose_radio(page, "pour", str(lea.pk))
    tab_to(page, "input[name='predemande']")
    page.keyboard.type("12-34")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator(".field__errors")).to_contain_text("10 caractères")
    expect(page.locator("input[name='predemande']")).to_have_value("12-34")
    expect(page.locator(f"input[name='pour'][value='{lea.pk}']")).to_be_checked()
    _fits(page)
    assert not Appointment.objects.exists()

    page.locator("input[name='predemande']").fill("")
    tab_to(page, "input[name='predemande']")
    page.keyboard.type("1234 ab 5678")
    page.keyboard.press("Enter")
    page.wait_for_url("**/espace/rendez-vous/*/")
    appointment = Appointment.objects.get()
    assert (appointment.member, appointment.ants_number, appointment.start) == (lea, "1234AB5678", MONDAY_TWO)
    expect(page.locator("main")).to_contain_text("Léa Martin")
    expect(page.locator("main")).to_contain_text("1234AB5678")
    expect(page.locator(".to-bring li")).to_have_count(2)
    _fits(page)

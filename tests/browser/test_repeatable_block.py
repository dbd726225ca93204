"""On a phone, alice lists the equipment of "Occupation du domaine public": rows added and removed without losing
any, Enter always continues, the rows are there when she comes back, and the request is sent."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from teleservices.models import Case
from tests.browser.conftest import assert_accessible, occupation_request_at_its_second_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _designations(page) -> list[str]:
    return [value for value in page.locator("input[name$='-designation']").evaluate_all("l => l.map(e => e.value)")]


def _wait_for(page, path: str) -> None:
    """The page at this path (with a fragment kept from an earlier "Add a row" maybe)."""
    page.wait_for_url(lambda url: path in url)


def test_alice_adds_and_removes_rows_and_enter_continues(page, alice, teleservices):
    occupation_request_at_its_second_page(page, alice.email)
    page.get_by_label("Terrasse").check()
    soon = (timezone.localdate() + datetime.timedelta(days=20)).strftime("%d/%m/%Y")
    page.fill("#id_date_debut", soon)
    page.fill("#id_date_fin", soon)
    page.fill("#id_surface", "12")
    page.fill("#id_lieu__street", "1 place du Marché")
    page.fill("#id_lieu__postcode", "45190")
    page.fill("#id_lieu__city", "Beaulieu-sur-Loire")
    page.get_by_role("button", name="Continuer").click()
    _wait_for(page, "/etape/3/")

    for number, (designation, quantity) in enumerate([("Barrière", "4"), ("Table", "2"), ("Parasol", "3")]):
        page.fill(f"#id_materiel-{number}-designation", designation)
        page.fill(f"#id_materiel-{number}-quantite", quantity)
        if number < 2:
            page.get_by_role("button", name="Ajouter une ligne").click()
            expect(page.locator(f"#id_materiel-{number + 1}-designation")).to_be_visible()
    assert _designations(page) == ["Barrière", "Table", "Parasol"]
    assert_accessible(page)

    # The middle row removed; Enter in a text field continues (to the review: this is the last page).
    page.locator("#id_materiel-1-DELETE").check()
    page.locator("#id_materiel-2-designation").press("Enter")
    _wait_for(page, "/recapitulatif/")
    expect(page.locator("main")).to_contain_text("Barrière")
    expect(page.locator("main")).to_contain_text("Parasol")
    expect(page.locator("main")).not_to_contain_text("Table")
    assert_accessible(page)

    page.locator("main a[href$='/etape/3/']").click()
    _wait_for(page, "/etape/3/")
    assert _designations(page) == ["Barrière", "Parasol"]
    page.locator("#id_materiel-0-quantite").press("Enter")
    _wait_for(page, "/recapitulatif/")
    expect(page.locator("main")).not_to_contain_text("n’est pas renseigné")
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.wait_for_url("**/confirmation/")
    case = Case.objects.get(teleservice=teleservices["occupation-domaine-public"])
    assert case.data["materiel"] == [
        {"designation": "Barrière", "quantite": 4},
        {"designation": "Parasol", "quantite": 3},
    ]

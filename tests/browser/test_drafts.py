"""On a phone (390 × 844), nothing alice types is lost: "Terminer plus tard" keeps a half-filled page, the page is
saved as she types (announced politely), starting the procedure again offers her draft, and deleting it asks first;
axe-core on each page."""

import pytest
from playwright.sync_api import expect

from teleservices.models import Case
from tests.browser.conftest import assert_accessible, sign_in, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(page, alice, teleservices):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, alice.email)
    return page


def _start(page, slug: str = "acte-de-naissance") -> None:
    page.goto(f"/demarches/{slug}/")
    page.locator("main button[type='submit']").click()
    page.wait_for_url("**/etape/1/")


def test_finish_later_keeps_a_half_filled_page(phone):
    page = phone
    _start(page)
    page.get_by_label("Mon enfant").check()
    page.fill("#id_prenoms", "Léa")
    page.fill("#id_nombre", "")  # required, left empty: saved anyway
    tab_to(page, "button[value='later']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/espace/demandes/")
    expect(page.locator("main")).to_contain_text("Votre brouillon est enregistré")
    expect(page.locator("main")).to_contain_text("étape 1 sur 2")
    assert_accessible(page)

    page.get_by_role("link", name="Reprendre « Demande d'acte de naissance »").click()
    page.wait_for_url("**/etape/1/")
    expect(page.locator("#id_prenoms")).to_have_value("Léa")
    expect(page.get_by_label("Mon enfant")).to_be_checked()


def test_the_page_is_saved_as_alice_types_and_a_reload_shows_it(phone):
    page = phone
    _start(page)
    status = page.locator("#autosave-status")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_be_empty()
    page.locator("#id_prenoms").fill("")
    page.locator("#id_prenoms").press_sequentially("Hugo")
    expect(status).to_contain_text("Brouillon enregistré à", timeout=10_000)
    assert_accessible(page)
    page.reload()
    expect(page.locator("#id_prenoms")).to_have_value("Hugo")
    assert Case.objects.get().data["prenoms"] == "Hugo"


def test_starting_again_offers_the_draft_or_a_new_one_on_purpose(phone):
    page = phone
    _start(page)
    page.fill("#id_prenoms", "Léa")
    page.get_by_role("button", name="Terminer plus tard").click()
    page.wait_for_url("**/espace/demandes/")

    page.goto("/demarches/acte-de-naissance/")
    resume = page.get_by_role("link", name="Reprendre mon brouillon du")
    expect(resume).to_be_visible()
    new = page.get_by_role("button", name="Commencer une nouvelle demande")
    expect(new).to_have_class("button--secondary")
    assert_accessible(page)
    resume.click()
    page.wait_for_url("**/etape/1/")
    expect(page.locator("#id_prenoms")).to_have_value("Léa")
    assert Case.objects.count() == 1

    page.goto("/demarches/acte-de-naissance/")
    page.get_by_role("button", name="Commencer une nouvelle demande").click()
    page.wait_for_url("**/etape/1/")
    assert Case.objects.count() == 2


def test_deleting_a_draft_asks_first(phone):
    page = phone
    _start(page, "signalement-voirie")
    page.goto("/espace/demandes/")
    page.get_by_role("link", name="Supprimer le brouillon « Signalement sur la voirie »").click()
    page.wait_for_url("**/supprimer/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Supprimer le brouillon")
    assert_accessible(page)
    assert Case.objects.count() == 1

    page.get_by_role("link", name="Conserver le brouillon").click()
    page.wait_for_url("**/espace/demandes/")
    assert Case.objects.count() == 1
    page.get_by_role("link", name="Supprimer le brouillon « Signalement sur la voirie »").click()
    page.get_by_role("button", name="Supprimer le brouillon").click()
    page.wait_for_url("**/espace/demandes/")
    expect(page.locator("main")).to_contain_text("Le brouillon a été supprimé.")
    assert Case.objects.count() == 0

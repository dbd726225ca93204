"""On a phone, a page over the limit of the vault's form is refused before it is sent, and a page chosen is kept
("Fichier conservé") when the date is wrong."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.teleservices.conftest import pdf_bytes
from vault import demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def vault_form(page, alice):
    demo.seed()
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, alice.email)
    page.goto("/espace/documents/ajouter/")
    return page


def test_a_page_over_the_limit_is_refused_before_it_is_sent(vault_form):
    page = vault_form
    pages = page.locator("#id_pages")
    limit = int(pages.get_attribute("data-max-size"))
    posts = []
    page.on("request", lambda request: request.method == "POST" and posts.append(request.url))
    pages.set_input_files({"name": "scan.pdf", "mimeType": "application/pdf", "buffer": b"%PDF" + b"\x00" * limit})
    assert "la taille maximale acceptée" in pages.evaluate("input => input.validationMessage")
    page.get_by_role("button", name="Enregistrer le document").click()
    assert posts == []
    assert pages.evaluate("input => input.files.length") == 0
    assert_accessible(page)


def test_a_page_chosen_is_kept_when_the_date_is_wrong(vault_form):
    page = vault_form
    page.get_by_label("Type de document").select_option(label="Relevé d'identité bancaire (RIB)")
    page.fill("#id_issued_on", "32/13/2026")
    page.locator("#id_pages").set_input_files({"name": "rib.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()})
    page.get_by_role("button", name="Enregistrer le document").click()
    expect(page.locator("#id_pages_helptext")).to_contain_text("Fichier conservé : rib.pdf")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the page scrolls sideways"
    assert_accessible(page)
    page.fill("#id_issued_on", "01/01/2026")
    page.get_by_role("button", name="Enregistrer le document").click()
    page.wait_for_url("**/espace/documents/")
    expect(page.locator("main")).to_contain_text("rib.pdf")

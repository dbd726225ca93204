"""bob instructs alice's request from the task board to a decision with the keyboard only; axe-core on each page."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from backoffice import exports
from backoffice.models import Export
from tests.backoffice.conftest import pdf_bytes, submit
from tests.browser.conftest import assert_accessible, sign_in, tab_to
from vault import demo as vault_demo
from vault import services as vault_services
from vault.files import file_check

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _do(page, button: str) -> None:
    """Reach a button of the case page with Tab and press it with Enter."""
    tab_to(page, f"button:text-is('{button}')", limit=200)
    page.keyboard.press("Enter")
    page.wait_for_load_state()


def test_bob_instructs_a_request_from_the_board_to_a_refusal_with_the_keyboard(page, bob, alice, teleservices):
    case = submit(alice, teleservices["acte-de-naissance"])
    sign_in(page, bob.email, totp=True)
    page.wait_for_url("**/agents/")
    assert_accessible(page)
    tab_to(page, f"a:text-is('{case.reference}')", limit=200)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/agents/dossiers/{case.reference}/")
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)

    _do(page, "Je prends")
    expect(page.locator("button:text-is('Je laisse ce dossier')")).to_be_visible()
    _do(page, "Prendre en charge")
    expect(page.locator(".badge").first).to_have_text("En cours d'instruction")
    assert_accessible(page)

    _do(page, "Refuser")  # the reason is required: the error is announced and focused
    expect(page.locator(".error-summary")).to_be_focused()
    assert_accessible(page)
    page.keyboard.press("Tab")
    expect(page.locator(".error-summary a")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.type("La personne n'est pas née à Beaulieu-sur-Loire.")
    tab_to(page, "button:text-is('Refuser')", limit=20)
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator(".badge").first).to_have_text("Refusée")
    expect(page.get_by_text("La personne n'est pas née à Beaulieu-sur-Loire.").first).to_be_visible()
    assert_accessible(page)


def test_back_office_pages_have_no_accessibility_violation(page, bob, alice, teleservices):
    case = submit(alice, teleservices["acte-de-naissance"])
    checked = file_check(SimpleUploadedFile("rib.pdf", pdf_bytes(), "application/pdf"), types=["pdf"], max_size=10**7)
    document = vault_services.document_add(
        owner=alice,
        type=vault_demo.seed()["rib"],
        issued_on=datetime.date(2026, 1, 5),
        files=[vault_services.stored_file_create(owner=alice, checked=checked)],
    )
    case.shared_documents.add(document)
    export = exports.export_create(owner=bob, format=Export.Format.XLSX, query="state=all")
    sign_in(page, bob.email, totp=True)
    page.wait_for_url("**/agents/")
    for path in (
        "/agents/?vue=mine&state=all",
        "/agents/?q=alice",
        "/agents/?since=hier",
        "/agents/nouvelle-demande/?q=alice",
        f"/agents/usagers/{alice.pk}/",
        "/agents/tableau-de-bord/?period=90",
        f"/agents/exports/{export.pk}/",
    ):
        page.goto(path)
        expect(page.locator("h1")).to_have_count(1)
        assert_accessible(page)


def test_bob_files_a_request_at_the_counter_and_its_pages_are_accessible(page, bob, teleservices):
    sign_in(page, bob.email, totp=True)
    page.goto("/agents/nouvelle-demande/")
    page.select_option("#id_teleservice", label="Demande d'acte de naissance")
    page.check("input[name=channel][value=counter]")
    page.fill("#id_first_name", "Jeanne")
    page.fill("#id_last_name", "Durand")
    page.get_by_role("button", name="Remplir la demande").click()
    page.wait_for_url("**/etape/1/")
    assert_accessible(page)
    page.check("input[name=personne][value=moi]")
    page.fill("#id_nom", "Durand")
    page.fill("#id_prenoms", "Jeanne")
    page.fill("#id_date_naissance", "1950-03-02")
    page.select_option("#id_type_copie", "integrale")
    page.fill("#id_nombre", "1")
    page.get_by_role("button", name="Continuer").click()
    page.wait_for_url("**/etape/2/")
    page.check("input[name=envoi][value=mairie]")
    page.get_by_role("button", name="Continuer").click()
    page.wait_for_url("**/recapitulatif/")
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer la demande").click()
    page.wait_for_url("**/agents/dossiers/**")
    expect(page.get_by_text("Jeanne Durand").first).to_be_visible()
    assert_accessible(page)


def test_bob_verifies_a_document_of_the_vault_from_the_case_page_with_the_keyboard(page, bob, alice, teleservices):
    from tests.backoffice.test_case_vault_documents import _school_case
    from tests.teleservices.test_vault_choice import _document

    proof = _document(alice, name="edf-octobre.pdf")
    case = _school_case(alice, proof)
    sign_in(page, bob.email, totp=True)
    page.wait_for_url("**/agents/")
    page.goto(f"/agents/dossiers/{case.reference}/")
    expect(page.locator("main")).to_contain_text("issu du coffre-fort de l'usager")
    assert_accessible(page)
    tab_to(page, "button:has-text('Marquer comme vérifié')", limit=200)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("inutile de la vérifier à nouveau")
    assert_accessible(page)

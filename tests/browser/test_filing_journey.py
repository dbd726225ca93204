"""alice files "Inscription scolaire" with the keyboard only, from the catalogue to the confirmation, choosing her
proof of address from her vault; axe-core on every page and every error state."""

import pytest
from playwright.sync_api import expect

from teleservices.models import Case
from tests.browser.conftest import assert_accessible, sign_in, tab_to
from tests.teleservices.conftest import png_bytes
from tests.teleservices.test_vault_choice import _document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _enter_on(page, selector: str) -> None:
    tab_to(page, selector)
    page.keyboard.press("Enter")


def _continue(page, url_part: str) -> None:
    _enter_on(page, "button[value='continue']:not([aria-hidden])")
    page.wait_for_url(f"**{url_part}")
    assert_accessible(page)


def test_alice_files_a_school_registration_with_the_keyboard_only(page, alice, teleservices):
    proof = _document(alice, name="edf-octobre.pdf")
    sign_in(page, alice.email)
    _enter_on(page, "header a[href='/demarches/']")
    page.wait_for_url("**/demarches/")
    assert_accessible(page)

    tab_to(page, "#id_q")
    page.keyboard.type("écoles")
    page.keyboard.press("Enter")
    page.wait_for_url("**/demarches/?q=*")
    expect(page.locator("main")).to_contain_text("1 résultat pour « écoles »")
    assert_accessible(page)
    _enter_on(page, "a[href='/demarches/inscription-scolaire/']")
    page.wait_for_url("**/demarches/inscription-scolaire/")
    assert_accessible(page)
    _enter_on(page, "main button[type='submit']")
    page.wait_for_url("**/etape/1/")
    assert_accessible(page)

    # Eligibility answers at once: "no" to living in the commune, then "yes" to both.
    tab_to(page, "#id_domicile_0")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#eligibility")).to_contain_text("réservée aux familles domiciliées")
    assert_accessible(page)
    page.keyboard.press("ArrowUp")
    tab_to(page, "#id_age_0")
    page.keyboard.press("Space")
    expect(page.locator("#eligibility")).to_contain_text("vous êtes éligible")
    _continue(page, "/etape/2/")

    # A missing answer: the error summary takes the focus and the page stays accessible.
    tab_to(page, "#id_enfant_0")
    page.keyboard.press("Space")
    _enter_on(page, "button[value='continue']:not([aria-hidden])")
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator(".error-summary")).to_contain_text("Niveau à la rentrée")
    assert_accessible(page)
    tab_to(page, "#id_niveau")
    page.keyboard.type("CP")
    _continue(page, "/etape/3/")

    tab_to(page, "#id_ecole_0")
    page.keyboard.press("Space")
    expect(page.locator("#id_allergies_detail")).to_be_hidden()
    tab_to(page, "#id_allergies_0")
    page.keyboard.press("Space")
    expect(page.locator("#id_allergies_detail")).to_be_visible()
    tab_to(page, "#id_allergies_detail")
    page.keyboard.type("Arachide")
    _continue(page, "/etape/4/")

    # The proof of address comes from her vault: "Choisir dans mes documents".
    expect(page.locator("#id_adresse__city")).to_have_value("Beaulieu-sur-Loire")
    expect(page.locator("main")).to_contain_text("Choisir dans mes documents")
    tab_to(page, "#id_justificatif_domicile__document_0")  # her proof, chosen already
    page.keyboard.press("ArrowDown")  # "none: I send a new file"
    expect(page.locator("#id_justificatif_domicile__document_1")).to_be_checked()
    page.keyboard.press("ArrowUp")  # back to her proof
    expect(page.locator("#id_justificatif_domicile__document_0")).to_be_checked()
    _continue(page, "/recapitulatif/")
    expect(page.locator("main")).to_contain_text("edf-octobre.pdf")
    expect(page.locator("main")).to_contain_text("Arachide")
    expect(page.locator("main")).to_contain_text("Léa Martin")

    _enter_on(page, "main button[type='submit']")
    page.wait_for_url("**/confirmation/")
    assert_accessible(page)
    case = Case.objects.get(user=alice)
    expect(page.locator(".reference")).to_have_text(case.reference)
    assert case.data["allergies_detail"] == "Arachide"
    assert case.data["justificatif_domicile"]["document"] == str(proof.public_id)
    assert set(case.files.all()) == {*proof.files.all(), case.answers_copy}  # and the copy of the answers

    _enter_on(page, f"a[href='/espace/demandes/{case.reference}/']")
    page.wait_for_url(f"**/espace/demandes/{case.reference}/")
    assert_accessible(page)


def test_sending_a_file_is_announced_to_screen_readers(page, alice, teleservices, tmp_path):
    from teleservices import services

    draft = services.case_start(user=alice, teleservice=teleservices["signalement-voirie"])
    sign_in(page, alice.email)
    page.goto(f"/brouillons/{draft.public_id}/etape/1/")
    photo = tmp_path / "photo.png"
    photo.write_bytes(png_bytes())
    page.set_input_files("#id_photo", str(photo))
    page.evaluate("document.querySelector('form.stack').addEventListener('submit', (e) => e.preventDefault())")
    page.get_by_role("button", name="Continuer").click()
    expect(page.locator("[data-upload-text]")).to_have_text("Envoi de vos fichiers en cours, veuillez patienter…")
    expect(page.locator("[data-upload-text]")).to_have_attribute("role", "status")

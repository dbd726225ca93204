"""Following a request on a phone (390 × 844): the start page lists the documents to prepare, the review refuses to
send without the certification box and keeps the request, and "Voir le courrier" opens that letter; axe-core on each
page."""

import pytest
from playwright.sync_api import expect

from letters.models import Kind, LetterTemplate
from teleservices import services
from tests.browser.conftest import assert_accessible, sign_in, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 390, 844
REPORT = {"categorie": "eclairage", "localisation": "Devant le 4 rue des Tilleuls"}


@pytest.fixture
def phone(page):
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    return page


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, "the page scrolls sideways"


def _report(alice, teleservices):
    case = services.case_start(user=alice, teleservice=teleservices["signalement-voirie"])
    return services.case_page_save(case=case, answers=REPORT, files={}, page=0)


def test_the_start_page_lists_the_documents_to_prepare(phone, teleservices):
    page = phone
    page.goto("/demarches/inscription-scolaire/")
    documents = page.get_by_role("region", name="Documents à préparer")
    expect(documents.get_by_role("listitem")).to_have_count(1)
    expect(documents.get_by_role("listitem")).to_contain_text(
        "Justificatif de domicile (de moins de 3 mois) — obligatoire"
    )
    expect(page.locator("main")).to_contain_text("Environ 10 minutes")
    expect(page.locator("main")).to_contain_text("4 étapes")
    _fits(page)
    assert_accessible(page)


def test_the_review_refuses_to_send_without_the_certification_and_keeps_the_request(phone, alice, teleservices):
    teleservice = teleservices["signalement-voirie"]
    teleservice.asks_certification = True
    teleservice.save(update_fields=["asks_certification"])
    case = _report(alice, teleservices)
    page = phone
    sign_in(page, alice.email)
    review = f"/brouillons/{case.public_id}/recapitulatif/"
    page.goto(review)
    assert_accessible(page)

    tab_to(page, "main button[type='submit']")
    page.keyboard.press("Enter")
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Cochez la case certifiant l'exactitude de vos informations")
    assert page.url.endswith(review)
    expect(page.locator("main")).to_contain_text("Devant le 4 rue des Tilleuls")  # nothing lost
    _fits(page)
    assert_accessible(page)

    tab_to(page, "#id_certified")
    page.keyboard.press("Space")
    tab_to(page, "main button[type='submit']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/confirmation/")
    case.refresh_from_db()
    assert case.certified_at is not None


def test_see_the_letter_opens_that_letter(phone, alice, teleservices):
    LetterTemplate.objects.create(  # the data migration's récépissé does not survive the flush of these tests
        name="Récépissé", slug="recepisse", kind=Kind.ACKNOWLEDGEMENT, subject="Récépissé", body="Bien reçue."
    )
    case = services.case_submit(case=_report(alice, teleservices))  # committed: the récépissé is rendered and sent
    receipt = case.letters.get()
    page = phone
    sign_in(page, alice.email)
    page.goto(f"/espace/demandes/{case.reference}/")
    link = page.get_by_role("link", name=f"Voir le courrier “{receipt.subject}” (PDF)")
    expect(link).to_have_attribute("href", receipt.pdf.get_absolute_url())
    tab_to(page, f"a[href='{receipt.pdf.get_absolute_url()}']")
    _fits(page)
    assert_accessible(page)
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    copy = page.get_by_role("link", name="Télécharger une copie de vos réponses telles qu'envoyées (PDF)")
    assert page.request.get(copy.get_attribute("href")).body().startswith(b"%PDF")

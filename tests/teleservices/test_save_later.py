"""Nothing typed is lost: "Terminer plus tard" saves the page as it is, unchecked, and the page is saved as the citizen
types (static/js/autosave.js posts it with action=autosave); the review checks the draft again before sending it."""

import datetime
import html

import time_machine
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from teleservices import services
from teleservices.models import Case
from tests.teleservices.conftest import pdf_bytes, png_bytes
from tests.teleservices.test_filing import _fill_school_until_review
from tests.teleservices.test_vault_choice import ADDRESS
from vault.models import StoredFile

FIRST_PAGE = {
    "personne": "moi",
    "nom": "Martin",
    "prenoms": "Alice",
    "date_naissance": "12/05/1990",
    "type_copie": "integrale",
    "nombre": "2",
}
FIRST_ANSWERS = {**FIRST_PAGE, "date_naissance": "1990-05-12", "nombre": 2}  # as the draft stores them


def _draft(alice, teleservices, slug="acte-de-naissance") -> Case:
    return services.case_start(user=alice, teleservice=teleservices[slug])


def _fill_url(case: Case, page: int = 1) -> str:
    return reverse("teleservices:fill", args=[case.public_id, page])


def test_finish_later_keeps_what_parses_without_checking_the_page(alice_client, alice, teleservices):
    case = _draft(alice, teleservices)
    prefilled = dict(case.data)
    data = {"action": "later", "personne": "enfant", "nom": "", "prenoms": "Léa", "date_naissance": "32/13/2020"}
    response = alice_client.post(_fill_url(case), {**data, "type_copie": "", "nombre": "9"})
    assert response.status_code == 302
    assert response["Location"] == reverse("teleservices:my_requests")
    case.refresh_from_db()
    assert case.data["personne"] == "enfant" and case.data["prenoms"] == "Léa"
    assert case.data["nom"] == prefilled["nom"]  # required but left empty: the stored answer is not replaced by nothing
    assert case.data.get("date_naissance") == prefilled.get("date_naissance")  # not a date: not kept
    assert "nombre" not in case.data and "type_copie" not in case.data
    assert case.page == 0
    [message] = get_messages(response.wsgi_request)
    assert str(message) == "Votre brouillon est enregistré : vous pourrez le terminer plus tard depuis cette page."


def test_finish_later_resumes_at_the_page_it_left(alice_client, alice, teleservices):
    case = services.case_page_save(case=_draft(alice, teleservices), answers=FIRST_ANSWERS, files={}, page=1)
    alice_client.post(_fill_url(case, 2), {"action": "later", "envoi": "mairie"})
    case.refresh_from_db()
    assert case.page == 1 and case.data["envoi"] == "mairie"
    assert alice_client.get(reverse("teleservices:my_requests")).content.decode().count(_fill_url(case, 2)) == 1


def test_finish_later_keeps_a_file_that_passed_its_checks(alice_client, alice, teleservices):
    case = _draft(alice, teleservices, "signalement-voirie")
    photo = SimpleUploadedFile("trou.png", png_bytes(), "image/png")
    response = alice_client.post(_fill_url(case), {"action": "later", "categorie": "", "photo": photo})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.data["photo"]["name"] == "trou.png"
    assert StoredFile.objects.filter(cases=case).count() == 1


def test_autosave_answers_with_the_local_time_and_keeps_the_page_where_the_draft_stopped(
    alice_client, alice, teleservices, django_assert_max_num_queries
):
    case = services.case_page_save(case=_draft(alice, teleservices), answers=FIRST_ANSWERS, files={}, page=1)
    with time_machine.travel(datetime.datetime(2026, 12, 3, 13, 2, tzinfo=datetime.UTC), tick=False):
        with django_assert_max_num_queries(16):
            response = alice_client.post(
                _fill_url(case), {**FIRST_PAGE, "action": "autosave", "prenoms": "Alice Marie"}
            )
    assert response.status_code == 200
    assert response.content.decode().strip() == "Brouillon enregistré à 14 h 02"  # Europe/Paris, winter time
    case.refresh_from_db()
    assert case.data["prenoms"] == "Alice Marie"
    assert case.page == 1  # autosave never moves where the draft resumes


def test_autosave_never_stores_a_file(alice_client, alice, teleservices):
    case = _draft(alice, teleservices, "signalement-voirie")
    photo = SimpleUploadedFile("trou.png", png_bytes(), "image/png")
    data = {"action": "autosave", "categorie": "eclairage", "localisation": "Rue Haute", "photo": photo}
    assert alice_client.post(_fill_url(case), data).status_code == 200
    case.refresh_from_db()
    assert case.data["categorie"] == "eclairage" and "photo" not in case.data
    assert not StoredFile.objects.exists()


def test_autosave_keeps_the_stored_answers_of_the_questions_it_did_not_carry(alice_client, alice, teleservices):
    case = services.case_page_save(case=_draft(alice, teleservices), answers=FIRST_ANSWERS, files={}, page=1)
    stored = dict(case.data)
    alice_client.post(_fill_url(case), {"action": "autosave", "prenoms": "Alice Marie"})
    case.refresh_from_db()
    assert case.data == {**stored, "prenoms": "Alice Marie"}


def test_autosave_keeps_a_block_whose_rows_were_not_posted(alice_client, alice, teleservices):
    case = _draft(alice, teleservices, "occupation-domaine-public")
    rows = [{"designation": "Barrière", "quantite": 4}]
    case = services.case_page_save(case=case, answers={**case.data, "materiel": rows}, files={}, page=2)
    alice_client.post(_fill_url(case, 3), {"action": "autosave", "iban": ""})
    case.refresh_from_db()
    assert case.data["materiel"] == rows


def test_another_citizen_cannot_autosave_the_draft(eve_client, alice, teleservices):
    case = _draft(alice, teleservices)
    response = eve_client.post(_fill_url(case), {"action": "autosave", "prenoms": "Ève"})
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.data.get("prenoms") != "Ève"


def test_the_review_refuses_an_ineligible_draft_saved_for_later(alice_client, alice, teleservices):
    case = _draft(alice, teleservices, "inscription-scolaire")
    alice_client.post(_fill_url(case), {"action": "later", "domicile": "no", "age": "yes"})
    response = alice_client.post(reverse("teleservices:review", args=[case.public_id]))
    assert response.status_code == 200
    assert "réservée aux familles domiciliées" in html.unescape(response.content.decode())
    case.refresh_from_db()
    assert case.is_draft


def test_the_review_refuses_a_block_saved_with_fewer_rows_than_it_needs(alice_client, alice, teleservices):
    case = _draft(alice, teleservices, "occupation-domaine-public")
    definition = case.version.definition
    block = next(f for page in definition["pages"] for f in page["fields"] if f["key"] == "materiel")
    block["options"]["min_rows"] = 2
    case.version.save(update_fields=["definition"])
    row = {"materiel-TOTAL_FORMS": "2", "materiel-INITIAL_FORMS": "0", "materiel-0-designation": "Benne"}
    alice_client.post(_fill_url(case, 3), {"action": "autosave", **row, "materiel-0-quantite": "1"})
    case.refresh_from_db()
    assert case.data["materiel"] == [{"designation": "Benne", "quantite": 1}]
    assert "Ajoutez au moins 2 lignes à « Matériel installé »." in services.case_problems(case=case)


def test_the_review_asks_the_issue_date_of_a_new_document_saved_for_later(alice_client, alice, teleservices):
    case, url = _fill_school_until_review(alice_client, alice)
    upload = SimpleUploadedFile("edf.pdf", pdf_bytes(), "application/pdf")
    alice_client.post(url, {"action": "later", **ADDRESS, "justificatif_domicile": upload})
    response = alice_client.post(reverse("teleservices:review", args=[case.public_id]))
    page = html.unescape(response.content.decode())
    assert "Indiquez la date d'émission du document envoyé pour « Justificatif de domicile" in page
    case.refresh_from_db()
    assert case.is_draft and case.data["justificatif_domicile"]["name"] == "edf.pdf"

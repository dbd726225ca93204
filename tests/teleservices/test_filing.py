"""A citizen files a request page by page: prefill, eligibility, conditions, drafts, review and submission."""

import html
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from letters.models import Letter
from teleservices import services
from teleservices.models import Case, CaseEvent

ELIGIBLE = {"action": "continue", "domicile": "yes", "age": "yes"}


def _start(client, slug):
    response = client.post(reverse("teleservices:start", args=[slug]))
    assert response.status_code == 302
    return Case.objects.drafts().latest("created_at"), response["Location"]


def _fill_school_until_review(client, alice):
    case, url = _start(client, "inscription-scolaire")
    lea = alice.household_member.household.members.get(first_name="Léa")
    steps = [
        ELIGIBLE,
        {"action": "continue", "enfant": str(lea.pk), "niveau": "CP"},
        {"action": "continue", "ecole": "port", "allergies": "yes", "allergies_detail": "Arachide"},
    ]
    for data in steps:
        response = client.post(url, data)
        assert response.status_code == 302, response.content.decode()
        url = response["Location"]
    return case, url


def test_the_catalogue_lists_published_procedures_by_category_for_anyone(
    client, teleservices, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        response = client.get(reverse("teleservices:catalogue"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Famille et scolarité" in page
    assert "Inscription scolaire" in page and "Signalement sur la voirie" in page


def test_the_catalogue_writes_nothing_to_the_database(client, teleservices):
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("teleservices:catalogue"), {"q": "acte"})
        client.get(reverse("teleservices:start", args=["acte-de-naissance"]))
    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("naissance", "Demande d&#x27;acte de naissance"),
        ("echafaudage", "Occupation du domaine public"),
        ("écoles", "Inscription scolaire"),
    ],
)
def test_the_catalogue_search_is_french_and_ignores_accents(client, teleservices, query, found):
    page = client.get(reverse("teleservices:catalogue"), {"q": query}).content.decode()
    assert found in page
    assert "Signalement sur la voirie" not in page


def test_an_anonymous_visitor_is_asked_to_sign_in_before_starting(client, teleservices):
    response = client.post(reverse("teleservices:start", args=["acte-de-naissance"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Case.objects.exists()


def test_a_draft_is_prefilled_from_the_profile_and_household(alice_client, alice, teleservices):
    case, url = _start(alice_client, "acte-de-naissance")
    assert case.data["nom"] == "Martin" and case.data["prenoms"] == "Alice"
    assert case.data["adresse_envoi"] == {"street": "1 rue Haute", "postcode": "45630", "city": "Beaulieu-sur-Loire"}
    page = alice_client.get(url).content.decode()
    assert 'value="Martin"' in page
    assert f'value="{alice.birth_date:%d/%m/%Y}"' in page


def test_an_ineligible_citizen_is_told_why_and_cannot_go_on(alice_client, teleservices):
    case, url = _start(alice_client, "inscription-scolaire")
    response = alice_client.post(url, {"action": "continue", "domicile": "no", "age": "yes"})
    assert response.status_code == 200
    assert "réservée aux familles domiciliées" in response.content.decode()
    case.refresh_from_db()
    assert case.page == 0
    assert alice_client.post(reverse("teleservices:review", args=[case.public_id])).status_code == 200
    assert Case.objects.get(pk=case.pk).is_draft


def test_eligibility_is_answered_as_the_citizen_answers(alice_client, teleservices):
    _case, url = _start(alice_client, "inscription-scolaire")
    headers = {"HX-Request": "true"}
    no = alice_client.post(url, {"action": "refresh", "domicile": "yes", "age": "no"}, headers=headers)
    assert no.status_code == 200
    assert "de 3 à 11 ans" in no.content.decode()
    yes = alice_client.post(url, {"action": "refresh", "domicile": "yes", "age": "yes"}, headers=headers)
    assert "vous êtes éligible" in yes.content.decode()


def test_a_question_hidden_by_its_condition_is_announced_to_the_page_script(alice_client, teleservices):
    case, url = _start(alice_client, "acte-de-naissance")
    page2 = reverse("teleservices:fill", args=[case.public_id, 2])
    at_the_counter = alice_client.post(page2, {"action": "refresh", "envoi": "mairie"}, headers={"HX-Request": "true"})
    assert 'data-hidden="adresse_envoi"' in at_the_counter.content.decode()
    by_post = alice_client.post(page2, {"action": "refresh", "envoi": "courrier"}, headers={"HX-Request": "true"})
    assert 'data-hidden=""' in by_post.content.decode()


def test_answers_are_kept_at_every_page_and_the_draft_resumes_where_it_stopped(alice_client, alice, teleservices):
    case, url = _fill_school_until_review(alice_client, alice)
    case.refresh_from_db()
    assert case.data["ecole"] == "port" and case.page == 3
    listing = alice_client.get(reverse("teleservices:my_requests")).content.decode()
    assert "Inscription scolaire" in listing and "Conservé jusqu’au" in listing
    resumed = alice_client.get(case.get_absolute_url())
    assert resumed.status_code == 200 and "Justificatif" in resumed.content.decode()


def test_going_back_keeps_what_was_typed_right(alice_client, alice, teleservices):
    case, url = _start(alice_client, "acte-de-naissance")
    alice_client.post(
        url,
        {
            "action": "continue",
            "personne": "moi",
            "nom": "Martin",
            "prenoms": "Alice",
            "date_naissance": "12/04/1986",
            "type_copie": "extrait",
            "nombre": "2",
        },
    )
    page2 = reverse("teleservices:fill", args=[case.public_id, 2])
    response = alice_client.post(page2, {"action": "back", "envoi": "mairie", "telephone": "pas un numéro"})
    assert response.status_code == 302 and response["Location"].endswith("/etape/1/")
    case.refresh_from_db()
    assert case.data["envoi"] == "mairie" and case.data["nombre"] == 2
    assert "telephone" not in case.data or case.data["telephone"] != "pas un numéro"


def test_bad_input_gets_a_french_error_summary_and_loses_nothing(alice_client, teleservices):
    case, url = _start(alice_client, "acte-de-naissance")
    response = alice_client.post(
        url,
        {
            "action": "continue",
            "personne": "moi",
            "nom": "Martin",
            "prenoms": "Alice",
            "date_naissance": "31/02/1986",
            "type_copie": "extrait",
            "nombre": "9",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "error-summary" in page and 'href="#id_date_naissance"' in page
    assert "Le 31 février 1986 n'existe pas : ce mois compte 28 jours." in html.unescape(page)
    assert "inférieure ou égale à 5" in page
    assert 'value="31/02/1986"' in page and 'value="extrait" selected' in page


def test_a_repeatable_block_gets_a_new_row_on_request(alice_client, teleservices):
    case, _url = _start(alice_client, "occupation-domaine-public")
    case.page = 2
    case.save()
    url = reverse("teleservices:fill", args=[case.public_id, 3])
    data = {
        "action": "add:materiel",
        "materiel-TOTAL_FORMS": "1",
        "materiel-INITIAL_FORMS": "0",
        "materiel-0-designation": "Barrière",
        "materiel-0-quantite": "4",
    }
    response = alice_client.post(url, data)
    assert response.status_code == 302
    page = alice_client.get(response["Location"]).content.decode()
    assert 'name="materiel-1-designation"' in page and 'value="Barrière"' in page
    case.refresh_from_db()
    assert case.data["materiel"] == [{"designation": "Barrière", "quantite": 4}]


def test_the_review_shows_the_answers_and_submission_gives_a_reference(
    alice_client, alice, teleservices, pdf_upload, django_capture_on_commit_callbacks
):
    case, url = _fill_school_until_review(alice_client, alice)
    response = alice_client.post(
        url,
        {
            "action": "continue",
            "adresse__street": "1 rue Haute",
            "adresse__postcode": "45630",
            "adresse__city": "Beaulieu-sur-Loire",
            "justificatif_domicile": pdf_upload(),
            "justificatif_domicile__issued_on": "02/11/2026",
        },
    )
    assert response["Location"] == reverse("teleservices:review", args=[case.public_id])
    review = alice_client.get(response["Location"]).content.decode()
    assert "École du Port" in review and "Léa Martin" in review and "justificatif.pdf" in review
    with django_capture_on_commit_callbacks(execute=True):
        submitted = alice_client.post(response["Location"])
    case.refresh_from_db()
    assert submitted["Location"] == reverse("teleservices:confirmation", args=[case.reference])
    assert re.fullmatch(r"DEM-\d{4}-[2-9A-HJKMNP-Z]{6}", case.reference)
    assert case.status.key == "recue" and case.submitted_at is not None
    assert [e.kind for e in case.events.order_by("pk")] == [CaseEvent.Kind.SUBMITTED, CaseEvent.Kind.LETTER]
    receipt = case.letters.get()  # the récépissé de dépôt, a PDF letter in the citizen's space
    assert receipt.status == Letter.Status.SENT and receipt.kind == "acknowledgement"
    assert receipt.pdf.read().startswith(b"%PDF") and case.reference in receipt.subject
    assert case.files.count() == 2 and case.answers_copy in case.files.all()  # the proof of address, the copy
    assert [m.subject for m in mail.outbox] == [
        f"Votre demande « {case.teleservice.title} » ({case.reference}) a bien été reçue"
    ]
    # One email, which waited for the récépissé to carry it.
    assert [(name, mime) for name, _content, mime in mail.outbox[0].attachments] == [
        (receipt.pdf.name, "application/pdf")
    ]
    assert case.reference in alice_client.get(submitted["Location"]).content.decode()


def test_answers_of_hidden_questions_are_dropped_at_submission(alice_client, alice, teleservices):
    case, url = _fill_school_until_review(alice_client, alice)
    page3 = reverse("teleservices:fill", args=[case.public_id, 3])
    alice_client.post(page3, {"action": "continue", "ecole": "port", "allergies": "no", "allergies_detail": "Arachide"})
    case.refresh_from_db()
    # a document of the vault (a new file would need its issue date)
    case.data["justificatif_domicile"] = {
        "id": "x",
        "name": "a.pdf",
        "size": 1,
        "type": "application/pdf",
        "document": "00000000-0000-4000-8000-000000000000",
    }
    case.save()
    case = services.case_submit(case=case)
    assert "allergies_detail" not in case.data and case.data["allergies"] is False


def test_a_citizen_deletes_a_draft(alice_client, teleservices):
    case, _url = _start(alice_client, "signalement-voirie")
    response = alice_client.post(reverse("teleservices:draft_delete", args=[case.public_id]))
    assert response.status_code == 302
    assert not Case.objects.filter(pk=case.pk).exists()


def test_my_requests_costs_the_same_queries_whatever_the_number_of_requests(
    alice_client, alice, teleservices, django_assert_max_num_queries
):
    def submit_report():
        case = services.case_start(user=alice, teleservice=teleservices["signalement-voirie"])
        services.case_page_save(
            case=case, answers={"categorie": "autre", "localisation": "Place du marché"}, files={}, page=0
        )
        services.case_submit(case=case)

    submit_report()
    with CaptureQueriesContext(connection) as few:
        alice_client.get(reverse("teleservices:my_requests"))
    for _ in range(5):
        submit_report()
    with django_assert_max_num_queries(len(few)):
        response = alice_client.get(reverse("teleservices:my_requests"))
    assert response.content.decode().count("DEM-") >= 6


def test_a_procedure_for_franceconnect_identities_refuses_an_uncertified_account(alice_client, teleservices):
    teleservice = teleservices["acte-de-naissance"]
    teleservice.audience = teleservice.Audience.FRANCECONNECT
    teleservice.save()
    response = alice_client.post(reverse("teleservices:start", args=[teleservice.slug]), follow=True)
    assert "demande une identité certifiée par FranceConnect" in response.content.decode()
    assert not Case.objects.exists()


def test_a_closed_procedure_cannot_be_started(alice_client, teleservices):
    teleservice = teleservices["inscription-scolaire"]
    teleservice.closes_at = timezone.now()
    teleservice.save()
    page = alice_client.get(reverse("teleservices:start", args=[teleservice.slug])).content.decode()
    assert "n'est pas ouverte en ce moment" in page and "Commencer</button>" not in page
    alice_client.post(reverse("teleservices:start", args=[teleservice.slug]))
    assert not Case.objects.exists()


def test_my_requests_are_listed_twenty_per_page(alice_client, alice, teleservices):
    for _ in range(21):
        case = services.case_start(user=alice, teleservice=teleservices["signalement-voirie"])
        services.case_submit(
            case=services.case_page_save(
                case=case, answers={"categorie": "autre", "localisation": "Ici"}, files={}, page=0
            )
        )
    first = alice_client.get(reverse("teleservices:my_requests")).content.decode()
    second = alice_client.get(reverse("teleservices:my_requests"), {"page": 2}).content.decode()
    assert first.count("<tr>") == 21 and "Page 1 sur 2" in first
    assert second.count("<tr>") == 2 and "Page précédente" in second

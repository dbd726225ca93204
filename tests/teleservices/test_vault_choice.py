"""A file question bound to a type of document offers "Choisir dans mes documents" (the applicant's valid ones of
that type, about the right person), and files new uploads into the vault when the request is submitted."""

import datetime
import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from teleservices.definition import FieldDef
from teleservices.offers import document_about, offered_documents
from tests.teleservices.conftest import pdf_bytes
from tests.teleservices.test_filing import _fill_school_until_review
from vault import demo, services
from vault.files import CheckedFile
from vault.models import Document, StoredFile

ADDRESS = {"adresse__street": "1 rue Haute", "adresse__postcode": "45630", "adresse__city": "Beaulieu-sur-Loire"}


def _document(owner, slug="justificatif-domicile", days_ago=10, member=None, name="facture.pdf") -> Document:
    page = CheckedFile(content=pdf_bytes(), mime="application/pdf", name=name)
    return services.document_upload(
        owner=owner,
        type=demo.seed()[slug],
        issued_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        pages=[page],
        member=member,
    )


@pytest.fixture
def proof(alice, teleservices):
    return _document(alice)


def test_the_page_offers_only_the_applicants_valid_documents_of_the_type(alice_client, alice, eve, proof):
    expired = _document(alice, days_ago=200, name="ancienne.pdf")
    other_type = _document(alice, slug="rib", name="rib.pdf")
    lea = alice.household_member.household.members.get(first_name="Léa")
    about_lea = _document(alice, member=lea, name="lea.pdf")
    eves = _document(eve, name="eve.pdf")
    _case, url = _fill_school_until_review(alice_client, alice)
    page = alice_client.get(url).content.decode()
    assert "Choisir dans mes documents" in page
    assert f'value="{proof.public_id}"' in page
    for other in (expired, other_type, about_lea, eves):
        assert str(other.public_id) not in page


def test_a_document_chosen_from_the_vault_is_attached_with_its_pages(alice_client, alice, proof):
    case, url = _fill_school_until_review(alice_client, alice)
    response = alice_client.post(
        url, {"action": "continue", **ADDRESS, "justificatif_domicile__document": str(proof.public_id)}
    )
    assert response.status_code == 302, html.unescape(response.content.decode())
    alice_client.post(response["Location"])
    case.refresh_from_db()
    answer = case.data["justificatif_domicile"]
    assert answer["document"] == str(proof.public_id)
    assert set(case.files.all()) == set(proof.files.all())
    assert Document.objects.filter(owner=alice).count() == 1  # nothing filed twice


def test_a_new_upload_is_filed_into_the_vault_at_submission(alice_client, alice, teleservices):
    case, url = _fill_school_until_review(alice_client, alice)
    upload = SimpleUploadedFile("edf.pdf", pdf_bytes(), "application/pdf")
    issued = timezone.localdate() - datetime.timedelta(days=5)
    response = alice_client.post(
        url,
        {
            "action": "continue",
            **ADDRESS,
            "justificatif_domicile": upload,
            "justificatif_domicile__issued_on": issued.strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 302
    assert not Document.objects.exists()  # a draft files nothing yet
    alice_client.post(response["Location"])
    case.refresh_from_db()
    document = Document.objects.get(owner=alice)
    assert document.source == Document.Source.REQUEST and document.issued_on == issued
    assert document.type.slug == "justificatif-domicile" and document.member is None
    assert list(document.files.all()) == list(case.files.all())
    assert case.data["justificatif_domicile"]["document"] == str(document.public_id)


def test_a_new_upload_without_its_issue_date_is_kept_and_the_date_asked(alice_client, alice, teleservices):
    case, url = _fill_school_until_review(alice_client, alice)
    upload = SimpleUploadedFile("edf.pdf", pdf_bytes(), "application/pdf")
    response = alice_client.post(url, {"action": "continue", **ADDRESS, "justificatif_domicile": upload})
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Indiquez la date d'émission écrite sur le document." in page
    assert "edf.pdf" in page  # the upload is not lost
    case.refresh_from_db()
    assert case.data["justificatif_domicile"]["name"] == "edf.pdf"


def test_another_households_document_cannot_be_posted(alice_client, alice, eve, proof):
    eves = _document(eve, name="eve.pdf")
    case, url = _fill_school_until_review(alice_client, alice)
    response = alice_client.post(
        url, {"action": "continue", **ADDRESS, "justificatif_domicile__document": str(eves.public_id)}
    )
    assert response.status_code == 200
    case.refresh_from_db()
    assert not case.files.filter(documents=eves).exists()
    assert "justificatif_domicile" not in case.data


def test_deleting_the_document_from_the_vault_keeps_the_requests_copy(alice_client, alice, proof):
    case, url = _fill_school_until_review(alice_client, alice)
    response = alice_client.post(
        url, {"action": "continue", **ADDRESS, "justificatif_domicile__document": str(proof.public_id)}
    )
    alice_client.post(response["Location"])
    page = proof.files.get()
    services.document_delete(document=proof)
    assert StoredFile.objects.filter(pk=page.pk).exists()
    assert alice_client.get(page.get_absolute_url()).status_code == 200


def test_a_question_about_a_member_offers_that_members_documents(alice, teleservices):
    household = alice.household_member.household
    lea = household.members.get(first_name="Léa")
    about_lea, about_alice = _document(alice, member=lea), _document(alice)
    question = FieldDef(
        kind="file",
        label="Justificatif",
        key="piece",
        options={"document_type": "justificatif-domicile", "document_member": "enfant"},
    )
    documents = list(Document.objects.filter(owner=alice))
    for_lea = document_about(question, {"enfant": [{"id": lea.pk}]}, household)
    assert offered_documents(question, documents, for_lea) == [about_lea]
    myself = document_about(question, {"enfant": [{"id": alice.household_member.pk}]}, household)
    assert offered_documents(question, documents, myself) == [about_alice]

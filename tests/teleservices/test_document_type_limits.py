"""A file question bound to a type of document accepts only what that type accepts too: the stricter of the
question's and the type's file types and maximum size, since its new files are filed into the vault."""

import datetime
import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from teleservices.definition import FieldDef
from teleservices.fields import FileLimits, file_limits
from tests.teleservices.conftest import pdf_bytes, png_bytes
from tests.teleservices.test_filing import _fill_school_until_review
from vault.models import Document, DocumentType, StoredFile

MEGABYTE = 1024 * 1024
ADDRESS = {"adresse__street": "3 rue Basse", "adresse__postcode": "45630", "adresse__city": "Beaulieu-sur-Loire"}
QUESTION = FieldDef(
    kind="file",
    label="Justificatif",
    key="piece",
    options={"file_types": ["pdf", "jpeg", "png"], "max_size_mb": 5, "document_type": "justificatif-domicile"},
)


@pytest.fixture
def proof_of_address(teleservices):
    """The school registration's proof of address (PDF, JPEG or PNG up to 5 MB) is of this type."""
    return DocumentType.objects.get(slug="justificatif-domicile")


def _send(client, url, upload):
    issued = (timezone.localdate() - datetime.timedelta(days=5)).strftime("%d/%m/%Y")
    data = {
        "action": "continue",
        **ADDRESS,
        "justificatif_domicile": upload,
        "justificatif_domicile__issued_on": issued,
    }
    return client.post(url, data)


def test_the_stricter_types_and_size_of_the_question_and_its_document_type_apply():
    kind = DocumentType(accepted_types=["pdf", "png"], max_size_mb=10)
    assert file_limits(QUESTION, kind) == FileLimits(types=["pdf", "png"], max_size_mb=5)
    kind.max_size_mb = 2
    assert file_limits(QUESTION, kind).max_size == 2 * MEGABYTE
    assert file_limits(QUESTION) == FileLimits(types=["pdf", "jpeg", "png"], max_size_mb=5)


def test_a_question_sharing_no_file_type_with_its_document_type_takes_the_types_of_the_document_type():
    question = FieldDef(kind="file", label="Photo", key="photo", options={"file_types": ["jpeg"], "max_size_mb": 5})
    assert file_limits(question, DocumentType(accepted_types=["pdf"], max_size_mb=10)).types == ["pdf"]


def test_the_upload_field_announces_what_the_document_type_accepts(alice_client, alice, proof_of_address):
    proof_of_address.accepted_types, proof_of_address.max_size_mb = ["pdf"], 2
    proof_of_address.save()
    _case, url = _fill_school_until_review(alice_client, alice)
    page = html.unescape(alice_client.get(url).content.decode())
    assert 'accept="application/pdf,.pdf"' in page and "Fichiers acceptés : PDF, jusqu'à 2 Mo." in page


def test_a_file_type_the_question_allows_but_not_its_document_type_is_refused_and_nothing_is_lost(
    alice_client, alice, proof_of_address
):
    proof_of_address.accepted_types = ["pdf"]
    proof_of_address.save()
    case, url = _fill_school_until_review(alice_client, alice)
    response = _send(alice_client, url, SimpleUploadedFile("facture.png", png_bytes(), "image/png"))
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Le fichier « facture.png » n'est pas d'un type accepté (PDF)." in page
    assert 'value="3 rue Basse"' in page  # the other answers of the page stay
    case.refresh_from_db()
    assert case.data["ecole"] == "port" and "justificatif_domicile" not in case.data
    assert not StoredFile.objects.exists() and not Document.objects.exists()


def test_a_file_over_the_document_types_size_is_refused_though_the_question_allows_it(
    alice_client, alice, proof_of_address
):
    proof_of_address.max_size_mb = 1
    proof_of_address.save()
    case, url = _fill_school_until_review(alice_client, alice)
    content = pdf_bytes() + b"\n" * (MEGABYTE + 1 - len(pdf_bytes()))  # under the question's 5 MB
    response = _send(alice_client, url, SimpleUploadedFile("facture.pdf", content, "application/pdf"))
    page = html.unescape(response.content.decode())
    assert response.status_code == 200 and "trop volumineux" in page and "le maximum est de 1\xa0Mo" in page
    case.refresh_from_db()
    assert "justificatif_domicile" not in case.data and not StoredFile.objects.exists()


def test_a_file_both_accept_is_kept(alice_client, alice, proof_of_address):
    proof_of_address.accepted_types = ["pdf"]
    proof_of_address.save()
    case, url = _fill_school_until_review(alice_client, alice)
    response = _send(alice_client, url, SimpleUploadedFile("facture.pdf", pdf_bytes(), "application/pdf"))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.data["justificatif_domicile"]["name"] == "facture.pdf"

"""alice's "Mes documents": add proofs with their pages, for herself or her children, replace and delete them."""

import datetime
import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from teleservices import services as teleservices_services
from tests.backoffice.conftest import submit
from tests.conftest import sign_in
from tests.teleservices.conftest import pdf_bytes, png_bytes
from tests.teleservices.test_filing import _fill_school_until_review
from vault import demo
from vault.models import Document, DocumentType, StoredFile

DOCUMENTS = reverse("vault:documents")
ADD = reverse("vault:document_add")


@pytest.fixture
def types(db):
    return demo.seed()


def _pdf(name="page.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), "application/pdf")


def _add(client, kind, **data):
    issued = (timezone.localdate() - datetime.timedelta(days=5)).strftime("%d/%m/%Y")
    fields = {"type": kind.pk, "issued_on": issued, "pages": [_pdf("page-1.pdf"), _pdf("page-2.pdf")], **data}
    return client.post(ADD, fields)


def test_alice_adds_a_proof_of_address_of_two_pages_and_sees_it_to_verify(alice_client, alice, types):
    response = _add(alice_client, types["justificatif-domicile"])
    assert response.status_code == 302 and response["Location"] == DOCUMENTS
    document = Document.objects.get(owner=alice)
    assert [page.name for page in document.files.order_by("pk")] == ["page-1.pdf", "page-2.pdf"]
    page = alice_client.get(DOCUMENTS).content.decode()
    assert "Justificatif de domicile de moins de 3 mois" in page and "à vérifier" in page
    assert f"valable jusqu’au {document.valid_until.day}" in page and alice.get_full_name() in page


def test_a_document_about_a_child_is_listed_under_her_name(alice_client, alice, types):
    lea = alice.household_member.household.members.get(first_name="Léa")
    _add(alice_client, types["attestation-caf"], member=lea.pk)
    assert Document.objects.get().member == lea
    assert "Léa Martin" in alice_client.get(DOCUMENTS).content.decode()


def test_a_file_of_a_type_not_accepted_is_refused_in_french_and_the_date_is_kept(alice_client, types):
    pdf_only = DocumentType.objects.create(label="Avis", slug="avis", accepted_types=["pdf"])
    png = SimpleUploadedFile("scan.png", png_bytes(), "image/png")
    response = alice_client.post(ADD, {"type": pdf_only.pk, "issued_on": "02/11/2026", "pages": [png]})
    page = response.content.decode()
    assert response.status_code == 200 and "scan.png" in page and 'value="02/11/2026"' in page
    assert not Document.objects.exists() and not StoredFile.objects.exists()


def test_an_expired_verified_document_shows_expired_and_is_no_longer_offered(alice_client, alice, teleservices):
    kind = demo.seed()["justificatif-domicile"]  # valid three months
    _add(alice_client, kind, issued_on=(timezone.localdate() - datetime.timedelta(days=120)).strftime("%d/%m/%Y"))
    _add(alice_client, kind)
    expired, valid = Document.objects.order_by("issued_on")
    Document.objects.update(status=Document.Status.VERIFIED, verified_at=timezone.now())
    page = alice_client.get(DOCUMENTS).content.decode()
    assert page.count(">expiré</span>") == 1 and page.count(">vérifié</span>") == 1
    _case, url = _fill_school_until_review(alice_client, alice)
    form = alice_client.get(url).content.decode()
    assert "Choisir dans mes documents" in form and f'value="{valid.public_id}"' in form
    assert str(expired.public_id) not in form


def test_the_pages_field_asks_for_the_files_of_the_document_type_once_it_is_known(alice_client, types):
    every_type = 'accept="application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"'
    assert every_type in alice_client.get(ADD).content.decode()
    pdf_only = DocumentType.objects.create(label="Avis", slug="avis", accepted_types=["pdf"], max_size_mb=2)
    page = html.unescape(alice_client.post(ADD, {"type": pdf_only.pk, "issued_on": "02/11/2025"}).content.decode())
    assert 'accept="application/pdf,.pdf"' in page and every_type not in page
    assert "Un fichier par page, ou un PDF avec toutes les pages : PDF, jusqu'à 2 Mo chacun." in page
    _add(alice_client, pdf_only)
    replacing = alice_client.get(f"{ADD}?remplace={Document.objects.get().public_id}").content.decode()
    assert 'accept="application/pdf,.pdf"' in replacing


def test_a_document_needs_its_pages_and_a_past_issue_date(alice_client, types):
    response = alice_client.post(ADD, {"type": types["rib"].pk, "issued_on": "01/01/2099"})
    page = response.content.decode()
    assert "Ce champ est obligatoire." in page
    response = alice_client.post(ADD, {"type": types["rib"].pk, "issued_on": "01/01/2099", "pages": [_pdf()]})
    assert "ne peut pas être dans le futur" in response.content.decode()
    assert not Document.objects.exists()


def test_replacing_a_document_files_the_new_one_and_deletes_the_old(alice_client, alice, types):
    _add(alice_client, types["justificatif-domicile"])
    old = Document.objects.get()
    form = alice_client.get(f"{ADD}?remplace={old.public_id}")
    assert form.status_code == 200 and "Remplacer" in form.content.decode()
    response = alice_client.post(
        f"{ADD}?remplace={old.public_id}",
        {"type": old.type_id, "issued_on": timezone.localdate().strftime("%d/%m/%Y"), "pages": [_pdf("new.pdf")]},
    )
    assert response.status_code == 302
    (new,) = Document.objects.filter(owner=alice)
    assert new.pk != old.pk and [page.name for page in new.files.all()] == ["new.pdf"]


def test_deleting_a_document_keeps_the_pages_a_request_holds(alice_client, alice, types, teleservices):
    birth_case = submit(alice, teleservices["acte-de-naissance"])
    _add(alice_client, types["rib"])
    document = Document.objects.get()
    attached, alone = document.files.order_by("pk")
    birth_case.files.add(attached)
    url = reverse("vault:document_delete", args=[document.public_id])
    assert "Supprimer" in alice_client.get(url).content.decode()
    assert alice_client.post(url).status_code == 302
    assert not Document.objects.exists()
    assert StoredFile.objects.filter(pk=attached.pk).exists() and not StoredFile.objects.filter(pk=alone.pk).exists()


def test_a_draft_given_up_never_takes_a_vault_document_with_it(alice, types, teleservices, alice_client):
    _add(alice_client, types["rib"])
    page = Document.objects.get().files.first()
    draft = teleservices_services.case_start(user=alice, teleservice=teleservices["acte-de-naissance"])
    draft.files.add(page)
    teleservices_services.case_draft_delete(case=draft)
    assert StoredFile.objects.filter(pk=page.pk).exists()


@pytest.fixture(params=["eve", "carol"])
def outsider(request, eve, carol):
    """Another citizen, or an agent of another department: neither sees alice's vault."""
    return {"eve": eve, "carol": carol}[request.param]


def test_nobody_else_sees_deletes_or_replaces_alices_documents(client, alice_client, outsider, types):
    _add(alice_client, types["rib"])
    document = Document.objects.get()
    pages = list(document.files.order_by("pk"))
    delete = reverse("vault:document_delete", args=[document.public_id])
    replace = f"{ADD}?remplace={document.public_id}"
    sign_in(client, outsider)
    assert "Relevé" not in client.get(DOCUMENTS).content.decode()
    assert client.get(delete).status_code == 404 and client.post(delete).status_code == 404
    assert client.get(replace).status_code == 404
    issued = timezone.localdate().strftime("%d/%m/%Y")
    response = client.post(replace, {"type": document.type_id, "issued_on": issued, "pages": [_pdf("autre.pdf")]})
    assert response.status_code == 404
    assert client.get(f"{ADD}?remplace=pas-un-identifiant").status_code == 404
    assert client.get(pages[0].get_absolute_url()).status_code == 404
    assert list(Document.objects.all()) == [document] and list(document.files.order_by("pk")) == pages
    assert StoredFile.objects.count() == len(pages)


def test_the_vault_pages_need_an_account_and_the_right_method(client, eve, types):
    assert client.get(DOCUMENTS).status_code == 302 and client.get(ADD).status_code == 302
    client.force_login(eve)
    assert client.post(DOCUMENTS).status_code == 405
    assert client.put(ADD).status_code == 405


def _queries(client):
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as context:
        assert client.get(DOCUMENTS).status_code == 200
    return len(context.captured_queries)


def test_the_documents_page_query_count_does_not_grow(alice_client, types):
    _add(alice_client, types["rib"])
    alice_client.get(DOCUMENTS)  # the session's activity mark is written at most once a minute
    few = _queries(alice_client)
    for _ in range(3):
        _add(alice_client, types["justificatif-domicile"])
    assert _queries(alice_client) == few <= 8

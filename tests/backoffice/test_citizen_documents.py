"""Agents who instruct alice's requests read, verify or refuse the documents of her vault given for them (attached to
an answer or shared for the request); the rest of her vault stays private, and nobody else reads any of it."""

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.backoffice.conftest import pdf_bytes
from vault import demo
from vault import services as vault_services
from vault.files import file_check
from vault.models import Document


def _document(alice, shared_for=None):
    """A proof in alice's vault, shared for the request `shared_for` if given."""
    checked = file_check(
        SimpleUploadedFile("facture.pdf", pdf_bytes(), "application/pdf"), types=["pdf"], max_size=10**7
    )
    page = vault_services.stored_file_create(owner=alice, checked=checked)
    kind = demo.seed()["justificatif-domicile"]
    document = vault_services.document_add(owner=alice, type=kind, issued_on=timezone.localdate(), files=[page])
    if shared_for is not None:
        shared_for.shared_documents.add(document)
    return document


def _url(name, document):
    return reverse(f"backoffice:{name}", args=[document.owner_id, document.public_id])


def test_bob_reads_and_verifies_a_document_shared_for_a_request_he_instructs(bob_client, bob, alice, birth_case):
    document = _document(alice, shared_for=birth_case)
    page = bob_client.get(reverse("backoffice:citizen", args=[alice.pk])).content.decode()
    assert "Justificatif de domicile" in page and "Marquer comme vérifié" in page
    response = bob_client.get(document.files.get().get_absolute_url())
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert bob_client.post(_url("document_verify", document)).status_code == 302
    document.refresh_from_db()
    assert (document.status, document.verified_by) == (Document.Status.VERIFIED, bob) and document.verified_at


def test_a_refusal_needs_its_reason_and_the_citizen_is_told_why(
    bob_client, alice, birth_case, django_capture_on_commit_callbacks
):
    document = _document(alice, shared_for=birth_case)
    field = f"document-{document.pk}-reason"
    bob_client.post(_url("document_refuse", document), {field: " "})
    assert Document.objects.get().status == Document.Status.TO_VERIFY
    with django_capture_on_commit_callbacks(execute=True):
        bob_client.post(_url("document_refuse", document), {field: "La facture a plus de trois mois."})
    document.refresh_from_db()
    assert (document.status, document.refusal_reason) == (Document.Status.REFUSED, "La facture a plus de trois mois.")
    (email,) = [message for message in mail.outbox if message.to == [alice.email] and "accepté" in message.subject]
    assert "La facture a plus de trois mois." in email.body


def test_a_document_given_for_no_request_of_his_stays_private_to_the_instructing_agent(bob_client, alice, birth_case):
    document = _document(alice)
    page = bob_client.get(reverse("backoffice:citizen", args=[alice.pk])).content.decode()
    assert '<article class="document">' not in page and "Aucun document de leur coffre" in page
    assert bob_client.get(document.files.get().get_absolute_url()).status_code == 404
    assert bob_client.post(_url("document_verify", document)).status_code == 404
    assert Document.objects.get().status == Document.Status.TO_VERIFY


def test_a_document_answering_the_request_is_seen_and_checked_on_it(bob_client, alice, birth_case):
    document = _document(alice)
    birth_case.files.add(document.files.get())
    assert bob_client.get(document.files.get().get_absolute_url()).status_code == 200
    assert bob_client.post(_url("document_verify", document)).status_code == 302
    assert Document.objects.get().status == Document.Status.VERIFIED


def test_an_agent_who_instructs_none_of_her_requests_neither_reads_nor_checks_her_documents(
    carol_client, alice, birth_case
):
    document = _document(alice, shared_for=birth_case)
    assert carol_client.get(document.files.get().get_absolute_url()).status_code == 404
    assert carol_client.post(_url("document_verify", document)).status_code == 404
    field = f"document-{document.pk}-reason"
    assert carol_client.post(_url("document_refuse", document), {field: "Illisible."}).status_code == 404
    document.refresh_from_db()
    assert (document.status, document.refusal_reason, document.verified_by) == (Document.Status.TO_VERIFY, "", None)
    assert not mail.outbox


def test_citizens_cannot_check_documents_and_checks_are_posted(client, eve, bob_client, alice, birth_case):
    document = _document(alice, shared_for=birth_case)
    assert bob_client.get(_url("document_verify", document)).status_code == 405
    client.force_login(eve)
    assert client.post(_url("document_verify", document)).status_code == 403
    assert client.post(_url("document_refuse", document), {f"document-{document.pk}-reason": "Non."}).status_code == 403
    assert Document.objects.get().status == Document.Status.TO_VERIFY
    assert client.get(document.files.get().get_absolute_url()).status_code == 404


def test_bob_files_a_document_brought_to_the_counter_verified_at_once(bob_client, bob, alice, birth_case):
    kind = demo.seed()["livret-famille"]
    url = reverse("backoffice:document_add", args=[alice.pk])
    pages = [SimpleUploadedFile("livret.pdf", pdf_bytes(), "application/pdf")]
    data = {"guichet-type": kind.pk, "guichet-issued_on": "12/05/2010", "guichet-pages": pages}
    assert bob_client.post(url, data).status_code == 302
    document = Document.objects.get(owner=alice)
    assert (document.source, document.added_by, document.status) == ("counter", bob, Document.Status.VERIFIED)
    assert document.files.get().owner == alice


def test_a_counter_document_past_the_households_quota_is_refused_in_french(bob_client, alice, birth_case, settings):
    settings.HOUSEHOLD_STORAGE_QUOTA = len(pdf_bytes()) - 1
    url = reverse("backoffice:document_add", args=[alice.pk])
    pages = [SimpleUploadedFile("livret.pdf", pdf_bytes(), "application/pdf")]
    data = {"guichet-type": demo.seed()["livret-famille"].pk, "guichet-issued_on": "12/05/2010", "guichet-pages": pages}
    response = bob_client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Il ne reste pas assez de place dans votre espace de stockage" in page and 'value="12/05/2010"' in page
    assert not Document.objects.exists()


def test_a_counter_document_with_a_bad_file_is_refused_and_nothing_is_stored(bob_client, alice, birth_case):
    kind = demo.seed()["rib"]
    url = reverse("backoffice:document_add", args=[alice.pk])
    empty = SimpleUploadedFile("rib.pdf", b"", "application/pdf")
    response = bob_client.post(
        url, {"guichet-type": kind.pk, "guichet-issued_on": "12/05/2020", "guichet-pages": [empty]}
    )
    assert response.status_code == 200 and "vide" in response.content.decode()
    assert not Document.objects.exists()


def test_an_agent_who_instructs_none_of_her_requests_cannot_file_in_her_vault(carol_client, alice, birth_case):
    kind = demo.seed()["rib"]
    pages = [SimpleUploadedFile("rib.pdf", pdf_bytes(), "application/pdf")]
    data = {"guichet-type": kind.pk, "guichet-issued_on": "12/05/2020", "guichet-pages": pages}
    assert carol_client.post(reverse("backoffice:document_add", args=[alice.pk]), data).status_code == 404
    assert not Document.objects.exists()


def test_the_case_page_previews_its_files_inline_and_links_them_for_download(bob_client, alice, birth_case):
    checked = file_check(SimpleUploadedFile("acte.pdf", pdf_bytes(), "application/pdf"), types=["pdf"], max_size=10**7)
    stored = vault_services.stored_file_create(owner=alice, checked=checked)
    birth_case.files.add(stored)
    url = stored.get_absolute_url()
    page = bob_client.get(reverse("backoffice:case", args=[birth_case.reference])).content.decode()
    assert f'src="{url}?apercu=1"' in page and f'<a href="{url}">acte.pdf</a>' in page
    assert bob_client.get(f"{url}?apercu=1")["Content-Disposition"].startswith("inline;")
    assert bob_client.get(url)["Content-Disposition"].startswith("attachment;")


def test_alice_chooses_on_her_request_which_documents_its_department_sees(bob_client, alice, birth_case, eve):
    document = _document(alice)
    alice_client = Client()
    alice_client.force_login(alice)
    share_url = reverse("teleservices:case_documents", args=[birth_case.reference])
    page = alice_client.get(reverse("teleservices:case", args=[birth_case.reference])).content.decode()
    assert share_url in page and "Justificatif de domicile" in page
    assert alice_client.post(share_url, {"documents": [document.pk]}).status_code == 302
    assert bob_client.get(document.files.get().get_absolute_url()).status_code == 200
    alice_client.post(share_url, {})
    assert bob_client.get(document.files.get().get_absolute_url()).status_code == 404
    someone_else = Client()
    someone_else.force_login(eve)
    assert someone_else.post(share_url, {"documents": [document.pk]}).status_code == 404
    assert not birth_case.shared_documents.exists()


def test_a_citizen_cannot_share_a_document_of_someone_else(alice, birth_case, eve):
    document = _document(eve)
    alice_client = Client()
    alice_client.force_login(alice)
    alice_client.post(reverse("teleservices:case_documents", args=[birth_case.reference]), {"documents": [document.pk]})
    assert not birth_case.shared_documents.exists()

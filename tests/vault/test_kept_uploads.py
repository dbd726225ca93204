"""A file chosen in the vault's form is kept when another answer is wrong: stored at once, named in the session,
said "Fichier conservé", replaced by files chosen again, let go by a fresh form, deleted a day after if never used."""

import datetime
import html

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gru.sizes import file_size
from tests.conftest import sign_in
from tests.teleservices.conftest import pdf_bytes
from vault import demo, services, uploads
from vault.files import file_check
from vault.models import Document, DocumentType, StoredFile

ADD = reverse("vault:document_add")
SIZE = file_size(len(pdf_bytes()))
FULL = "Il ne reste pas assez de place dans votre espace de stockage"


@pytest.fixture
def types(db):
    return demo.seed()


def _pdf(name):
    return SimpleUploadedFile(name, pdf_bytes(), "application/pdf")


def _past():
    return (timezone.localdate() - datetime.timedelta(days=5)).strftime("%d/%m/%Y")


def test_pages_are_kept_when_the_date_is_wrong_and_filed_when_it_is_right(alice_client, alice, types):
    data = {"type": types["rib"].pk, "issued_on": "32/13/2026", "pages": [_pdf("rib-1.pdf"), _pdf("rib-2.pdf")]}
    response = alice_client.post(ADD, data)
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert f"Fichiers conservés : rib-1.pdf ({SIZE}), rib-2.pdf ({SIZE})." in page
    assert 'value="32/13/2026"' in page
    assert list(StoredFile.objects.unfiled().values_list("name", flat=True).order_by("pk")) == [
        "rib-1.pdf",
        "rib-2.pdf",
    ]
    response = alice_client.post(ADD, {"type": types["rib"].pk, "issued_on": _past()})
    assert response.status_code == 302
    document = Document.objects.get(owner=alice)
    assert sorted(document.files.values_list("name", flat=True)) == ["rib-1.pdf", "rib-2.pdf"]
    assert not StoredFile.objects.unfiled().exists()
    assert "conservé" not in html.unescape(alice_client.get(ADD).content.decode())


def test_files_chosen_again_replace_those_kept(alice_client, alice, types):
    alice_client.post(ADD, {"type": types["rib"].pk, "issued_on": "", "pages": [_pdf("ancien.pdf")]})
    response = alice_client.post(ADD, {"type": types["rib"].pk, "issued_on": "", "pages": [_pdf("nouveau.pdf")]})
    page = html.unescape(response.content.decode())
    assert f"Fichier conservé : nouveau.pdf ({SIZE})." in page and "ancien.pdf" not in page
    assert list(StoredFile.objects.values_list("name", flat=True)) == ["nouveau.pdf"]  # the one replaced is deleted
    alice_client.post(ADD, {"type": types["rib"].pk, "issued_on": _past()})
    assert list(Document.objects.get().files.values_list("name", flat=True)) == ["nouveau.pdf"]


def test_a_fresh_form_lets_the_kept_files_go(alice_client, types):
    alice_client.post(ADD, {"type": types["rib"].pk, "issued_on": "", "pages": [_pdf("rib.pdf")]})
    assert StoredFile.objects.count() == 1
    page = html.unescape(alice_client.get(ADD).content.decode())
    assert "conservé" not in page
    assert not StoredFile.objects.exists()
    response = alice_client.post(ADD, {"type": types["rib"].pk, "issued_on": _past()})
    assert "Ce champ est obligatoire." in response.content.decode()


def test_the_files_kept_are_the_sessions_owners_only(alice_client, eve, types):
    alice_client.post(ADD, {"type": types["rib"].pk, "issued_on": "", "pages": [_pdf("rib.pdf")]})
    eve_client = Client()
    sign_in(eve_client, eve)
    session = eve_client.session
    session[uploads.SESSION_KEY] = {"vault:document": [str(StoredFile.objects.get().public_id)]}
    session.save()
    response = eve_client.post(ADD, {"type": types["rib"].pk, "issued_on": _past()})
    assert response.status_code == 200 and "Ce champ est obligatoire." in response.content.decode()
    assert not Document.objects.exists()


def test_files_that_do_not_fit_in_the_storage_are_not_kept_and_said_so_once(alice_client, types, settings):
    settings.HOUSEHOLD_STORAGE_QUOTA = len(pdf_bytes()) - 1
    response = alice_client.post(ADD, {"type": types["rib"].pk, "issued_on": "", "pages": [_pdf("rib.pdf")]})
    page = html.unescape(response.content.decode())
    assert page.count(FULL) == 2  # the error summary and the field
    assert "conservé" not in page and not StoredFile.objects.exists()


def test_kept_files_never_used_are_deleted_a_day_after(alice, types):
    checked = file_check(_pdf("oublie.pdf"), types=["pdf"], max_size=10_000_000)
    now = timezone.now()
    with time_machine.travel(now - datetime.timedelta(hours=25)):
        (forgotten,) = services.uploads_hold(owner=alice, checked=[checked])
        (filed,) = services.uploads_hold(owner=alice, checked=[checked])
        services.document_add(owner=alice, type=types["rib"], issued_on=timezone.localdate(), files=[filed])
    (recent,) = services.uploads_hold(owner=alice, checked=[checked])
    assert services.stored_files_held_purge(now=now) == 1
    assert set(StoredFile.objects.all()) == {filed, recent}


def test_the_vault_form_refuses_a_file_too_large_before_it_is_sent(alice_client, types):
    """gru.js reads data-max-size: the largest any type accepts until one is chosen, then the chosen type's."""
    DocumentType.objects.filter(pk=types["rib"].pk).update(max_size_mb=4)
    largest = DocumentType.objects.aggregate(mb=Max("max_size_mb"))["mb"]
    page = alice_client.get(ADD).content.decode()
    assert f'data-max-size="{largest * 1024 * 1024}"' in page
    response = alice_client.post(ADD, {"type": types["rib"].pk, "issued_on": ""})
    page = html.unescape(response.content.decode())
    assert f'data-max-size="{4 * 1024 * 1024}"' in page
    assert "Ce fichier dépasse 4\xa0Mo, la taille maximale acceptée" in page

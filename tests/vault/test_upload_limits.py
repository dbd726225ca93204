"""What one request may carry: large files arrive in temporary files, a request too large or with too many files is
refused in French, and a household's files stay within its storage quota."""

import datetime
import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from tests.factories import UserFactory
from tests.teleservices.conftest import pdf_bytes
from vault import demo
from vault.files import file_check
from vault.models import Document, StoredFile
from vault.services import stored_file_create

DOCUMENTS = reverse("vault:documents")
ADD = reverse("vault:document_add")


@pytest.fixture
def types(db):
    return demo.seed()


def _issued() -> str:
    return (timezone.localdate() - datetime.timedelta(days=5)).strftime("%d/%m/%Y")


def _pdf(name="page.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), "application/pdf")


def _noisy_png(name="scan.png") -> SimpleUploadedFile:
    """A PNG of some 1.5 MB (noise does not compress)."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (720, 720), os.urandom(720 * 720 * 3)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/png")


def _store(owner, size):
    """A file of `size` bytes already in `owner`'s storage."""
    checked = file_check(_pdf(), types=["pdf"], max_size=10**6)
    stored = stored_file_create(owner=owner, checked=checked)
    StoredFile.objects.filter(pk=stored.pk).update(size=size)
    return stored


def test_a_file_above_the_memory_threshold_arrives_in_a_temporary_file_and_is_stored(
    alice_client, alice, types, settings, tmp_path
):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    scan = _noisy_png()
    assert scan.size > 1024 * 1024
    data = {"type": types["justificatif-domicile"].pk, "issued_on": _issued(), "pages": [scan]}
    received = RequestFactory().post(ADD, data).FILES["pages"]  # read by the project's upload handlers
    assert isinstance(received, TemporaryUploadedFile)
    assert received.temporary_file_path().startswith(str(tmp_path))
    scan.seek(0)
    assert alice_client.post(ADD, data).status_code == 302
    assert Document.objects.get(owner=alice).files.get().name == "scan.png"


def test_a_request_larger_than_the_limit_is_refused_with_a_french_413_and_nothing_stored(alice_client, types, settings):
    settings.UPLOAD_MAX_REQUEST_SIZE = 100_000
    padded = SimpleUploadedFile("page.pdf", b"%PDF-" + b"0" * 150_000, "application/pdf")
    response = alice_client.post(ADD, {"type": types["rib"].pk, "issued_on": _issued(), "pages": [padded]})
    page = response.content.decode()
    assert response.status_code == 413
    assert "Envoi trop volumineux" in page and "Votre envoi dépasse 97,7\xa0Ko au total" in page
    assert not StoredFile.objects.exists()


def test_a_request_with_more_files_than_allowed_gets_a_french_page_and_nothing_is_stored(alice_client, types, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    pages = [_pdf(f"page-{n}.pdf") for n in range(4)]
    response = alice_client.post(ADD, {"type": types["rib"].pk, "issued_on": _issued(), "pages": pages})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Vous avez envoyé plus de 3 fichiers à la fois" in page and "Requête refusée" in page
    assert not StoredFile.objects.exists()


def test_more_pages_than_a_field_takes_are_refused_in_french_and_the_answers_kept(alice_client, types):
    pages = [_pdf(f"page-{n}.pdf") for n in range(11)]
    response = alice_client.post(ADD, {"type": types["rib"].pk, "issued_on": "02/11/2025", "pages": pages})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Envoyez au plus 10 fichiers à la fois." in page and 'value="02/11/2025"' in page
    assert not StoredFile.objects.exists()


def test_an_upload_past_the_household_quota_is_refused_in_french_and_the_answers_kept(
    alice_client, alice, types, settings
):
    _store(alice, 900)
    settings.HOUSEHOLD_STORAGE_QUOTA = 900 + len(pdf_bytes()) * 2 - 1
    response = alice_client.post(
        ADD, {"type": types["rib"].pk, "issued_on": "02/11/2025", "pages": [_pdf("a.pdf"), _pdf("b.pdf")]}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Il ne reste pas assez de place dans votre espace de stockage" in page
    assert "Supprimez de « Mes documents » ceux dont vous n’avez plus besoin" in page
    assert 'value="02/11/2025"' in page
    assert not Document.objects.exists() and StoredFile.objects.count() == 1
    settings.HOUSEHOLD_STORAGE_QUOTA += 1  # exactly full is allowed
    response = alice_client.post(
        ADD, {"type": types["rib"].pk, "issued_on": "02/11/2025", "pages": [_pdf("a.pdf"), _pdf("b.pdf")]}
    )
    assert response.status_code == 302 and Document.objects.filter(owner=alice).exists()


def test_the_files_of_a_household_member_count_toward_the_same_quota_and_an_outsiders_do_not(
    alice_client, alice, eve, types, settings
):
    julien = alice.household_member.household.members.get(first_name="Julien")
    julien.user = UserFactory(email="julien@example.org", first_name="Julien", last_name="Martin")
    julien.save(update_fields=["user"])
    _store(eve, 5_000)
    settings.HOUSEHOLD_STORAGE_QUOTA = 5_000
    upload = {"type": types["rib"].pk, "issued_on": _issued(), "pages": [_pdf()]}
    assert alice_client.post(ADD, upload).status_code == 302  # eve's files are not of alice's household
    _store(julien.user, 5_000 - len(pdf_bytes()))
    upload["pages"] = [_pdf()]
    response = alice_client.post(ADD, upload)
    assert response.status_code == 200
    assert "Il ne reste pas assez de place" in response.content.decode()
    assert Document.objects.filter(owner=alice).count() == 1


def test_the_vault_page_shows_the_space_the_household_uses(alice_client, alice, types, settings):
    settings.HOUSEHOLD_STORAGE_QUOTA = 500 * 1024 * 1024
    _store(alice, 3 * 1024 * 1024)
    page = alice_client.get(DOCUMENTS).content.decode()
    assert "Espace de stockage : 3\xa0Mo utilisés sur 500\xa0Mo, fichiers de votre foyer compris." in page

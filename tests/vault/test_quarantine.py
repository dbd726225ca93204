"""Uploads stay in quarantine until the real clamd finds them clean; an infected file's content is deleted."""

import datetime
import html
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from tests.clamd import PDF_SIGNATURE, infected_pdf
from tests.teleservices.conftest import pdf_bytes
from vault import demo
from vault.antivirus import AntivirusUnavailable
from vault.files import file_check
from vault.models import Document, StoredFile
from vault.services import stored_file_create, stored_file_scan, stored_files_pending


def _upload(client, content: bytes, capture) -> Document:
    kind = demo.seed()["avis-imposition"]
    page = SimpleUploadedFile("avis.pdf", content, "application/pdf")
    with capture(execute=True):
        response = client.post(
            reverse("vault:document_add"), {"type": kind.pk, "issued_on": "02/11/2025", "pages": [page]}
        )
    assert response.status_code == 302
    return Document.objects.get()


def test_a_clean_upload_is_released_after_its_scan(alice_client, clamav_on, django_capture_on_commit_callbacks):
    document = _upload(alice_client, pdf_bytes(), django_capture_on_commit_callbacks)
    stored = document.files.get()
    assert stored.scan == StoredFile.Scan.CLEAN
    assert alice_client.get(stored.get_absolute_url()).status_code == 200


def test_an_infected_upload_is_deleted_and_the_citizen_told(
    alice_client, clamav_on, django_capture_on_commit_callbacks
):
    document = _upload(alice_client, infected_pdf(), django_capture_on_commit_callbacks)
    stored = document.files.get()
    assert stored.scan == StoredFile.Scan.INFECTED and stored.virus == PDF_SIGNATURE
    assert not stored.file
    response = alice_client.get(stored.get_absolute_url())
    assert response.status_code == 410
    assert "trouvé un virus" in response.content.decode()
    page = alice_client.get(reverse("vault:documents")).content.decode()
    assert "supprimé par l'antivirus" in html.unescape(page)


def test_a_file_waiting_for_its_scan_is_not_served(alice_client, alice, settings):
    settings.CLAMAV_ENABLED = True
    upload = SimpleUploadedFile("avis.pdf", pdf_bytes(), "application/pdf")
    stored = stored_file_create(owner=alice, checked=file_check(upload, types=["pdf"], max_size=10_000_000))
    assert stored.scan == StoredFile.Scan.PENDING
    response = alice_client.get(stored.get_absolute_url())
    assert response.status_code == 409
    assert "L'antivirus vérifie ce fichier" in html.unescape(response.content.decode())


def test_when_clamd_does_not_answer_the_file_stays_in_quarantine_and_is_queued_again(alice, settings, tmp_path):
    settings.CLAMAV_ENABLED, settings.CLAMAV_SOCKET = True, str(tmp_path / "nobody-listens.sock")
    upload = SimpleUploadedFile("avis.pdf", pdf_bytes(), "application/pdf")
    stored = stored_file_create(owner=alice, checked=file_check(upload, types=["pdf"], max_size=10_000_000))
    with pytest.raises(AntivirusUnavailable):
        stored_file_scan(stored_id=stored.pk)
    stored.refresh_from_db()
    assert stored.scan == StoredFile.Scan.PENDING
    assert stored_files_pending(now=timezone.now()) == []  # its own retries come first
    assert stored_files_pending(now=timezone.now() + datetime.timedelta(minutes=6)) == [stored.pk]


def test_with_the_antivirus_disabled_files_are_served_and_the_start_says_so(alice, caplog):
    from django.apps import apps

    upload = SimpleUploadedFile("avis.pdf", pdf_bytes(), "application/pdf")
    stored = stored_file_create(owner=alice, checked=file_check(upload, types=["pdf"], max_size=10_000_000))
    assert stored.scan == StoredFile.Scan.NOT_SCANNED and stored.is_available
    with caplog.at_level("WARNING", logger="vault"):
        apps.get_app_config("vault").ready()
    assert "antivirus is disabled" in caplog.text


def test_files_stored_while_the_antivirus_was_off_are_scanned_once_it_is_on(
    alice, settings, clamd, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("avis.pdf", pdf_bytes(), "application/pdf")
    clean = stored_file_create(owner=alice, checked=file_check(upload, types=["pdf"], max_size=10_000_000))
    infected = SimpleUploadedFile("avis.pdf", infected_pdf(), "application/pdf")
    virus = stored_file_create(owner=alice, checked=file_check(infected, types=["pdf"], max_size=10_000_000))
    assert {clean.scan, virus.scan} == {StoredFile.Scan.NOT_SCANNED}
    with pytest.raises(CommandError, match="CLAMAV_ENABLED"):
        call_command("files_scan")
    settings.CLAMAV_ENABLED, settings.CLAMAV_SOCKET = True, clamd.socket
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("files_scan", stdout=out)
    assert "2 file(s)" in out.getvalue()
    clean.refresh_from_db()
    virus.refresh_from_db()
    assert (clean.scan, virus.scan, virus.virus) == (StoredFile.Scan.CLEAN, StoredFile.Scan.INFECTED, PDF_SIGNATURE)
    assert not virus.file

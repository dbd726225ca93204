"""Stored files are downloaded (`Content-Disposition: attachment`); shown inline only when a preview is asked
(`?apercu=1`) of a type browsers show without running it (PNG, JPEG, PDF); never sniffed."""

import pytest

from tests.teleservices.conftest import pdf_bytes, png_bytes
from vault.files import CheckedFile
from vault.services import stored_file_create


def _stored(owner, name: str, content: bytes, mime: str):
    return stored_file_create(owner=owner, checked=CheckedFile(content=content, mime=mime, name=name))


@pytest.fixture
def pdf(alice):
    return _stored(alice, "avis.pdf", pdf_bytes(), "application/pdf")


def test_a_file_is_downloaded_by_default(alice_client, pdf):
    response = alice_client.get(pdf.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="avis.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("name", "content", "mime"), [("avis.pdf", pdf_bytes(), "application/pdf"), ("scan.png", png_bytes(), "image/png")]
)
def test_a_preview_asked_of_a_pdf_or_an_image_is_shown_inline_in_our_own_pages_only(
    alice_client, alice, name, content, mime
):
    stored = _stored(alice, name, content, mime)
    response = alice_client.get(stored.get_absolute_url(), {"apercu": "1"})
    assert response["Content-Disposition"] == f'inline; filename="{name}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'self'"


def test_a_file_of_another_type_is_downloaded_even_when_a_preview_is_asked(alice_client, alice):
    page = _stored(alice, "page.html", b"<html><script>alert(1)</script></html>", "text/html")
    response = alice_client.get(page.get_absolute_url(), {"apercu": "1"})
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response.get("X-Frame-Options") != "SAMEORIGIN"


def test_only_apercu_1_asks_for_a_preview(alice_client, pdf):
    response = alice_client.get(pdf.get_absolute_url(), {"apercu": "0"})
    assert response["Content-Disposition"].startswith("attachment;")

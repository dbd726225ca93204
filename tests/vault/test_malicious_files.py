"""The malicious corpus: every file below is refused with a French message, and nothing is stored."""

import html
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.teleservices.conftest import pdf_bytes, png_bytes
from vault import demo
from vault.models import Document, StoredFile


def _zip(name: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, content)
    return buffer.getvalue()


def _png_bomb() -> bytes:
    """A few kilobytes of PNG that would unpack into a 100-megapixel image."""
    buffer = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(buffer, "PNG")
    return buffer.getvalue()


MAX = 10 * 1024 * 1024
CORPUS = {
    "empty": ("vide.pdf", b"", "vide"),
    "one byte over the limit": ("gros.pdf", pdf_bytes() + b"\x00" * (MAX + 1 - len(pdf_bytes())), "trop volumineux"),
    "wrong extension": ("photo.pdf", png_bytes(), "pas d'un type accepté"),
    "PNG followed by HTML": ("image.png", png_bytes() + b"<html><script>alert(1)</script></html>", "endommagé"),
    "archive": ("archive.pdf", _zip("page.pdf", pdf_bytes()), "pas d'un type accepté"),
    "zip bomb": ("bombe.zip", _zip("zeros.bin", b"\x00" * 20_000_000), "pas d'un type accepté"),
    "executable": ("programme.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 200, "pas d'un type accepté"),
    "image bomb": ("scan.png", _png_bomb(), "endommagé"),
    "truncated PDF": ("coupe.pdf", pdf_bytes()[:60], "endommagé"),
}


@pytest.mark.parametrize("case", CORPUS)
def test_a_malicious_or_broken_file_is_refused_and_nothing_is_stored(client, alice, case):
    name, content, message = CORPUS[case]
    client.force_login(alice)
    kind = demo.seed()["rib"]
    upload = SimpleUploadedFile(name, content, "application/octet-stream")
    response = client.post(
        reverse("vault:document_add"), {"type": kind.pk, "issued_on": "02/11/2025", "pages": [upload]}
    )
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    assert not Document.objects.exists() and not StoredFile.objects.exists()

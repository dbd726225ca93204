"""The malicious corpus: every file below is refused with a French message, and nothing is stored. Archives, test
viruses and polyglots are refused by their content, before any antivirus scan."""

import hashlib
import html
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.clamd import EICAR
from tests.teleservices.conftest import pdf_bytes, png_bytes
from tests.vault.pdfs import ACTIVE, active_pdf, zip_bytes
from vault import antivirus, demo
from vault.models import Document, StoredFile


def _png_bomb() -> bytes:
    """A few kilobytes of PNG that would unpack into a 100-megapixel image."""
    buffer = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(buffer, "PNG")
    return buffer.getvalue()


MAX = 10 * 1024 * 1024
WRONG_TYPE, DAMAGED, ACTIVE_CONTENT = "pas d'un type accepté", "endommagé", "contient du contenu actif"
CORPUS = {
    "empty": ("vide.pdf", b"", "vide"),
    "one byte over the limit": ("gros.pdf", pdf_bytes() + b"\x00" * (MAX + 1 - len(pdf_bytes())), "trop volumineux"),
    "wrong extension": ("photo.pdf", png_bytes(), WRONG_TYPE),
    "PNG followed by HTML": ("image.png", png_bytes() + b"<html><script>alert(1)</script></html>", DAMAGED),
    "archive": ("archive.pdf", zip_bytes("page.pdf", pdf_bytes()), WRONG_TYPE),
    "zip bomb": ("bombe.zip", zip_bytes("zeros.bin", b"\x00" * 20_000_000), WRONG_TYPE),
    "executable": ("programme.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 200, WRONG_TYPE),
    "image bomb": ("scan.png", _png_bomb(), DAMAGED),
    "truncated PDF": ("coupe.pdf", pdf_bytes()[:60], DAMAGED),
    "EICAR named as a PDF": ("releve.pdf", EICAR, WRONG_TYPE),
    "EICAR as text": ("eicar.txt", EICAR, WRONG_TYPE),
    "EICAR in a zip": ("justificatif.zip", zip_bytes("eicar.com", EICAR), WRONG_TYPE),
    "EICAR in a zip renamed .pdf": ("justificatif.pdf", zip_bytes("eicar.com", EICAR), WRONG_TYPE),
    "PDF followed by HTML": ("facture.pdf", pdf_bytes() + b"\n<html><script>alert(1)</script></html>", DAMAGED),
    "PDF followed by a zip": ("facture.pdf", pdf_bytes() + zip_bytes("eicar.com", EICAR), DAMAGED),
    "PDF followed by HTML and an end of its own": ("facture.pdf", pdf_bytes() + b"\n<html></html>\n%%EOF\n", DAMAGED),
    "PDF without its end": ("facture.pdf", pdf_bytes().replace(b"%%EOF", b""), DAMAGED),
    **{f"PDF with {case}": ("facture.pdf", active_pdf(case), ACTIVE_CONTENT) for case in ACTIVE},
}


@pytest.fixture
def scanned(settings, monkeypatch):
    """The antivirus on: what it would be asked to scan."""
    settings.CLAMAV_ENABLED = True
    calls: list[bytes] = []
    monkeypatch.setattr(antivirus, "scan", lambda content: calls.append(content))
    return calls


@pytest.mark.parametrize("case", CORPUS)
def test_a_malicious_or_broken_file_is_refused_and_nothing_is_stored(
    client, alice, case, scanned, tmp_path, django_capture_on_commit_callbacks
):
    name, content, message = CORPUS[case]
    client.force_login(alice)
    kind = demo.seed()["rib"]
    upload = SimpleUploadedFile(name, content, "application/octet-stream")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("vault:document_add"), {"type": kind.pk, "issued_on": "02/11/2025", "pages": [upload]}
        )
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    assert not Document.objects.exists() and not StoredFile.objects.exists()
    assert not [path for path in tmp_path.joinpath("private").rglob("*") if path.is_file()]
    assert scanned == []  # refused by its content, before any scan


def test_the_corpus_holds_the_standard_eicar_test_file():
    assert len(EICAR) == 68
    assert hashlib.sha256(EICAR).hexdigest() == "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"

"""Files are encrypted at rest: a copy of the storage reveals nothing, and keys can be rotated."""

import base64
import os
import subprocess
import sys

import pytest
from cryptography.exceptions import InvalidTag
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from tests.teleservices.conftest import pdf_bytes
from vault.files import file_check
from vault.models import StoredFile
from vault.services import stored_file_create

PDF = pdf_bytes()


def _raw(stored: StoredFile) -> bytes:
    with stored.file.open("rb") as handle:
        return handle.read()


def _store(owner, content: bytes = b"") -> StoredFile:
    upload = SimpleUploadedFile("avis-imposition.pdf", content or PDF, "application/pdf")
    return stored_file_create(owner=owner, checked=file_check(upload, types=["pdf"], max_size=10_000_000))


def _key() -> bytes:
    return os.urandom(32)


def test_the_stored_bytes_reveal_nothing_and_decrypt_to_the_upload(alice):
    content = pdf_bytes()
    stored = _store(alice, content)
    raw = _raw(stored)
    assert b"%PDF" not in raw
    assert len(raw) == len(content) + 12 + 16  # nonce and tag
    assert stored.read() == content
    assert stored.key_id == "dev"


def test_the_same_file_stored_twice_gives_two_different_ciphertexts(alice):
    assert _raw(_store(alice)) != _raw(_store(alice))


def test_a_blob_copied_onto_another_file_does_not_decrypt(alice):
    first, second = _store(alice), _store(alice)
    second.file.save("copy", ContentFile(_raw(first)), save=True)
    with pytest.raises(InvalidTag):
        second.read()


def test_a_served_file_is_decrypted_and_never_sniffed(alice_client, alice):
    content = pdf_bytes()
    stored = _store(alice, content)
    response = alice_client.get(stored.get_absolute_url())
    assert b"".join(response.streaming_content) == content
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")


def test_keys_are_rotated_by_reencrypting_the_older_files(alice, settings):
    old, new = _key(), _key()
    settings.FILE_ENCRYPTION_KEYS = {"2025": old}
    stored = _store(alice)
    old_name = stored.file.name
    settings.FILE_ENCRYPTION_KEYS = {"2026": new, "2025": old}
    assert stored.read() == PDF  # the old key still reads it
    call_command("files_reencrypt")
    stored.refresh_from_db()
    assert stored.key_id == "2026" and not stored.file.storage.exists(old_name)
    settings.FILE_ENCRYPTION_KEYS = {"2026": new}
    assert stored.read() == PDF


def test_the_keys_are_read_from_the_environment():
    key = _key()
    encoded = base64.urlsafe_b64encode(key).decode()
    env = {**os.environ, "FILE_ENCRYPTION_KEYS": f"k2:{encoded},k1:{encoded}"}
    script = (
        "from django.conf import settings; import django; django.setup(); print(list(settings.FILE_ENCRYPTION_KEYS))"
    )
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['k2', 'k1']"


def test_files_stored_before_encryption_are_still_read(alice):
    stored = _store(alice)
    stored.file.save("plain", ContentFile(PDF), save=False)
    stored.key_id = ""
    stored.save()
    assert stored.read() == PDF

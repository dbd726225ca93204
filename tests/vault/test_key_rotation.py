"""`manage.py files_reencrypt` moves every stored file to the newest key, a chunk at a time: the old keys can then go,
and a second run, or a run after an interrupted one, rewrites only what is left."""

import os
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.teleservices.conftest import pdf_bytes
from vault import crypto
from vault.files import file_check
from vault.models import StoredFile
from vault.services import stored_file_create

PDF = pdf_bytes()
OLD, NEW = os.urandom(32), os.urandom(32)


@pytest.fixture
def old_key(settings):
    settings.FILE_ENCRYPTION_KEYS = {"2025": OLD}


def _store(owner) -> StoredFile:
    upload = SimpleUploadedFile("avis-imposition.pdf", PDF, "application/pdf")
    return stored_file_create(owner=owner, checked=file_check(upload, types=["pdf"], max_size=10_000_000))


def _store_large(owner) -> tuple[StoredFile, bytes]:
    """A file of several chunks (crypto.CHUNK_BYTES) under the current key, and its content."""
    stored, content = _store(owner), os.urandom(crypto.CHUNK_BYTES * 3 + 12345)
    blob = crypto.encrypt(content, key_id=stored.key_id, bound_to=stored.public_id.bytes)
    stored.file.save(stored.name, ContentFile(blob), save=True)
    return stored, content


def _reencrypt() -> str:
    out = StringIO()
    call_command("files_reencrypt", stdout=out)
    return out.getvalue()


def _blob(stored: StoredFile) -> tuple[str, bytes]:
    stored.refresh_from_db()
    with stored.file.open("rb") as handle:
        return stored.file.name, handle.read()


def test_files_of_an_old_key_still_open_once_it_is_removed(alice, old_key, settings):
    small, (large, content) = _store(alice), _store_large(alice)
    old_names = [small.file.name, large.file.name]
    settings.FILE_ENCRYPTION_KEYS = {"2026": NEW, "2025": OLD}
    assert "2 file(s) re-encrypted with key “2026”, 0 already with it, 0 unreadable." in _reencrypt()
    settings.FILE_ENCRYPTION_KEYS = {"2026": NEW}
    small.refresh_from_db()
    large.refresh_from_db()
    assert (small.key_id, large.key_id) == ("2026", "2026")
    assert small.read() == PDF and large.read() == content
    assert not any(small.file.storage.exists(name) for name in old_names)


def test_a_second_run_changes_nothing(alice, old_key, settings):
    stored = _store(alice)
    settings.FILE_ENCRYPTION_KEYS = {"2026": NEW, "2025": OLD}
    _reencrypt()
    rotated = _blob(stored)
    assert "0 file(s) re-encrypted with key “2026”, 1 already with it, 0 unreadable." in _reencrypt()
    assert _blob(stored) == rotated


def test_a_run_after_an_interrupted_one_rewrites_the_files_left_and_plain_ones(alice, old_key, settings):
    left, plain = _store(alice), _store(alice)
    plain.file.save(plain.name, ContentFile(PDF), save=False)  # stored before files were encrypted
    plain.key_id = ""
    plain.save()
    settings.FILE_ENCRYPTION_KEYS = {"2026": NEW, "2025": OLD}
    done = _store(alice)  # what the interrupted run had rewritten, or a new upload
    assert "2 file(s) re-encrypted with key “2026”, 1 already with it, 0 unreadable." in _reencrypt()
    settings.FILE_ENCRYPTION_KEYS = {"2026": NEW}
    for stored in (left, plain, done):
        stored.refresh_from_db()
        assert stored.key_id == "2026" and stored.read() == PDF


def test_an_altered_file_is_reported_and_left_as_it_is_while_the_others_are_rewritten(alice, old_key, settings):
    altered, sound = _store(alice), _store(alice)
    _, blob = _blob(altered)
    altered.file.save(altered.name, ContentFile(blob[:-1] + bytes([blob[-1] ^ 1])), save=True)
    settings.FILE_ENCRYPTION_KEYS = {"2026": NEW, "2025": OLD}
    err = StringIO()
    with pytest.raises(CommandError, match="do not decrypt"):
        call_command("files_reencrypt", stdout=StringIO(), stderr=err)
    assert f"Stored file {altered.pk} does not decrypt" in err.getvalue()
    altered.refresh_from_db()
    sound.refresh_from_db()
    assert altered.key_id == "2025" and altered.file.storage.exists(altered.file.name)
    assert sound.key_id == "2026"

"""After a new key was put first in FILE_ENCRYPTION_KEYS: rewrite the older files with it, then the older keys can go.

Each file is rewritten in a transaction of its own, its row locked: a run stopped halfway, or two runs at once, leave
every file readable, under its old key or the new one, and a run started again goes on with the files left. The
content goes through a temporary file a chunk at a time, never whole in memory."""

import tempfile
from collections import Counter
from typing import Any

from cryptography.exceptions import InvalidTag
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import QuerySet

from vault import crypto
from vault.models import StoredFile, private_storage


class Command(BaseCommand):
    help = "Re-encrypt the stored files with the current key (the first of FILE_ENCRYPTION_KEYS)."

    def handle(self, *args: Any, **options: Any) -> None:
        key_id = crypto.current_key_id()
        counts = Counter({"already": StoredFile.objects.filter(key_id=key_id).count()})
        for stored_id in list(_older(key_id).values_list("pk", flat=True)):
            outcome = _reencrypt(stored_id, key_id)
            counts[outcome] += 1
            if outcome == "unreadable":
                self.stderr.write(f"Stored file {stored_id} does not decrypt: left as it is.")
        self.stdout.write(
            f"{counts['reencrypted']} file(s) re-encrypted with key “{key_id}”, {counts['already']} already with it, "
            f"{counts['unreadable']} unreadable."
        )
        if counts["unreadable"]:
            raise CommandError("Some files do not decrypt (altered, or copied from another file): see above.")


def _older(key_id: str) -> QuerySet[StoredFile]:
    """The files to rewrite: under another key or none (infected ones have no content left)."""
    return StoredFile.objects.exclude(key_id=key_id).exclude(scan=StoredFile.Scan.INFECTED)


def _reencrypt(stored_id: int, key_id: str) -> str:
    """Rewrite one file beside its old blob, deleted once the row points to the new one: "reencrypted", "unreadable",
    or "skipped" when another run did it meanwhile."""
    outcome, old_name = _rewrite(stored_id, key_id)
    if outcome == "reencrypted":
        private_storage().delete(old_name)
    return outcome


@transaction.atomic
def _rewrite(stored_id: int, key_id: str) -> tuple[str, str]:
    """The outcome, and the name of the blob the row pointed to."""
    stored = _older(key_id).select_for_update().filter(pk=stored_id).first()
    if stored is None:
        return "skipped", ""
    old_name = stored.file.name
    with tempfile.TemporaryFile() as blob, stored.file.storage.open(old_name, "rb") as source:
        try:
            crypto.reencrypt(source, blob, key_id=stored.key_id, new_key_id=key_id, bound_to=stored.public_id.bytes)
        except InvalidTag:
            return "unreadable", old_name
        blob.seek(0)
        stored.file.save(stored.name, File(blob), save=False)
    stored.key_id = key_id
    stored.save(update_fields=["file", "key_id"])
    return "reencrypted", old_name

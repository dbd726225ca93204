from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction

from portal.models import User
from vault.files import CheckedFile
from vault.models import StoredFile


@transaction.atomic
def stored_file_create(*, owner: User | None, checked: CheckedFile) -> StoredFile:
    """Keep a checked upload (vault.files.file_check) in private storage."""
    stored = StoredFile(
        owner=owner,
        name=checked.name,
        content_type=checked.mime,
        size=len(checked.content),
        sha256=hashlib.sha256(checked.content).hexdigest(),
    )
    stored.file.save(checked.name, ContentFile(checked.content), save=False)
    stored.save()
    return stored

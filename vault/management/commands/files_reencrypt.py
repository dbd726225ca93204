"""After a new key was put first in FILE_ENCRYPTION_KEYS: rewrite the older files with it."""

from typing import Any

from django.core.management.base import BaseCommand

from vault.services import stored_files_reencrypt


class Command(BaseCommand):
    help = "Re-encrypt the stored files with the current key (the first of FILE_ENCRYPTION_KEYS)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = stored_files_reencrypt()
        self.stdout.write(f"{count} file(s) re-encrypted.")

"""After the antivirus was enabled: scan the files stored while it was off (they wait in quarantine meanwhile)."""

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from vault.services import stored_files_quarantine_unscanned


class Command(BaseCommand):
    help = "Scan the files stored while the antivirus was disabled (CLAMAV_ENABLED must now be true)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            ids = stored_files_quarantine_unscanned()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{len(ids)} file(s) put in quarantine, their scans queued.")

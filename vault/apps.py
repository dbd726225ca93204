import logging

from django.apps import AppConfig
from django.conf import settings

logger = logging.getLogger("vault")


class VaultConfig(AppConfig):
    name = "vault"

    def ready(self) -> None:
        from gru.notifications import events_register
        from portal.services import household_leave_handler_register
        from vault.health import readiness_checks_register
        from vault.notifications import EVENTS
        from vault.services import documents_follow_leaver

        household_leave_handler_register(documents_follow_leaver)
        events_register(EVENTS)
        readiness_checks_register()
        self._menu_register()
        if not settings.CLAMAV_ENABLED:
            logger.warning(
                "The antivirus is disabled (CLAMAV_ENABLED=false): uploaded files are not scanned "
                "(once it is enabled, `manage.py files_scan` scans them)."
            )

    @staticmethod
    def _menu_register() -> None:
        """The citizen's vault in the citizens' menu."""
        from django.utils.translation import gettext_lazy as _

        from gru.navigation import CITIZEN, Audience, Entry, entries_register

        entries_register(CITIZEN, Entry(_("My documents"), "vault:documents", 50, audience=Audience.SIGNED_IN))

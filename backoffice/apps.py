from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "backoffice"

    def ready(self) -> None:
        self._vault_register()
        self._menu_register()

    @staticmethod
    def _vault_register() -> None:
        """Tell the vault which page its counter's form is on (the citizen's 360° page)."""
        from backoffice.views.citizens import citizen_page
        from vault import counter

        counter.counter_page_register(citizen_page)

    @staticmethod
    def _menu_register() -> None:
        """The board, the counter's intake, the dashboard and the letters to post in the back office's menu."""
        from django.utils.translation import gettext_lazy as _

        from gru.navigation import AGENT, Entry, entries_register

        entries_register(
            AGENT,
            Entry(_("Home"), "backoffice:home", 10),
            Entry(_("New request"), "backoffice:intake", 20),
            Entry(_("Dashboard"), "backoffice:dashboard", 40),
            Entry(_("Letters to post"), "backoffice:letters_print", 50),
        )

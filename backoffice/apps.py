from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "backoffice"

    def ready(self) -> None:
        """Tell the vault which requests an agent reads (their departments', shared with them) and instructs, and
        which page its counter's form is on (the citizen's 360° page)."""
        from backoffice import access
        from backoffice.views.citizens import citizen_page
        from vault import access as vault_access
        from vault import counter

        vault_access.cases_register(vault_access.READ, access.cases_visible_to)
        vault_access.cases_register(vault_access.INSTRUCTED, access.cases_instructed_by)
        counter.counter_page_register(citizen_page)

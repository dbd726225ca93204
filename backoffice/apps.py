from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "backoffice"

    def ready(self) -> None:
        """Tell the vault which requests an agent reads (their departments', shared with them) and instructs."""
        from backoffice import access
        from vault import access as vault_access

        vault_access.cases_register(vault_access.READ, access.cases_visible_to)
        vault_access.cases_register(vault_access.INSTRUCTED, access.cases_instructed_by)

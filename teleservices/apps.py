from django.apps import AppConfig


class TeleservicesConfig(AppConfig):
    name = "teleservices"

    def ready(self) -> None:
        from allauth.account.signals import email_confirmed, user_signed_up

        from teleservices import receivers

        email_confirmed.connect(receivers.link_on_email_confirmed, dispatch_uid="teleservices_link_on_confirmed")
        user_signed_up.connect(receivers.link_on_signed_up, dispatch_uid="teleservices_link_on_signed_up")

        self._vault_rules_register()

    @staticmethod
    def _vault_rules_register() -> None:
        """Tell the vault which requests a user reaches: as a citizen, and as the agent filling a draft in for one."""
        from teleservices.models import Case
        from vault import access

        access.cases_register(access.APPLIED, Case.objects.visible_to_citizen)
        access.cases_register(access.READ, Case.objects.filed_by_agent)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Citizens")

    def ready(self) -> None:
        from allauth.mfa.signals import authenticator_added

        from gru.notifications import events_register
        from portal.notifications import EVENTS
        from portal.second_factor import second_factor_added

        authenticator_added.connect(second_factor_added, dispatch_uid="portal.second_factor_added")
        events_register(EVENTS)
        self._menus_register()

    @staticmethod
    def _menus_register() -> None:
        """The citizen's space, household, profile and account in the citizens' menu; the second factor of the
        agents' accounts (portal/second_factor.py, allauth's pages) in the back office's."""
        from gru.navigation import AGENT, CITIZEN, Audience, Entry, entries_register

        signed_in, anonymous = Audience.SIGNED_IN, Audience.ANONYMOUS
        entries_register(
            CITIZEN,
            Entry(_("My space"), "portal:space", 40, audience=signed_in),
            Entry(_("My household"), "portal:household", 60, audience=signed_in),
            Entry(_("My profile"), "portal:profile", 70, audience=signed_in),
            Entry(_("Sign in"), "account_login", 80, audience=anonymous, current=()),
            Entry(_("Create an account"), "account_signup", 90, audience=anonymous, current=()),
        )
        entries_register(AGENT, Entry(_("Security"), "mfa_index", 70, current=()))

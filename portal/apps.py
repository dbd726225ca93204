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

from django.apps import AppConfig


class TeleservicesConfig(AppConfig):
    name = "teleservices"

    def ready(self) -> None:
        from allauth.account.signals import email_confirmed, user_signed_up

        from teleservices import receivers

        email_confirmed.connect(receivers.link_on_email_confirmed, dispatch_uid="teleservices_link_on_confirmed")
        user_signed_up.connect(receivers.link_on_signed_up, dispatch_uid="teleservices_link_on_signed_up")

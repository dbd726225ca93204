from django.apps import AppConfig


class TeleservicesConfig(AppConfig):
    name = "teleservices"

"""System checks of our own, run by `manage.py check --deploy`."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

DEVELOPMENT_KEY_PREFIX = "dev-only-"


@register(Tags.security, deploy=True)
def check_secret_key_is_not_the_development_one(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if settings.SECRET_KEY.startswith(DEVELOPMENT_KEY_PREFIX):
        return [Error("SECRET_KEY is the development default: set a long random SECRET_KEY.", id="gru.E001")]
    return []


@register(Tags.security, deploy=True)
def check_sms_provider_is_configured(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Text messages enabled with the HTTP provider need its HTTPS address and key, or every one of them fails."""
    if not (settings.SMS_ENABLED and settings.SMS_BACKEND == "gru.sms.HttpBackend"):
        return []
    if not settings.SMS_API_URL.startswith("https://") or not settings.SMS_API_KEY:
        return [Error("SMS_ENABLED needs SMS_API_URL (https://…) and SMS_API_KEY.", id="gru.E002")]
    return []

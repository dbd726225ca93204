"""System checks of our own, run by `manage.py check --deploy`."""

import hashlib
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

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


def _key_derived_from_secret_key() -> dict[str, bytes]:
    """What FILE_ENCRYPTION_KEYS falls back on when it is not set (gru/settings.py)."""
    return {"dev": hashlib.sha256(f"file-encryption:{settings.SECRET_KEY}".encode()).digest()}


@register(Tags.security, deploy=True)
def check_file_encryption_keys_are_set(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Files encrypted with a key derived from SECRET_KEY would all become unreadable the day SECRET_KEY changes (as
    it must after a leak). A warning, not an error: a portal already running has files under that key, which a
    hurried new key alone would lose; the hint says how to move them."""
    if settings.DEBUG or settings.FILE_ENCRYPTION_KEYS != _key_derived_from_secret_key():
        return []
    return [
        Warning(
            "FILE_ENCRYPTION_KEYS is not set: citizens' files are encrypted with a key derived from SECRET_KEY, so "
            "changing SECRET_KEY would make every stored file unreadable.",
            hint="Set FILE_ENCRYPTION_KEYS to a new key (see .env.example). Files already stored: give the current "
            "key second, as dev:<urlsafe base64 of sha256('file-encryption:' + SECRET_KEY)>, run "
            "`manage.py files_reencrypt`, then drop it.",
            id="gru.W001",
        )
    ]


@register(Tags.security, deploy=True)
def check_letters_signing_certificate_is_set(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Decisions and attestations are signed (PAdES) with LETTER_SIGNING_P12; without it they still go out."""
    if settings.LETTER_SIGNING_P12:
        return []
    return [
        Warning(
            "LETTER_SIGNING_P12 is empty: decisions and attestations would be sent unsigned.",
            hint="Set LETTER_SIGNING_P12 to the PKCS#12 file of the collectivité's signing certificate, and "
            "LETTER_SIGNING_PASSWORD.",
            id="gru.W002",
        )
    ]

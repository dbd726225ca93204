"""System checks of our own, run by `manage.py check` (with --deploy, the deploy ones too), runserver, and the start of
the web and worker processes (refuse_unsafe_start)."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register, run_checks
from django.core.exceptions import ImproperlyConfigured

# Keys anyone can read, long enough to pass for random: the placeholder of .env.example, and the prefixes of our
# development default (gru/settings.py) and of the keys `django-admin startproject` writes.
EXAMPLE_SECRET_KEYS = {"replace-with-the-output-of-the-command-above-this-placeholder-is-refused"}
INSECURE_SECRET_KEY_PREFIXES = ("dev-only-", "django-insecure-")
SECRET_KEY_MIN_LENGTH = 50


@register(Tags.security)
def check_secret_key_is_strong(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """With DEBUG off, SECRET_KEY signs sessions, CSRF and password-reset tokens: a missing, short or published one lets
    anyone forge them. Not only with --deploy: the web and worker processes refuse to start (refuse_unsafe_start)."""
    if settings.DEBUG or not _secret_key_is_weak(_secret_key()):
        return []
    return [
        Error(
            f"SECRET_KEY is missing, shorter than {SECRET_KEY_MIN_LENGTH} characters or a published example.",
            hint='Set SECRET_KEY to `python -c "import secrets; print(secrets.token_urlsafe(64))"` (.env.example).',
            id="gru.E001",
        )
    ]


def _secret_key() -> str:
    """SECRET_KEY, or "" when it is empty (Django refuses to give an empty one)."""
    try:
        return str(settings.SECRET_KEY)
    except ImproperlyConfigured:
        return ""


def _secret_key_is_weak(key: str) -> bool:
    return (
        len(key) < SECRET_KEY_MIN_LENGTH or key in EXAMPLE_SECRET_KEYS or key.startswith(INSECURE_SECRET_KEY_PREFIXES)
    )


@register(Tags.security, deploy=True)
def check_sms_provider_is_configured(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Text messages enabled with the HTTP provider need its HTTPS address and key, or every one of them fails."""
    if not (settings.SMS_ENABLED and settings.SMS_BACKEND == "gru.sms.HttpBackend"):
        return []
    if not settings.SMS_API_URL.startswith("https://") or not settings.SMS_API_KEY:
        return [Error("SMS_ENABLED needs SMS_API_URL (https://…) and SMS_API_KEY.", id="gru.E002")]
    return []


@register(Tags.security)
def check_file_encryption_keys_are_set(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Without FILE_ENCRYPTION_KEYS, citizens' files would be encrypted with the published development key
    (gru/settings.py): a copy of the storage or of a backup would reveal them."""
    if settings.DEBUG or settings.FILE_ENCRYPTION_DEVELOPMENT_KEY not in settings.FILE_ENCRYPTION_KEYS.values():
        return []
    return [
        Error(
            "FILE_ENCRYPTION_KEYS is not set, or holds the published development key.",
            hint="Set FILE_ENCRYPTION_KEYS to id:key pairs, newest first (.env.example). Files stored while the key "
            "derived from SECRET_KEY: give it second, as dev:<urlsafe base64 of sha256('file-encryption:' + "
            "SECRET_KEY)>, run `manage.py files_reencrypt`, then drop it.",
            id="gru.E003",
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


@register(Tags.security, deploy=True)
def check_geocoder_is_reached_over_https(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """The addresses citizens type are sent to GEOCODER_URL: over plain HTTP, anyone on the way reads them (a
    self-hosted addok on the internal network may be meant)."""
    if not settings.GEOCODER_URL or settings.GEOCODER_URL.startswith("https://"):
        return []
    return [
        Warning(
            "GEOCODER_URL is not an https:// address: the addresses citizens type would travel unencrypted.",
            hint="Use https://, or leave it as it is for an addok reached on a private network only.",
            id="gru.W003",
        )
    ]


def refuse_unsafe_start() -> None:
    """Raise ImproperlyConfigured, naming each error, when a security check fails: gunicorn (gru/wsgi.py) and the
    Celery worker (gru/celery.py) call it as they start, as runserver and `manage.py check` already do."""
    errors = [message for message in run_checks(tags=[Tags.security]) if message.is_serious()]
    if errors:
        raise ImproperlyConfigured("Unsafe settings:\n" + "\n".join(str(error) for error in errors))

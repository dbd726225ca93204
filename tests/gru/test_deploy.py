"""`manage.py check --deploy` with production values, run in a fresh process so the settings are read anew."""

import base64
import os
import secrets
import subprocess
import sys

from django.conf import settings

from gru.checks import check_letters_signing_certificate_is_set

PRODUCTION = {
    "DEBUG": "false",
    "SECURE": "true",
    "ALLOWED_HOSTS": "gru.example.org",
    "SITE_URL": "https://gru.example.org",
    "STATICFILES_MANIFEST": "false",
    "FILE_ENCRYPTION_KEYS": f"2026:{base64.urlsafe_b64encode(os.urandom(32)).decode()}",
    "LETTER_SIGNING_P12": "/etc/gru/signature.p12",
}


# Test-only variables (pyproject's pytest env) that production never has.
TEST_ONLY = {"DJANGO_ALLOW_ASYNC_UNSAFE", "EMAIL_BACKEND", "CELERY_TASK_ALWAYS_EAGER", "SECRET_KEY", *PRODUCTION}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key not in TEST_ONLY} | env
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_values():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=secrets.token_urlsafe(64), **PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_check_deploy_fails_when_the_secret_key_was_left_to_its_development_default():
    result = _manage("check", "--deploy", **PRODUCTION)
    assert result.returncode != 0
    assert "gru.E001" in result.stderr


def test_check_deploy_warns_when_letters_would_go_unsigned():
    """A warning: the portal may still start (missing keys are errors, tests/gru/test_secret_key_checks.py)."""
    result = _manage(
        "check", "--deploy", SECRET_KEY=secrets.token_urlsafe(64), **PRODUCTION | {"LETTER_SIGNING_P12": ""}
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "gru.W002" in result.stderr and "decisions and attestations would be sent unsigned" in result.stderr


def test_a_signing_certificate_silences_the_unsigned_letters_warning(settings):
    settings.LETTER_SIGNING_P12 = ""
    assert [warning.id for warning in check_letters_signing_certificate_is_set(None)] == ["gru.W002"]
    settings.LETTER_SIGNING_P12 = "/etc/gru/signature.p12"
    assert check_letters_signing_certificate_is_set(None) == []


def test_production_cookies_are_secure_and_http_only():
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SECURE_HSTS_SECONDS)"
    )
    result = _manage("shell", "--no-imports", "-c", code, SECRET_KEY=secrets.token_urlsafe(64), **PRODUCTION)
    assert result.stdout.split() == ["True", "True", "True", "31536000"]


def test_makemigrations_checks_the_models_without_asking_for_production_keys():
    result = _manage("makemigrations", "--check", "--dry-run", DEBUG="false")
    assert result.returncode == 0, result.stderr + result.stdout
    assert "No changes detected" in result.stdout

"""`manage.py check --deploy` with production values, run in a fresh process so the settings are read anew."""

import os
import secrets
import subprocess
import sys

from django.conf import settings

PRODUCTION = {
    "DEBUG": "false",
    "SECURE": "true",
    "ALLOWED_HOSTS": "gru.example.org",
    "SITE_URL": "https://gru.example.org",
    "STATICFILES_MANIFEST": "false",
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


def test_production_cookies_are_secure_and_http_only():
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SECURE_HSTS_SECONDS)"
    )
    result = _manage("shell", "--no-imports", "-c", code, SECRET_KEY=secrets.token_urlsafe(64), **PRODUCTION)
    assert result.stdout.split() == ["True", "True", "True", "31536000"]

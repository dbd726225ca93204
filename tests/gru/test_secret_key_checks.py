"""With DEBUG off, a published or weak SECRET_KEY and missing file keys are errors of `manage.py check`, and neither
gunicorn nor a Celery worker starts with them."""

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.checks import Tags, run_checks
from django.core.management.utils import get_random_secret_key

from tests.web_processes import database_url, portal_environment, web_process

ROOT = Path(django_settings.BASE_DIR)


def _file_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def _example_secret_key() -> str:
    """The SECRET_KEY line of .env.example, as an operator copying it would leave it."""
    line = next(line for line in (ROOT / ".env.example").read_text().splitlines() if line.startswith("SECRET_KEY="))
    return line.removeprefix("SECRET_KEY=")


def _security_errors() -> set[str | None]:
    """The ids of the security checks' errors, as runserver, `manage.py check` and the processes' start see them."""
    return {message.id for message in run_checks(tags=[Tags.security]) if message.is_serious()}


def _environment(**values: str) -> dict[str, str]:
    """A production process's environment: the test's, without its keys and with the checks on, with DEBUG off and
    these values."""
    kept_out = {"SECRET_KEY", "FILE_ENCRYPTION_KEYS", "CELERY_SKIP_CHECKS"}
    environment = {key: value for key, value in os.environ.items() if key not in kept_out}
    return environment | {"DEBUG": "false", **values}


def _run(*command: str, **values: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        command, cwd=ROOT, env=_environment(**values), capture_output=True, text=True, timeout=180, check=False
    )


@pytest.mark.parametrize(
    "key",
    [
        "",
        secrets.token_urlsafe(24),  # random, but 32 characters
        _example_secret_key(),
        "dev-only-" + secrets.token_urlsafe(48),  # our development default's kind
        "django-insecure-" + get_random_secret_key(),  # what `django-admin startproject` writes
    ],
    ids=["empty", "short", "env-example", "development-default", "django-insecure"],
)
def test_a_weak_or_published_secret_key_is_an_error_without_debug(settings, key):
    settings.DEBUG, settings.SECRET_KEY = False, key
    assert "gru.E001" in _security_errors()
    settings.DEBUG = True
    assert "gru.E001" not in _security_errors()


def test_the_development_file_key_is_an_error_without_debug(settings):
    settings.DEBUG = False
    settings.FILE_ENCRYPTION_KEYS = {"2026": os.urandom(32), "dev": settings.FILE_ENCRYPTION_DEVELOPMENT_KEY}
    assert "gru.E003" in _security_errors()
    settings.FILE_ENCRYPTION_KEYS = {"2026": os.urandom(32)}
    assert "gru.E003" not in _security_errors()
    settings.DEBUG, settings.FILE_ENCRYPTION_KEYS = True, {"dev": settings.FILE_ENCRYPTION_DEVELOPMENT_KEY}
    assert "gru.E003" not in _security_errors()


def test_manage_check_fails_without_secret_key_nor_file_keys_and_passes_with_random_ones():
    refused = _run(sys.executable, "manage.py", "check")
    assert refused.returncode != 0
    assert "gru.E001" in refused.stderr and "gru.E003" in refused.stderr
    keys = {"SECRET_KEY": secrets.token_urlsafe(64), "FILE_ENCRYPTION_KEYS": f"2026:{_file_key()}"}
    passed = _run(sys.executable, "manage.py", "check", **keys)
    assert passed.returncode == 0, passed.stderr


def test_the_file_key_without_file_encryption_keys_does_not_derive_from_secret_key():
    script = "import django; django.setup(); from django.conf import settings; print(settings.FILE_ENCRYPTION_KEYS)"
    first, second = (
        _run(sys.executable, "-c", script, DEBUG="true", SECRET_KEY=secrets.token_urlsafe(64)) for _ in range(2)
    )
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout


@pytest.mark.django_db  # the test database exists: /healthz reaches it
def test_gunicorn_refuses_the_example_secret_key_and_serves_with_random_keys(tmp_path):
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    example = {"SECRET_KEY": _example_secret_key(), "FILE_ENCRYPTION_KEYS": ""}
    refused = _run(gunicorn, "gru.wsgi", "--bind", "127.0.0.1:0", **example)
    assert refused.returncode != 0
    assert "Unsafe settings" in refused.stderr and "gru.E001" in refused.stderr and "gru.E003" in refused.stderr
    keys = {"SECRET_KEY": secrets.token_urlsafe(64), "FILE_ENCRYPTION_KEYS": f"2026:{_file_key()}"}
    environment = portal_environment(database=database_url(), directory=tmp_path, **keys)
    with web_process(environment=environment, log=tmp_path / "gunicorn.log"):
        pass  # /healthz answered: the worker booted past the checks


@pytest.mark.parametrize("process", [["worker", "--pool=solo"], ["beat", "--schedule={tmp}/beat-schedule"]])
def test_neither_a_celery_worker_nor_beat_starts_with_a_short_secret_key(process, tmp_path):
    celery = str(Path(sys.executable).with_name("celery"))
    result = _run(
        celery,
        "-A",
        "gru",
        *(argument.format(tmp=tmp_path) for argument in process),
        SECRET_KEY=secrets.token_urlsafe(24),
        FILE_ENCRYPTION_KEYS=f"2026:{_file_key()}",
    )
    assert result.returncode != 0
    assert "gru.E001" in result.stderr and "gru.E003" not in result.stderr

"""The portal served by gunicorn in a process of its own, as a web container runs it, on a database and storage
directories the test names: two of them on one database (scale-out), or one on a restored database (backups).

Tests using it are transactional (django_db(transaction=True)), so that the processes see the rows the test wrote."""

import base64
import os
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

from tests.servers import free_port, stop, wait_for

# Seconds for gunicorn to load Django and the whole project (several on a busy machine).
WEB_STARTUP_TIMEOUT = 60


def database_url(name: str | None = None) -> str:
    """The URL of the test's database (pytest-django's, in the settings during the test), or of another on its
    server."""
    database = connection.settings_dict
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    host = f"{database['USER']}{password}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
    return f"postgresql://{host}/{name or database['NAME']}"


# The same for every process: they share sessions and files.
WEB_SECRET_KEY = "tests-web-processes-" + "k" * 60
WEB_FILE_KEYS = "web:" + base64.urlsafe_b64encode(b"w" * 32).decode()


def portal_environment(*, database: str, directory: Path, **extra: str) -> dict[str, str]:
    """The environment of a portal process: the test's, with this database, `directory`/private and
    `directory`/media for the files, the test's cache key space (shared by every process given it), file keys and a
    secret key of their own (the portal refuses to start on the development one with DEBUG=false)."""
    environment = {key: value for key, value in os.environ.items() if key != "PYTEST_XDIST_WORKER"}
    return environment | {
        "SECRET_KEY": WEB_SECRET_KEY,
        "FILE_ENCRYPTION_KEYS": WEB_FILE_KEYS,
        "DATABASE_URL": database,
        "PRIVATE_ROOT": str(directory / "private"),
        "MEDIA_ROOT": str(directory / "media"),
        "CACHE_KEY_PREFIX": settings.CACHES["default"]["KEY_PREFIX"],
        **extra,
    }


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310 (our own loopback URL)
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@contextmanager
def web_process(*, environment: dict[str, str], log: Path) -> Iterator[str]:
    """gunicorn serving the portal on a free loopback port until the block ends; yields its base URL, once /healthz
    answers."""
    port = free_port()
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "gru.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
        "--threads",
        "4",
    ]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=environment, stdout=output, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: process.poll() is not None or _answers(url), timeout=WEB_STARTUP_TIMEOUT, what="gunicorn")
        if process.poll() is not None:
            raise AssertionError(f"gunicorn stopped: {log.read_text(errors='replace')[-3000:]}")
        yield url
    finally:
        stop(process)

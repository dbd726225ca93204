"""bin/audit: the advisory check of `make lint` never claims a clean lock it could not check."""

import subprocess
import sys
from pathlib import Path

from django.conf import settings

REQUIREMENTS = "idna==3.10 --hash=sha256:12f65c9b470abda6dc35cf8e63cc574b1c52b11df2c86030af0ac09b01b13ea9\n"


def _audit(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    requirements = tmp_path / "requirements.txt"
    requirements.write_text(REQUIREMENTS)
    # A proxy that refuses every connection: the advisory service cannot be reached, wherever the tests run.
    unreachable = {"HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""}
    return subprocess.run(
        [sys.executable, "bin/audit", str(requirements)],
        cwd=settings.BASE_DIR,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), **unreachable, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_an_unreachable_advisory_service_is_said_plainly_and_never_reported_as_no_vulnerability(tmp_path):
    result = _audit(tmp_path)
    assert "NOT checked" in result.stdout, result.stdout + result.stderr
    assert "No known vulnerabilit" not in result.stdout
    assert result.returncode == 0  # the lint goes on, having said so


def test_an_unchecked_lock_fails_where_the_audit_is_required(tmp_path):
    result = _audit(tmp_path, AUDIT_REQUIRED="true")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "NOT checked" in result.stdout

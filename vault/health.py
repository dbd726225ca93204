"""The vault's dependencies in /readyz (gru/health.py), registered when the app starts: the antivirus, and the private
storage every stored file (and the agents' exports, through `private_storage`) lives in."""

from __future__ import annotations

import dataclasses
import datetime

from django.conf import settings
from django.utils import timezone
from health_check.base import HealthCheck
from health_check.checks import Storage
from health_check.exceptions import ServiceUnavailable

from gru.health import PROBE_TIMEOUT, Stale, readiness_check_register
from vault import antivirus


def signatures_fresh(
    published: datetime.datetime | None, *, now: datetime.datetime, max_age: datetime.timedelta
) -> bool:
    """Whether signatures of that date are recent enough; without a date, they are not (fail closed). A date in the
    future (clocks apart) counts as fresh."""
    return published is not None and now - published < max_age


@dataclasses.dataclass
class Antivirus(HealthCheck):
    """clamd answers PING, and its signature database is less than `max_age` old (freshclam updates it several times a
    day: two days old, the updates are failing)."""

    max_age: datetime.timedelta = datetime.timedelta(hours=48)
    timeout: datetime.timedelta = dataclasses.field(default=datetime.timedelta(seconds=2 * PROBE_TIMEOUT), repr=False)

    def run(self) -> None:
        if not antivirus.ping(timeout=PROBE_TIMEOUT):
            raise ServiceUnavailable("clamd does not answer PING.")
        try:
            published = antivirus.signatures_date(antivirus.version(timeout=PROBE_TIMEOUT))
        except antivirus.AntivirusUnavailable as error:
            raise ServiceUnavailable("clamd does not answer VERSION.") from error
        if not signatures_fresh(published, now=timezone.now(), max_age=self.max_age):
            raise Stale(f"clamd's signatures are older than {self.max_age}, or undated.")


def _antivirus() -> Antivirus | None:
    if not settings.CLAMAV_ENABLED:
        return None
    return Antivirus(max_age=datetime.timedelta(hours=settings.READYZ_SIGNATURES_MAX_HOURS))


def readiness_checks_register() -> None:
    readiness_check_register("antivirus", _antivirus)
    # Citizens' files: a small file written, read back and deleted.
    readiness_check_register("storage", lambda: Storage(alias="private"))

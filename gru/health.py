"""Readiness (/readyz): can the portal do its work? Every service a request or a background job needs is asked, at
once, through django-health-check's checks: its own for the database, the cache, the broker and a Celery worker, ours
for Celery beat, then those the apps register when they start (`readiness_check_register`: their own services).

/healthz stays the cheap liveness check (the process and its database and Redis answer); /readyz takes longer, up to
READYZ_WORKER_TIMEOUT seconds when no worker answers. `/readyz?check=worker` (the parameter repeated as needed) asks
only the named dependencies: the health check of the worker's container, or beat's (`check=scheduler`), is about it.
The endpoint is public, for a load balancer or a container's health check: it answers one word per dependency from
a fixed list, never an error's text, a host name or a version, which go to the logs (django-health-check logs
each failure).

Beat's heartbeat: HeartbeatScheduler, the scheduler `celery beat` uses (CELERY_BEAT_SCHEDULER), writes the time in the
cache each time the broker takes one of its jobs. The schedule has a job every minute, so a heartbeat older than
READYZ_SCHEDULER_MAX_AGE seconds means beat is down, stuck or cut off from the broker.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from celery.beat import PersistentScheduler, ScheduleEntry
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponseBadRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from health_check.base import HealthCheck, HealthCheckResult
from health_check.checks import Cache, Database
from health_check.contrib.celery import Ping
from health_check.contrib.redis import Redis
from health_check.exceptions import ServiceUnavailable
from kombu.exceptions import OperationalError
from redis.asyncio import Redis as AsyncRedis
from redis.exceptions import RedisError

from gru.celery import app as celery_app

logger = logging.getLogger(__name__)

HEARTBEAT_KEY = "readyz:beat-heartbeat"
# Seconds for the broker and clamd to answer each request of a check: a service that slow is not ready.
PROBE_TIMEOUT = 2
# The words of /readyz, the only ones it ever says about a dependency.
OK, FAILED, STALE, DISABLED = "ok", "failed", "stale", "disabled"

# A function giving an app's check, or None for a dependency this deployment goes without: called at each request, as
# the settings it reads may change.
CheckFactory = Callable[[], HealthCheck | None]
# The apps' checks, by name, in the order they registered them.
_registered: dict[str, CheckFactory] = {}


class Stale(ServiceUnavailable):
    """The service answers, with something too old: beat's last job, the antivirus's signatures."""

    message_type = "Stale"


def beat_heartbeat_record(*, at: float | None = None, keep_existing: bool = False) -> None:
    """Write that beat is doing its work (at `at`, seconds since the epoch; now by default). Never raises: beat goes
    on scheduling with the cache down (the check then fails, reading it)."""
    value = time.time() if at is None else at
    try:
        if keep_existing:
            cache.add(HEARTBEAT_KEY, value, timeout=None)
        else:
            cache.set(HEARTBEAT_KEY, value, timeout=None)
    except (RedisError, OSError):
        logger.warning("Beat's heartbeat was not recorded: the cache does not answer.", exc_info=True)


def beat_heartbeat() -> float | None:
    """When beat last recorded its heartbeat (seconds since the epoch), if ever."""
    return cache.get(HEARTBEAT_KEY)


class HeartbeatScheduler(PersistentScheduler):
    """Celery's default scheduler (the schedule in a file of --schedule), recording beat's heartbeat."""

    def setup_schedule(self) -> None:
        super().setup_schedule()
        # A first heartbeat when there is none (first start, cache emptied): beat has READYZ_SCHEDULER_MAX_AGE to send
        # its first job. Never over an older one, so that a beat restarting in a loop without sending a job goes stale.
        beat_heartbeat_record(keep_existing=True)

    def apply_async(self, entry: ScheduleEntry, producer: Any = None, advance: bool = True, **kwargs: Any) -> Any:
        result = super().apply_async(entry, producer=producer, advance=advance, **kwargs)
        beat_heartbeat_record()  # the broker took the job: super() raises otherwise
        return result


@dataclasses.dataclass
class Scheduler(HealthCheck):
    """Celery beat had a job taken by the broker less than `max_age` ago."""

    max_age: datetime.timedelta = datetime.timedelta(minutes=3)

    def run(self) -> None:
        try:
            heartbeat = beat_heartbeat()
        except (RedisError, OSError) as error:
            raise ServiceUnavailable("The cache holding beat's heartbeat does not answer.") from error
        if heartbeat is None or time.time() - heartbeat > self.max_age.total_seconds():
            raise Stale(f"Beat has had no job taken for more than {self.max_age}.")


@dataclasses.dataclass
class Worker(Ping):
    """django-health-check's ping of the Celery workers, once the broker answers: the ping publishes through the app's
    pool of connections, retrying forever while the broker is down, which would leave a thread behind at each request.
    """

    def run(self) -> None:
        try:
            with self.app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, interval_start=0, timeout=PROBE_TIMEOUT)
        except (OperationalError, OSError) as error:
            raise ServiceUnavailable("The broker does not answer.") from error
        super().run()


def readiness_check_register(name: str, check: CheckFactory) -> None:
    """Add a dependency of an app to /readyz under `name` (a word of its answer and a value of `?check=`), from the
    app's AppConfig.ready()."""
    _registered[name] = check


def _broker_client() -> AsyncRedis:
    """A client of the Celery broker, Redis, with short timeouts: an unreachable broker fails the check at once."""
    return AsyncRedis.from_url(
        celery_app.conf.broker_url, socket_connect_timeout=PROBE_TIMEOUT, socket_timeout=PROBE_TIMEOUT
    )


def readiness_checks() -> dict[str, HealthCheck | None]:
    """The checks, by the name /readyz reports them under; None for a dependency this deployment goes without."""
    return {
        "database": Database(),  # SELECT 1: nothing written
        "cache": Cache(),  # a key of its own, expiring in seconds
        "broker": Redis(client_factory=_broker_client),
        # The first worker to answer is enough (limit), instead of waiting the whole timeout for others.
        "worker": Worker(app=celery_app, timeout=datetime.timedelta(seconds=settings.READYZ_WORKER_TIMEOUT), limit=1),
        "scheduler": Scheduler(max_age=datetime.timedelta(seconds=settings.READYZ_SCHEDULER_MAX_AGE)),
        **{name: check() for name, check in _registered.items()},
    }


def _word(result: HealthCheckResult) -> str:
    if result.error is None:
        return OK
    return STALE if isinstance(result.error, Stale) else FAILED


async def readiness(checks: dict[str, HealthCheck | None]) -> dict[str, str]:
    """Run the checks at once (the slow ones in threads), each within its own time limit: a word for each."""
    required = {name: check for name, check in checks.items() if check is not None}
    executor = ThreadPoolExecutor(max_workers=len(required), thread_name_prefix="readyz")
    try:
        results = await asyncio.gather(*(check.get_result(executor) for check in required.values()))
    finally:
        # A check past its time limit is already reported failed: the answer does not wait for its thread to give up.
        executor.shutdown(wait=False, cancel_futures=True)
    words = dict(zip(required, map(_word, results), strict=True))
    return {name: words.get(name, DISABLED) for name in checks}


@require_GET
@never_cache
async def readyz(request: HttpRequest) -> JsonResponse | HttpResponseBadRequest:
    """200 when every required dependency (or every one named by `check`) is ready, 503 naming those that are not."""
    checks = readiness_checks()
    if names := request.GET.getlist("check"):
        if not set(names) <= set(checks):
            return HttpResponseBadRequest(f"check: one or more of {', '.join(checks)}", content_type="text/plain")
        checks = {name: check for name, check in checks.items() if name in names}
    words = await readiness(checks)
    failed = [name for name, word in words.items() if word not in (OK, DISABLED)]
    return JsonResponse(
        {"status": FAILED if failed else OK, "checks": words, "failed": failed}, status=503 if failed else 200
    )

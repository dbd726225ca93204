"""Metrics for Prometheus, at /metrics: requests and their latency (django-prometheus' middleware), Celery task runs,
antivirus verdicts, and, computed at each scrape, the length of the broker's queues and the outbox's backlog.

Never public: /metrics answers only a request with `Authorization: Bearer <METRICS_TOKEN>`, or one coming straight
(not through a proxy: no X-Forwarded-For) from an address of METRICS_ALLOWED_NETWORKS; anyone else, and everyone when
neither is set, gets a 404. The address checked is the connection's own, never gru.proxies.client_address: what
TRUSTED_PROXIES lets the throttles believe must not open the metrics. It writes nothing to the database (one SELECT
for the outbox).

Counters live in the process that counts them: gunicorn's workers, and the Celery worker's pool processes, where tasks
run and files are scanned. Two ways to gather them, for one machine or several:
- PROMETHEUS_MULTIPROC_DIR (prometheus_client's multiprocess mode): every process writes its counters to files of that
  directory, and /metrics adds them up. A directory shared by gunicorn and the worker gives one /metrics for all;
  it must be emptied before they start (a tmpfs), and be set in the environment before Python starts.
- METRICS_WORKER_PORT: the Celery worker serves its own counters on that port (METRICS_WORKER_ADDRESS), guarded as
  /metrics; with the prefork pool, its children count, so PROMETHEUS_MULTIPROC_DIR is needed in its container too.
"""

from __future__ import annotations

import functools
import hmac
import ipaddress
import logging
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import redis
from celery import bootsteps
from celery.signals import task_failure, task_retry, task_success
from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu.transport.redis import PRIORITY_STEPS
from kombu.transport.redis import Channel as RedisChannel
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, generate_latest, make_wsgi_app
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector

logger = logging.getLogger(__name__)

VERDICTS = ("clean", "infected", "error")
FORWARDING_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")
REDIS_TIMEOUT = 1  # seconds: a scrape does not wait for a broker that does not answer

TASKS = Counter(
    "gru_celery_tasks",
    "Celery task runs by task and outcome: succeeded, failed, retried (a run that ended asking for a retry).",
    ["task", "outcome"],
)
ANTIVIRUS_VERDICTS = Counter(
    "gru_antivirus_verdicts",
    "Antivirus scans by verdict: clean, infected, error (clamd gave no clear answer: the file stays in quarantine).",
    ["verdict"],
)
for _verdict in VERDICTS:
    ANTIVIRUS_VERDICTS.labels(_verdict)  # at 0 from the start, so that a rate over them exists


def antivirus_verdict(verdict: str) -> None:
    ANTIVIRUS_VERDICTS.labels(verdict).inc()


# Connected in every process: tasks run in the worker, and in the process that queues them in eager mode (the tests).
@task_success.connect
def _task_succeeded(sender: Any = None, **kwargs: Any) -> None:
    TASKS.labels(sender.name, "succeeded").inc()


@task_failure.connect
def _task_failed(sender: Any = None, **kwargs: Any) -> None:
    TASKS.labels(sender.name, "failed").inc()


@task_retry.connect
def _task_retried(sender: Any = None, **kwargs: Any) -> None:
    TASKS.labels(sender.name, "retried").inc()


class _Counted:
    """The counters of this process, or of all the processes writing to PROMETHEUS_MULTIPROC_DIR."""

    def collect(self) -> Iterable[Metric]:
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            registry = CollectorRegistry()
            MultiProcessCollector(registry)
            return registry.collect()
        return REGISTRY.collect()


class _QueueLengths:
    """gru_celery_queue_length: the tasks waiting in each queue of the Redis broker (LLEN), at scrape time."""

    def collect(self) -> Iterator[Metric]:
        from gru.celery import app

        url = app.conf.broker_url or ""
        if not url.startswith(("redis://", "rediss://", "unix://")):
            return
        queues = sorted(app.amqp.queues) or [app.conf.task_default_queue]
        try:
            lengths = queue_lengths(_redis(url), queues)
        except redis.RedisError as error:
            logger.warning("Queue lengths not measured, the broker does not answer: %s", error)
            return
        gauge = GaugeMetricFamily("gru_celery_queue_length", "Tasks waiting in the broker, by queue.", labels=["queue"])
        for queue, length in lengths.items():
            gauge.add_metric([queue], length)
        yield gauge


@functools.lru_cache(maxsize=4)
def _redis(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT)


def queue_lengths(client: redis.Redis, queues: list[str]) -> dict[str, int]:
    """Each queue's length, its priority lists included (kombu keeps a list per priority step: `celery\\x06\\x163`…)."""
    keys = {
        queue: [queue] + [f"{queue}{RedisChannel.sep}{step}" for step in PRIORITY_STEPS if step] for queue in queues
    }
    pipeline = client.pipeline(transaction=False)
    for queue_keys in keys.values():
        for key in queue_keys:
            pipeline.llen(key)
    lengths = iter(pipeline.execute())
    return {queue: sum(next(lengths) for _key in queue_keys) for queue, queue_keys in keys.items()}


class _Outbox:
    """gru_notifications_pending: the outbox's rows waiting to be sent, by channel (one query, at scrape time)."""

    def collect(self) -> Iterator[Metric]:
        from gru.models import Notification

        try:
            counts = dict(Notification.objects.pending().values_list("channel").annotate(Count("pk")).order_by())
        except DatabaseError as error:
            logger.warning("The outbox's backlog not measured, the database does not answer: %s", error)
            return
        gauge = GaugeMetricFamily(
            "gru_notifications_pending", "Notifications waiting to be sent, by channel.", labels=["channel"]
        )
        for channel in Notification.Channel.values:
            gauge.add_metric([channel], counts.get(channel, 0))
        yield gauge


def _registry(*collectors: Any) -> CollectorRegistry:
    registry = CollectorRegistry()
    for collector in collectors:
        registry.register(collector)
    return registry


def allowed(meta: Mapping[str, str]) -> bool:
    """Whether a request (its WSGI environ, or request.META) may read the metrics: it carries the token, or comes
    straight from an allowed network. A request relayed by a proxy is never trusted for its address: the proxy's
    address would let everyone in."""
    token = settings.METRICS_TOKEN
    given = meta.get("HTTP_AUTHORIZATION", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    if any(header in meta for header in FORWARDING_HEADERS):
        return False
    try:
        address = ipaddress.ip_address(meta.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:  # gunicorn bound to [::]
        address = address.ipv4_mapped
    return any(address in ipaddress.ip_network(str(network)) for network in settings.METRICS_ALLOWED_NETWORKS)


@require_GET
@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    if not allowed(request.META):
        raise Http404
    registry = _registry(_Counted(), _QueueLengths(), _Outbox())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args: Any) -> None:
        """Scrapes are not logged (one every few seconds)."""


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


def _guarded(app: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
    def guarded(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if not allowed(environ):
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"Not Found"]
        return app(environ, start_response)

    return guarded


class WorkerMetricsStep(bootsteps.StartStopStep):
    """With METRICS_WORKER_PORT, the Celery worker serves its counters (tasks, antivirus verdicts) on that port."""

    def __init__(self, parent: Any, **kwargs: Any) -> None:
        super().__init__(parent, **kwargs)
        self.server: WSGIServer | None = None

    def start(self, parent: Any) -> None:
        port = settings.METRICS_WORKER_PORT
        if not port:
            return
        pool = getattr(parent, "pool_cls", None)
        if "prefork" in getattr(pool, "__module__", "") and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            logger.error(
                "METRICS_WORKER_PORT without PROMETHEUS_MULTIPROC_DIR: the prefork pool's processes, which run the "
                "tasks, count in their own memory, and the worker's metrics miss their counts."
            )
        app = _guarded(make_wsgi_app(_registry(_Counted())))
        self.server = make_server(
            settings.METRICS_WORKER_ADDRESS, port, app, server_class=_ThreadingServer, handler_class=_QuietHandler
        )
        threading.Thread(target=self.server.serve_forever, name="metrics", daemon=True).start()

    def stop(self, parent: Any) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    terminate = stop

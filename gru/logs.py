"""Logs and error reports for operators, without citizens' personal data.

Every line, Django's, Celery's and ours (`logging.getLogger(__name__)` as well as structlog's), goes through one
formatter (structlog's ProcessorFormatter): JSON lines with LOG_FORMAT=json, for a log collector, readable text
otherwise. A request's lines carry its `request_id` (gru.middleware.RequestIdMiddleware, then django-structlog's
middleware, which adds the `user_id`), and so do the lines of the tasks it queued: django-structlog puts the request's
context in the task's headers when it is published, and WorkerLogsStep binds it again in the worker.

No personal data: email addresses (and phone numbers in international form) are masked in every message and value,
tracebacks included, a model instance is logged as its label and id (never its `str()`, often a name), the IP address
is not logged (DJANGO_STRUCTLOG_IP_LOGGING_ENABLED=False: the reverse proxy's access log has it, beside the same
X-Request-ID), and the logged request is its path without the query string (a search may hold a name). Names and file
names cannot be recognised in free text: our log calls give ids instead, and must keep doing so.

Errors go to Sentry (or a compatible service) when SENTRY_DSN is set, scrubbed the same way (sentry_init).
"""

from __future__ import annotations

import logging
import re
from collections.abc import MutableMapping
from typing import TYPE_CHECKING, Any

import structlog
from celery import bootsteps, signals

if TYPE_CHECKING:
    from sentry_sdk._types import DataCollectionUserOptions, Event

# Bounded repetitions: a long string without an address is scanned in linear time.
EMAIL = re.compile(
    r"([\w.!#$%&'*+/=?^`{|}~-])[\w.!#$%&'*+/=?^`{|}~-]{0,63}(?:@|%40)([\w-]{1,63}(?:\.[\w-]{1,63}){1,8})"
)
PHONE = re.compile(r"(?<![\w+])\+\d{8,15}\b")  # E.164, as the outbox stores numbers for text messages
FORMATS = ("text", "json")


def mask(text: str) -> str:
    """`text` with its email addresses masked (alice@example.org: a***@example.org, the domain kept for the
    diagnosis of deliveries) and its international phone numbers replaced."""
    if "@" in text or "%40" in text:
        text = EMAIL.sub(r"\1***@\2", text)
    if "+" in text:
        text = PHONE.sub("[phone]", text)
    return text


def masked(value: Any) -> Any:
    """`value` with every string in it masked, dictionaries and lists walked; other values left as they are."""
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, dict):
        return {key: masked(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [masked(item) for item in value]
    return value


def _loggable(value: Any) -> Any:
    """A value as a log line may show it: a model instance as its label and id, other objects as strings."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dict):
        return {key: _loggable(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_loggable(item) for item in value]
    meta = getattr(value, "_meta", None)
    if meta is not None and hasattr(value, "pk"):
        return f"{meta.label}:{value.pk}"
    return str(value)


def hide_personal_data(logger: Any, method: str, event_dict: MutableMapping[str, Any]) -> dict[str, Any]:
    """structlog processor, last before rendering (tracebacks are strings by then)."""
    return {key: masked(_loggable(value)) for key, value in event_dict.items()}


# What every line gets, whether it comes from structlog or from a stdlib logger.
_SHARED: list[Any] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_logger_name,
    structlog.stdlib.add_log_level,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def formatter(output: str = "text") -> structlog.stdlib.ProcessorFormatter:
    """The formatter of LOGGING's handlers; `output` is LOG_FORMAT."""
    if output not in FORMATS:
        raise ValueError(f"LOG_FORMAT={output!r}: one of {', '.join(FORMATS)}")
    renderer: Any = (
        structlog.processors.JSONRenderer(ensure_ascii=False)
        if output == "json"
        else structlog.dev.ConsoleRenderer(colors=False, exception_formatter=structlog.dev.plain_traceback)
    )
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_SHARED,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            # Tracebacks as plain text (never with their frames' local variables), then masked like the rest.
            structlog.processors.format_exc_info,
            hide_personal_data,
            renderer,
        ],
    )


def configure_structlog() -> None:
    """structlog's loggers (django-structlog's) hand their events to the stdlib's, so that LOGGING's handlers and
    `formatter()` render them as the rest."""
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_SHARED,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


class WorkerLogsStep(bootsteps.StartStopStep):
    """The worker's half of django-structlog: a task's lines carry the context of the request that queued it (found in
    its headers), and its start, success, retry and failure are logged.

    Rather than django_structlog.celery.steps.DjangoStructLogInitStep, which never disconnects its receivers: a worker
    started in a test would leave them on, clearing the context of the eager tasks of the tests after it. Publishing
    (the headers) is connected in every process by django-structlog's app (DJANGO_STRUCTLOG_CELERY_ENABLED)."""

    def __init__(self, parent: Any, **kwargs: Any) -> None:
        super().__init__(parent, **kwargs)
        from django_structlog.celery.receivers import CeleryReceiver  # once Django is set up (it reads settings)

        receiver = CeleryReceiver()
        self.connections = [
            (signals.task_prerun, receiver.receiver_task_prerun),
            (signals.task_retry, receiver.receiver_task_retry),
            (signals.task_success, receiver.receiver_task_success),
            (signals.task_failure, receiver.receiver_task_failure),
            (signals.task_revoked, receiver.receiver_task_revoked),
            (signals.task_unknown, receiver.receiver_task_unknown),
            (signals.task_rejected, receiver.receiver_task_rejected),
        ]

    def start(self, parent: Any) -> None:
        for signal, receiver in self.connections:
            signal.connect(receiver, weak=False)

    def stop(self, parent: Any) -> None:
        for signal, receiver in self.connections:
            signal.disconnect(receiver)

    terminate = stop


# What Sentry's integrations may collect (sentry-sdk 3's `data_collection`, which replaced send_default_pii=False):
# no user (id, email, IP), no cookie, no body, no query string, no SQL parameters, no task arguments, no local
# variables of the frames (a citizen's record is one); headers only by name but a few harmless ones (X-Forwarded-For
# has the IP, Referer a query string).
SENTRY_DATA_COLLECTION: DataCollectionUserOptions = {
    "user_info": False,
    "cookies": {"mode": "off"},
    "http_headers": {
        "request": {"mode": "allowlist", "terms": ["accept", "content-type", "content-length", "host", "user-agent"]}
    },
    "http_bodies": [],
    "url_query_params": {"mode": "off"},
    "database_query_data": False,
    "queues": False,
    "stack_frame_variables": False,
}


def sentry_init(*, dsn: str, environment: str = "", traces_sample_rate: float = 0.0) -> bool:
    """Report errors (of requests, tasks, and ERROR log lines) to Sentry when `dsn` is set; returns whether it is on.
    Without personal data (SENTRY_DATA_COLLECTION), and email addresses masked everywhere (sentry_scrub)."""
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.logging import LoggingIntegration

    # ERROR lines are events (an export or a letter that failed is logged, not raised), earlier lines their
    # breadcrumbs; not Sentry's "logs", which would send every line again, unscrubbed: they go to the log collector.
    logging_integration = LoggingIntegration(level=None, event_level=logging.ERROR, breadcrumb_level=logging.INFO)
    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        integrations=[DjangoIntegration(), CeleryIntegration(), logging_integration],
        data_collection=SENTRY_DATA_COLLECTION,
        traces_sample_rate=traces_sample_rate or None,  # None: no tracing at all
        before_send=sentry_scrub,
    )
    return True


def sentry_scrub(event: Event, hint: dict[str, Any]) -> Event:
    """Sentry's before_send: what the SDK leaves of the request without its query string, and email addresses masked
    everywhere in the event (messages, exceptions, breadcrumbs of earlier log lines)."""
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("query_string", "data", "cookies"):
            request.pop(key, None)
    return masked(event)

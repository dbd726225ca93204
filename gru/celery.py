import os
from typing import Any

from celery import Celery
from celery.signals import beat_init, setup_logging, worker_init
from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gru.settings")

app = Celery("gru")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The worker's side of observability: its task lines carry the request id of the request that queued them, and it
# serves its metrics on METRICS_WORKER_PORT when set (by name: imported once Django is set up, after its settings).
app.steps["worker"].update({"gru.logs:WorkerLogsStep", "gru.metrics:WorkerMetricsStep"})


@setup_logging.connect
def _leave_logging_to_django(**kwargs: Any) -> None:
    """The worker and beat keep the logging Django set up from LOGGING (gru.logs' format, LOG_LEVEL; celery's
    --loglevel is not used): answering this signal stops Celery from replacing the root logger's handlers."""


@worker_init.connect
@beat_init.connect
def _refuse_an_unsafe_start(**kwargs: Any) -> None:
    """A worker or beat with a published SECRET_KEY or file key does not start (gru/checks.py), unless
    CELERY_SKIP_CHECKS is set, as for Celery's own run of the system checks. SystemExit: Celery logs any other error
    of a signal's receiver and starts anyway."""
    if os.environ.get("CELERY_SKIP_CHECKS"):
        return
    from gru.checks import refuse_unsafe_start  # once Django is set up (the Django fixup's receiver ran first)

    try:
        refuse_unsafe_start()
    except ImproperlyConfigured as error:
        raise SystemExit(str(error)) from error

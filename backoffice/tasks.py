from celery import shared_task
from django.utils import timezone


@shared_task(soft_time_limit=900, time_limit=960)
def silence_apply_task() -> None:
    from backoffice.services import cases_apply_silence

    cases_apply_silence(today=timezone.localdate())


# Exports of long lists and the day's letters merged into one PDF: the longest work of the workers.
@shared_task(soft_time_limit=1200, time_limit=1260)
def export_run_task(export_id: int) -> None:
    from backoffice.exports import export_run

    export_run(export_id=export_id)


@shared_task(soft_time_limit=120, time_limit=150)
def exports_run_stale_task() -> None:
    """Exports whose task was lost (the broker was down when they were asked for): queued again."""
    from backoffice.exports import exports_run_stale

    exports_run_stale(now=timezone.now())


@shared_task(soft_time_limit=600, time_limit=660)
def exports_purge_task() -> None:
    from backoffice.exports import exports_purge

    exports_purge(now=timezone.now())

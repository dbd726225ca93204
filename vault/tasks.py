from celery import shared_task
from django.utils import timezone

from gru.queue import enqueue_all
from vault.antivirus import AntivirusUnavailable


@shared_task(soft_time_limit=600, time_limit=660)
def documents_remind_expiry_task() -> None:
    from vault.services import documents_remind_expiry

    documents_remind_expiry(now=timezone.now())


# A scan reads the file from storage and streams it to clamd (CLAMAV_TIMEOUT for each network operation).
@shared_task(
    autoretry_for=(AntivirusUnavailable,),
    retry_backoff=10,
    retry_backoff_max=300,
    max_retries=5,
    soft_time_limit=180,
    time_limit=210,
)
def stored_file_scan_task(stored_id: int) -> None:
    """Retried while the antivirus does not answer (the file stays in quarantine meanwhile); files still waiting
    after that are queued again by stored_files_scan_pending_task."""
    from vault.services import stored_file_scan

    stored_file_scan(stored_id=stored_id)


@shared_task(soft_time_limit=120, time_limit=150)
def stored_files_scan_pending_task() -> None:
    """Files whose scan was never queued (the broker was down) or gave up: queued again."""
    from vault.services import stored_files_pending

    enqueue_all(stored_file_scan_task, "stored_id", stored_files_pending(now=timezone.now()))


@shared_task(soft_time_limit=300, time_limit=330)
def stored_files_held_purge_task() -> None:
    """Uploads kept for a form never sent again: deleted a day after."""
    from vault.services import stored_files_held_purge

    stored_files_held_purge(now=timezone.now())

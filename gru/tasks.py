from celery import shared_task
from django.core.management import call_command


@shared_task
def sessions_purge_task() -> None:
    call_command("clearsessions")

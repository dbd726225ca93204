from celery import shared_task
from django.core.management import call_command
from django.utils import timezone


@shared_task
def sessions_purge_task() -> None:
    call_command("clearsessions")


@shared_task
def notification_send_task(notification_id: int) -> None:
    from gru.notifications import notification_send

    notification_send(notification_id=notification_id)


@shared_task
def notifications_sweep_task() -> None:
    from gru.notifications import notifications_sweep

    notifications_sweep(now=timezone.now())

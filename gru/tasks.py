from celery import shared_task
from django.core.management import call_command
from django.utils import timezone


@shared_task(soft_time_limit=600, time_limit=660)
def sessions_purge_task() -> None:
    call_command("clearsessions")


@shared_task(soft_time_limit=600, time_limit=660)
def access_log_purge_task() -> None:
    from gru.access_log import access_log_purge

    access_log_purge(now=timezone.now())


@shared_task(soft_time_limit=600, time_limit=660)
def notifications_purge_task() -> None:
    from gru.notifications import notifications_purge

    notifications_purge(now=timezone.now())


@shared_task(soft_time_limit=60, time_limit=90)
def notification_send_task(notification_id: int) -> None:
    from gru.notifications import notification_send

    notification_send(notification_id=notification_id)


@shared_task(soft_time_limit=45, time_limit=55)  # every minute: never two at once
def notifications_sweep_task() -> None:
    from gru.notifications import notifications_sweep

    notifications_sweep(now=timezone.now())

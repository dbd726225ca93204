from celery import shared_task
from django.utils import timezone


@shared_task
def drafts_remind_task() -> None:
    from teleservices.services import drafts_remind

    drafts_remind(now=timezone.now())


@shared_task
def drafts_purge_task() -> None:
    from teleservices.services import drafts_purge

    drafts_purge(now=timezone.now())

from celery import shared_task
from django.utils import timezone


@shared_task
def silence_apply_task() -> None:
    from backoffice.services import cases_apply_silence

    cases_apply_silence(today=timezone.localdate())

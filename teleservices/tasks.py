from celery import shared_task
from django.utils import timezone


@shared_task(soft_time_limit=600, time_limit=660)
def drafts_remind_task() -> None:
    from teleservices.services import drafts_remind

    drafts_remind(now=timezone.now())


@shared_task(soft_time_limit=900, time_limit=960)  # deletes files too
def drafts_purge_task() -> None:
    from teleservices.services import drafts_purge

    drafts_purge(now=timezone.now())


@shared_task(soft_time_limit=120, time_limit=150)  # WeasyPrint
def case_answers_copy_task(case_id: int) -> None:
    from teleservices.services import case_answers_copy_make

    case_answers_copy_make(case_id=case_id)


@shared_task(soft_time_limit=120, time_limit=150)
def case_answers_copies_stale_task() -> None:
    """Copies of answers whose task was lost (the broker was down, a worker died): queued again."""
    from teleservices.services import case_answers_copies_stale

    case_answers_copies_stale(now=timezone.now())

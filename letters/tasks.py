from celery import shared_task
from django.utils import timezone

from gru.queue import enqueue_all


@shared_task(soft_time_limit=120, time_limit=150)  # WeasyPrint, the signature, a timestamp
def letter_render_task(letter_id: int) -> None:
    from letters.services import letter_render

    letter_render(letter_id=letter_id)


@shared_task(soft_time_limit=120, time_limit=150)
def letters_render_stale_task() -> None:
    """Letters whose generation was never queued (the broker was down) or whose worker died: queued again."""
    from letters.services import letters_generating_stale

    enqueue_all(letter_render_task, "letter_id", letters_generating_stale(now=timezone.now()))

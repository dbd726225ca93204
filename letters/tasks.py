from celery import shared_task
from django.utils import timezone

from gru.queue import enqueue_all


@shared_task
def letter_render_task(letter_id: int) -> None:
    from letters.services import letter_render

    letter_render(letter_id=letter_id)


@shared_task
def letters_render_stale_task() -> None:
    """Letters whose generation was never queued (the broker was down) or whose worker died: queued again."""
    from letters.services import letters_generating_stale

    enqueue_all(letter_render_task, "letter_id", letters_generating_stale(now=timezone.now()))

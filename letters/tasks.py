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


@shared_task(soft_time_limit=120, time_limit=150)  # may render the letter first
def case_letter_send_task(letter_id: int) -> None:
    """Generate the letter if its own task has not yet, then send it (nothing when it failed: the agent sees why)."""
    from letters.models import Letter
    from letters.services import case_letter_send, letter_render

    letter_render(letter_id=letter_id)
    letter = Letter.objects.select_related("case").filter(pk=letter_id, status=Letter.Status.READY).first()
    if letter is not None:
        case_letter_send(letter=letter, actor=letter.author)


@shared_task(soft_time_limit=120, time_limit=150)
def case_letters_send_stale_task() -> None:
    """Letters to send once ready whose sending task was lost (the broker was down, a worker died): queued again."""
    from letters.services import case_letters_send_stale

    case_letters_send_stale(now=timezone.now())

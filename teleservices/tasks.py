from celery import shared_task
from django.utils import timezone

from teleservices import emails
from teleservices.models import Case, CaseEvent, Message


@shared_task
def case_acknowledge_task(case_id: int) -> None:
    case = Case.objects.submitted().select_related("user", "teleservice").filter(pk=case_id).first()
    if case is not None:
        emails.case_acknowledge(case=case)


@shared_task
def case_status_notify_task(event_id: int) -> None:
    event = CaseEvent.objects.select_related("case__user", "case__teleservice", "status").filter(pk=event_id).first()
    if event is not None:
        emails.case_status_notify(event=event)


@shared_task
def case_message_notify_task(message_id: int) -> None:
    message = Message.objects.select_related("case__user", "case__teleservice").filter(pk=message_id).first()
    if message is not None:
        emails.case_message_notify(message=message)


@shared_task
def draft_reminder_task(case_id: int) -> None:
    case = Case.objects.drafts().select_related("user", "teleservice").filter(pk=case_id).first()
    if case is not None:
        emails.draft_reminder(case=case)


@shared_task
def drafts_remind_task() -> None:
    from teleservices.services import drafts_remind

    drafts_remind(now=timezone.now())


@shared_task
def drafts_purge_task() -> None:
    from teleservices.services import drafts_purge

    drafts_purge(now=timezone.now())

"""Emails to citizens about their requests, rendered from `templates/teleservices/emails/`."""

from django.conf import settings

from gru.emails import email_send
from teleservices.models import Case, CaseEvent, Message


def _send(template: str, case: Case, **context: object) -> None:
    if not case.contact_email:  # filed at the counter for someone without an email address
        return
    email_send(
        template=f"teleservices/emails/{template}",
        context={"case": case, "url": settings.SITE_URL + case.get_absolute_url(), **context},
        to=[case.contact_email],
    )


def case_acknowledge(*, case: Case) -> None:
    _send("acknowledgement", case)


def case_status_notify(*, event: CaseEvent) -> None:
    _send(
        "status_changed", event.case, status=event.status.citizen_label if event.status else "", comment=event.comment
    )


def case_message_notify(*, message: Message) -> None:
    _send("new_message", message.case)


def draft_reminder(*, case: Case) -> None:
    _send("draft_reminder", case)

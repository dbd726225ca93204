"""Emails rendered from templates: `<name>_subject.txt`, `<name>.txt` and `<name>.html`. The one place that renders
them; the outbox (gru.notifications) gives them their context and sends them."""

from collections.abc import Sequence
from email.utils import formataddr, parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from gru.models import Organisation


def email_sender() -> str:
    """DEFAULT_FROM_EMAIL's address under the collectivité's name: citizens see who writes to them."""
    return formataddr((Organisation.objects.current().name, parseaddr(settings.DEFAULT_FROM_EMAIL)[1]))


def email_subject(*, template: str, context: dict[str, Any]) -> str:
    """The subject on one line, however the template wraps it."""
    return " ".join(render_to_string(f"{template}_subject.txt", context).split())


def email_message(
    *,
    template: str,
    context: dict[str, Any],
    subject: str,
    to: list[str],
    attachments: Sequence[tuple[str, bytes, str]] = (),
    headers: dict[str, str] | None = None,
) -> EmailMultiAlternatives:
    """The email, text and HTML, with its attachments as (name, content, MIME type)."""
    message = EmailMultiAlternatives(
        subject,
        render_to_string(f"{template}.txt", context),
        email_sender(),
        to=to,
        headers=headers,
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    for name, content, mime in attachments:
        message.attach(name, content, mime)
    return message

"""Emails rendered from templates: `<name>_subject.txt`, `<name>.txt` and, when it exists, `<name>.html`."""

from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string

from gru.models import Organisation


def email_send(*, template: str, context: dict[str, Any], to: list[str]) -> None:
    context = {"organisation": Organisation.objects.current(), **context}
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    message = EmailMultiAlternatives(subject, render_to_string(f"{template}.txt", context), to=to)
    try:
        message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    except TemplateDoesNotExist:
        pass
    message.send()

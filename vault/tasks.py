from celery import shared_task
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from gru.emails import email_send
from vault.models import Document


def _notify(document_id: int, template: str) -> None:
    document = Document.objects.select_related("owner", "type", "member").filter(pk=document_id).first()
    if document is not None:
        email_send(
            template=f"vault/emails/{template}",
            context={"document": document, "url": settings.SITE_URL + reverse("vault:documents")},
            to=[document.owner.email],
        )


@shared_task
def document_expiry_notify_task(document_id: int) -> None:
    _notify(document_id, "document_expiring")


@shared_task
def document_refused_notify_task(document_id: int) -> None:
    _notify(document_id, "document_refused")


@shared_task
def documents_remind_expiry_task() -> None:
    from vault.services import documents_remind_expiry

    documents_remind_expiry(now=timezone.now())

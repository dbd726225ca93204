"""Scheduled jobs of booking (see CELERY_BEAT_SCHEDULE): the reminders due 48 hours before. Earlier-slot alerts need
no job: they are written in the transaction of the cancellation or move that frees the slot."""

from celery import shared_task
from django.utils import timezone


@shared_task(soft_time_limit=300, time_limit=330)
def appointment_reminders_task() -> None:
    """Idempotent: each reminder is claimed once (appointments.services.appointment_reminder_claim)."""
    from appointments.services import appointment_reminders_send

    appointment_reminders_send(now=timezone.now())

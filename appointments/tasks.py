"""Scheduled jobs of booking (see CELERY_BEAT_SCHEDULE): the reminders due 48 hours before, and the purge of past
appointments (APPOINTMENTS_RETENTION_MONTHS). Earlier-slot alerts need
no job: they are written in the transaction of the cancellation or move that frees the slot."""

from celery import shared_task
from django.utils import timezone


@shared_task(soft_time_limit=300, time_limit=330)
def appointment_reminders_task() -> None:
    """Idempotent: each reminder is claimed once (appointments.services.appointment_reminder_claim)."""
    from appointments.services import appointment_reminders_send

    appointment_reminders_send(now=timezone.now())


@shared_task(soft_time_limit=600, time_limit=660)
def appointments_purge_task() -> None:
    from appointments.services import appointments_purge

    appointments_purge(now=timezone.now())

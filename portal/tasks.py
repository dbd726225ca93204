from celery import shared_task

from portal.models import HouseholdInvitation


@shared_task
def invitations_purge_task() -> None:
    HouseholdInvitation.objects.expired().delete()

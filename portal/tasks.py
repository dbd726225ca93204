from celery import shared_task

from portal.models import HouseholdInvitation


@shared_task(soft_time_limit=300, time_limit=330)
def invitations_purge_task() -> None:
    HouseholdInvitation.objects.expired().delete()

from celery import shared_task

from portal import emails
from portal.models import HouseholdInvitation


@shared_task
def invitation_send_task(invitation_id: int) -> None:
    invitation = HouseholdInvitation.objects.pending().filter(pk=invitation_id).first()
    if invitation is not None:
        emails.household_invitation_send(invitation=invitation)


@shared_task
def invitations_purge_task() -> None:
    HouseholdInvitation.objects.expired().delete()

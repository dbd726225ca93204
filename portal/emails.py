"""Emails about accounts and households, rendered from `templates/portal/emails/`."""

from django.conf import settings
from django.urls import reverse

from gru.emails import email_send
from portal.models import HouseholdInvitation


def household_invitation_send(*, invitation: HouseholdInvitation) -> None:
    accept_url = settings.SITE_URL + reverse("portal:invitation_accept", args=[invitation.token])
    email_send(
        template="portal/emails/household_invitation",
        context={"invitation": invitation, "accept_url": accept_url},
        to=[invitation.email],
    )

"""Emails about accounts and households, rendered from `templates/portal/emails/`."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from gru.models import Organisation
from portal.models import HouseholdInvitation


def household_invitation_send(*, invitation: HouseholdInvitation) -> None:
    context = {
        "invitation": invitation,
        "organisation": Organisation.objects.current(),
        "accept_url": settings.SITE_URL + reverse("portal:invitation_accept", args=[invitation.token]),
    }
    subject = render_to_string("portal/emails/household_invitation_subject.txt", context).strip()
    body = render_to_string("portal/emails/household_invitation.txt", context)
    html = render_to_string("portal/emails/household_invitation.html", context)
    message = EmailMultiAlternatives(subject, body, to=[invitation.email])
    message.attach_alternative(html, "text/html")
    message.send()

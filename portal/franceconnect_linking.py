"""An email address that FranceConnect gives never opens an existing account by itself: the identity waits in the
session until the citizen has proved the account (signed in with its password, or through its emailed confirmation
link), and is connected to that account only then."""

from __future__ import annotations

from dataclasses import asdict

from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _

from portal import services
from portal.franceconnect import Identity
from portal.models import User

PENDING_KEY = "franceconnect_pending"


def account_proof_needed(request: HttpRequest, identity: Identity) -> bool:
    """True when the identity is not connected yet and its email is that of an account other than the signed-in one."""
    if User.objects.filter(franceconnect_sub=identity.sub).exists():
        return False
    holders = User.objects.filter(Q(email__iexact=identity.email) | Q(emailaddress__email__iexact=identity.email))
    return holders.exclude(pk=request.user.pk).exists()


def identity_wait_for_proof(request: HttpRequest, identity: Identity) -> None:
    request.session[PENDING_KEY] = asdict(identity)


def identity_connect_pending(request: HttpRequest, user: AbstractBaseUser) -> None:
    """Once `user` has signed in: connect the identity waiting in the session, if its email is one of theirs."""
    pending = request.session.pop(PENDING_KEY, None)
    if pending is None:
        return
    if not EmailAddress.objects.filter(user=user, email__iexact=pending["email"], verified=True).exists():
        messages.error(request, _("FranceConnect was not connected: it gave the email address of another account."))
        return
    try:
        services.user_franceconnect_login(**pending)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return
    messages.success(request, _("Your FranceConnect identity is now connected to your account."))

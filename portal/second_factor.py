"""An agent's or administrator's first second factor, enrolled only through a link their administrator emails them:
valid ENROLMENT_VALIDITY, once, for the account it was sent to while that account has no second factor. Opening it,
signed in with the password, lets the session enrol TOTP (gru.access.may_enrol); enrolling a second factor counts as
passing it in that session (gru.access.passed_second_factor)."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from gru.access import ENROLMENT_SESSION_KEY
from gru.notifications import notify
from portal.models import User

ENROLMENT_VALIDITY = datetime.timedelta(hours=24)
_SALT = "portal.second_factor.enrolment"


def _has_second_factor(user: User) -> bool:
    return User.objects.with_second_factor().filter(pk=user.pk).exists()


def _state(user: User) -> str:
    """What a link is bound to: the account, its email address and its password."""
    return salted_hmac(_SALT, f"{user.pk}:{user.email}:{user.password}").hexdigest()


@transaction.atomic
def enrolment_link_send(*, user: User) -> None:
    """Email an agent or administrator without a second factor the link to enrol one."""
    if not (user.is_staff or user.memberships.exists()):
        raise ValidationError(_("This account is neither an agent nor an administrator: it needs no second factor."))
    if _has_second_factor(user):
        raise ValidationError(_("This account already has a second factor."))
    token = signing.dumps({"user": user.pk, "state": _state(user)}, salt=_SALT)
    notify(
        event="second_factor_enrolment",
        user=user,
        context={"expires_at": timezone.now() + ENROLMENT_VALIDITY},
        url=reverse("portal:second_factor_enrolment", args=[token]),
    )


def enrolment_link_check(*, token: str, user: User) -> None:
    """Refuse, with the reason, a link that is not for this user, has expired, was used or no longer applies."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=ENROLMENT_VALIDITY)
    except signing.SignatureExpired:
        raise ValidationError(_("This link has expired: ask your administrator for a new one.")) from None
    except signing.BadSignature:
        raise ValidationError(_("This link is not valid: check that you copied it whole.")) from None
    if data.get("user") != user.pk:
        raise ValidationError(_("This link was sent to another account: sign in to the account it was sent to."))
    if data.get("state") != _state(user) or _has_second_factor(user) or cache.get(_used_key(token)):
        raise _used()


def enrolment_open(*, request: HttpRequest, token: str) -> None:
    """Use the link (once): the session of its user may enrol a first second factor."""
    enrolment_link_check(token=token, user=request.user)  # type: ignore[arg-type]
    if not cache.add(_used_key(token), True, timeout=int(ENROLMENT_VALIDITY.total_seconds())):
        raise _used()
    request.session[ENROLMENT_SESSION_KEY] = request.user.pk


def _used() -> ValidationError:
    return ValidationError(_("This link has already been used or no longer applies: ask your administrator."))


def _used_key(token: str) -> str:
    """Where a used link is remembered, until it would have expired anyway."""
    return f"portal:second-factor-enrolment-used:{hashlib.sha256(token.encode()).hexdigest()}"


def second_factor_added(
    sender: Any, request: HttpRequest, user: User, authenticator: Authenticator, **kwargs: Any
) -> None:
    """allauth's authenticator_added: a TOTP or security key just enrolled is recorded as passed in this session, as
    allauth records a second factor step."""
    if authenticator.type in (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN):
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
        request.session.pop(ENROLMENT_SESSION_KEY, None)

"""Who may reach what: the checks shared by middleware, decorators and templates."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from allauth.account.authentication import get_authentication_records
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse

from gru.models import Membership

StaffView = Callable[..., HttpResponseBase]
# The session of an agent or administrator without a second factor who opened the enrolment link their administrator
# emailed them: the id of that user (portal.second_factor writes it).
ENROLMENT_SESSION_KEY = "_gru_second_factor_enrolment"
# allauth's pages an agent or administrator reaches before the second factor of the session: its steps.
SECOND_FACTOR_STEPS = {"mfa_authenticate", "mfa_reauthenticate", "mfa_reauthenticate_webauthn"}


def is_staff_area(path: str) -> bool:
    return path.startswith((reverse(settings.AGENT_HOME_URL), reverse("admin:index")))


def _standing(user: Any) -> tuple[bool, bool]:
    """Whether the user is an agent, and whether they enrolled a second factor: read in one query, once per request
    (kept on the request's user object)."""
    if not hasattr(user, "_gru_standing"):
        row = (
            get_user_model()
            .objects.filter(pk=user.pk)
            .annotate(
                agent=Exists(Membership.objects.filter(user=OuterRef("pk"))),
                second_factor=Exists(get_user_model().objects.with_second_factor().filter(pk=OuterRef("pk"))),
            )
            .values_list("agent", "second_factor")
            .first()
        )
        user._gru_standing = row or (False, False)
    return user._gru_standing


def is_agent(user: Any) -> bool:
    return bool(user.is_authenticated and _standing(user)[0])


def is_staff(user: Any) -> bool:
    """An agent or an administrator: someone who must pass a second factor."""
    return bool(user.is_authenticated and (user.is_staff or _standing(user)[0]))


def has_second_factor(user: Any) -> bool:
    """Whether the user enrolled a second factor (TOTP or a security key)."""
    return bool(user.is_authenticated and _standing(user)[1])


def passed_second_factor(request: HttpRequest) -> bool:
    """Whether the signed-in user passed a second factor in this session (TOTP, a recovery code or a security key, at
    sign-in, reauthentication or enrolment), as allauth records it. A password or FranceConnect never counts."""
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


def may_enrol(request: HttpRequest) -> bool:
    """Whether the session may enrol a first second factor: the user has none, and opened in this session the
    enrolment link their administrator emailed them."""
    return request.session.get(ENROLMENT_SESSION_KEY) == request.user.pk and not has_second_factor(request.user)


def second_factor_withheld(request: HttpRequest) -> bool:
    """True when the request needs a second factor the session has not passed: an agent's or administrator's request
    for the back office, the admin, a file (/fichiers/) or allauth's second factor pages (other than the steps, and
    the first TOTP enrolment of a session that may enrol). Read once the URL is resolved (`request.resolver_match`)."""
    name = request.resolver_match.view_name if request.resolver_match else ""
    mfa_page = name.startswith("mfa_") and name not in SECOND_FACTOR_STEPS
    if not (is_staff_area(request.path) or name == "vault:file" or mfa_page):
        return False
    if not is_staff(request.user) or passed_second_factor(request):
        return False
    return not (name == "mfa_activate_totp" and may_enrol(request))


def agent_required(view: StaffView) -> StaffView:
    """Only for agents (users with a membership); the second factor of the session is enforced by the middleware."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_agent(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped

"""Who may reach what: the checks shared by middleware, decorators and templates."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse

from gru.models import Membership

StaffView = Callable[..., HttpResponseBase]


def is_staff_area(path: str) -> bool:
    return path.startswith((reverse("backoffice:home"), reverse("admin:index")))


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


def needs_second_factor(user: Any) -> bool:
    """True for an agent or administrator who has not enrolled a second factor yet."""
    if not user.is_authenticated:
        return False
    agent, second_factor = _standing(user)
    return (user.is_staff or agent) and not second_factor


def agent_required(view: StaffView) -> StaffView:
    """Only for agents (users with a membership); the second factor is enforced by the middleware."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_agent(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped

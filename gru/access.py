"""Who may reach what: the checks shared by middleware, decorators and templates."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from gru.models import Membership

StaffView = Callable[..., HttpResponse]


def is_staff_area(path: str) -> bool:
    return path.startswith((reverse("backoffice:home"), reverse("admin:index")))


def is_agent(user: Any) -> bool:
    return bool(user.is_authenticated and Membership.objects.filter(user=user).exists())


def needs_second_factor(user: Any) -> bool:
    """True for an agent or administrator who has not enrolled a second factor yet."""
    if not user.is_authenticated or not (user.is_staff or is_agent(user)):
        return False
    return not get_user_model().objects.with_second_factor().filter(pk=user.pk).exists()


def agent_required(view: StaffView) -> StaffView:
    """Only for agents (users with a membership); the second factor is enforced by the middleware."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_agent(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped

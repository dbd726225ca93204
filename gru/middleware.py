"""Project-wide request handling: idle sessions, second factor for staff areas."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from gru.access import is_staff_area, needs_second_factor

IDLE_MARK = "_gru_seen"
IDLE_RESOLUTION_SECONDS = 60


class SessionIdleTimeoutMiddleware:
    """End a signed-in session after SESSION_IDLE_MINUTES without activity, and push its expiry back while it is used.

    The session is written at most once a minute (not at every request). The idle time is checked here, not only by
    the session's expiry, because sessions are read from the cache, whose entries outlive a backend's own checks."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            minute = int(time.time()) // IDLE_RESOLUTION_SECONDS
            seen = request.session.get(IDLE_MARK)
            if seen is not None and minute - seen > settings.SESSION_IDLE_MINUTES:
                logout(request)
            elif seen != minute:
                request.session[IDLE_MARK] = minute
        return self.get_response(request)


class SecondFactorRequiredMiddleware:
    """Agents and administrators reach the back office and the admin only with a second factor enrolled."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_staff_area(request.path) and needs_second_factor(request.user):
            messages.warning(
                request,
                _("Set up two-factor authentication with an authenticator app before reaching the back office."),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

"""Project-wide request handling: request ids and their log lines, idle sessions, second factor for staff areas."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from typing import Any

import structlog
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django_structlog.middlewares import RequestMiddleware

from gru.access import is_staff_area, needs_second_factor

IDLE_MARK = "_gru_seen"
IDLE_RESOLUTION_SECONDS = 60
# What an X-Request-ID from the reverse proxy may be (a UUID, nginx's $request_id): a short token, nothing that could
# forge a log line or carry data.
REQUEST_ID = re.compile(r"[A-Za-z0-9-]{1,64}")


def request_id_of(request: HttpRequest) -> str:
    """The reverse proxy's X-Request-ID when it is a safe token, else a new one."""
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    return given if REQUEST_ID.fullmatch(given) else str(uuid.uuid4())


def _forget_request(**kwargs: Any) -> None:
    structlog.contextvars.clear_contextvars()


class RequestIdMiddleware:
    """First of all: every request has an id, on each of its log lines (gru.logs) and returned as X-Request-ID, so
    that an operator finds the lines of a request a citizen or the proxy's access log points at.

    django-structlog's middleware (RequestLogMiddleware, later in the chain, after the user is known) takes the id
    from the request's headers, where this one leaves only a checked value."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        request_finished.connect(_forget_request, dispatch_uid="gru.middleware.forget_request")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_of(request)
        request.META["HTTP_X_REQUEST_ID"] = request_id
        request.__dict__.pop("headers", None)  # read again from META, should anything have read them already
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        response = self.get_response(request)
        # django-structlog unbinds the context when its middleware returns, but Django logs a 4xx or 5xx response
        # after the last middleware ("Not Found: …"): bound again until the request is finished (_forget_request).
        structlog.contextvars.bind_contextvars(request_id=request_id)
        response["X-Request-ID"] = request_id
        return response


class RequestLogMiddleware(RequestMiddleware):
    """django-structlog's request_started and request_finished lines (user id, status), with the path only: the
    query string may hold a search for a name or an address."""

    @staticmethod
    def format_request(request: HttpRequest) -> str:
        return f"{request.method} {request.path}"


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

"""Project-wide request handling: request ids and their log lines, request sizes, idle sessions, second factor of
staff sessions."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import structlog
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.messages.storage import default_storage
from django.core.exceptions import BadRequest
from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_structlog.middlewares import RequestMiddleware

from gru import views
from gru.access import has_second_factor, is_agent, second_factor_withheld

IDLE_MARK = "_gru_seen"
SIGN_IN_MARK = "_gru_signed_in"
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


def record_sign_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> list[Any]:
    """At every sign-in (password, emailed link, FranceConnect; connected in gru/apps.py): its time, and whether
    the user is staff (an agent or an administrator), read once here rather than at each request."""
    mark = [int(time.time()), bool(user.is_staff or is_agent(user))]
    request.session[SIGN_IN_MARK] = mark
    return mark


def _staff_session_end(request: HttpRequest, *, idle: bool) -> HttpResponse:
    """Sign out and show the sign-in page with the reason (the message middleware comes later in the chain: the
    message is stored here, as it would store it)."""
    if idle:
        reason = _("Your session has ended after %(minutes)s minutes without activity. Please sign in again.") % {
            "minutes": settings.STAFF_SESSION_IDLE_MINUTES
        }
    else:
        reason = _("Your session has ended %(hours)s hours after you signed in. Please sign in again.") % {
            "hours": settings.STAFF_SESSION_MAX_HOURS
        }
    logout(request)
    request._messages = default_storage(request)  # type: ignore[attr-defined]
    messages.info(request, reason)
    response = redirect(f"{reverse('account_login')}?{urlencode({'next': request.get_full_path()})}")
    request._messages.update(response)  # type: ignore[attr-defined]
    return response


class SessionIdleTimeoutMiddleware:
    """End a signed-in session after SESSION_IDLE_MINUTES without activity, and push its expiry back while it is used.
    Staff sessions (agents and administrators) end after STAFF_SESSION_IDLE_MINUTES without activity, and
    STAFF_SESSION_MAX_HOURS after the sign-in whatever the activity, on the sign-in page with the reason.

    The session is written at most once a minute (not at every request). The idle time is checked here, not only by
    the session's expiry, because sessions are read from the cache, whose entries outlive a backend's own checks.
    A session whose sign-in was not recorded (opened before this rule) counts from the first request that sees it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            signed_in, staff = request.session.get(SIGN_IN_MARK) or record_sign_in(None, request, request.user)
            minute = int(time.time()) // IDLE_RESOLUTION_SECONDS
            seen = request.session.get(IDLE_MARK)
            idle_limit = settings.STAFF_SESSION_IDLE_MINUTES if staff else settings.SESSION_IDLE_MINUTES
            idle = seen is not None and minute - seen > idle_limit
            if staff and (idle or time.time() - signed_in >= settings.STAFF_SESSION_MAX_HOURS * 3600):
                return _staff_session_end(request, idle=idle)
            if idle:
                logout(request)
            elif seen != minute:
                request.session[IDLE_MARK] = minute
        return self.get_response(request)


class SecondFactorRequiredMiddleware:
    """Agents and administrators reach the back office, the admin, files and the second factor pages only in a session
    that passed their second factor (gru.access.second_factor_withheld): the enrolled are asked for it, the others
    are told that a first enrolment goes through the link their administrator emails them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, *args: Any) -> HttpResponse | None:
        """Once the URL is resolved: which page is asked is known by its name."""
        if not second_factor_withheld(request):
            return None
        if not has_second_factor(request.user):
            return redirect("portal:second_factor_needed")
        messages.warning(request, _("Confirm your identity with your second factor to continue."))
        return redirect(f"{reverse('mfa_reauthenticate')}?{urlencode({'next': request.get_full_path()})}")


class RequestSizeLimitMiddleware:
    """Refuse with a French 413 page, before its body is read, a request announcing more than UPLOAD_MAX_REQUEST_SIZE
    bytes (Django reads no more than the announced Content-Length)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body then
        if length > settings.UPLOAD_MAX_REQUEST_SIZE:
            return views.request_too_large(request)
        return self.get_response(request)


def _holds_nul(data: QueryDict) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in data.lists())


class NulByteRefusalMiddleware:
    """Refuse with a 400 a path, a query string or a form holding a NUL byte (in a name or a value): no page has a use
    for one, and PostgreSQL refuses it in a text, which would fail the request later, wherever it is read."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or _holds_nul(request.GET) or (request.method == "POST" and _holds_nul(request.POST)):
            raise BadRequest("NUL byte in the path, the query string or the form")
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """The security headers Django's SecurityMiddleware does not set, on every response (static files included):
    Permissions-Policy refusing the features of PERMISSIONS_POLICY_REFUSED, Cross-Origin-Resource-Policy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        refused = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_REFUSED)
        response.setdefault("Permissions-Policy", refused)
        response.setdefault("Cross-Origin-Resource-Policy", settings.CROSS_ORIGIN_RESOURCE_POLICY)
        return response

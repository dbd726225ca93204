"""FranceConnect routes: leave for the provider, come back identified (or with a clear French message)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal import franceconnect, franceconnect_linking, services

logger = logging.getLogger(__name__)


def franceconnect_enabled(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.FRANCECONNECT_ENABLED:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _refused(request: HttpRequest, message: str) -> HttpResponse:
    messages.error(request, message)
    return redirect("account_login")


@require_GET
@never_cache
@franceconnect_enabled
def login(request: HttpRequest) -> HttpResponse:
    try:
        return redirect(franceconnect.authorization_url(request))
    except franceconnect.FranceConnectError:
        logger.exception("FranceConnect is unreachable")
        return _refused(request, _("FranceConnect cannot be reached at the moment. Please try again later."))


@require_GET
@never_cache
@franceconnect_enabled
def callback(request: HttpRequest) -> HttpResponse:
    try:
        identity = franceconnect.identity_from_callback(request)
    except franceconnect.FranceConnectError as error:
        logger.warning("FranceConnect identification refused: %s", error)
        return _refused(request, _("Your identification with FranceConnect failed. Please try again."))
    if franceconnect_linking.account_proof_needed(request, identity):
        franceconnect_linking.identity_wait_for_proof(request, identity)
        messages.info(
            request,
            _(
                "An account already uses the email address FranceConnect gave. Sign in to it with its password: "
                "FranceConnect will then be connected to it."
            ),
        )
        return redirect("account_login")
    id_token = request.session.get(franceconnect.SESSION_KEY)
    try:
        user = services.user_franceconnect_login(**vars(identity))
    except ValidationError as error:
        return _refused(request, error.messages[0])
    auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[franceconnect.SESSION_KEY] = id_token
    messages.success(request, _("You are signed in with FranceConnect."))
    return redirect("portal:space")

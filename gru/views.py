"""Public pages of the portal: home, legal pages, the organisation's logo, security.txt, the health check, and the
pages of refused requests (malformed, too many files, too large)."""

import datetime
import mimetypes
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from gru.models import Organisation
from gru.sizes import file_size


def _page(template_name: str) -> Callable[[HttpRequest], HttpResponse]:
    """The view of a page that is only its template (the home page, the legal pages)."""

    @require_GET
    def view(request: HttpRequest) -> HttpResponse:
        return render(request, template_name)

    return view


home = _page("pages/home.html")
legal_notice = _page("pages/legal_notice.html")
privacy = _page("pages/privacy.html")
accessibility = _page("pages/accessibility.html")


@require_GET
@cache_control(public=True, max_age=3600)
def organisation_logo(request: HttpRequest) -> FileResponse:
    organisation = Organisation.objects.current()
    if not organisation.logo:
        raise Http404
    content_type, _encoding = mimetypes.guess_type(organisation.logo.name)
    return FileResponse(organisation.logo.open("rb"), content_type=content_type)


# RFC 9116 recommends an expiry less than a year ahead; computed at each request, it never passes.
SECURITY_TXT_VALIDITY = datetime.timedelta(days=364)


@require_GET
@cache_control(public=True, max_age=86400)
def security_txt(request: HttpRequest) -> HttpResponse:
    """Where to report a vulnerability, in the form of RFC 9116; 404 while SECURITY_CONTACT is not set."""
    if not settings.SECURITY_CONTACT:
        raise Http404
    expires = (timezone.now() + SECURITY_TXT_VALIDITY).astimezone(datetime.UTC)
    lines = [
        *(f"Contact: {contact}" for contact in settings.SECURITY_CONTACT),
        f"Expires: {expires:%Y-%m-%dT%H:%M:%SZ}",
        "Preferred-Languages: fr, en",
        f"Canonical: {settings.SITE_URL.rstrip('/')}{reverse('security_txt')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def _check(probe: Callable[[], object]) -> str:
    try:
        probe()
    except Exception:  # noqa: BLE001 - any failure means the dependency is down
        return "error"
    return "ok"


def _database_probe() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _redis_probe() -> None:
    cache.get("healthz")


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _check(_database_probe), "redis": _check(_redis_probe)}
    status = 200 if all(value == "ok" for value in checks.values()) else 503
    return JsonResponse({"status": "ok" if status == 200 else "error", **checks}, status=status)


def _refused(request: HttpRequest, *, status: int, heading: str, explanation: str) -> HttpResponse:
    """A request refused before any view saw it: rendered without the user, who may not be known yet."""
    context = {"heading": heading, "explanation": explanation}
    return render(request, "pages/request_refused.html", context, status=status)


def request_too_large(request: HttpRequest) -> HttpResponse:
    explanation = _(
        "What you sent is larger than %(max)s in all. Go back to the previous page and send fewer or smaller files at "
        "once: your other answers are still there."
    ) % {"max": file_size(settings.UPLOAD_MAX_REQUEST_SIZE)}
    return _refused(request, status=413, heading=_("Too large to be received"), explanation=explanation)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: what was wrong with the request, when we know it (too many files, too many characters)."""
    if isinstance(exception, TooManyFilesSent):
        explanation = _(
            "You sent more than %(count)s files at once. Go back to the previous page and send them in several times: "
            "your other answers are still there."
        ) % {"count": settings.DATA_UPLOAD_MAX_NUMBER_FILES}
    elif isinstance(exception, RequestDataTooBig):
        explanation = _("What you typed is too long to be received. Go back to the previous page and shorten it.")
    else:
        explanation = _(
            "Your browser sent a request the portal cannot read. Go back to the previous page and try again."
        )
    return _refused(request, status=400, heading=_("Request refused"), explanation=explanation)

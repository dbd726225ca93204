"""Files are served only here, to those allowed to see them, never from a public directory."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse, HttpRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from backoffice.access import cases_visible_to
from teleservices.models import Case
from vault.models import StoredFile

PREVIEWABLE = ("application/pdf", "image/jpeg", "image/png")


@login_required
@require_GET
def file(request: HttpRequest, public_id: str) -> FileResponse:
    """A file of the user's own, or of a case they may see (as its citizen, as an agent, or filling it in for someone).

    `?apercu=1` lets the back office show a PDF or an image inside its own page (same origin only)."""
    user = request.user
    cases = Case.objects.filter(
        Q(pk__in=Case.objects.visible_to_citizen(user).values("pk"))
        | Q(pk__in=cases_visible_to(user).values("pk"))
        | Q(pk__in=Case.objects.filed_by_agent(user).values("pk"))
    )
    stored = get_object_or_404(StoredFile.objects.visible_to(user, cases), public_id=public_id)
    inline = stored.content_type in PREVIEWABLE
    response = FileResponse(
        stored.file.open("rb"), content_type=stored.content_type, as_attachment=not inline, filename=stored.name
    )
    response["Cache-Control"] = "private, no-store"
    if inline and request.GET.get("apercu"):
        # The browser's PDF viewer does not run in a sandbox; the file was parsed and checked when uploaded.
        response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'self'"
        response["X-Frame-Options"] = "SAMEORIGIN"
    else:
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response

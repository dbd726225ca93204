"""Files are served only here, to those allowed to see them, never from a public directory."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from teleservices.models import Case
from vault.models import StoredFile


@login_required
@require_GET
def file(request: HttpRequest, public_id: str) -> FileResponse:
    visible = StoredFile.objects.visible_to(request.user, Case.objects.visible_to_citizen(request.user))
    stored = get_object_or_404(visible, public_id=public_id)
    inline = stored.content_type in ("application/pdf", "image/jpeg", "image/png")
    response = FileResponse(
        stored.file.open("rb"), content_type=stored.content_type, as_attachment=not inline, filename=stored.name
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response

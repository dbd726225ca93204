"""Files are served only here, to those allowed to see them, never from a public directory; and the citizen's
"Mes documents", the vault of their proofs."""

from __future__ import annotations

import io
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gru.access import is_agent
from gru.access_log import access_record, agent_department_id
from gru.models import Access
from vault import access, services, uploads
from vault.forms import DocumentForm
from vault.models import Document, StoredFile

# Shown inline when a preview is asked: images and PDFs (checked for active content when uploaded); never HTML.
PREVIEWABLE = ("application/pdf", "image/jpeg", "image/png")
# In quarantine: try again later; deleted by the antivirus: gone.
_UNAVAILABLE = {StoredFile.Scan.PENDING: 409, StoredFile.Scan.INFECTED: 410}
GET_POST = require_http_methods(["GET", "POST"])
DOCUMENT_FORM = "vault:document"  # the key of the uploads kept for the form adding a document (vault/uploads.py)


@login_required
@require_GET
def file(request: HttpRequest, public_id: str) -> FileResponse:
    """A file the user may read (vault/access.py): their own, or of a request they reach, as its citizen or as an
    agent.

    Downloaded (`Content-Disposition: attachment`), unless a preview is asked (`?apercu=1`, how the back office shows
    a PDF or an image inside its own page, same origin only) of a type browsers show without running it."""
    stored = access.files_visible_to(request.user).filter(public_id=public_id).first()
    if stored is None:
        raise Http404
    if not stored.is_available:
        return render(request, "vault/file_unavailable.html", {"stored": stored}, status=_UNAVAILABLE[stored.scan])
    if stored.owner_id != request.user.pk and is_agent(request.user):
        access_record(
            agent=request.user,
            kind=Access.Kind.DOCUMENT,
            subject=stored.name,
            reason="",
            citizen_ids=[stored.owner_id],
            department_id=agent_department_id(request.user, None),
        )
    preview = request.GET.get("apercu") == "1" and stored.content_type in PREVIEWABLE
    response = FileResponse(
        io.BytesIO(stored.read()),
        content_type=stored.content_type,
        as_attachment=not preview,
        filename=stored.name,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    if preview:
        # The browser's PDF viewer does not run in a sandbox; the file was parsed and checked when uploaded (a PDF
        # with JavaScript, attachments or launch actions is refused).
        response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'self'"
        response["X-Frame-Options"] = "SAMEORIGIN"
    else:
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _documents(request: HttpRequest) -> models.QuerySet[Document]:
    return Document.objects.filter(owner=request.user)


@login_required
@require_GET
def documents(request: HttpRequest) -> HttpResponse:
    """The citizen's proofs, by household member and type, with their status and validity."""
    pages = Prefetch("files", queryset=StoredFile.objects.order_by("pk"))
    listed = _documents(request).select_related("type", "member").prefetch_related(pages)
    groups: dict[str, list[Document]] = {}
    for document in listed.order_by("member__first_name", "type__position", "-issued_on"):
        name = str(document.member) if document.member else request.user.get_full_name()
        groups.setdefault(name, []).append(document)
    context = {
        "groups": groups,
        "today": timezone.localdate(),
        "storage_used": StoredFile.objects.in_storage_of(request.user).total_size(),
        "storage_quota": settings.HOUSEHOLD_STORAGE_QUOTA,
    }
    return render(request, "vault/documents.html", context)


@login_required
@GET_POST
def document_add(request: HttpRequest) -> HttpResponse:
    """Add a proof to the vault, or replace one (`?remplace=<id>`): it is then checked by an agent."""
    replaced = None
    if "remplace" in request.GET:
        try:
            public_id = uuid.UUID(request.GET["remplace"])
        except ValueError as error:
            raise Http404 from error
        replaced = get_object_or_404(_documents(request), public_id=public_id)
    initial = {"type": replaced.type_id, "member": replaced.member_id} if replaced else {}
    if request.method == "GET":  # a fresh form: what an earlier one kept goes
        uploads.uploads_release(request, form=DOCUMENT_FORM)
    kept = uploads.uploads_held(request, form=DOCUMENT_FORM)
    form = DocumentForm(request.POST or None, request.FILES or None, owner=request.user, initial=initial, kept=kept)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_upload(
                owner=request.user,
                type=form.cleaned_data["type"],
                issued_on=form.cleaned_data["issued_on"],
                pages=form.checked_files,
                kept=[] if form.checked_files else form.kept,  # new pages chosen replace those kept
                member=form.cleaned_data["member"],
                replaces=replaced,
            )
        except ValidationError as error:
            form.add_error("pages" if isinstance(error, services.StorageQuotaExceeded) else None, error)
        else:
            uploads.uploads_release(request, form=DOCUMENT_FORM)
            messages.success(request, _("The document is in your vault."))
            return redirect("vault:documents")
    if request.method == "POST":
        uploads.uploads_keep_for(request, form=form, key=DOCUMENT_FORM)
    return render(request, "vault/document_form.html", {"form": form, "replaced": replaced})


@login_required
@GET_POST
def document_delete(request: HttpRequest, public_id: str) -> HttpResponse:
    document = get_object_or_404(_documents(request).select_related("type"), public_id=public_id)
    if request.method == "POST":
        services.document_delete(document=document)
        messages.success(request, _("The document has been deleted from your vault."))
        return redirect("vault:documents")
    return render(request, "vault/document_delete.html", {"document": document})

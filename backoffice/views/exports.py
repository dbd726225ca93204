"""Exports of the task board's list: written at once for a short list, by a worker for a long one; and the day's sent
letters of a department as one PDF to print for the post (merged by a worker: backoffice.exports)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import IO

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from backoffice import exports
from backoffice.forms import ExportForm, LettersPrintForm
from backoffice.models import Export, export_filename
from gru.access import agent_required
from gru.models import Department

RECENT_PRINTS = 10  # the agent's PDFs of the day's letters listed under the form (kept a day)


def _download(content: IO[bytes] | Iterator[bytes], *, format: str, filename: str) -> FileResponse:
    response = FileResponse(content, as_attachment=True, filename=filename, content_type=exports.CONTENT_TYPES[format])
    # FileResponse names only a file, not the decrypted chunks of a stored export: named here for both.
    response.set_headers(content)  # type: ignore[arg-type]  # any file-like or iterable (django-stubs say BytesIO)
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@agent_required
def export_create(request: HttpRequest) -> HttpResponseBase:
    """The board's list with its filters: the file at once when short, else an export page that follows its writing."""
    form = ExportForm(request.POST)
    board = f"{reverse('backoffice:home')}?{request.POST.get('query', '')}"
    if not form.is_valid():
        messages.error(request, _("Choose the format of the export."))
        return redirect(board)
    format, query = form.cleaned_data["format"], form.cleaned_data["query"]
    try:
        cases = exports.cases_to_export(agent=request.user, query=query)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(board)
    if cases.count() > exports.EXPORT_DIRECT_MAX:
        export = exports.export_create(owner=request.user, format=format, query=query)
        return redirect(export)
    out = tempfile.TemporaryFile()  # FileResponse closes it once sent
    exports.export_write(cases, format=format, out=out)
    out.seek(0)
    filename = export_filename(format, timezone.now())
    exports.export_reads_record(
        agent=request.user, reads=exports.cases_read(cases), filename=filename, department_id=None
    )
    return _download(out, format=format, filename=filename)


@require_GET
@agent_required
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress of an export while a worker writes it (htmx polls this page), then its download link."""
    export = get_object_or_404(Export.objects.owned_by(request.user).select_related("department"), pk=pk)
    return render(request, "backoffice/export.html", {"export": export})


@require_GET
@agent_required
def export_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The file, to its owner, while they may read it (the day's letters: while they belong to the department)."""
    exports_done = Export.objects.owned_by(request.user).filter(state=Export.State.DONE).select_related("department")
    export = get_object_or_404(exports_done, pk=pk)
    try:
        chunks = export.file_chunks()
    except FileNotFoundError:  # a database restored without the exports' files (bin/backup leaves them out)
        raise Http404 from None
    exports.export_reads_record(
        agent=request.user, reads=export.cases_read, filename=export.filename, department_id=export.department_id
    )
    return _download(chunks, format=export.format, filename=export.filename)


@require_http_methods(["GET", "POST"])
@agent_required
def letters_print(request: HttpRequest) -> HttpResponse:
    """The letters a department sent on a day, as one PDF, for those who receive theirs by post: a worker merges them,
    and the export's page follows its progress until the file is ready."""
    departments = Department.objects.filter(memberships__user=request.user).distinct()
    form = LettersPrintForm(request.POST or None, departments=departments, initial={"day": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        department, day = form.cleaned_data["department"], form.cleaned_data["day"]
        if exports.letters_to_post(department=department, day=day).exists():
            return redirect(exports.letters_export_create(owner=request.user, department=department, day=day))
        form.add_error(None, _("No letter was sent by this department on that day."))
    asked = Export.objects.owned_by(request.user).filter(kind=Export.Kind.LETTERS).select_related("department")
    return render(request, "backoffice/letters_print.html", {"form": form, "asked": asked[:RECENT_PRINTS]})

"""Uploads kept while their form is sent again: when another answer of a form is wrong, the files that passed their
checks are stored at once (services.uploads_hold, as a request's page stores its files in the draft) and named in the
session under the form's key, so that the citizen need not choose them again; the form says "Fichier conservé" and
choosing other files replaces them. A fresh form (GET) lets them go; stored_files_held_purge deletes those left."""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest

from vault import services
from vault.files import CheckedFile
from vault.forms import KeptFilesForm
from vault.models import StoredFile

SESSION_KEY = "vault_uploads_held"


def uploads_held(request: HttpRequest, *, form: str) -> list[StoredFile]:
    """The files kept for the form `form` of this session, in the order they were chosen."""
    ids = request.session.get(SESSION_KEY, {}).get(form, [])
    if not ids:
        return []
    files = StoredFile.objects.filter(owner=request.user, public_id__in=ids).unfiled()
    return sorted(files, key=lambda stored: ids.index(str(stored.public_id)))


def uploads_keep(request: HttpRequest, *, form: str, checked: Sequence[CheckedFile]) -> list[StoredFile]:
    """The form `form` was refused for another answer: its new sound uploads are stored and kept, in place of those
    kept before; without new ones, those kept before stay. Returns the files kept (StorageQuotaExceeded when the new
    ones do not fit)."""
    if not checked:
        return uploads_held(request, form=form)
    files = services.uploads_hold(owner=request.user, checked=checked)
    uploads_release(request, form=form)
    request.session[SESSION_KEY] = {**request.session.get(SESSION_KEY, {}), form: [str(f.public_id) for f in files]}
    return files


def uploads_release(request: HttpRequest, *, form: str) -> None:
    """Forget the files kept for `form`: those no service filed meanwhile are deleted."""
    kept = request.session.get(SESSION_KEY, {})
    if form not in kept:
        return
    held = uploads_held(request, form=form)
    request.session[SESSION_KEY] = {key: ids for key, ids in kept.items() if key != form}
    services.stored_files_delete_unused(files=held)


def uploads_keep_for(request: HttpRequest, *, form: KeptFilesForm, key: str) -> None:
    """The bound `form` was refused: its sound uploads are kept under `key` for the next sending and shown as kept,
    unless they do not fit in the storage left (said once, on its file field)."""
    if form.has_error(form.kept_field, "storage_quota"):
        return
    try:
        form.keep(uploads_keep(request, form=key, checked=form.checked_files))
    except services.StorageQuotaExceeded as refusal:
        form.add_error(form.kept_field, refusal)

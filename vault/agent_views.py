"""The agents' pages of the vault, in the back office (under its URL names: vault/agent_urls.py): a proof a citizen
brought to the counter filed in their vault, verified at once; a document given for a request verified or refused.
Who may do it is decided by the vault's rules (vault/access.py), which its services apply."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gru.access import agent_required
from portal.models import User
from vault import access, counter, services
from vault.forms import DocumentRefusalForm
from vault.models import Document


@require_POST
@agent_required
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    """At the counter: the agent files a proof the citizen brought, verified at once."""
    person = get_object_or_404(User.objects.citizens(), pk=pk)
    form = counter.counter_form(citizen=person, data=request.POST, files=request.FILES)
    if not form.is_valid():
        return counter.counter_page(request, person, form)
    try:
        services.document_upload(
            owner=person,
            type=form.cleaned_data["type"],
            issued_on=form.cleaned_data["issued_on"],
            pages=form.checked_files,
            member=form.cleaned_data["member"],
            agent=request.user,
        )
    except PermissionDenied as error:
        raise Http404 from error
    except ValidationError as error:
        form.add_error(None, error)
        return counter.counter_page(request, person, form)
    messages.success(request, _("The document is in the citizen's vault, verified."))
    return redirect("backoffice:citizen", pk)


def _document(request: HttpRequest, pk: int, public_id: str) -> Document:
    documents = access.documents_visible_to(request.user).select_related("owner")
    return get_object_or_404(documents, owner_id=pk, public_id=public_id)


@require_POST
@agent_required
def document_verify(request: HttpRequest, pk: int, public_id: str) -> HttpResponse:
    try:
        services.document_verify(document=_document(request, pk, public_id), agent=request.user)
    except PermissionDenied as error:
        raise Http404 from error
    messages.success(request, _("The document is verified: it will be reused as such until it expires."))
    return _back(request, pk)


@require_POST
@agent_required
def document_refuse(request: HttpRequest, pk: int, public_id: str) -> HttpResponse:
    document = _document(request, pk, public_id)
    form = DocumentRefusalForm(request.POST, document=document)
    if not form.is_valid():
        messages.error(request, _("Give the reason of the refusal."))
        return _back(request, pk)
    try:
        services.document_refuse(document=document, agent=request.user, reason=form.cleaned_data["reason"])
    except PermissionDenied as error:
        raise Http404 from error
    messages.success(request, _("The document is refused; the citizen is told why."))
    return _back(request, pk)


def _back(request: HttpRequest, pk: int) -> HttpResponse:
    """Back to the case page the agent checked the document from, or to the citizen's 360° view."""
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(next_url)
    return redirect("backoffice:citizen", pk)

"""The 360° view of a citizen: their household, every request of theirs or their household the agent's departments
instruct, the latest messages, and their documents, which the agents instructing their requests verify or refuse. An
agent who instructs none of their requests (one shared with them for an opinion does not count) does not see the
citizen either."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from backoffice import access
from backoffice.forms import DocumentRefusalForm
from gru.access import agent_required
from portal.models import Household, User
from teleservices.models import Message
from vault import access as vault_access
from vault import services
from vault.forms import DocumentForm
from vault.models import Document

CASES_SHOWN = 100
MESSAGES_SHOWN = 20


@require_GET
@agent_required
def citizen(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(User.objects.citizens(), pk=pk)
    return render(request, "backoffice/citizen.html", _citizen_context(request, person))


def _citizen_context(request: HttpRequest, person: User, counter_form: DocumentForm | None = None) -> dict[str, Any]:
    household = Household.objects.of(person).prefetch_related("members").first()
    theirs = Q(user=person) | Q(household=household) if household else Q(user=person)
    cases = list(
        access.cases_instructed_by(request.user)
        .filter(theirs)
        .select_related("teleservice", "status", "user")
        .order_by("-submitted_at")[:CASES_SHOWN]
    )
    if not cases:
        raise Http404
    thread = (
        Message.objects.filter(case__in=cases).select_related("case", "author").order_by("-created_at")[:MESSAGES_SHOWN]
    )
    documents = (
        vault_access.documents_visible_to(request.user)
        .filter(owner=person)
        .select_related("type", "member")
        .prefetch_related("files")
    )
    shows_household = access.sees_household(request.user, person)
    # Filing a proof names a member of the household: only for agents who may see it.
    may_add = shows_household and vault_access.may_add_for(request.user, person)
    documents = list(documents)
    checkable = (
        set(vault_access.documents_checkable_by(request.user).filter(owner=person).values_list("pk", flat=True))
        if documents
        else set()
    )
    return {
        "person": person,
        "household": household if shows_household else None,
        "cases": cases,
        "thread": thread,
        "documents": [
            (document, DocumentRefusalForm(document=document), document.pk in checkable) for document in documents
        ],
        "today": timezone.localdate(),
        "counter_form": (counter_form or DocumentForm(owner=person, by_agent=True, prefix="guichet"))
        if may_add
        else None,
    }


@require_POST
@agent_required
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    """At the counter: the agent files a proof the citizen brought, verified at once."""
    person = get_object_or_404(User.objects.citizens(), pk=pk)
    form = DocumentForm(request.POST, request.FILES, owner=person, by_agent=True, prefix="guichet")
    if not form.is_valid():
        return render(request, "backoffice/citizen.html", _citizen_context(request, person, form))
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
        return render(request, "backoffice/citizen.html", _citizen_context(request, person, form))
    messages.success(request, _("The document is in the citizen's vault, verified."))
    return redirect("backoffice:citizen", pk)


def _document(request: HttpRequest, pk: int, public_id: str) -> Document:
    documents = vault_access.documents_visible_to(request.user).select_related("owner")
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

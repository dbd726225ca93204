"""The 360° view of a citizen: their household, every request of theirs or their household the agent's departments
instruct, the latest messages, and their documents, which the agents instructing their requests verify or refuse
(vault/agent_views.py). An agent who instructs none of their requests (one shared with them for an opinion does not
count) does not see the citizen either."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from gru.access import agent_required
from gru.access_log import access_record, agent_department_id
from gru.models import Access
from portal.models import Household, User
from teleservices import access
from teleservices.models import Message
from vault import access as vault_access
from vault import counter
from vault.forms import DocumentForm, DocumentRefusalForm

CASES_SHOWN = 100
MESSAGES_SHOWN = 20


@require_GET
@agent_required
def citizen(request: HttpRequest, pk: int) -> HttpResponse:
    return citizen_page(request, get_object_or_404(User.objects.citizens(), pk=pk))


def citizen_page(request: HttpRequest, person: User, counter_form: DocumentForm | None = None) -> HttpResponse:
    """The page; with the counter's form as the agent filled it in when the vault refused it (vault.counter)."""
    return render(request, "backoffice/citizen.html", _citizen_context(request, person, counter_form))


def _citizen_context(request: HttpRequest, person: User, counter_form: DocumentForm | None) -> dict[str, Any]:
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
    access_record(
        agent=request.user,
        kind=Access.Kind.CITIZEN,
        subject=person.get_full_name(),
        reason=cases[0].reference,
        citizen_ids=[person.pk],
        department_id=agent_department_id(request.user, cases[0].department_id),
    )
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
        "counter_form": (counter_form or counter.counter_form(citizen=person)) if may_add else None,
    }

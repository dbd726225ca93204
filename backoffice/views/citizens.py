"""The 360° view of a citizen: their household, and every request of theirs or their household the agent may see,
with the latest messages. An agent who sees none of their requests does not see the citizen either."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from backoffice import access
from gru.access import agent_required
from portal.models import Household, User
from teleservices.models import Message

CASES_SHOWN = 100
MESSAGES_SHOWN = 20


@require_GET
@agent_required
def citizen(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(User.objects.citizens(), pk=pk)
    household = Household.objects.of(person).prefetch_related("members").first()
    theirs = Q(user=person) | Q(household=household) if household else Q(user=person)
    cases = list(
        access.cases_visible_to(request.user)
        .filter(theirs)
        .select_related("teleservice", "status", "user")
        .order_by("-submitted_at")[:CASES_SHOWN]
    )
    if not cases:
        raise Http404
    thread = (
        Message.objects.filter(case__in=cases).select_related("case", "author").order_by("-created_at")[:MESSAGES_SHOWN]
    )
    context = {"person": person, "household": household, "cases": cases, "thread": thread}
    return render(request, "backoffice/citizen.html", context)

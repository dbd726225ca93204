"""The task board: the cases of my departments or mine, most urgent first; bulk actions; saved views."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from backoffice import services
from backoffice.board import board_page, status_counts, urgency
from backoffice.forms import AgentChoices, BoardFilterForm, BulkForm, ExportForm, SavedViewForm
from backoffice.models import SavedView
from gru.access import agent_required
from teleservices import access
from teleservices.models import Case


@require_GET
@agent_required
def home(request: HttpRequest) -> HttpResponse:
    """The task board: the cases of my departments (or mine, or shared with me), most urgent first, filtered,
    searched, counted."""
    choices = AgentChoices(request.user)
    form = BoardFilterForm(request.GET or None, agent=request.user, choices=choices)
    if form.is_bound and not form.is_valid():
        return render(request, "backoffice/board.html", {"form": form, "page": None}, status=200)
    if not form.is_bound:
        form = BoardFilterForm({"vue": "service", "state": "open"}, agent=request.user, choices=choices)
        form.is_valid()
    cases = form.cases().select_related("teleservice", "status", "assignee")
    cursor = request.GET.get("apres", "")
    page = board_page(cases, cursor, partitions=form.partitions())
    today = timezone.localdate()
    for case in page.cases:
        case.urgency = urgency(case, today)
    # A text search lists its matches without counting them per status: a common name matches thousands of cases.
    counts = (
        None
        if form.cleaned_data["q"]
        else status_counts(form.cases(by_status=False), key=_counts_key(request), fresh=not cursor)
    )
    context = {
        "form": form,
        "page": page,
        "counts": counts,
        "bulk": BulkForm(cases=Case.objects.none(), agent=request.user, choices=choices),
        "saved_views": SavedView.objects.filter(user=request.user),
        "save_form": SavedViewForm(),
        "export_form": ExportForm(initial={"query": request.GET.urlencode()}, auto_id="export-%s"),
        "query": request.GET.urlencode(),
    }
    return render(request, "backoffice/board.html", context)


def _counts_key(request: HttpRequest) -> str:
    """The cache key of the counts of this agent's board with these filters, whatever the page."""
    filters = request.GET.copy()
    filters.pop("apres", None)
    return f"board-counts:{request.user.pk}:{hashlib.sha256(filters.urlencode().encode()).hexdigest()[:32]}"


@require_POST
@agent_required
def bulk(request: HttpRequest) -> HttpResponse:
    """Assign the selected cases, or apply to them an action allowed on every one."""
    form = BulkForm(request.POST, cases=access.cases_visible_to(request.user), agent=request.user)
    board = f"{reverse('backoffice:home')}?{request.POST.get('query', '')}"
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(board)
    kind, target = form.cleaned_data["action"]
    cases = list(form.cleaned_data["cases"])
    if kind == "assign":
        errors = services.cases_bulk_assign(cases=cases, assignee=target, actor=request.user)
    else:
        errors = services.cases_bulk_transition(
            cases=cases, transition=target, actor=request.user, comment=form.cleaned_data["comment"]
        )
    if errors:
        messages.error(request, _("Nothing was changed, because of these requests:"))
        for error in errors:
            messages.error(request, error)
    else:
        messages.success(request, _("%(count)d request(s) updated.") % {"count": len(cases)})
    return redirect(board)


@require_POST
@agent_required
def saved_view_create(request: HttpRequest) -> HttpResponse:
    form = SavedViewForm(
        request.POST, instance=SavedView(user=request.user, query=request.POST.get("query", "")[:1000])
    )
    if form.is_valid():
        form.save()
        messages.success(request, _("The view is saved."))
    else:
        messages.error(request, _("Give this view a name you have not used yet."))
    return redirect(f"{reverse('backoffice:home')}?{form.instance.query}")


@require_POST
@agent_required
def saved_view_delete(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(SavedView, pk=pk, user=request.user).delete()
    messages.success(request, _("The view is deleted."))
    return redirect("backoffice:home")

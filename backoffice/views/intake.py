"""Multichannel intake: an agent files a request for a citizen who came to the counter, phoned or wrote.

The draft is filled in with the citizen's pages, checks and review (`teleservices.views.Desk`), framed for agents;
once filed, the case lives like any other."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from backoffice.forms import CitizenSearchForm, IntakeForm
from gru.access import agent_required
from portal.models import Household, User
from teleservices import services
from teleservices.models import Case
from teleservices.views import Desk, fill_page, review_page

GET_POST = require_http_methods(["GET", "POST"])

COUNTER_DESK = Desk(
    layout="layouts/agent.html",
    fill_view="backoffice:intake_fill",
    review_view="backoffice:intake_review",
    later_view="backoffice:intake",
    done_view="backoffice:case",
    by_agent=True,
)


@agent_required
@GET_POST
def intake(request: HttpRequest) -> HttpResponse:
    """Choose the procedure, the channel and the citizen; then fill in the request's pages."""
    search = CitizenSearchForm(request.GET or None)
    found = search.accounts()
    accounts = User.objects.filter(pk__in=[user.pk for user in found or []])
    form = IntakeForm(request.POST or None, agent=request.user, accounts=accounts)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_start_for(
                agent=request.user,
                teleservice=form.cleaned_data["teleservice"],
                channel=form.cleaned_data["channel"],
                citizen=form.cleaned_data["account"],
                applicant=form.applicant(),
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, " ".join(error.messages) if isinstance(error, ValidationError) else str(error))
        else:
            return redirect(COUNTER_DESK.resume_url(case))
    context = {
        "search": search,
        "found": found,
        "form": form,
        "drafts": Case.objects.filed_by_agent(request.user)
        .select_related("teleservice", "user")
        .order_by("-created_at"),
    }
    return render(request, "backoffice/intake.html", context)


def _draft(request: HttpRequest, public_id: str) -> Case:
    drafts = Case.objects.filed_by_agent(request.user).select_related("version", "teleservice")
    return get_object_or_404(drafts, public_id=public_id)


@agent_required
@GET_POST
def intake_fill(request: HttpRequest, public_id: str, page: int) -> HttpResponse:
    case = _draft(request, public_id)
    household = Household.objects.filter(pk=case.household_id).prefetch_related("members").first()
    return fill_page(request, case, page - 1, desk=COUNTER_DESK, household=household)


@agent_required
@GET_POST
def intake_review(request: HttpRequest, public_id: str) -> HttpResponse:
    cases = Case.objects.filter(filed_by=request.user).select_related("version")
    return review_page(request, get_object_or_404(cases, public_id=public_id), desk=COUNTER_DESK)


@agent_required
@require_POST
def intake_delete(request: HttpRequest, public_id: str) -> HttpResponse:
    services.case_draft_delete(case=_draft(request, public_id))
    messages.success(request, _("The draft has been deleted."))
    return redirect("backoffice:intake")

"""Multichannel intake: an agent files a request for a citizen who came to the counter, phoned or wrote.

The draft is filled in with the citizen's pages, checks and review (`teleservices.pages.Desk`), framed for agents;
once filed, the case lives like any other."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from backoffice.forms import CounterConsentForm, IntakeForm
from gru.access import agent_required
from portal.forms import CitizenSearchForm
from portal.models import Household, User
from teleservices import services
from teleservices.models import Case
from teleservices.pages import Desk, fill_page, review_page

GET_POST = require_http_methods(["GET", "POST"])

COUNTER_DESK = Desk(
    layout="layouts/agent.html",
    fill_view="backoffice:intake_fill",
    review_view="backoffice:intake_review",
    later_view="backoffice:intake",
    done_view="backoffice:case",
    by_agent=True,
    notice_template="backoffice/_counter_consent.html",
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
        .select_related("teleservice", "user", "version")
        .order_by("-created_at"),
    }
    return render(request, "backoffice/intake.html", context)


def _draft(request: HttpRequest, public_id: str) -> Case:
    drafts = Case.objects.filed_by_agent(request.user).select_related("version", "teleservice")
    return get_object_or_404(drafts, public_id=public_id)


@agent_required
@GET_POST
def intake_fill(request: HttpRequest, public_id: str, page: int) -> HttpResponse:
    """A page of the draft; the citizen's household and vault only once the citizen agreed (`intake_consent`)."""
    case = _draft(request, public_id)
    consented = case.counter_consent_granted
    household = (
        Household.objects.filter(pk=case.household_id).prefetch_related("members").first() if consented else None
    )
    return fill_page(request, case, page - 1, desk=COUNTER_DESK, household=household, vault=consented)


@agent_required
@GET_POST
def intake_consent(request: HttpRequest, public_id: str) -> HttpResponse:
    """Ask the citizen, by a code sent to them, to let the agent see their household and vault for this request."""
    case = _draft(request, public_id)
    if case.user_id is None:
        raise Http404
    form = CounterConsentForm(request.POST or None)
    if request.method == "POST":
        try:
            _consent_step(request, case, form)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, " ".join(error.messages) if isinstance(error, ValidationError) else str(error))
        else:
            return redirect(COUNTER_DESK.resume_url(case) if case.counter_consent_granted else request.path)
    return render(request, "backoffice/intake_consent.html", {"case": case, "form": form})


def _consent_step(request: HttpRequest, case: Case, form: CounterConsentForm) -> None:
    """Send a code (`action=send`), or check the one the citizen gave."""
    if request.POST.get("action") == "send":
        services.counter_consent_ask(case=case, agent=request.user)
        messages.success(request, _("A code was sent to the citizen. Ask them for it."))
    elif form.is_valid() and form.cleaned_data["code"]:
        services.counter_consent_confirm(case=case, agent=request.user, code=form.cleaned_data["code"])
        messages.success(request, _("The citizen agreed: their household and documents are offered for this request."))
    else:
        raise ValidationError(_("Type the code the citizen received."))


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

"""Citizens: the catalogue, filling a request page by page (the pages themselves: teleservices/pages.py), submitting
it and following it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.models import Household
from teleservices import services
from teleservices.forms import DocumentShareForm, MessageForm, PageForm, SearchForm
from teleservices.models import Case, CaseEvent, Category, Teleservice
from teleservices.pages import Desk, fill_page, review_page
from teleservices.search import search
from teleservices.summaries import documents_to_prepare, summary
from vault import uploads
from vault.services import StorageQuotaExceeded

GET_POST = require_http_methods(["GET", "POST"])
REQUESTS_PER_PAGE = 20

CITIZEN_DESK = Desk(
    layout="layouts/citizen.html",
    fill_view="teleservices:fill",
    review_view="teleservices:review",
    later_view="teleservices:my_requests",
    done_view="teleservices:confirmation",
)


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    """The téléservices by category; with `?q=`, what the citizens' search finds (teleservices/search.py)."""
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    if query:
        return render(request, "teleservices/catalogue.html", {"form": form, "query": query, "found": search(query)})
    teleservices = Teleservice.objects.published().order_by("title")
    categories = Category.objects.prefetch_related(Prefetch("teleservices", queryset=teleservices))
    groups = [(c, list(c.teleservices.all())) for c in categories]
    return render(request, "teleservices/catalogue.html", {"form": form, "groups": [g for g in groups if g[1]]})


# The téléservice an anonymous visitor pressed "Start" on: once signed in, they come back to its page, where the
# draft is made for them (the session survives the sign-in; only a POST, CSRF-checked, sets it).
START_AFTER_LOGIN_KEY = "teleservices:start_after_login"


def _start_asked(request: HttpRequest, slug: str) -> bool:
    """A POST of the start button, or the first visit back after signing in from it."""
    if request.method == "POST":
        return True
    return request.user.is_authenticated and request.session.pop(START_AFTER_LOGIN_KEY, None) == slug


@GET_POST
def start(request: HttpRequest, slug: str) -> HttpResponse:
    """The téléservice's page; "Start" makes a draft, unless the citizen has one already: then the page offers to
    resume it, and a new one is made only when asked for (`action=new`)."""
    teleservice = get_object_or_404(Teleservice.objects.published().select_related("department"), slug=slug)
    draft = Case.objects.resumable(request.user, teleservice).select_related("version").first()
    if _start_asked(request, slug):
        if not request.user.is_authenticated:
            request.session[START_AFTER_LOGIN_KEY] = slug
            return redirect(f"{reverse('account_login')}?next={request.path}")
        if draft is None or request.POST.get("action") == "new":
            return _start_draft(request, teleservice)
    return render(
        request, "teleservices/start.html", {"teleservice": teleservice, "draft": draft, **_start_facts(teleservice)}
    )


def _start_draft(request: HttpRequest, teleservice: Teleservice) -> HttpResponse:
    try:
        case = services.case_start(user=request.user, teleservice=teleservice)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(error.messages if isinstance(error, ValidationError) else error.args))
        return redirect(teleservice)
    return redirect(case)


def _start_facts(teleservice: Teleservice) -> dict[str, Any]:
    """What the start page tells before starting, from the published form: its steps and the documents to prepare."""
    definition = teleservice.current_version.form  # type: ignore[union-attr]  # published: it has a version
    fewest, most = definition.step_range()
    return {"documents": documents_to_prepare(definition), "fewest_steps": fewest, "most_steps": most}


def _draft(request: HttpRequest, public_id: str) -> Case:
    drafts = Case.objects.visible_to_citizen(request.user).drafts().select_related("version", "teleservice")
    return get_object_or_404(drafts, public_id=public_id)


def _household(request: HttpRequest) -> Household | None:
    return Household.objects.of(request.user).prefetch_related("members").first()


@login_required
@GET_POST
def fill(request: HttpRequest, public_id: str, page: int) -> HttpResponse:
    return fill_page(request, _draft(request, public_id), page - 1, desk=CITIZEN_DESK, household=_household(request))


@login_required
@GET_POST
def review(request: HttpRequest, public_id: str) -> HttpResponse:
    cases = Case.objects.visible_to_citizen(request.user).select_related("version", "teleservice")
    return review_page(request, get_object_or_404(cases, public_id=public_id), desk=CITIZEN_DESK)


@login_required
@GET_POST
def draft_delete(request: HttpRequest, public_id: str) -> HttpResponse:
    """A page that asks first (with or without JavaScript), then the draft deleted."""
    case = _draft(request, public_id)
    if request.method == "POST":
        services.case_draft_delete(case=case)
        messages.success(request, _("The draft has been deleted."))
        return redirect("teleservices:my_requests")
    return render(request, "teleservices/draft_delete.html", {"case": case})


def _visible_case(request: HttpRequest, reference: str) -> Case:
    cases = (
        Case.objects.visible_to_citizen(request.user)
        .submitted()
        .select_related("teleservice__department", "version", "status", "answers_copy")
    )
    return get_object_or_404(cases, reference=reference)


@login_required
@require_GET
def confirmation(request: HttpRequest, reference: str) -> HttpResponse:
    return render(request, "teleservices/confirmation.html", {"case": _visible_case(request, reference)})


@login_required
@require_GET
def my_requests(request: HttpRequest) -> HttpResponse:
    cases = Case.objects.visible_to_citizen(request.user).select_related("teleservice", "status")
    submitted = Paginator(cases.submitted(), REQUESTS_PER_PAGE).get_page(request.GET.get("page"))
    drafts = cases.drafts().select_related("version").order_by("draft_expires_at")
    context = {"drafts": drafts, "submitted": submitted}
    return render(request, "teleservices/my_requests.html", context)


@login_required
@GET_POST
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    case = _visible_case(request, reference)
    key = f"teleservices:message:{case.reference}"  # the attachments kept when a message is refused
    if request.method == "GET":
        uploads.uploads_release(request, form=key)
    form = MessageForm(request.POST or None, request.FILES or None, kept=uploads.uploads_held(request, form=key))
    if request.method == "POST" and form.is_valid():
        try:
            _message_send(request, case, form)
        except ValidationError as error:  # refused (files past the household's storage, …): the text is kept
            form.add_error("attachments" if isinstance(error, StorageQuotaExceeded) else None, error)
        else:
            uploads.uploads_release(request, form=key)
            return redirect("teleservices:case", case.reference)
    if request.method == "POST":
        uploads.uploads_keep_for(request, form=form, key=key)
    # "letter": the letter that points to its event (Letter.event, declared by letters above), joined in one query.
    events = case.events.filter(kind__in=CaseEvent.CITIZEN_KINDS).select_related("status", "letter__pdf")
    context = {
        "case": case,
        "form": form,
        "share_form": _share_form(request, case),
        "pages": summary(case.form, case.data),
        "events": events,
        "thread": case.messages.select_related("author").prefetch_related("attachments"),
    }
    return render(request, "teleservices/case.html", context)


def _share_form(request: HttpRequest, case: Case, data: Any = None) -> DocumentShareForm:
    shared = case.shared_documents.filter(owner=request.user)
    return DocumentShareForm(data, owner=request.user, initial={"documents": shared})


@login_required
@require_POST
def case_documents(request: HttpRequest, reference: str) -> HttpResponse:
    """The citizen chooses which documents of their vault the department instructing the request may see."""
    case = _visible_case(request, reference)
    form = _share_form(request, case, request.POST)
    if form.is_valid():
        services.case_documents_share(case=case, citizen=request.user, documents=form.cleaned_data["documents"])
        messages.success(request, _("The department sees the documents you chose, and only them."))
    else:
        messages.error(request, _("Choose documents of your own vault."))
    return redirect("teleservices:case", case.reference)


def _message_send(request: HttpRequest, case: Case, form: MessageForm) -> None:
    """The citizen's message: what the department asked for when it waits for them, or a message."""
    body, files = form.cleaned_data["body"], form.checked_files
    kept = [] if files else form.kept  # new files chosen replace those kept
    if case.awaits_citizen:
        services.case_complete(case=case, author=request.user, body=body, files=files, kept=kept)
        messages.success(request, _("Thank you: your request is back with the department."))
    else:
        services.case_message_post(case=case, author=request.user, body=body, files=files, from_agent=False, kept=kept)
        messages.success(request, _("Your message has been sent."))


@staff_member_required
@require_GET
def preview(request: HttpRequest, slug: str, page: int) -> HttpResponse:
    """Administrators see the form being edited as a citizen will, before publishing it."""
    teleservice = get_object_or_404(Teleservice, slug=slug)
    definition = services.teleservice_definition(teleservice=teleservice)
    if not 1 <= page <= len(definition.pages):
        raise Http404
    form = PageForm(page=definition.pages[page - 1], answers={}, household=None)
    context = {
        "teleservice": teleservice,
        "form": form,
        "page": definition.pages[page - 1],
        "number": page,
        "pages": len(definition.pages),
    }
    return render(request, "teleservices/preview.html", context)

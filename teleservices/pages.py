"""The filling and review pages of a draft, shared by the citizens' views (teleservices/views.py) and the counter
(backoffice/views/intake.py): the pages, checks and review are the same; the frame and links differ (`Desk`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import Household
from teleservices import services
from teleservices.definition import FormDefinition, PageDef
from teleservices.forms import CertificationForm, PageForm
from teleservices.models import Case
from teleservices.summaries import summary
from vault.models import Document, StoredFile
from vault.services import StorageQuotaExceeded


@dataclass(frozen=True)
class Desk:
    """Where a draft is filled in: by citizens in their space, or by an agent for someone who came to the counter,
    phoned or wrote (multichannel intake). The pages, checks and review are the same; the frame and links differ."""

    layout: str
    fill_view: str
    review_view: str
    later_view: str
    done_view: str
    by_agent: bool = False
    notice_template: str = ""  # shown above each page (the counter's consent)

    def page_url(self, case: Case, index: int) -> str:
        return reverse(self.fill_view, args=[case.public_id, index + 1])

    def resume_url(self, case: Case) -> str:
        return self.page_url(case, case.page)


def fill_page(
    request: HttpRequest, case: Case, index: int, *, desk: Desk, household: Household | None, vault: bool = True
) -> HttpResponse:
    """A page of a draft: shown, saved, checked, then the next shown page or the review. The household's members
    and, with `vault`, the applicant's documents are offered to its questions."""
    definition = case.form
    if index not in definition.shown_pages(case.data):
        # a page hidden by the answers: back to where the draft stopped, or to the review if that page is hidden too
        return redirect(
            desk.resume_url(case) if index != case.page else reverse(desk.review_view, args=[case.public_id])
        )
    form = PageForm(
        request.POST or None,
        request.FILES or None,
        page=definition.pages[index],
        answers=case.data,
        household=household,
        add_row=request.GET.get("ajouter", ""),
        documents=_vault_documents(case, definition.pages[index]) if vault else [],
        definition=definition,
    )
    if request.method == "POST":
        return _fill_post(request, case, form, index, desk)
    return _fill_render(request, case, form, index, desk)


def _vault_documents(case: Case, page: PageDef) -> list[Document]:
    """The valid documents of the applicant's vault that the page's file questions may offer."""
    kinds = {f.option("document_type") for f in page.fields if f.kind == "file" and f.option("document_type")}
    if not kinds or case.user_id is None:
        return []
    documents = Document.objects.filter(owner_id=case.user_id, type__slug__in=kinds).valid_on(timezone.localdate())
    return list(documents.select_related("type").prefetch_related(Prefetch("files", StoredFile.objects.order_by("pk"))))


def _fill_post(request: HttpRequest, case: Case, form: PageForm, index: int, desk: Desk) -> HttpResponse:
    try:
        return _fill_save(request, case, form, index, desk)
    except StorageQuotaExceeded as refusal:
        return _fill_refused(request, case, form, index, desk, refusal)


def _fill_refused(
    request: HttpRequest, case: Case, form: PageForm, index: int, desk: Desk, refusal: StorageQuotaExceeded
) -> HttpResponse:
    """The page's new files do not fit in the household's storage: they are refused, the other answers kept."""
    for key in form.checked_files:
        form.add_error(key, refusal)
    case = services.case_page_save(case=case, answers=form.page_answers(partial=True), files={}, page=index)
    form.answers = case.data
    return _fill_render(request, case, form, index, desk)


def _fill_save(request: HttpRequest, case: Case, form: PageForm, index: int, desk: Desk) -> HttpResponse:
    definition, action = case.form, request.POST.get("action", "continue")
    if request.htmx and action == "refresh":
        answers = form.page_answers(partial=True)
        return render(request, "teleservices/_live.html", _live_context(case, form, index, answers))
    if action == "autosave":  # as the citizen types (static/js/autosave.js): what is right so far, never a file
        case = services.case_page_save(case=case, answers=form.page_answers(partial=True), files={})
        return render(request, "teleservices/_autosaved.html", {"case": case})
    if action != "continue":
        return _fill_leave(request, case, form, index, desk, action)
    if not form.is_valid():
        if form.sound_files:  # keep what was uploaded right, whatever else is wrong
            answers = form.page_answers(partial=True)
            case = services.case_page_save(case=case, answers=answers, files=form.sound_files, page=index)
            form.answers = case.data
        return _fill_render(request, case, form, index, desk)
    answers = form.page_answers()
    eligibility = definition.ineligibility(answers) if index == 0 else []
    following = None if eligibility else _next_page(definition, answers, index, 1)
    case = services.case_page_save(
        case=case, answers=answers, files=form.checked_files, page=index if eligibility else following or index
    )
    if eligibility:
        return _fill_render(request, case, form, index, desk)
    if following is None:
        return redirect(desk.review_view, case.public_id)
    return redirect(desk.resume_url(case))


def _fill_leave(request: HttpRequest, case: Case, form: PageForm, index: int, desk: Desk, action: str) -> HttpResponse:
    """Leaving the page another way than "Continue" ("Back", "Add a row", "Finish later"): what is right is kept,
    unchecked, with the files that passed their checks."""
    answers, files = form.page_answers(partial=True), form.sound_files
    if action.startswith("add:"):
        if not form.rows_valid(action[4:]):  # a row to correct first: shown again as typed, with its errors
            return _fill_render(request, case, form, index, desk)
        case = services.case_page_save(case=case, answers=answers, files=files, page=index)
        return redirect(f"{desk.page_url(case, index)}?ajouter={action[4:]}#{action[4:]}")
    if action == "later":
        services.case_page_save(case=case, answers=answers, files=files, page=index)
        messages.success(request, _("Your draft is saved: you can finish it later, from this page."))
        return redirect(desk.later_view)
    previous = _next_page(case.form, answers, index, -1)
    case = services.case_page_save(case=case, answers=answers, files=files, page=previous or 0)
    return redirect(desk.resume_url(case))


def _live_context(case: Case, form: PageForm, index: int, answers: dict[str, Any]) -> dict[str, Any]:
    """What changes as the citizen answers: the questions hidden, the eligibility verdict (first page only)."""
    form.mark_shown(answers)
    checks = index == 0 and bool(case.form.eligibility)
    return {
        "hidden_keys": [item.field.key for item in form.items if item.field.key and item.hidden],
        "eligibility": case.form.ineligibility(answers) if checks else [],
        "checks_eligibility": checks,
        "eligibility_known": checks and case.form.eligibility_answered(answers),
    }


def _fill_render(request: HttpRequest, case: Case, form: PageForm, index: int, desk: Desk) -> HttpResponse:
    definition = case.form
    step, steps = definition.step_of(case.data, index)
    answers = form.page_answers(partial=True) if form.is_bound else case.data
    context = {
        "case": case,
        "desk": desk,
        "form": form,
        "page": definition.pages[index],
        "index": index,
        "step": step,
        "steps": steps,
        **_live_context(case, form, index, answers),
    }
    return render(request, "teleservices/fill.html", context)


def _next_page(definition: FormDefinition, answers: dict[str, Any], index: int, step: int) -> int | None:
    """The next (step 1) or previous (step -1) shown page; None past either end."""
    shown = definition.shown_pages(answers)
    candidates = [i for i in shown if (i > index if step > 0 else i < index)]
    if not candidates:
        return None
    return candidates[0] if step > 0 else candidates[-1]


def review_page(request: HttpRequest, case: Case, *, desk: Desk) -> HttpResponse:
    """The answers of a draft, checked, and the button that submits it."""
    if not case.is_draft:  # submitted already: a double click, a second tab or a retried POST lands here
        return redirect(desk.done_view, case.reference)
    problems = services.case_problems(case=case)
    posted = request.POST if request.method == "POST" else None  # a box not ticked posts nothing: still bound
    certification = CertificationForm(posted) if case.asks_certification else None
    if request.method == "POST" and not problems and (certification is None or certification.is_valid()):
        case = services.case_submit(case=case, certified=certification is not None)
        return redirect(desk.done_view, case.reference)
    context = {
        "case": case,
        "desk": desk,
        "pages": summary(case.form, case.data),
        "problems": problems,
        "certification": certification,
    }
    return render(request, "teleservices/review.html", context)

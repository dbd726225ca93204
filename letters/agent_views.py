"""The agents' pages of letters, in the back office (under its URL names: letters/agent_urls.py): the letters of a
case, written and sent by the agents of the department instructing it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gru.access import agent_required
from gru.models import Access
from letters import services as letters_services
from letters.forms import LetterForm, LetterTemplateChoiceForm
from letters.models import Letter
from teleservices import access
from teleservices.models import Case


def _instructed_case(request: HttpRequest, reference: str) -> Case:
    """A case of the agent's departments (others may read a case shared with them, not write its letters)."""
    case = get_object_or_404(
        access.cases_visible_to(request.user).select_related("teleservice", "department", "user"), reference=reference
    )
    if not access.is_member(request.user, case):
        raise Http404
    return case


def _letter(case: Case, code: str) -> Letter:
    return get_object_or_404(case.letters.select_related("pdf", "template"), code=code)


@require_POST
@agent_required
def letter_new(request: HttpRequest, reference: str) -> HttpResponse:
    case = _instructed_case(request, reference)
    form = LetterTemplateChoiceForm(request.POST, case=case)
    if not form.is_valid():
        messages.error(request, _("Choose a template letter."))
        return redirect("backoffice:case", case.reference)
    letter = letters_services.case_letter_create(case=case, template=form.cleaned_data["template"], author=request.user)
    messages.success(request, _("The letter is being generated: read it, change it if needed, then send it."))
    return redirect("backoffice:letter", case.reference, letter.code)


@require_http_methods(["GET", "POST"])
@agent_required
def letter_detail(request: HttpRequest, reference: str, code: str) -> HttpResponse:
    """A letter of the case: its PDF once generated, its wording to change until it is sent."""
    case = _instructed_case(request, reference)
    letter = _letter(case, code)
    form = LetterForm(request.POST or None, initial={"subject": letter.subject, "body": letter.body})
    if request.method == "POST" and form.is_valid():
        try:
            letters_services.letter_update(letter=letter, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The letter is being generated again with its new wording."))
            return redirect("backoffice:letter", case.reference, letter.code)
    if request.method == "GET":
        access.case_read_record(request.user, case, kind=Access.Kind.LETTER, subject=letter.subject)
    return render(request, "letters/agents/letter.html", {"case": case, "letter": letter, "form": form})


@require_GET
@agent_required
def letter_status(request: HttpRequest, reference: str, code: str) -> HttpResponse:
    """Where a letter stands, which the case and letter pages poll (htmx) while it is generated. Without JavaScript,
    their "Refresh" link lands here and goes on to the letter's page (the case's, for an agent it is only shared
    with)."""
    case = get_object_or_404(access.cases_visible_to(request.user), reference=reference)
    letter = _letter(case, code)
    member = access.is_member(request.user, case)
    if request.htmx:
        response = render(request, "letters/agents/_letter_live.html", {"letter": letter, "member": member})
    elif member:
        response = redirect("backoffice:letter", case.reference, letter.code)
    else:
        response = redirect(reverse("backoffice:case", args=[case.reference]) + "#letters-title")
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_POST
@agent_required
def letter_send(request: HttpRequest, reference: str, code: str) -> HttpResponse:
    case = _instructed_case(request, reference)
    try:
        letters_services.case_letter_send(letter=_letter(case, code), actor=request.user)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect("backoffice:letter", case.reference, code)
    messages.success(request, _("The letter is sent: the citizen finds it in their space and by email."))
    return redirect("backoffice:case", case.reference)

"""A case in the back office: its page and the agents' actions on it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from backoffice import services
from backoffice.access import notes_visible_to, sees_all_notes
from backoffice.board import urgency
from backoffice.forms import AssignForm, NoteForm, ShareForm, TransitionForm
from gru.access import agent_required
from gru.models import Access, Membership
from letters.forms import LetterTemplateChoiceForm
from teleservices import access
from teleservices import services as teleservices_services
from teleservices.forms import MessageForm
from teleservices.models import Case
from teleservices.summaries import answered_documents, summary
from teleservices.workflows import Transition
from vault.forms import DocumentRefusalForm
from vault.models import Document


def _case(request: HttpRequest, reference: str) -> Case:
    cases = access.cases_visible_to(request.user).select_related(
        "teleservice__workflow", "status", "assignee", "department", "version", "user", "filed_by"
    )
    return get_object_or_404(cases, reference=reference)


@require_GET
@agent_required
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    access.case_read_record(request.user, case, kind=Access.Kind.CASE, subject=case.reference)
    return render(request, "backoffice/case.html", _case_context(request, case))


def _case_context(request: HttpRequest, case: Case, **forms: Any) -> dict[str, Any]:
    role = access.role_on(request.user, case)
    member, manager = role is not None, role == Membership.Role.MANAGER
    all_notes = sees_all_notes(request.user, case, member=member)
    transitions = (
        Transition.objects.available(status_id=case.status_id, manager=manager).filter(
            workflow_id=case.teleservice.workflow_id
        )
        if member
        else Transition.objects.none()
    )
    transition_forms = [forms.get(f"t{t.pk}") or TransitionForm(transition=t) for t in transitions]
    case.urgency = urgency(case)
    return {
        "case": case,
        "case_list": [case],
        "member": member,
        "manager": manager,
        "transition_forms": transition_forms,
        "assign_form": AssignForm(initial={"assignee": case.assignee_id}, case=case) if manager else None,
        "message_form": forms.get("message") or MessageForm(),
        "note_form": forms.get("note") or NoteForm(),
        "share_form": ShareForm(case=case) if member else None,
        "pages": summary(case.form, case.data),
        "files": case.files.all(),
        **_vault_documents(request, case),
        "letters": case.letters.select_related("pdf").order_by("-created_at"),
        "letter_form": LetterTemplateChoiceForm(case=case) if member else None,
        "events": case.events.select_related("actor", "status"),
        "thread": case.messages.select_related("author").prefetch_related("attachments"),
        "notes": notes_visible_to(request.user, case, all_notes=all_notes).select_related("author"),
        "all_notes": all_notes,
        "history": case.history.select_related("history_user", "status", "assignee")[:50],
    }


def _vault_documents(request: HttpRequest, case: Case) -> dict[str, Any]:
    """The documents of the citizen's vault the request was answered with or that the citizen shared for it, to verify
    once for every request."""
    if case.user_id is None:
        return {"vault_documents": []}
    answered = Q(public_id__in=answered_documents(case.form, case.data), owner_id=case.user_id)
    documents = Document.objects.filter(answered | Q(shared_for=case)).distinct()
    documents = documents.select_related("type", "member", "verified_by")
    return {
        "vault_documents": [(d, DocumentRefusalForm(document=d)) for d in documents.prefetch_related("files")],
        "may_check": access.is_member(request.user, case),
        "today": timezone.localdate(),
    }


def _back(case: Case) -> HttpResponse:
    return redirect("backoffice:case", case.reference)


def _refused(request: HttpRequest, case: Case, error: Exception, **forms: Any) -> HttpResponse:
    texts = error.messages if isinstance(error, ValidationError) else [str(error)]
    for text in texts:
        messages.error(request, text)
    return render(request, "backoffice/case.html", _case_context(request, case, **forms), status=200)


@require_POST
@agent_required
def case_transition(request: HttpRequest, reference: str, transition_id: int) -> HttpResponse:
    case = _case(request, reference)
    transition = get_object_or_404(Transition, pk=transition_id, workflow_id=case.teleservice.workflow_id)
    form = TransitionForm(request.POST, transition=transition)
    if not form.is_valid():
        return render(request, "backoffice/case.html", _case_context(request, case, **{form.prefix: form}))
    try:
        services.case_transition(
            case=case, transition=transition, actor=request.user, comment=form.cleaned_data.get("comment", "")
        )
    except (ValidationError, PermissionDenied) as error:
        return _refused(request, case, error, **{form.prefix: form})
    messages.success(request, _("Done: “%(action)s”.") % {"action": transition.label})
    return _back(case)


@require_POST
@agent_required
def case_assign(request: HttpRequest, reference: str) -> HttpResponse:
    """“Je prends” (take it), “je laisse” (release it), or a manager's choice of agent."""
    case = _case(request, reference)
    action = request.POST.get("action")
    if action in ("take", "release"):
        assignee = request.user if action == "take" else None
    else:
        form = AssignForm(request.POST, case=case)
        if not form.is_valid():
            return _refused(request, case, ValidationError(_("Choose an agent of the department.")))
        assignee = form.cleaned_data["assignee"]
    try:
        services.case_assign(case=case, assignee=assignee, actor=request.user)
    except (ValidationError, PermissionDenied) as error:
        return _refused(request, case, error)
    messages.success(request, _("The assignment is saved."))
    return _back(case)


@require_POST
@agent_required
def case_message(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    form = MessageForm(request.POST, request.FILES)
    if not access.is_member(request.user, case):
        raise PermissionDenied
    if not form.is_valid():
        return render(request, "backoffice/case.html", _case_context(request, case, message=form))
    teleservices_services.case_message_post(
        case=case, author=request.user, body=form.cleaned_data["body"], files=form.checked_files, from_agent=True
    )
    messages.success(request, _("Your message has been sent to the citizen."))
    return _back(case)


@require_POST
@agent_required
def case_note(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return render(request, "backoffice/case.html", _case_context(request, case, note=form))
    services.note_add(case=case, author=request.user, body=form.cleaned_data["body"])
    messages.success(request, _("The note is saved."))
    return _back(case)


@require_POST
@agent_required
def case_share(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    form = ShareForm(request.POST, case=case)
    if not form.is_valid():
        return _refused(request, case, ValidationError(_("Choose an agent.")))
    try:
        services.case_share(
            case=case, agent=form.cleaned_data["agent"], actor=request.user, with_notes=form.cleaned_data["with_notes"]
        )
    except (ValidationError, PermissionDenied) as error:
        return _refused(request, case, error)
    messages.success(request, _("The request is shared."))
    return _back(case)

"""Writes of the instruction: transitions of the workflow, assignment, sharing, internal notes."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from backoffice.models import Note
from gru.models import Membership
from letters.services import transition_letter_send
from portal.models import User
from teleservices import access
from teleservices.models import Case, CaseEvent, CaseShare, Teleservice
from teleservices.services import case_notify, case_sensitive_files_remove
from teleservices.workflows import Transition


def _locked(case: Case) -> Case:
    """The case row, locked until the transaction ends. Related rows are read after the lock (not joined in the
    locking query): PostgreSQL re-reads a row updated meanwhile but not the rows joined to it."""
    return Case.objects.select_for_update().get(pk=case.pk)


@transaction.atomic
def case_transition(*, case: Case, transition: Transition, actor: User | None, comment: str = "") -> Case:
    """Apply a workflow action to a case: guard (status, role, inputs), status change, history, notification.

    The case row is locked: of two agents clicking at once, the second finds the status changed and is told."""
    case = _locked(case)
    status = case.status
    if case.teleservice.workflow_id != transition.workflow_id or status is None:
        raise ValidationError(_("This action does not belong to this request's workflow."))
    if not transition.sources.filter(pk=status.pk).exists():
        if case.status_id == transition.target_id:
            raise ValidationError(_("“%(action)s” has already been done.") % {"action": transition.label})
        raise ValidationError(
            _("“%(action)s” is not possible any more: the request is now “%(status)s”.")
            % {"action": transition.label, "status": status.label}
        )
    if actor is not None and not access.is_member(actor, case):
        raise PermissionDenied(_("Only the department instructing the request may do this."))
    if actor is not None and transition.managers_only and not access.is_manager(actor, case):
        raise PermissionDenied(_("Only the department's managers may do this."))
    comment = comment.strip()
    if transition.comment == Transition.Comment.REQUIRED and not comment:
        raise ValidationError(
            {"comment": _("This field is required: %(label)s.") % {"label": transition.comment_title}}
        )
    if transition.comment == Transition.Comment.NONE:
        comment = ""
    case.resume_status = status if transition.asks_completion else None
    fields = case.enter_status(transition.target, timezone.now())
    fields.append("resume_status")
    if transition.assigns_department_id is not None:
        case.department_id, case.assignee = transition.assigns_department_id, None
        fields += ["department", "assignee"]
    case.save(update_fields=fields)
    CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.STATUS_CHANGED,
        actor=actor,
        status=transition.target,
        comment=comment,
        detail=transition.label,
    )
    if transition.asks_completion:
        case_notify(case=case, event="case_information_requested", comment=comment)
    elif transition.notifies_citizen:
        case_notify(case=case, event="case_status_changed", status=case.citizen_status, comment=comment)
    transition_letter_send(case=case, transition=transition, actor=actor)
    if transition.target.is_terminal:
        case = case_sensitive_files_remove(case=case)
    return case


@transaction.atomic
def case_assign(*, case: Case, assignee: User | None, actor: User) -> Case:
    """Give a case to an agent of its department: an agent takes it ("je prends"), a manager gives it to anyone."""
    case = _locked(case)
    taking = assignee is not None and assignee.pk == actor.pk
    releasing = assignee is None and case.assignee_id == actor.pk
    role = access.role_on(actor, case)
    if not (role == Membership.Role.MANAGER or (role is not None and (taking or releasing))):
        raise PermissionDenied(_("Only the department's managers may assign requests to others."))
    if assignee is not None and not access.is_member(assignee, case):
        raise ValidationError(_("This agent does not belong to the department instructing the request."))
    if case.assignee_id == (assignee.pk if assignee else None):
        return case
    case.assignee = assignee
    case.save(update_fields=["assignee", "updated_at"])
    detail = assignee.get_full_name() if assignee else ""
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.ASSIGNED, actor=actor, detail=detail)
    return case


@transaction.atomic
def case_share(*, case: Case, agent: User, actor: User, with_notes: bool = False) -> Case:
    """Let an agent of another department read the case, and its internal notes if `with_notes`, to give an opinion
    (django-guardian object permission); sharing again with the same agent sets `with_notes` anew."""
    if not access.is_member(actor, case):
        raise PermissionDenied(_("Only the instructing department may share a request."))
    if not Membership.objects.of(agent).exists():
        raise ValidationError(_("Requests can only be shared with agents."))
    assign_perm(f"teleservices.{access.VIEW_CASE}", agent, case)
    CaseShare.objects.filter(content_object=case, user=agent, permission__codename=access.VIEW_CASE).update(
        with_notes=with_notes
    )
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.SHARED, actor=actor, detail=agent.get_full_name())
    return case


@transaction.atomic
def note_add(*, case: Case, author: User, body: str) -> Note:
    if not body.strip():
        raise ValidationError({"body": _("Write the note.")})
    return Note.objects.create(case=case, author=author, body=body.strip())


def cases_bulk_assign(*, cases: Iterable[Case], assignee: User | None, actor: User) -> list[str]:
    """Assign every case, or none: returns the errors, one per case that could not be assigned."""
    return _all_or_none(cases, lambda case: case_assign(case=case, assignee=assignee, actor=actor))


def cases_bulk_transition(*, cases: Iterable[Case], transition: Transition, actor: User, comment: str) -> list[str]:
    """Apply the action to every case, or to none if it is not allowed on one of them."""
    return _all_or_none(
        cases, lambda case: case_transition(case=case, transition=transition, actor=actor, comment=comment)
    )


@transaction.atomic
def _all_or_none(cases: Iterable[Case], apply: Callable[[Case], object]) -> list[str]:
    """Apply to each case in one transaction, rolled back (notifications included) if any case refuses."""
    errors = []
    for case in cases:
        try:
            apply(case)
        except (ValidationError, PermissionDenied) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            errors.append(f"{case.reference} : {text}")
    if errors:
        transaction.set_rollback(True)
    return errors


def cases_apply_silence(*, today: datetime.date) -> int:
    """Silence vaut accord / rejet: apply the téléservice's action to open cases whose deadline has passed."""
    overdue = (
        Case.objects.open()
        .filter(deadline__lt=today, teleservice__silence_transition__isnull=False)
        .select_related("teleservice__silence_transition")
    )
    applied = 0
    for case in overdue.iterator():
        transition = case.teleservice.silence_transition
        if transition is None:
            continue
        comment = (
            _("The processing deadline has passed: the administration's silence means acceptance.")
            if case.teleservice.silence == Teleservice.Silence.ACCEPTANCE
            else _("The processing deadline has passed: the administration's silence means rejection.")
        )
        try:
            with transaction.atomic():
                CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.DEADLINE_PASSED, detail=transition.label)
                case_transition(case=case, transition=transition, actor=None, comment=comment)
        except ValidationError:  # not possible from its current status: left to the agents
            continue
        applied += 1
    return applied

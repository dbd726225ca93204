"""Writes on téléservices and requests: publishing, drafts, submission, messages, status changes."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Sequence
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gru.models import Membership, Notification
from gru.notifications import notify
from gru.workdays import add_working_days
from letters.models import Kind as LetterKind
from letters.models import Letter, LetterTemplate
from letters.services import letter_create, letter_send
from portal.models import Household, User
from teleservices import tasks
from teleservices.definition import FieldDef, FormDefinition, definition_errors, definition_from_rows
from teleservices.filling import answer_files, document_about, file_answer, prefill_answers, vault_member
from teleservices.letters_context import letter_context
from teleservices.models import Case, CaseEvent, FormVersion, Message, Teleservice
from vault.files import CheckedFile
from vault.models import Document, DocumentType, StoredFile
from vault.services import document_add, stored_file_create, stored_files_delete_unused

# Unambiguous characters (no 0/O, 1/I/L): 31⁶ ≈ 887 million references a year.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 6


def teleservice_definition(*, teleservice: Teleservice) -> FormDefinition:
    """The form as currently edited (what the next version will freeze)."""
    rows = list(teleservice.fields.order_by("position", "pk"))
    children: dict[int, list[Any]] = {}
    for row in rows:
        if row.block_id is not None:
            children.setdefault(row.block_id, []).append(row)
    return definition_from_rows(
        title=teleservice.title,
        rows=[row for row in rows if row.block_id is None],
        children=children,
        rules=teleservice.eligibility_rules.order_by("position", "pk"),
    )


@transaction.atomic
def teleservice_publish(*, teleservice: Teleservice, user: User | None) -> FormVersion:
    """Freeze the form as a new version that new requests use; filed requests keep theirs."""
    definition = teleservice_definition(teleservice=teleservice)
    errors = definition_errors(definition)
    if errors:
        raise ValidationError(errors)
    Teleservice.objects.select_for_update().get(pk=teleservice.pk)  # one publication at a time
    number = (teleservice.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = FormVersion.objects.create(
        teleservice=teleservice, number=number, definition=definition.to_dict(), published_by=user
    )
    teleservice.current_version = version
    teleservice.is_published = True
    teleservice.save(update_fields=["current_version", "is_published"])
    return version


def _draft_expiry(teleservice: Teleservice) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=teleservice.draft_lifetime_days)


@transaction.atomic
def case_start(*, user: User, teleservice: Teleservice, channel: str = Case.Channel.WEB) -> Case:
    """A new draft of the published version, prefilled from the profile and the household."""
    version = _open_version(teleservice)
    if not teleservice.accepts(user):
        raise PermissionDenied(_("This procedure requires an identity certified by FranceConnect."))
    return _draft_create(teleservice=teleservice, version=version, citizen=user, channel=channel)


@transaction.atomic
def case_start_for(
    *, agent: User, teleservice: Teleservice, channel: str, citizen: User | None, applicant: dict[str, str]
) -> Case:
    """A draft an agent fills in for a citizen who came to the counter, phoned or wrote: under the citizen's
    account if they have one (prefilled from it), or under the name and contact details they gave.

    The agent checks the identity: a procedure restricted to certified identities is open to them."""
    version = _open_version(teleservice)
    if not Membership.objects.filter(user=agent, department_id=teleservice.department_id).exists():
        raise PermissionDenied(_("Only agents of the department instructing this procedure may file it."))
    if channel == Case.Channel.WEB:
        raise ValidationError(_("Choose how the citizen reached you."))
    return _draft_create(
        teleservice=teleservice, version=version, citizen=citizen, channel=channel, filed_by=agent, **applicant
    )


def _open_version(teleservice: Teleservice) -> FormVersion:
    """The version new drafts are filled in with, if the procedure is open."""
    if teleservice.current_version is None or not teleservice.is_open():
        raise ValidationError(_("This procedure is not open at the moment."))
    return teleservice.current_version


def _draft_create(
    *, teleservice: Teleservice, version: FormVersion, citizen: User | None, channel: str, **fields: Any
) -> Case:
    household = Household.objects.of(citizen).first() if citizen else None
    data = prefill_answers(version.form, user=citizen, household=household) if citizen else {}
    return Case.objects.create(
        teleservice=teleservice,
        version=version,
        user=citizen,
        household=household,
        channel=channel,
        data=data,
        draft_expires_at=_draft_expiry(teleservice),
        **fields,
    )


@transaction.atomic
def case_page_save(*, case: Case, answers: dict[str, Any], files: dict[str, CheckedFile], page: int) -> Case:
    """Keep a page's answers (and its uploads) in the draft, which then resumes at `page`."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.is_draft:
        raise ValidationError(_("This request has already been submitted."))
    answers = dict(answers)
    for key, checked in files.items():
        stored = stored_file_create(owner=case.user, checked=checked)
        case.files.add(stored)
        issued_on = (answers.get(key) or {}).get("issued_on")  # of a new document for the vault
        answers[key] = {**file_answer(stored), **({"issued_on": issued_on} if issued_on else {})}
    chosen = [
        answers[f.key] for f in case.form.fields() if f.kind == "file" and (answers.get(f.key) or {}).get("document")
    ]
    if chosen:  # documents of the vault: the request holds its own reference to their pages
        ids = [page["id"] for answer in chosen for page in answer_files(answer)]
        case.files.add(*StoredFile.objects.filter(owner_id=case.user_id, public_id__in=ids))
    case.data = answers
    case.page = page
    case.draft_expires_at = _draft_expiry(case.teleservice)
    case.draft_reminded_at = None
    case.save(update_fields=["data", "page", "draft_expires_at", "draft_reminded_at", "updated_at"])
    return case


@transaction.atomic
def case_draft_delete(*, case: Case) -> None:
    """The citizen gives up a draft: it goes with the files only it holds."""
    _files_delete_orphans(list(case.files.all()), cases=Case.objects.filter(pk=case.pk))


def _files_delete_orphans(files: list[Any], *, cases: Any) -> None:
    cases.delete()
    stored_files_delete_unused(files=files)


def case_problems(*, case: Case) -> list[str]:
    """Why a draft cannot be submitted yet (empty when it can)."""
    form = case.form
    problems = form.ineligibility(case.data)
    problems += [_("“%(label)s” is not answered.") % {"label": f.label} for f in form.missing(case.data)]
    return problems


def _new_reference(year: int) -> str:
    return f"DEM-{year}-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


@transaction.atomic
def case_submit(*, case: Case) -> Case:
    """Submit a draft: reference, first status, answers frozen without hidden ones, history, acknowledgement.

    Idempotent: the draft row is locked, so a double click, a second tab or a retried POST finds it submitted and
    gets the same case back."""
    case = Case.objects.select_for_update().select_related("version", "teleservice").get(pk=case.pk)
    if not case.is_draft:
        return case
    problems = case_problems(case=case)
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    case.data = case.form.shown_answers(case.data)
    case.status = case.teleservice.workflow.initial_status
    case.department_id = case.teleservice.department_id
    case.submitted_at = now
    case.deadline = add_working_days(timezone.localdate(now), case.teleservice.processing_days)
    case.draft_expires_at = None
    fields = ["data", "status", "department", "submitted_at", "deadline", "draft_expires_at", "reference"]
    if case.user is not None:  # the identity the request is filed under, searchable by agents
        case.applicant_first_name, case.applicant_last_name = case.user.first_name, case.user.last_name
        case.applicant_email = case.user.email
        fields += ["applicant_first_name", "applicant_last_name", "applicant_email"]
    while True:
        case.reference = _new_reference(timezone.localtime(now).year)
        try:
            with transaction.atomic():
                case.save(update_fields=[*fields, "updated_at"])
            break
        except IntegrityError:  # the reference exists already: draw another
            continue
    _keep_only_answered_files(case)
    _uploads_into_vault(case)
    _acknowledge(case)
    CaseEvent.objects.create(
        case=case, kind=CaseEvent.Kind.SUBMITTED, actor=case.filed_by or case.user, status=case.status
    )
    case_notify(case=case, event="case_received", submitted_at=case.submitted_at)
    return case


def case_notify(
    *, case: Case, event: str, attachments: Sequence[StoredFile] = (), **context: Any
) -> list[Notification]:
    """Tell the applicant about their request (gru.notifications.EVENTS), in the transaction of the change: its
    account, or the email address given at the counter by someone without one."""
    name = case.applicant_first_name or (case.user.get_short_name() if case.user else "")
    return notify(
        event=event,
        user=case.user,
        email=case.contact_email,
        context={"name": name, "title": case.teleservice.title, "reference": case.reference, **context},
        url=case.get_absolute_url(),
        attachments=attachments,
    )


@transaction.atomic
def case_letter_create(*, case: Case, template: LetterTemplate, author: User | None, send: bool = False) -> Letter:
    """A letter of `template` for the request, its PDF generated in the background; with `send`, sent to the
    applicant as soon as it is ready (a workflow action, the acknowledgement of receipt)."""
    letter = letter_create(case=case, template=template, context=letter_context(case=case, agent=author), author=author)
    if send:
        transaction.on_commit(partial(tasks.case_letter_send_task.delay, letter.pk))
    return letter


def _acknowledge(case: Case) -> None:
    """The acknowledgement of receipt (récépissé de dépôt), a PDF letter from the téléservice's own template or the
    default one."""
    templates = LetterTemplate.objects.active().filter(kind=LetterKind.ACKNOWLEDGEMENT)
    template = templates.filter(teleservices=case.teleservice).first() or templates.filter(teleservices=None).first()
    if template is not None:
        case_letter_create(case=case, template=template, author=case.filed_by, send=True)


@transaction.atomic
def case_letter_send(*, letter: Letter, actor: User | None) -> Letter:
    """Send a ready letter: frozen, in the request's history and the citizen's letters, attached to an email (the
    acknowledgement of receipt excepted: its email went at submission)."""
    letter = letter_send(letter=letter, actor=actor)
    case = letter.case
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.LETTER, actor=actor, detail=letter.subject)
    if letter.kind != LetterKind.ACKNOWLEDGEMENT and letter.pdf is not None:  # a sent letter always has its PDF
        case_notify(case=case, event="case_letter", attachments=[letter.pdf], subject=letter.subject)
    return letter


def _keep_only_answered_files(case: Case) -> None:
    """Files uploaded for questions that ended up hidden or replaced are no longer part of the request."""
    kept = {str(page["id"]) for _f, answer in _file_answers(case) for page in answer_files(answer)}
    case.files.remove(*[f for f in case.files.all() if str(f.public_id) not in kept])


def _file_answers(case: Case) -> list[tuple[FieldDef, dict[str, Any]]]:
    return [(f, case.data[f.key]) for f in case.form.fields() if f.kind == "file" and case.data.get(f.key)]


@transaction.atomic
def case_sensitive_files_remove(*, case: Case) -> Case:
    """Identity documents leave a request once its instruction is over, as the law on data minimisation asks; the
    citizen's vault keeps its own copy. The answer keeps the file names and says why they are gone."""
    sensitive = set(DocumentType.objects.filter(sensitive=True).values_list("slug", flat=True))
    removed: list[StoredFile] = []
    for f, answer in _file_answers(case):
        if f.option("document_type") in sensitive and not answer.get("removed"):
            pages = answer_files(answer)
            removed += case.files.filter(public_id__in=[page["id"] for page in pages])
            case.data[f.key] = {"name": ", ".join(page["name"] for page in pages), "removed": True}
    if removed:
        case.files.remove(*removed)
        case.save(update_fields=["data"])
        stored_files_delete_unused(files=removed)
    return case


def _uploads_into_vault(case: Case) -> None:
    """New files given for questions bound to a type of document are filed into the applicant's vault too, to be
    offered in their next procedures ("dites-le-nous une fois")."""
    if case.user is None:
        return
    for f, answer in _file_answers(case):
        if not f.option("document_type") or answer.get("document") or not answer.get("issued_on"):
            continue
        member = document_about(f, case.data, case.household)
        document = document_add(
            owner=case.user,
            type=DocumentType.objects.get(slug=f.option("document_type")),
            issued_on=datetime.date.fromisoformat(answer["issued_on"]),
            files=list(case.files.filter(public_id=answer["id"])),
            member=vault_member(member, case.user_id),
            source=Document.Source.REQUEST,
        )
        case.data[f.key] = {**answer, "document": str(document.public_id)}
    case.save(update_fields=["data"])


@transaction.atomic
def case_message_post(*, case: Case, author: User, body: str, files: list[CheckedFile], from_agent: bool) -> Message:
    """A message in the case's thread; the citizen is told of the agents' messages (to read them in their space)."""
    message = Message.objects.create(case=case, author=author, body=body, from_agent=from_agent)
    for checked in files:
        message.attachments.add(stored_file_create(owner=author, checked=checked))
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.MESSAGE, actor=author)
    if from_agent:
        case_notify(case=case, event="case_message")
    return message


@transaction.atomic
def case_complete(*, case: Case, author: User, body: str, files: list[CheckedFile]) -> Case:
    """The citizen sends what the agent asked for: the request goes back to the status it was in when asked."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.resume_status is None:
        raise ValidationError(_("Nothing is asked of you on this request at the moment."))
    case_message_post(case=case, author=author, body=body, files=files, from_agent=False)
    fields = case.enter_status(case.resume_status, timezone.now())
    case.resume_status = None
    case.save(update_fields=[*fields, "resume_status"])
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.COMPLETED, actor=author, status=case.status)
    return case


@transaction.atomic
def drafts_remind(*, now: datetime.datetime, days_before: int = 3) -> int:
    """Tell the owners of drafts about to expire (once per draft); returns how many were reminded."""
    drafts = list(
        Case.objects.drafts()
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("user", "teleservice")
        .filter(filed_by__isnull=True)  # an agent's draft for someone is the agent's to finish
        .filter(draft_reminded_at__isnull=True, draft_expires_at__lte=now + datetime.timedelta(days=days_before))
    )
    Case.objects.filter(pk__in=[case.pk for case in drafts]).update(draft_reminded_at=now)
    for case in drafts:
        case_notify(case=case, event="draft_expiring", expires_at=case.draft_expires_at)
    return len(drafts)


@transaction.atomic
def drafts_purge(*, now: datetime.datetime) -> int:
    """Delete the expired drafts whose owners were reminded (agents' drafts are not), with their files."""
    expired = Case.objects.drafts().filter(
        Q(draft_reminded_at__isnull=False) | Q(filed_by__isnull=False), draft_expires_at__lte=now
    )
    files = [f for case in expired.prefetch_related("files") for f in case.files.all()]
    count = expired.count()
    _files_delete_orphans(files, cases=expired)
    return count


@transaction.atomic
def cases_link_to_account(*, user: User, email: str) -> int:
    """Requests filed by agents for someone without an account go to the account that has just proved it owns
    the email address they were filed with; returns how many."""
    household = Household.objects.of(user).first()
    cases = Case.objects.filter(user__isnull=True, filed_by__isnull=False, applicant_email__iexact=email)
    return cases.update(user=user, household=household, updated_at=timezone.now())

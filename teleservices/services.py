"""Writes on téléservices and requests: publishing, drafts, submission, messages, status changes."""

from __future__ import annotations

import datetime
import secrets
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from gru.models import Membership, Notification
from gru.notifications import notify
from gru.queue import enqueue_all, enqueue_on_commit
from gru.workdays import add_working_days
from portal.models import Household, User
from teleservices import tasks
from teleservices.answers import answer_files, file_answer, prefill_answers
from teleservices.blocks import too_few_rows_message
from teleservices.checks import proof_expired, undated_uploads
from teleservices.copies import answers_copy_pdf
from teleservices.definition import FieldDef, FormDefinition, definition_errors, definition_from_rows
from teleservices.models import Case, CaseEvent, CounterConsent, FormVersion, Message, Teleservice
from teleservices.offers import document_about, vault_member
from teleservices.signals import case_submitted
from vault.files import CheckedFile
from vault.models import Document, DocumentType, StoredFile
from vault.services import document_add, storage_quota_check, stored_file_create, stored_files_delete_unused

# A copy of the answers still missing this long after submission lost its task: queued again, for a week at most (the
# requests filed before copies existed have none).
ANSWERS_COPY_GRACE = datetime.timedelta(minutes=5)
ANSWERS_COPY_WINDOW = datetime.timedelta(days=7)
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
    if not Membership.objects.belongs(agent, teleservice.department_id):
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
def case_page_save(
    *, case: Case, answers: dict[str, Any], files: dict[str, CheckedFile], page: int | None = None
) -> Case:
    """Keep a page's answers (and its uploads) in the draft, which then resumes at `page` (None: where it did);
    StorageQuotaExceeded (vault.services) when the uploads do not fit in the applicant's household's storage."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.is_draft:
        raise ValidationError(_("This request has already been submitted."))
    if case.user is not None:
        storage_quota_check(owner=case.user, adding=list(files.values()))
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
    case.page = case.page if page is None else page
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
    problems += [too_few_rows_message(f.label, f.row_minimum) for f in form.short_blocks(case.data)]
    problems += [
        _("Give the issue date of the document sent for “%(label)s”.") % {"label": f.label}
        for f in undated_uploads(form, case.data)
    ]
    problems += [
        _("“%(label)s”: %(problem)s") % {"label": f.label, "problem": proof_expired(until)}
        for f, until in _proofs_expired(case)
    ]
    return problems


def _proofs_expired(case: Case) -> list[tuple[FieldDef, datetime.date]]:
    """The proofs given for questions bound to a type of document that are no longer valid today (they were when
    their page was accepted), with the last day they were: a document of the vault by its own validity, a new file
    by its type's rule."""
    answers = case.form.shown_answers(case.data)
    bound = [
        (f, answers[f.key])
        for f in case.form.fields()
        if f.kind == "file" and f.option("document_type") and answers.get(f.key)
    ]
    if not bound:
        return []
    chosen = [answer["document"] for _f, answer in bound if answer.get("document")]
    documents = Document.objects.filter(owner_id=case.user_id).in_bulk(chosen, field_name="public_id")
    types = DocumentType.objects.in_bulk({f.option("document_type") for f, _a in bound}, field_name="slug")
    today, expired = timezone.localdate(), []
    for f, answer in bound:
        if answer.get("document"):
            document = documents.get(uuid.UUID(answer["document"]))
            until = document.valid_until if document is not None else None
        elif answer.get("issued_on") and f.option("document_type") in types:
            until = types[f.option("document_type")].valid_until(datetime.date.fromisoformat(answer["issued_on"]))
        else:
            until = None
        if until is not None and until < today:
            expired.append((f, until))
    return expired


def _new_reference(year: int) -> str:
    return f"DEM-{year}-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


@transaction.atomic
def case_submit(*, case: Case, certified: bool = False) -> Case:
    """Submit a draft: reference, first status, answers frozen without hidden ones, `case_submitted` sent (letters
    queues the récépissé), history, acknowledgement, a copy of the answers in PDF. `certified`: the applicant ticked
    “I certify…”, which the téléservice may require.

    Idempotent: the draft row is locked, so a double click, a second tab or a retried POST finds it submitted and
    gets the same case back."""
    case = Case.objects.select_for_update().select_related("version", "teleservice").get(pk=case.pk)
    if not case.is_draft:
        return case
    problems = case_problems(case=case)
    if case.asks_certification and not certified:
        problems.append(_("Tick the box certifying that your information is accurate to send it."))
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    if case.asks_certification:
        case.certified_at = now
    case.data = case.form.shown_answers(case.data)
    case.status = case.teleservice.workflow.initial_status
    case.department_id = case.teleservice.department_id
    case.submitted_at = now
    case.deadline = add_working_days(timezone.localdate(now), case.teleservice.processing_days)
    case.draft_expires_at = None
    fields = [
        "data",
        "status",
        "department",
        "submitted_at",
        "certified_at",
        "deadline",
        "draft_expires_at",
        "reference",
    ]
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
    # The acknowledgement email carries what the apps above make for it (letters' récépissé): it waits for the longest
    # they ask, a while only (sending the récépissé releases it). django-stubs types the replies as strings.
    replies: list[tuple[Any, Any]] = case_submitted.send(sender=Case, case=case)
    hold = max((wait for _receiver, wait in replies if isinstance(wait, datetime.timedelta)), default=None)
    CaseEvent.objects.create(
        case=case, kind=CaseEvent.Kind.SUBMITTED, actor=case.filed_by or case.user, status=case.status
    )
    # Filed at the counter in the name of a citizen with an account: they are told who filed it, and when.
    counter = case.teleservice.department.name if case.filed_by_id and case.user_id else ""
    case_notify(case=case, event="case_received", hold=hold, submitted_at=case.submitted_at, counter=counter)
    enqueue_on_commit(tasks.case_answers_copy_task, case_id=case.pk)
    return case


@transaction.atomic
def case_answers_copy_make(*, case_id: int) -> Case | None:
    """The copy of a submitted request's answers as sent, in PDF, kept with the request (its applicant and household
    download it from the request's page, as the request's other files).

    Idempotent: made once, the case row locked meanwhile, so a task queued twice makes one copy."""
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("teleservice", "version", "department__organisation", "user")
        .filter(pk=case_id, submitted_at__isnull=False, answers_copy__isnull=True)
        .first()
    )
    if case is None:
        return None
    checked = CheckedFile(content=answers_copy_pdf(case), mime="application/pdf", name=f"reponses-{case.reference}.pdf")
    case.answers_copy = stored_file_create(owner=case.user, checked=checked, generated=True)
    case.save(update_fields=["answers_copy", "updated_at"])
    case.files.add(case.answers_copy)
    return case


def case_answers_copies_stale(*, now: datetime.datetime) -> int:
    """Queue again the copies of answers whose task was lost; returns how many."""
    waiting = Case.objects.answers_copy_missing(
        submitted_before=now - ANSWERS_COPY_GRACE, since=now - ANSWERS_COPY_WINDOW
    )
    return enqueue_all(tasks.case_answers_copy_task, "case_id", list(waiting.values_list("pk", flat=True)))


def case_notify(
    *,
    case: Case,
    event: str,
    attachments: Sequence[StoredFile] = (),
    hold: datetime.timedelta | None = None,
    **context: Any,
) -> list[Notification]:
    """Tell the applicant about their request (teleservices/notifications.py), in the transaction of the change: its
    account, or the email address given at the counter by someone without one. `hold`: see notify()."""
    name = case.applicant_first_name or (case.user.get_short_name() if case.user else "")
    return notify(
        event=event,
        user=case.user,
        email=case.contact_email,
        context={"name": name, "title": case.teleservice.title, "reference": case.reference, **context},
        url=case.get_absolute_url(),
        attachments=attachments,
        topic=case.topic,
        hold=hold,
    )


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
def case_message_post(
    *,
    case: Case,
    author: User,
    body: str,
    files: list[CheckedFile],
    from_agent: bool,
    kept: Sequence[StoredFile] = (),
) -> Message:
    """A message in the case's thread, with new `files` and those `kept` by vault's uploads_hold; the citizen is told
    of the agents' messages (to read them in their space)."""
    if not from_agent:  # agents' files are the collectivité's, not the household's
        storage_quota_check(owner=author, adding=files)
    message = Message.objects.create(case=case, author=author, body=body, from_agent=from_agent)
    message.attachments.add(*kept, *(stored_file_create(owner=author, checked=checked) for checked in files))
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.MESSAGE, actor=author)
    if from_agent:
        case_notify(case=case, event="case_message")
    return message


COUNTER_CONSENTS_PER_HOUR = 3


@transaction.atomic
def counter_consent_ask(*, case: Case, agent: User) -> CounterConsent:
    """Send the citizen, by every channel they use (and in their space), a one-time code to give the agent filing
    the request in their name, if they agree that the agent sees their household and vault for it."""
    if case.filed_by_id != agent.pk or not case.is_draft or case.user is None:
        raise PermissionDenied(_("Only the agent filing this draft for a citizen with an account may ask."))
    recent = case.counter_consents.filter(created_at__gte=timezone.now() - datetime.timedelta(hours=1))
    if recent.count() >= COUNTER_CONSENTS_PER_HOUR:
        raise ValidationError(_("Three codes were sent in the last hour: scan the documents the citizen brought."))
    code = f"{secrets.randbelow(10**6):06d}"
    consent = CounterConsent.objects.create(case=case, agent=agent, code_digest=_consent_digest(case, code))
    notify(
        event="counter_consent_code",
        user=case.user,
        context={
            "name": case.user.get_short_name(),
            "code": code,
            "agent": agent.get_full_name(),
            "department": case.teleservice.department.name,
            "title": case.teleservice.title,
        },
        url=reverse("portal:space"),
    )
    return consent


def counter_consent_confirm(*, case: Case, agent: User, code: str) -> None:
    """The code the citizen gave: right, the consent is granted; wrong, one attempt of five is spent."""
    with transaction.atomic():
        consent = CounterConsent.objects.select_for_update().filter(case=case, agent=agent).first()
        if consent is None or not consent.is_open(timezone.now()):
            raise ValidationError(_("This code is no longer valid: send a new one."))
        right = constant_time_compare(consent.code_digest, _consent_digest(case, code.strip()))
        consent.attempts += 1
        consent.granted_at = timezone.now() if right else None
        consent.save(update_fields=["attempts", "granted_at"])
    if not right:
        raise ValidationError(_("This is not the code sent to the citizen."))


def _consent_digest(case: Case, code: str) -> str:
    return salted_hmac("teleservices.counter_consent", f"{case.public_id}:{code}", algorithm="sha256").hexdigest()


@transaction.atomic
def case_documents_share(*, case: Case, citizen: User, documents: Iterable[Document]) -> None:
    """The citizen's documents shown for the request are exactly these (their own; another's stay as they are)."""
    chosen = list(documents)
    if any(document.owner_id != citizen.pk for document in chosen):
        raise PermissionDenied(_("Only your own documents may be shared."))
    case.shared_documents.remove(*case.shared_documents.filter(owner=citizen).exclude(pk__in=[d.pk for d in chosen]))
    case.shared_documents.add(*chosen)


@transaction.atomic
def case_complete(
    *, case: Case, author: User, body: str, files: list[CheckedFile], kept: Sequence[StoredFile] = ()
) -> Case:
    """The citizen sends what the agent asked for: the request goes back to the status it was in when asked."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.resume_status is None:
        raise ValidationError(_("Nothing is asked of you on this request at the moment."))
    case_message_post(case=case, author=author, body=body, files=files, from_agent=False, kept=kept)
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

from __future__ import annotations

import datetime
import hashlib
import logging
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gru import metrics
from gru.models import Notification
from gru.notifications import notify
from gru.queue import enqueue_all, enqueue_on_commit
from gru.sizes import file_size
from portal.models import Household, HouseholdMember, User
from vault import access, antivirus, crypto, tasks
from vault.files import CheckedFile
from vault.models import Document, DocumentType, StoredFile

logger = logging.getLogger(__name__)


class StorageQuotaExceeded(ValidationError):
    """Uploads that do not fit in what is left of the household's storage (HOUSEHOLD_STORAGE_QUOTA)."""


def storage_quota_check(*, owner: User, adding: Sequence[CheckedFile]) -> None:
    """Refuse uploads that would take the owner's household (the owner alone without one) past
    HOUSEHOLD_STORAGE_QUOTA, with a French StorageQuotaExceeded. Called in the transaction that stores them: the
    household's row (or the owner's) stays locked until then, so that two uploads at once cannot both pass."""
    needed = sum(len(checked.content) for checked in adding)
    if not needed:
        return
    if Household.objects.of(owner).select_for_update(of=("self",)).first() is None:
        User.objects.select_for_update().filter(pk=owner.pk).first()
    used, quota = StoredFile.objects.in_storage_of(owner).total_size(), settings.HOUSEHOLD_STORAGE_QUOTA
    if used + needed > quota:
        message = _(
            "Not enough room is left in your storage space: %(used)s used of %(quota)s (with the files of your "
            "household), and these files take %(needed)s. Delete the documents you no longer need from “My "
            "documents”, or contact our services."
        )
        sizes = {"used": file_size(used), "quota": file_size(quota), "needed": file_size(needed)}
        raise StorageQuotaExceeded(message % sizes, code="storage_quota")


@transaction.atomic
def stored_file_create(*, owner: User | None, checked: CheckedFile, generated: bool = False) -> StoredFile:
    """Keep a checked upload (vault.files.file_check) in private storage, encrypted; in quarantine until the
    antivirus finds it clean, when scanning is enabled. A file the portal `generated` itself (a letter's PDF, a
    calendar file) is not scanned: it is available at once."""
    stored = StoredFile(
        owner=owner,
        name=checked.name,
        content_type=checked.mime,
        size=len(checked.content),
        sha256=hashlib.sha256(checked.content).hexdigest(),
        key_id=crypto.current_key_id(),
        scan=_scan_of_new_file(generated),
    )
    blob = crypto.encrypt(checked.content, key_id=stored.key_id, bound_to=stored.public_id.bytes)
    stored.file.save(checked.name, ContentFile(blob), save=False)
    stored.save()
    if stored.scan == StoredFile.Scan.PENDING:
        enqueue_on_commit(tasks.stored_file_scan_task, stored_id=stored.pk)
    return stored


def _scan_of_new_file(generated: bool) -> str:
    if generated:
        return StoredFile.Scan.GENERATED
    return StoredFile.Scan.PENDING if settings.CLAMAV_ENABLED else StoredFile.Scan.NOT_SCANNED


def stored_file_scan(*, stored_id: int) -> StoredFile | None:
    """Have the antivirus read a file in quarantine: released when clean, its content deleted when infected.
    antivirus.AntivirusUnavailable when the daemon gives no clear answer (the file stays in quarantine)."""
    stored = StoredFile.objects.filter(pk=stored_id, scan=StoredFile.Scan.PENDING).first()
    if stored is None:  # deleted meanwhile, or already scanned
        return None
    try:
        virus = antivirus.scan(stored.read())
    except antivirus.AntivirusUnavailable:
        metrics.antivirus_verdict("error")
        raise
    metrics.antivirus_verdict("clean" if virus is None else "infected")
    if virus is None:
        logger.info("The stored file %s is clean: released from quarantine.", stored.public_id)
        stored.scan = StoredFile.Scan.CLEAN
    else:
        logger.warning("Virus %s found in the stored file %s: its content is deleted.", virus, stored.public_id)
        stored.file.delete(save=False)
        stored.scan, stored.virus = StoredFile.Scan.INFECTED, virus[:200]
    stored.save(update_fields=["scan", "virus", "file"])
    return stored


SCAN_GRACE = datetime.timedelta(minutes=5)


def stored_files_pending(*, now: datetime.datetime) -> list[int]:
    """The files still in quarantine a while after their upload: their scan was lost or gave up."""
    pending = StoredFile.objects.filter(scan=StoredFile.Scan.PENDING, created_at__lte=now - SCAN_GRACE)
    return list(pending.values_list("pk", flat=True))


@transaction.atomic
def stored_files_quarantine_unscanned() -> list[int]:
    """Once the antivirus is enabled: the files stored while it was off go into quarantine, each with its scan queued
    (the sweeper queues again those the broker refused); returns their ids. Their owners see "analyse en cours" for
    the time of the scan, as after an upload."""
    if not settings.CLAMAV_ENABLED:
        raise ImproperlyConfigured("The antivirus is disabled (CLAMAV_ENABLED=false): nothing would scan the files.")
    unscanned = StoredFile.objects.select_for_update().filter(scan=StoredFile.Scan.NOT_SCANNED)
    ids = list(unscanned.values_list("pk", flat=True))
    StoredFile.objects.filter(pk__in=ids).update(scan=StoredFile.Scan.PENDING)
    transaction.on_commit(lambda: enqueue_all(tasks.stored_file_scan_task, "stored_id", ids))
    return ids


@transaction.atomic
def document_add(
    *,
    owner: User,
    type: DocumentType,
    issued_on: datetime.date,
    files: Sequence[StoredFile],
    member: HouseholdMember | None = None,
    source: str = Document.Source.CITIZEN,
    added_by: User | None = None,
) -> Document:
    """File a proof in a citizen's vault, its validity computed from its type's rule."""
    if not files:
        raise ValidationError(_("Add at least one page to the document."))
    if issued_on > timezone.localdate():
        raise ValidationError({"issued_on": _("The issue date cannot be in the future.")})
    if member is not None and not HouseholdMember.objects.of(owner).filter(pk=member.pk).exists():
        raise ValidationError(_("This person is not a member of the household."))
    document = Document.objects.create(
        owner=owner,
        member=member,
        type=type,
        issued_on=issued_on,
        valid_until=type.valid_until(issued_on),
        source=source,
        added_by=added_by,
    )
    document.files.set(files)
    return document


@transaction.atomic
def document_upload(
    *,
    owner: User,
    type: DocumentType,
    issued_on: datetime.date,
    pages: Sequence[CheckedFile],
    member: HouseholdMember | None = None,
    replaces: Document | None = None,
    agent: User | None = None,
    kept: Sequence[StoredFile] = (),
) -> Document:
    """A citizen files a proof from their uploads (new `pages`, or those `kept` by uploads_hold), in place of an older
    one of theirs if given; or an agent who instructs their requests files it at the counter, verified at once since
    they saw the original."""
    if agent is not None and not access.may_add_for(agent, owner):
        raise PermissionDenied(_("Only agents instructing this citizen's requests may file their documents."))
    storage_quota_check(owner=owner, adding=pages)
    files = [*kept, *(stored_file_create(owner=owner, checked=page) for page in pages)]
    source = Document.Source.COUNTER if agent else Document.Source.CITIZEN
    document = document_add(
        owner=owner, type=type, issued_on=issued_on, files=files, member=member, source=source, added_by=agent
    )
    if agent is not None:
        document = document_verify(document=document, agent=agent)
    if replaces is not None:
        document_delete(document=replaces)
    return document


def stored_files_delete_unused(*, files: Sequence[StoredFile]) -> None:
    """Delete the files that no request, message, document or notification still to send holds any more, from the
    storage too."""
    for stored in files:
        holders = (stored.cases, stored.messages, stored.documents, stored.notifications.pending())
        if not any(holder.exists() for holder in holders):
            stored.file.delete(save=False)
            stored.delete()


# Uploads kept for a form sent again (vault/uploads.py) that no service filed are deleted after this long.
UPLOADS_HELD_FOR = datetime.timedelta(days=1)


@transaction.atomic
def uploads_hold(*, owner: User, checked: Sequence[CheckedFile]) -> list[StoredFile]:
    """Keep the sound uploads of a form refused for another answer, so that they need not be chosen again: stored as
    any upload (encrypted, scanned, within the household's storage) until a service files them, or
    stored_files_held_purge deletes them."""
    storage_quota_check(owner=owner, adding=checked)
    return [stored_file_create(owner=owner, checked=page) for page in checked]


@transaction.atomic
def stored_files_held_purge(*, now: datetime.datetime) -> int:
    """Delete the uploads kept for a form that was never sent again (UPLOADS_HELD_FOR after their upload)."""
    files = list(StoredFile.objects.unfiled().filter(created_at__lte=now - UPLOADS_HELD_FOR, notifications=None))
    for stored in files:
        stored.file.delete(save=False)
    StoredFile.objects.filter(pk__in=[f.pk for f in files]).delete()
    return len(files)


@transaction.atomic
def document_delete(*, document: Document) -> None:
    """Take a document out of the vault; a request it was attached to keeps its own copy of the pages."""
    pages = list(document.files.all())
    document.delete()
    stored_files_delete_unused(files=pages)


def documents_follow_leaver(*, member: HouseholdMember) -> None:
    """An adult leaves their household (registered with portal's household_leave): the proofs about them, in any
    vault of the household, go to their own vault; their proofs about the others stay with the household, in the
    vault of the earliest account holder who stays, or are deleted with those members when none stays."""
    leaver = member.user
    if leaver is None:  # a member without an account does not leave: they are removed
        return
    for document in Document.objects.filter(member=member):
        _document_hand_over(document=document, owner=leaver, member=None)
    heir = (
        User.objects.filter(household_member__household_id=member.household_id)
        .exclude(pk=leaver.pk)
        .order_by("household_member__created_at", "household_member__pk")
        .first()
    )
    for document in Document.objects.filter(owner=leaver, member__household_id=member.household_id):
        if heir is None:
            document_delete(document=document)
        else:
            _document_hand_over(document=document, owner=heir, member=document.member)


def _document_hand_over(*, document: Document, owner: User, member: HouseholdMember | None) -> None:
    """The document and its pages change vault: only the new owner reaches them (and the requests they were filed
    with keep their copy)."""
    document.owner, document.member = owner, member
    document.save(update_fields=["owner", "member"])
    document.files.update(owner=owner)


EXPIRY_NOTICE_DAYS = 30


def documents_remind_expiry(*, now: datetime.datetime, days_before: int = EXPIRY_NOTICE_DAYS) -> int:
    """Tell the owners of verified documents that expire within `days_before` days (once per document), so that
    they bring a new one before a procedure needs it; returns how many."""
    today = timezone.localdate(now)
    with transaction.atomic():
        expiring = list(
            Document.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("owner", "type", "member")
            .filter(status=Document.Status.VERIFIED, expiry_reminded_at__isnull=True)
            .filter(valid_until__gte=today, valid_until__lte=today + datetime.timedelta(days=days_before))
        )
        Document.objects.filter(pk__in=[document.pk for document in expiring]).update(expiry_reminded_at=now)
        for document in expiring:
            document_notify(document=document, event="document_expiring")
    return len(expiring)


@transaction.atomic
def document_verify(*, document: Document, agent: User) -> Document:
    """An agent who instructs a request the document is attached to or shared for checked it: it is reused as verified
    until it expires."""
    _check_may_check(agent, document)
    document.status, document.refusal_reason = Document.Status.VERIFIED, ""
    document.verified_by, document.verified_at = agent, timezone.now()
    document.save(update_fields=["status", "refusal_reason", "verified_by", "verified_at"])
    return document


@transaction.atomic
def document_refuse(*, document: Document, agent: User, reason: str) -> Document:
    """An agent refuses the document, and the citizen is told why."""
    _check_may_check(agent, document)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason of the refusal.")})
    document.status, document.refusal_reason = Document.Status.REFUSED, reason.strip()
    document.verified_by, document.verified_at = agent, timezone.now()
    document.save(update_fields=["status", "refusal_reason", "verified_by", "verified_at"])
    document_notify(document=document, event="document_refused")
    return document


def document_notify(*, document: Document, event: str) -> list[Notification]:
    """Tell the owner about one of their documents (vault/notifications.py), in the transaction of the change."""
    context = {
        "name": document.owner.get_short_name(),
        "label": document.type.label,
        "person": str(document.member) if document.member else "",
        "valid_until": document.valid_until,
        "reason": document.refusal_reason,
    }
    return notify(event=event, user=document.owner, context=context, url=reverse("vault:documents"))


def _check_may_check(agent: User, document: Document) -> None:
    if not access.may_check(agent, document):
        raise PermissionDenied(_("Only agents instructing a request this document was given for may check it."))

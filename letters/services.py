"""Writes on letters: a letter from its template for a request, its PDF generated (and signed) in the background, and
sending it, which freezes it.

The services take the plain context of teleservices.letters_context (letters never read a request's answers
themselves); who may write or send a letter is checked by the views that call them.
"""

from __future__ import annotations

import datetime
import logging
import secrets
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gru.queue import enqueue_on_commit
from letters import pdf, rendering, signing, tasks
from letters.models import CODE_ALPHABET, CODE_LENGTH, SUBJECT_MAX_LENGTH, Letter, LetterTemplate
from vault.files import CheckedFile
from vault.services import stored_file_create, stored_files_delete_unused

if TYPE_CHECKING:
    from portal.models import User
    from teleservices.models import Case

logger = logging.getLogger(__name__)

# A letter still "being generated" after this long lost its task (the broker was down, a worker died): queued again.
GENERATION_GRACE = datetime.timedelta(minutes=5)
CODE_ATTEMPTS = 5


def letter_prepare(
    *,
    case: Case,
    template: LetterTemplate,
    context: Mapping[str, Any],
    author: User | None,
    subject: str | None = None,
    body: str | None = None,
) -> Letter:
    """The letter as letter_create would write it, not saved (the admin's preview shows it): its text rendered from
    the template's, or from `subject` and `body` (placeholders allowed, checked the same way)."""
    subject_source = template.subject if subject is None else subject
    body_source = template.body if body is None else body
    _check_sources(subject=subject_source, body=body_source)
    usager, foyer = context["usager"], context["foyer"]
    address = "\n".join(filter(None, [foyer["rue"], f"{foyer['code_postal']} {foyer['commune']}".strip()]))
    return Letter(
        case=case,
        template=template,
        kind=template.kind,
        department=template.department or case.department,
        subject=_subject_line(rendering.render(subject_source, context)),
        body=rendering.render(body_source, context).strip(),
        recipient_name=usager["nom_complet"],
        recipient_address=address,
        signature_required=template.signed,
        author=author,
    )


@transaction.atomic
def letter_create(
    *,
    case: Case,
    template: LetterTemplate,
    context: Mapping[str, Any],
    author: User | None,
    subject: str | None = None,
    body: str | None = None,
    send_when_ready: bool = False,
) -> Letter:
    """A letter to the applicant of a submitted request, from an active template that applies to it; its PDF is
    generated once the transaction commits. `send_when_ready`: the caller queues its sending (a workflow action, the
    acknowledgement of receipt), which its sweeper queues again if lost (see Letter.objects.to_send_since)."""
    if case.submitted_at is None:
        raise ValidationError(_("Letters are written on submitted requests only."))
    if not LetterTemplate.objects.active().for_teleservice(case.teleservice).filter(pk=template.pk).exists():
        raise ValidationError(_("This template letter does not apply to this request."))
    letter = letter_prepare(case=case, template=template, context=context, author=author, subject=subject, body=body)
    letter.send_when_ready = send_when_ready
    _save_with_a_new_code(letter)
    enqueue_on_commit(tasks.letter_render_task, letter_id=letter.pk)
    return letter


@transaction.atomic
def letter_render(*, letter_id: int) -> Letter | None:
    """Generate a letter's PDF, signed when its template asks for it and a certificate is configured, and keep it
    encrypted in the vault, owned by the applicant. A failure leaves a draft that says why.

    Idempotent: only a letter being generated is rendered (its row locked meanwhile), so a retried task does nothing."""
    letter = (
        Letter.objects.select_for_update(of=("self",))
        .select_related("case", "department__organisation", "pdf")
        .filter(pk=letter_id, status=Letter.Status.GENERATING)
        .first()
    )
    if letter is None:
        return None
    previous = letter.pdf
    try:
        with transaction.atomic():
            content, signed = _letter_pdf(letter)
            checked = CheckedFile(content=content, mime="application/pdf", name=f"courrier-{letter.display_code}.pdf")
            letter.pdf = stored_file_create(owner=letter.case.user, checked=checked, generated=True)
    except Exception as error:
        logger.exception("The letter %s could not be generated.", letter.pk)
        letter.status, letter.error = Letter.Status.DRAFT, f"{type(error).__name__}: {error}"
        letter.save(update_fields=["status", "error", "updated_at"])
        return letter
    letter.status, letter.signed, letter.error = Letter.Status.READY, signed, ""
    letter.save(update_fields=["pdf", "status", "signed", "error", "updated_at"])
    if previous is not None:  # the PDF of an earlier wording
        stored_files_delete_unused(files=[previous])
    return letter


@transaction.atomic
def letter_update(*, letter: Letter, subject: str, body: str) -> Letter:
    """Change the wording of a letter not sent yet (a failed one included); its PDF is generated again."""
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    _check_editable(letter)
    subject, body = _subject_line(subject), body.strip()
    if not subject or not body:
        raise ValidationError(_("A letter needs a subject and a text."))
    letter.subject, letter.body = subject, body
    letter.status, letter.error = Letter.Status.GENERATING, ""
    letter.save(update_fields=["subject", "body", "status", "error", "updated_at"])
    enqueue_on_commit(tasks.letter_render_task, letter_id=letter.pk)
    return letter


@transaction.atomic
def letter_send(*, letter: Letter, actor: User | None) -> Letter:
    """Send a ready letter to the applicant: from now on nothing of it changes (the database refuses it too), and its
    verification code answers on the public page."""
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    if letter.status == Letter.Status.SENT:
        raise ValidationError(_("This letter has already been sent."))
    if letter.status != Letter.Status.READY:
        raise ValidationError(_("This letter cannot be sent yet: its PDF is not ready."))
    letter.status, letter.sent_at, letter.sent_by = Letter.Status.SENT, timezone.now(), actor
    letter.save(update_fields=["status", "sent_at", "sent_by", "updated_at"])
    # The applicant is told here: the notification (outbox row) is written in this transaction.
    return letter


def letters_generating_stale(*, now: datetime.datetime) -> list[int]:
    """The letters left "being generated" a while after they were queued: their task was lost."""
    return list(Letter.objects.generating_since(now - GENERATION_GRACE).values_list("pk", flat=True))


def letters_to_send_stale(*, now: datetime.datetime) -> list[int]:
    """The letters to send once ready that are not sent a while after they were queued: their task was lost (it
    generates them first if need be)."""
    return list(Letter.objects.to_send_since(now - GENERATION_GRACE).values_list("pk", flat=True))


def letter_document(letter: Letter, *, signed: bool) -> pdf.LetterDocument:
    """What the letter prints; an unsaved letter (a preview) has no verification code."""
    return pdf.LetterDocument(
        organisation=letter.department.organisation,
        department=letter.department,
        kind=letter.kind,
        subject=letter.subject,
        body=letter.body,
        recipient_name=letter.recipient_name,
        recipient_address=letter.recipient_address,
        reference=letter.case.reference or "",
        dated_on=timezone.localdate(letter.created_at) if letter.created_at else timezone.localdate(),
        code=letter.display_code if letter.pk else "",
        signed=signed,
    )


def _letter_pdf(letter: Letter) -> tuple[bytes, bool]:
    """The rendered PDF, and whether it is signed: a letter to sign is produced unsigned when no certificate is
    configured (the start logs it, the admin shows it)."""
    signer = signing.signer_from_settings() if letter.signature_required else None
    content = pdf.letter_pdf(letter_document(letter, signed=signer is not None))
    if signer is None:
        return content, False
    with translation.override(settings.LANGUAGE_CODE):
        reason = str(letter.get_kind_display()).capitalize()
    return signing.pdf_sign(content, signer=signer, reason=reason, location=letter.department.organisation.name), True


def _check_sources(*, subject: str, body: str) -> None:
    errors: dict[str, list[str]] = {}
    for field, source in (("subject", subject), ("body", body)):
        try:
            rendering.check(source)
        except ValidationError as error:
            errors[field] = error.messages
    if errors:
        raise ValidationError(errors)


def _subject_line(text: str) -> str:
    """A subject on one line, within the length of its column."""
    subject = " ".join(text.split())
    if len(subject) > SUBJECT_MAX_LENGTH:
        raise ValidationError(_("The subject is too long: %(max)s characters at most.") % {"max": SUBJECT_MAX_LENGTH})
    return subject


def _check_editable(letter: Letter) -> None:
    if letter.status == Letter.Status.SENT:
        raise ValidationError(_("This letter has been sent: it can no longer change."))
    if letter.status == Letter.Status.GENERATING:
        raise ValidationError(_("This letter is being generated: try again in a moment."))


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _position in range(CODE_LENGTH))


def _save_with_a_new_code(letter: Letter) -> None:
    """Draw verification codes until one is free (a clash is a one-in-10¹⁷ event, but the database decides)."""
    for _attempt in range(CODE_ATTEMPTS):
        letter.code = _new_code()
        try:
            with transaction.atomic():
                letter.save()
            return
        except IntegrityError:
            if Letter.objects.filter(code=letter.code).exists():
                continue
            raise
    raise IntegrityError("No free verification code found.")

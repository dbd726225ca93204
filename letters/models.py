"""Template letters (courriers types) edited by administrators, and the letters rendered from them for a request:
a frozen text, a tagged PDF (signed for decisions and attestations) kept encrypted in the vault, and a public
verification code.

Letters sit above téléservices: a letter belongs to a request and to the line of its timeline that tells it was sent,
and téléservices know nothing of letters (the timeline reads `event.letter`, the relation's other side).
"""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from letters import rendering

if TYPE_CHECKING:
    from teleservices.models import Teleservice

# Unambiguous characters (no 0/O, 1/I/L): 31¹² ≈ 7.9 × 10¹⁷ codes, read over the phone or typed from paper.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12
CODE_GROUP = 4
SUBJECT_MAX_LENGTH = 300


def code_normalise(text: str) -> str:
    """A code as typed (lower case, spaces, dashes) in its stored form."""
    return re.sub(r"[^0-9A-Za-z]", "", text).upper()


def code_display(code: str) -> str:
    """A code in groups of four, as printed: 7K4Q-XM2B-9HTD."""
    return "-".join(code[i : i + CODE_GROUP] for i in range(0, len(code), CODE_GROUP))


class Kind(models.TextChoices):
    DECISION = "decision", _("decision")
    ATTESTATION = "attestation", _("attestation")
    INFORMATION = "information", _("information")
    ACKNOWLEDGEMENT = "acknowledgement", _("acknowledgement of receipt")


# A decision or an attestation commits the collectivité: its letters carry an electronic signature.
SIGNED_KINDS = (Kind.DECISION, Kind.ATTESTATION)


class LetterTemplateQuerySet(models.QuerySet["LetterTemplate"]):
    def active(self) -> LetterTemplateQuerySet:
        return self.filter(active=True)

    def for_teleservice(self, teleservice: Teleservice) -> LetterTemplateQuerySet:
        """The templates offered on a request of this téléservice: its own ones and those for every téléservice."""
        return self.filter(Q(teleservices=teleservice) | Q(teleservices__isnull=True)).distinct()


class LetterTemplate(models.Model):
    """A courrier type: its text with placeholders (letters.rendering) and what letters made from it carry."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("identifier"), max_length=60, unique=True)
    teleservices = models.ManyToManyField(
        "teleservices.Teleservice",
        blank=True,
        related_name="letter_templates",
        verbose_name=_("online procedures"),
        help_text=_("The procedures whose requests may receive this letter; none: every procedure."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    subject = models.CharField(_("subject"), max_length=SUBJECT_MAX_LENGTH)
    body = models.TextField(_("text"))
    signed = models.BooleanField(
        _("electronically signed"), default=False, help_text=_("Always for a decision or an attestation.")
    )
    department = models.ForeignKey(
        "gru.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letter_templates",
        verbose_name=_("signing department"),
        help_text=_("Whose signature block the letter carries; empty: the department instructing the request."),
    )
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords(m2m_fields=[teleservices])
    objects = LetterTemplateQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("template letter")
        verbose_name_plural = _("template letters")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=SIGNED_KINDS) | Q(signed=True),
                name="letter_template_decisions_are_signed",
                violation_error_message=_("Letters carrying a decision or an attestation are signed."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Refuse a subject or a text using anything but the documented placeholders (letters.rendering.check), with
        the French message naming each culprit under its field."""
        errors: dict[str, list[str]] = {}
        for field in ("subject", "body"):
            try:
                rendering.check(getattr(self, field))
            except ValidationError as error:
                errors[field] = error.messages
        if errors:
            raise ValidationError(errors)


class TransitionLetterQuerySet(models.QuerySet["TransitionLetter"]):
    def for_case(self, transition_id: int, teleservice_id: int) -> TransitionLetterQuerySet:
        """The letters an action may send on a request of this téléservice, the one chosen for it first, then the
        one for every téléservice of the workflow (at most one of each): the action sends the first."""
        chosen = Q(teleservice_id=teleservice_id) | Q(teleservice__isnull=True)
        return self.filter(chosen, transition_id=transition_id).order_by(F("teleservice").asc(nulls_last=True))


class TransitionLetter(models.Model):
    """The template letter an action of a workflow sends to the citizen: for every téléservice using the workflow
    (`teleservice` empty), or for one, which then replaces the general one on its requests. An action shared by
    several procedures can thus send each its own letter."""

    transition = models.ForeignKey(
        "teleservices.Transition", on_delete=models.CASCADE, related_name="letters", verbose_name=_("action")
    )
    teleservice = models.ForeignKey(
        "teleservices.Teleservice",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("online procedure"),
        help_text=_("Empty: every procedure using the workflow, unless a letter is chosen for it."),
    )
    template = models.ForeignKey(
        LetterTemplate, on_delete=models.PROTECT, related_name="transitions", verbose_name=_("template letter")
    )

    history = HistoricalRecords()
    objects = TransitionLetterQuerySet.as_manager()

    class Meta:
        ordering = ["transition", "teleservice"]
        verbose_name = _("letter sent by an action")
        verbose_name_plural = _("letters sent by actions")
        constraints = [
            models.UniqueConstraint(
                fields=["transition", "teleservice"],
                nulls_distinct=False,
                name="transition_letter_one_per_teleservice",
                violation_error_message=_("This action already sends a letter on this procedure's requests."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.transition} → {self.template}"

    def concerned_teleservice_ids(self) -> set[int]:
        """The téléservices on whose requests the action sends this letter."""
        if self.teleservice_id is not None:
            return {self.teleservice_id}
        return set(self.transition.workflow.teleservices.values_list("pk", flat=True))

    def clean(self) -> None:
        """The téléservice uses the action's workflow, and the template applies to every request the action sends
        it on: refused here rather than when an agent applies the action."""
        if self.transition_id is None or self.template_id is None:
            return
        teleservice = self.teleservice
        if teleservice is not None and teleservice.workflow_id != self.transition.workflow_id:
            raise ValidationError({"teleservice": _("This procedure does not use the workflow of this action.")})
        allowed = set(self.template.teleservices.values_list("pk", flat=True))
        if allowed and self.concerned_teleservice_ids() - allowed:
            raise ValidationError({"template": NOT_EVERY_PROCEDURE})


NOT_EVERY_PROCEDURE = _(
    "This template letter does not apply to every procedure the action would send it on: choose the procedure, or "
    "a template letter for every procedure."
)


class LetterQuerySet(models.QuerySet["Letter"]):
    def sent(self) -> LetterQuerySet:
        return self.filter(status=Letter.Status.SENT)

    def sent_on(self, day: datetime.date) -> LetterQuerySet:
        """Letters sent on this day (Europe/Paris), in the order they were sent: the day's post."""
        return self.sent().filter(sent_at__date=day).order_by("sent_at", "pk")

    def generating_since(self, moment: datetime.datetime) -> LetterQuerySet:
        """Letters still waiting for their PDF, queued before `moment`."""
        return self.filter(status=Letter.Status.GENERATING, updated_at__lte=moment)

    def to_send_since(self, moment: datetime.datetime) -> LetterQuerySet:
        """Letters to send as soon as ready, queued or made ready before `moment` and still not sent: their task was
        lost."""
        waiting = [Letter.Status.GENERATING, Letter.Status.READY]
        return self.filter(status__in=waiting, send_when_ready=True, updated_at__lte=moment)


class Letter(models.Model):
    """A letter to the applicant of a request. Its text is rendered once from its template and stays as it is; its
    PDF is generated in the background. Once sent, nothing of it changes: the services refuse it and a database
    trigger (migration 0002) too."""

    class Status(models.TextChoices):
        # A draft: its generation failed (`error` says why); letter_update queues it again.
        DRAFT = "draft", _("draft")
        GENERATING = "generating", _("being generated")
        READY = "ready", _("ready to be sent")
        SENT = "sent", _("sent")

    case = models.ForeignKey(
        "teleservices.Case", on_delete=models.CASCADE, related_name="letters", verbose_name=_("request")
    )
    template = models.ForeignKey(
        LetterTemplate, on_delete=models.PROTECT, related_name="letters", verbose_name=_("template letter")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    department = models.ForeignKey(
        "gru.Department", on_delete=models.PROTECT, related_name="letters", verbose_name=_("signing department")
    )
    subject = models.CharField(_("subject"), max_length=SUBJECT_MAX_LENGTH)
    body = models.TextField(_("text"))
    recipient_name = models.CharField(_("recipient"), max_length=300)
    recipient_address = models.TextField(_("recipient's address"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.GENERATING)
    error = models.TextField(_("generation error"), blank=True)
    pdf = models.ForeignKey(
        "vault.StoredFile", on_delete=models.PROTECT, null=True, blank=True, related_name="letters", verbose_name="PDF"
    )
    code = models.CharField(_("verification code"), max_length=CODE_LENGTH, unique=True, editable=False)
    signature_required = models.BooleanField(_("to be signed"), default=False)
    send_when_ready = models.BooleanField(
        _("sent once ready"), default=False, help_text=_("Sent without an agent once its PDF is ready.")
    )
    signed = models.BooleanField(_("signed"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("written by")
    )
    created_at = models.DateTimeField(_("written on"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(_("sent on"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The line of the request's timeline that tells it was sent (`event.letter` in the timeline's templates).
    event = models.OneToOneField(
        "teleservices.CaseEvent", on_delete=models.SET_NULL, null=True, blank=True, related_name="letter"
    )

    objects = LetterQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False) | (~Q(status="sent") & Q(sent_at__isnull=True)),
                name="letter_sent_has_its_date",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["ready", "sent"]) | Q(pdf__isnull=False), name="letter_ready_has_its_pdf"
            ),
            models.CheckConstraint(condition=Q(signed=False) | Q(pdf__isnull=False), name="letter_signed_has_a_pdf"),
            models.CheckConstraint(condition=Q(error="") | Q(status="draft"), name="letter_error_only_on_drafts"),
            models.CheckConstraint(
                condition=Q(code__regex=rf"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$"), name="letter_code_format"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} ({self.display_code})"

    @property
    def display_code(self) -> str:
        return code_display(self.code)

    @property
    def unsigned_for_want_of_certificate(self) -> bool:
        """Generated unsigned though its template asks for a signature: no certificate was configured then."""
        generated = self.status in (self.Status.READY, self.Status.SENT)
        return generated and self.signature_required and not self.signed

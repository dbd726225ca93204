"""Instruction workflows (statuses and the transitions between them), internal notes, case sharing, saved views."""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Iterator
from typing import Any, BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from backoffice import default_workflow
from gru.colours import contrast_ratio
from gru.models import HEX_COLOUR, MINIMUM_CONTRAST, Membership, hex_colour
from vault import crypto
from vault.models import private_storage


class WorkflowQuerySet(models.QuerySet["Workflow"]):
    def default(self) -> Workflow:
        """The standard process (received → being processed → decision), built when missing."""
        workflow = self.filter(slug=default_workflow.SLUG).first()
        return workflow or default_workflow.default_workflow_build(Workflow, Status, Transition)


class Workflow(models.Model):
    """An instruction process (circuit): its statuses and the actions agents take to move a case between them."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("identifier"), max_length=60, unique=True)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()
    objects = WorkflowQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("workflow")
        verbose_name_plural = _("workflows")

    def __str__(self) -> str:
        return self.name

    @property
    def initial_status(self) -> Status:
        return self.statuses.get(is_initial=True)


class Status(models.Model):
    """A step of a workflow, named for agents and for citizens."""

    workflow = models.ForeignKey(Workflow, on_delete=models.CASCADE, related_name="statuses")
    position = models.PositiveIntegerField(_("position"), default=0, db_index=True)
    key = models.SlugField(_("identifier"), max_length=50, help_text=_("Used by actions, exports and statistics."))
    label = models.CharField(_("label for agents"), max_length=100)
    citizen_label = models.CharField(_("label for citizens"), max_length=100)
    colour = models.CharField(_("colour"), max_length=7, default="#1d4f91", validators=[hex_colour])
    is_initial = models.BooleanField(_("initial"), default=False, help_text=_("The status of a request just filed."))
    is_terminal = models.BooleanField(_("final"), default=False, help_text=_("Instruction is over (a decision)."))
    waits_for_citizen = models.BooleanField(
        _("waiting for the citizen"), default=False, help_text=_("The processing deadline is paused meanwhile.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("status")
        verbose_name_plural = _("statuses")
        constraints = [
            models.UniqueConstraint(fields=["workflow", "key"], name="status_unique_key"),
            models.UniqueConstraint(
                fields=["workflow"], condition=Q(is_initial=True), name="status_one_initial_per_workflow"
            ),
            models.CheckConstraint(
                condition=~Q(is_terminal=True, waits_for_citizen=True),
                name="status_terminal_does_not_wait",
                violation_error_message=_("A final status cannot wait for the citizen."),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        if re.match(HEX_COLOUR, self.colour) and contrast_ratio(self.colour, "#ffffff") < MINIMUM_CONTRAST:
            raise ValidationError({"colour": _("This colour is too light: white text on it would not be readable.")})


class TransitionQuerySet(models.QuerySet["Transition"]):
    def available(self, *, status_id: int | None, manager: bool) -> TransitionQuerySet:
        """The actions agents may take from this status (managers also take the managers' ones)."""
        transitions = self.filter(sources=status_id)
        return transitions if manager else transitions.filter(managers_only=False)


class Transition(models.Model):
    """An action on a case: from one of its source statuses to its target, with inputs and effects."""

    class Comment(models.TextChoices):
        NONE = "none", _("No comment")
        OPTIONAL = "optional", _("Optional comment")
        REQUIRED = "required", _("Required comment")

    workflow = models.ForeignKey(Workflow, on_delete=models.CASCADE, related_name="transitions")
    position = models.PositiveIntegerField(_("position"), default=0, db_index=True)
    label = models.CharField(_("button label"), max_length=100)
    sources = models.ManyToManyField(Status, related_name="outgoing", verbose_name=_("from the statuses"))
    target = models.ForeignKey(Status, on_delete=models.CASCADE, related_name="incoming", verbose_name=_("to"))
    managers_only = models.BooleanField(_("managers only"), default=False)
    comment = models.CharField(
        _("comment to the citizen"), max_length=10, choices=Comment.choices, default=Comment.NONE
    )
    comment_label = models.CharField(
        _("label of the comment"), max_length=100, blank=True, help_text=_("For example “Reason for the refusal”.")
    )
    notifies_citizen = models.BooleanField(_("notify the citizen"), default=True)
    asks_completion = models.BooleanField(
        _("ask the citizen to complete the request"),
        default=False,
        help_text=_("The request reopens for the citizen and comes back to its status when they complete it."),
    )
    assigns_department = models.ForeignKey(
        "gru.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hand over to the department"),
    )
    letter_template = models.ForeignKey(
        "letters.LetterTemplate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("send the letter"),
        help_text=_("Generated from this template letter and sent to the citizen as soon as it is ready."),
    )

    history = HistoricalRecords(m2m_fields=[sources])
    objects = TransitionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self) -> str:
        return self.label

    @property
    def comment_title(self) -> str:
        return self.comment_label or str(_("Comment to the citizen"))


class Note(models.Model):
    """An internal note on a case: agents only, never shown to the citizen."""

    case = models.ForeignKey("teleservices.Case", on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(_("note"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        indexes = [models.Index(fields=["case", "created_at"], name="note_case")]

    def __str__(self) -> str:
        return f"{self.case} — {self.created_at:%d/%m/%Y %H:%M}"


class CaseShare(UserObjectPermissionBase):
    """django-guardian's object permission on a case, with a direct foreign key (fast joins)."""

    content_object = models.ForeignKey("teleservices.Case", on_delete=models.CASCADE, related_name="shares")
    with_notes = models.BooleanField(
        _("internal notes shared too"),
        default=False,
        help_text=_("Without them, the agent asked for an opinion sees only the notes they wrote."),
    )

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("case shared with an agent")
        verbose_name_plural = _("cases shared with agents")


class SavedView(models.Model):
    """A filter of the task board an agent named to come back to it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views")
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="saved_view_unique_name")]

    def __str__(self) -> str:
        return self.name


EXPORT_RETENTION = datetime.timedelta(hours=24)
# A run can be taken again (its worker died) once it started longer ago than the export task's hard time limit
# (backoffice.tasks.export_run_task), after which it cannot be running any more; at most this many times.
EXPORT_ATTEMPTS = 3


def _export_path(instance: Export, filename: str) -> str:
    """Random names, like the vault's: a stored export's path tells nothing about its owner or content."""
    return f"exports/{uuid.uuid4().hex}"


def export_filename(format: str, moment: datetime.datetime) -> str:
    """The name offered to the agent's browser: demandes-2026-03-01-1430.xlsx."""
    return f"demandes-{timezone.localtime(moment):%Y-%m-%d-%H%M}.{format}"


class ExportQuerySet(models.QuerySet["Export"]):
    def owned_by(self, user: Any) -> ExportQuerySet:
        """An export is its owner's only: nobody else sees its page or its file; the day's letters of a department,
        only while they are a member of it; a list of cases, only if they have left no department since they asked for
        it (it holds that department's cases). Read from the memberships' history, whoever removed them, however."""
        if not user.is_authenticated:
            return self.none()
        departments = Membership.objects.of(user).department_ids()
        left_since = Membership.history.filter(
            user_id=user.pk, history_type="-", history_date__gte=OuterRef("created_at")
        )
        cases = Q(kind=Export.Kind.CASES) & ~Exists(left_since)
        return self.filter(owner=user).filter(cases | Q(department__in=departments))

    def expired(self, now: datetime.datetime) -> ExportQuerySet:
        return self.filter(created_at__lt=now - EXPORT_RETENTION)

    def waiting_since(self, moment: datetime.datetime) -> ExportQuerySet:
        """Asked for before `moment` and not started."""
        return self.filter(state=Export.State.PENDING, created_at__lte=moment)

    def abandoned_since(self, moment: datetime.datetime) -> ExportQuerySet:
        """Started before `moment` and still running: the worker writing them died (killed, out of memory)."""
        return self.filter(state=Export.State.RUNNING, started_at__lt=moment)

    def claimable(self, *, stalled_before: datetime.datetime) -> ExportQuerySet:
        """What a worker may start writing: not started yet, or abandoned and not tried too often."""
        abandoned = Q(state=Export.State.RUNNING, started_at__lt=stalled_before, attempts__lt=EXPORT_ATTEMPTS)
        return self.filter(Q(state=Export.State.PENDING) | abandoned)


class Export(models.Model):
    """A file a worker writes for an agent, kept a day for its owner only, encrypted: a long export of the task board's
    list, or the letters a department sent on a day merged into one PDF to print."""

    class Kind(models.TextChoices):
        CASES = "cases", _("List of requests")
        LETTERS = "letters", _("Letters of the day to post")

    class Format(models.TextChoices):
        XLSX = "xlsx", _("Excel spreadsheet (XLSX)")
        CSV = "csv", _("CSV file (semicolons)")
        PDF = "pdf", _("PDF document")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for its turn")
        RUNNING = "running", _("Being written")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CASES)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    query = models.CharField(max_length=1000, blank=True, help_text=_("The task board's filters, as a query string."))
    # The day's letters: whose (the department instructing their requests) and of which day.
    department = models.ForeignKey(
        "gru.Department",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    day = models.DateField(_("day"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    file = models.FileField(storage=private_storage, upload_to=_export_path, max_length=200, blank=True)
    key_id = models.CharField(
        max_length=40, blank=True, help_text=_("The encryption key of the stored content (empty: not encrypted).")
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ExportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        indexes = [models.Index(fields=["created_at"], name="export_created")]
        constraints = [
            models.CheckConstraint(condition=~Q(state="done", file=""), name="export_done_has_file"),
            models.CheckConstraint(
                condition=Q(kind="cases", department__isnull=True, day__isnull=True, format__in=["xlsx", "csv"])
                | Q(kind="letters", department__isnull=False, day__isnull=False, format="pdf"),
                name="export_kind_has_its_parameters",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_format_display()} — {timezone.localtime(self.created_at):%d/%m/%Y %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("backoffice:export", args=[self.pk])

    @property
    def filename(self) -> str:
        if self.kind == self.Kind.LETTERS and self.department is not None and self.day is not None:
            return f"courriers-{self.department.slug}-{self.day:%Y-%m-%d}.pdf"
        return export_filename(self.format, self.created_at)

    @property
    def expires_at(self) -> datetime.datetime:
        return self.created_at + EXPORT_RETENTION

    @property
    def bound_to(self) -> bytes:
        """What its file's encryption is bound to: a blob copied onto another export's row does not decrypt."""
        return f"export:{self.pk}".encode()

    def file_chunks(self) -> Iterator[bytes]:
        """The file's content, decrypted a chunk at a time as it is sent; FileNotFoundError when it is gone, InvalidTag
        before anything is given out when it was altered or is another export's."""
        blob = self.file.open("rb")
        try:
            crypto.verify(blob, key_id=self.key_id, bound_to=self.bound_to)
        except BaseException:
            blob.close()
            raise
        return self._chunks(blob)

    def _chunks(self, blob: BinaryIO) -> Iterator[bytes]:
        with blob:
            blob.seek(0)
            yield from crypto.plain_chunks(blob, key_id=self.key_id, bound_to=self.bound_to)

    @property
    def in_progress(self) -> bool:
        return self.state in (self.State.PENDING, self.State.RUNNING)

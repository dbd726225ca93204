"""What the instruction keeps of its own: internal notes, the task board's saved views, exports."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterator
from typing import Any, BinaryIO

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gru.models import Membership
from vault import crypto
from vault.models import private_storage


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
    cases_read = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="[reference, citizen id] of each request the file holds: written in the access log when downloaded.",
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

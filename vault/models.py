"""Files citizens and agents hand us, kept in private storage, and the document vault built on them: proofs with
their type, validity and verification, reused from one request to the next."""

from __future__ import annotations

import datetime
import uuid
from typing import Any, cast

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.files.storage import Storage, storages
from django.core.signals import setting_changed
from django.db import models
from django.db.models import Q, Sum
from django.dispatch import receiver
from django.urls import reverse
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords

from portal.models import HouseholdMember
from vault import crypto
from vault.files import FileType
from vault.validity import valid_until


class PrivateStorage(LazyObject):
    """The "private" storage of settings.STORAGES, looked up when first used (and again when tests change it)."""

    def _setup(self) -> None:
        self._wrapped = storages["private"]


_private_storage = PrivateStorage()


@receiver(setting_changed)
def _private_storage_reset(*, setting: str, **kwargs: Any) -> None:
    if setting == "STORAGES":
        _private_storage._wrapped = empty  # type: ignore[assignment]


def private_storage() -> Storage:
    return cast(Storage, _private_storage)


def _stored_file_path(instance: StoredFile, filename: str) -> str:
    """Random names: a stored file's path tells nothing about its owner or content."""
    return f"files/{instance.public_id.hex[:2]}/{instance.public_id.hex}"


class StoredFileQuerySet(models.QuerySet["StoredFile"]):
    """Who may read which file is decided in vault/access.py."""

    def in_storage_of(self, user: Any) -> StoredFileQuerySet:
        """What counts toward the storage quota of the user's household: the files its members with an account
        uploaded (the user's alone without a household), but not those the portal produced or the antivirus emptied."""
        household = HouseholdMember.objects.household_id_of(user)
        return self.filter(Q(owner=user) | Q(owner__household_member__household_id=household)).exclude(
            scan__in=[StoredFile.Scan.GENERATED, StoredFile.Scan.INFECTED]
        )

    def total_size(self) -> int:
        return self.aggregate(total=Sum("size", default=0))["total"]

    def unfiled(self) -> StoredFileQuerySet:
        """Uploads no request, message or document holds yet: those kept for a form sent again (vault/uploads.py)."""
        return self.filter(cases=None, messages=None, documents=None).exclude(scan=StoredFile.Scan.GENERATED)


class StoredFile(models.Model):
    """One uploaded file, checked by content, encrypted at rest, scanned by the antivirus, never served under a
    public URL."""

    class Scan(models.TextChoices):
        PENDING = "pending", _("antivirus scan in progress")
        CLEAN = "clean", _("clean")
        INFECTED = "infected", _("infected, deleted")
        NOT_SCANNED = "not_scanned", _("not scanned (antivirus disabled)")
        GENERATED = "generated", _("produced by the portal (not scanned)")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="stored_files"
    )
    file = models.FileField(storage=private_storage, upload_to=_stored_file_path, max_length=200)
    name = models.CharField(_("file name"), max_length=150)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    key_id = models.CharField(
        max_length=40, blank=True, help_text=_("The encryption key of the stored content (empty: not encrypted).")
    )
    scan = models.CharField(_("antivirus"), max_length=20, choices=Scan.choices, default=Scan.PENDING)
    virus = models.CharField(_("virus found"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The emails this file is attached to, read by gru as `notification.attachments`: declared here, as gru knows no app
    # above it, on the table first made from gru's side.
    notifications = models.ManyToManyField(
        "gru.Notification",
        blank=True,
        related_name="attachments",
        db_table="gru_notification_attachments",
        verbose_name=_("notifications"),
    )

    objects = StoredFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("vault:file", args=[self.public_id])

    def read(self) -> bytes:
        """The file as it was uploaded (decrypted)."""
        with self.file.open("rb") as handle:
            blob = handle.read()
        if not self.key_id:  # stored before files were encrypted
            return blob
        return crypto.decrypt(blob, key_id=self.key_id, bound_to=self.public_id.bytes)

    @property
    def is_available(self) -> bool:
        """Whether it may be read: found clean, produced by the portal itself, or stored while the antivirus was
        disabled."""
        return self.scan in (self.Scan.CLEAN, self.Scan.NOT_SCANNED, self.Scan.GENERATED)


def _all_file_types() -> list[str]:
    return list(FileType.values)


class DocumentType(models.Model):
    """A kind of proof the collectivité asks for (justificatif de domicile, pièce d'identité…), with how long one stays
    valid and which files it may be made of. Administrators edit them."""

    class Validity(models.TextChoices):
        UNLIMITED = "unlimited", _("unlimited")
        MONTHS = "months", _("a number of months after its issue")
        CALENDAR_YEAR = "calendar_year", _("until the end of its calendar year")
        SCHOOL_YEAR = "school_year", _("until the end of its school year (31 August)")

    label = models.CharField(_("label"), max_length=150)
    slug = models.SlugField(_("identifier"), unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    validity = models.CharField(_("validity"), max_length=20, choices=Validity.choices, default=Validity.UNLIMITED)
    validity_months = models.PositiveSmallIntegerField(_("months of validity"), null=True, blank=True)
    accepted_types = ArrayField(
        models.CharField(max_length=10, choices=FileType.choices),
        verbose_name=_("accepted file types"),
        default=_all_file_types,
        help_text=_("Separated by commas: pdf, jpeg, png."),
    )
    max_size_mb = models.PositiveSmallIntegerField(_("maximum size per file (MB)"), default=10)
    sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        help_text=_("Identity documents: removed from requests once their instruction ends."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document type")
        verbose_name_plural = _("document types")
        ordering = ["position", "label"]
        constraints = [
            models.CheckConstraint(
                condition=Q(validity="months", validity_months__isnull=False, validity_months__gt=0)
                | (~Q(validity="months") & Q(validity_months__isnull=True)),
                name="document_type_months_with_their_rule",
                violation_error_message=_("Give the months of validity, and only for a validity in months."),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def valid_until(self, issued_on: datetime.date) -> datetime.date | None:
        return valid_until(self.validity, issued_on=issued_on, months=self.validity_months)

    @property
    def validity_hint(self) -> str:
        """How recent a document of this type must be, as citizens are told before they start ("" when unlimited)."""
        if self.validity == self.Validity.MONTHS and self.validity_months:
            count = self.validity_months
            return ngettext("issued less than %(count)s month ago", "issued less than %(count)s months ago", count) % {
                "count": count
            }
        hints: dict[str, Any] = {
            self.Validity.CALENDAR_YEAR: _("issued this calendar year"),
            self.Validity.SCHOOL_YEAR: _("issued this school year"),
        }
        return str(hints.get(self.validity, ""))


class DocumentQuerySet(models.QuerySet["Document"]):
    def valid_on(self, day: datetime.date) -> DocumentQuerySet:
        """Documents that may be used on `day`: not refused, and not expired."""
        return self.exclude(status=Document.Status.REFUSED).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )


class Document(models.Model):
    """A proof in a citizen's vault, for themselves or a member of their household: its pages, its issue date and
    validity, and what agents made of it."""

    class Status(models.TextChoices):
        TO_VERIFY = "to_verify", _("to verify")
        VERIFIED = "verified", _("verified")
        REFUSED = "refused", _("refused")

    class Source(models.TextChoices):
        CITIZEN = "citizen", _("uploaded by the citizen")
        REQUEST = "request", _("attached to a request")
        COUNTER = "counter", _("added by an agent at the counter")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="documents", verbose_name=_("owner")
    )
    member = models.ForeignKey(
        "portal.HouseholdMember",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("household member"),
        help_text=_("Whom the document is about; empty: the owner."),
    )
    type = models.ForeignKey(DocumentType, on_delete=models.PROTECT, related_name="documents", verbose_name=_("type"))
    files = models.ManyToManyField(StoredFile, related_name="documents", verbose_name=_("pages"))
    issued_on = models.DateField(_("issue date"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.TO_VERIFY)
    refusal_reason = models.TextField(_("reason of the refusal"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified on"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.CITIZEN)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    expiry_reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["expiry_reminded_at"])
    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["type__position", "-issued_on"]
        indexes = [models.Index(fields=["owner", "type", "valid_until"], name="document_owner_type")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_reason=""),
                name="document_refusal_has_reason",
                violation_error_message=_("Give the reason of the refusal."),
            ),
            models.CheckConstraint(
                condition=~Q(status="verified") | Q(verified_at__isnull=False),
                name="document_verified_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type} ({self.issued_on:%d/%m/%Y})"

    def is_expired(self, today: datetime.date) -> bool:
        return self.valid_until is not None and self.valid_until < today

"""The organisation (the collectivité, its departments and the agents' memberships) and the notifications outbox."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from gru.colours import contrast_ratio

CURRENT_ORGANISATION_KEY = "organisation:current"
HEX_COLOUR = r"^#[0-9a-fA-F]{6}$"
hex_colour = RegexValidator(HEX_COLOUR, _("Enter a colour as #RRGGBB, for example #1d4f91."))

# WCAG 2.1 AA contrast for normal text, checked against white (the text colour on coloured surfaces).
MINIMUM_CONTRAST = 4.5


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def current(self) -> Organisation:
        """The collectivité this instance serves (one per instance for now), kept in the cache: every page shows it."""
        organisation = cache.get(CURRENT_ORGANISATION_KEY)
        if organisation is None:
            organisation = self.order_by("pk").first()
            if organisation is not None:
                cache.set(CURRENT_ORGANISATION_KEY, organisation, timeout=None)
        return organisation if organisation is not None else Organisation(name=str(_("Your local authority")))


class Organisation(models.Model):
    """The collectivité: identity, theme and legal texts shown by every page."""

    name = models.CharField(_("name"), max_length=200)
    logo = models.ImageField(_("logo"), upload_to="organisation/", blank=True)
    primary_colour = models.CharField(_("primary colour"), max_length=7, default="#1d4f91", validators=[hex_colour])
    accent_colour = models.CharField(_("accent colour"), max_length=7, default="#8a3b12", validators=[hex_colour])
    address = models.TextField(_("postal address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("contact email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    publisher = models.CharField(_("publication director"), max_length=200, blank=True)
    host = models.TextField(_("host"), blank=True, help_text=_("Name and address of the hosting provider."))
    dpo_contact = models.TextField(_("data protection officer contact"), blank=True)
    legal_notice = models.TextField(_("legal notice, additional text"), blank=True)
    privacy_policy = models.TextField(_("personal data policy, additional text"), blank=True)
    accessibility_statement = models.TextField(_("accessibility statement, additional text"), blank=True)

    history = HistoricalRecords()
    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("local authority")
        verbose_name_plural = _("local authorities")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        cache.delete(CURRENT_ORGANISATION_KEY)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        cache.delete(CURRENT_ORGANISATION_KEY)
        return super().delete(*args, **kwargs)

    def clean(self) -> None:
        errors = {}
        for field in ("primary_colour", "accent_colour"):
            value = getattr(self, field)
            if re.match(HEX_COLOUR, value) and contrast_ratio(value, "#ffffff") < MINIMUM_CONTRAST:
                errors[field] = _(
                    "This colour is too light: white text on it would not be readable (contrast below 4.5:1)."
                )
        if errors:
            raise ValidationError(errors)

    @property
    def logo_url(self) -> str:
        return reverse("organisation_logo") if self.logo else ""


class Department(models.Model):
    """A service of the collectivité (état civil, enfance, urbanisme…)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="departments")
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("identifier"), max_length=60)
    email = models.EmailField(_("contact email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    signatory = models.CharField(
        _("signatory"), max_length=200, blank=True, help_text=_("Name and title printed under letters.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="department_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet["Membership"]):
    """Every rule "the departments of this agent" reads its memberships here."""

    def of(self, user: Any) -> MembershipQuerySet:
        return self.filter(user=user)

    def department_ids(self) -> models.QuerySet[Any]:
        """The departments of these memberships, as a subquery."""
        return self.values("department_id")

    def belongs(self, user: Any, department_id: int | None) -> bool:
        """Whether the user is a member of that department."""
        return department_id is not None and self.of(user).filter(department_id=department_id).exists()

    def managers(self) -> MembershipQuerySet:
        return self.filter(role=Membership.Role.MANAGER)


class Membership(models.Model):
    """An agent's place in a department, with the role that decides what they may do there."""

    class Role(models.TextChoices):
        AGENT = "agent", _("agent")
        MANAGER = "manager", _("manager")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("agent")
    )
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("department")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.AGENT)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "department"], name="membership_unique_user_department"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.department} ({self.get_role_display()})"


class NotificationQuerySet(models.QuerySet["Notification"]):
    def pending(self) -> NotificationQuerySet:
        return self.filter(status=Notification.Status.PENDING)

    def due(self, now: datetime.datetime) -> NotificationQuerySet:
        """Pending and whose next attempt has come."""
        return self.pending().filter(next_attempt_at__lte=now)

    def in_space_of(self, user: AbstractBaseUser) -> NotificationQuerySet:
        """What the citizen reads in their space, newest first."""
        return self.filter(recipient_id=user.pk, channel=Notification.Channel.SPACE).order_by("-created_at", "-pk")

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One message to one person through one channel, written in the transaction of the change it tells about (the
    outbox): a task sends it after the commit, the sweeper queues it again if that task was lost, and the row says
    whether it went. Its context holds plain JSON values only, rendered when it is sent. Its email's `attachments` are
    files of the vault (`vault.StoredFile.notifications`, declared there: gru knows no app above it)."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("email")
        SMS = "sms", _("text message")
        SPACE = "space", _("citizen space")

    class Status(models.TextChoices):
        PENDING = "pending", _("to send")
        SENT = "sent", pgettext_lazy("notification", "sent")  # feminine in French, unlike a letter
        FAILED = "failed", _("failed")
        WITHDRAWN = "withdrawn", _("withdrawn")  # no longer true when it was due: never sent

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    address = models.CharField(
        _("address"), max_length=254, blank=True, help_text=_("The email address or phone number it goes to.")
    )
    event = models.CharField(_("event"), max_length=60)
    topic = models.CharField(
        _("about"), max_length=100, blank=True, help_text=_("What it is about, e.g. “case:12” or “appointment:7”.")
    )
    template = models.CharField(max_length=200)
    context = models.JSONField(default=dict, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    created_at = models.DateTimeField(_("created on"), default=timezone.now)
    sent_at = models.DateTimeField(pgettext_lazy("notification", "sent on"), null=True, blank=True)
    read_at = models.DateTimeField(_("read on"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            # The sweeper's query: pending rows whose next attempt has come.
            models.Index(fields=["next_attempt_at"], condition=Q(status="pending"), name="notification_pending_due"),
            # Held or withdrawable rows, found by what they are about.
            models.Index(fields=["topic", "event"], condition=Q(status="pending"), name="notification_pending_topic"),
            # The citizen's unread notifications, newest first, on every visit of their space.
            models.Index(
                fields=["recipient", "-created_at"],
                condition=Q(channel="space", read_at__isnull=True),
                name="notification_unread",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel="space", recipient__isnull=False) | (~Q(channel="space") & ~Q(address="")),
                name="notification_has_somewhere_to_go",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="notification_sent_has_its_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.address or self.recipient} ({self.get_channel_display()})"


class AccessQuerySet(models.QuerySet["Access"]):
    def of_citizen(self, citizen: Any) -> AccessQuerySet:
        """What agents read of this citizen's data, newest first ("Qui a consulté mes données")."""
        return self.filter(citizen=citizen).order_by("-at", "-pk")

    def of_departments(self, department_ids: Any) -> AccessQuerySet:
        """The reads by agents of these departments (a manager's view of their departments' log)."""
        return self.filter(department_id__in=department_ids).order_by("-at", "-pk")


class Access(models.Model):
    """One read of a citizen's data by an agent: a request, a vault document, their 360° page, a letter, an export.

    The access log is append-only: a trigger (gru migration 0005) refuses to change or delete a row, but for the
    retention purge (`access_log_purge`, the database function that migration writes). Its foreign keys have no
    database constraint and do nothing on deletion, so that deleting an account or a department never has to change
    a row; what the citizen reads is written down when the read happens (`subject`, `reason`)."""

    class Kind(models.TextChoices):
        CASE = "case", _("request")
        DOCUMENT = "document", _("vault document")
        CITIZEN = "citizen", _("citizen page")
        LETTER = "letter", _("letter")
        EXPORT = "export", _("export")
        LOG = "log", _("access log")

    at = models.DateTimeField(_("date"), default=timezone.now, editable=False)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("agent"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name=_("department"),
    )
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name=_("citizen"),
        help_text=_("Whose data was read; empty when the access log itself was read."),
    )
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    subject = models.CharField(_("object"), max_length=300, help_text=_("A reference, a document's type, a title."))
    reason = models.CharField(_("why"), max_length=300, help_text=_("The request or the counter visit justifying it."))

    objects = AccessQuerySet.as_manager()

    class Meta:
        verbose_name = _("access to personal data")
        verbose_name_plural = _("access log")
        indexes = [
            models.Index(fields=["citizen", "-at"], name="access_of_citizen"),
            models.Index(fields=["department", "-at"], name="access_of_department"),
            models.Index(fields=["at"], name="access_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.agent_id} {self.get_kind_display()} {self.subject}"

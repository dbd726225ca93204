"""Citizens' accounts and households (foyers)."""

from __future__ import annotations

import datetime
import secrets
from typing import Any, ClassVar

from allauth.mfa.models import Authenticator
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gru.models import Membership

ADULT_AGE = 18


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


class UserQuerySet(models.QuerySet["User"]):
    def agents(self) -> UserQuerySet:
        return self.filter(Exists(Membership.objects.filter(user=OuterRef("pk"))))

    def citizens(self) -> UserQuerySet:
        return self.filter(is_active=True, is_staff=False).exclude(
            Exists(Membership.objects.filter(user=OuterRef("pk")))
        )

    def search(self, text: str) -> UserQuerySet:
        """Accounts whose name or email holds every word of the text, accents and case ignored."""
        users = self
        for word in text.split()[:5]:
            users = users.filter(
                Q(first_name__unaccent__icontains=word)
                | Q(last_name__unaccent__icontains=word)
                | Q(email__icontains=word)
            )
        return users

    def with_second_factor(self) -> UserQuerySet:
        return self.filter(
            Exists(Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP))
            | Exists(Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.WEBAUTHN))
        )


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        user: User = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """One account model for citizens and agents; agents are users with memberships."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("email")
        SMS = "sms", _("text message")
        POST = "post", _("post")

    email = models.EmailField(_("email address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("family name"), max_length=150, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    preferred_channel = models.CharField(
        _("preferred contact channel"), max_length=10, choices=Channel.choices, default=Channel.EMAIL
    )
    notify_by_email = models.BooleanField(
        _("notifications by email"),
        default=True,
        help_text=_("The acknowledgement of a request and requests for information are emailed in any case."),
    )
    notify_by_sms = models.BooleanField(
        _("notifications by text message"),
        default=False,
        help_text=_("Only the short messages that cannot wait: information asked on a request, a document expiring."),
    )
    franceconnect_sub = models.CharField(max_length=255, unique=True, null=True, blank=True, editable=False)
    identity_certified_at = models.DateTimeField(
        _("identity certified by FranceConnect on"), null=True, blank=True, editable=False
    )
    is_staff = models.BooleanField(
        _("administrator"), default=False, help_text=_("Administrators configure the portal in the admin.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])
    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []
    CERTIFIED_FIELDS = ("first_name", "last_name", "birth_date")

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email

    @property
    def is_identity_certified(self) -> bool:
        return self.identity_certified_at is not None


class HouseholdQuerySet(models.QuerySet["Household"]):
    def of(self, user: User) -> HouseholdQuerySet:
        return self.filter(members__user=user)


class Household(models.Model):
    """A foyer: the adults and children a citizen does procedures for, and their address."""

    street = models.CharField(_("street address"), max_length=255, blank=True)
    postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    city = models.CharField(_("town"), max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        names = sorted({m.last_name for m in self.members.all() if m.last_name})
        return _("Household %(names)s") % {"names": " / ".join(names) or self.pk}

    @property
    def address_lines(self) -> list[str]:
        return [line for line in (self.street, f"{self.postcode} {self.city}".strip()) if line]


class HouseholdMemberQuerySet(models.QuerySet["HouseholdMember"]):
    def of(self, user: User) -> HouseholdMemberQuerySet:
        """Members of the user's household (the only ones a citizen may see or change)."""
        return self.filter(household__members__user=user)

    def with_account(self) -> HouseholdMemberQuerySet:
        return self.filter(user__isnull=False)

    def others_of(self, user: User) -> HouseholdMemberQuerySet:
        """The other members of the user's household (those they may do a procedure or book an appointment for)."""
        return self.of(user).exclude(user=user)

    def household_id_of(self, user: User) -> Subquery:
        """The id of the user's household (one at most: the member's user is unique), as a scalar subquery: compared
        with `=`, PostgreSQL reads it once and uses the indexes on household_id (an `IN (subquery)` inside an OR makes
        it scan the whole table)."""
        return Subquery(self.filter(user=user).order_by().values("household_id")[:1])


class HouseholdMember(models.Model):
    """An adult or a child of a household; adults may have an account of their own."""

    class Relationship(models.TextChoices):
        DECLARANT = "declarant", _("account holder")
        PARTNER = "partner", _("spouse or partner")
        CHILD = "child", _("child")
        OTHER = "other", _("other")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    user = models.OneToOneField(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="household_member")
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("family name"), max_length=150)
    birth_date = models.DateField(_("date of birth"))
    relationship = models.CharField(_("relationship"), max_length=20, choices=Relationship.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = HouseholdMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        ordering = ["birth_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(relationship="declarant") | Q(user__isnull=False),
                name="household_member_declarant_has_account",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def age(self) -> int:
        return age_on(self.birth_date, timezone.localdate())

    @property
    def is_adult(self) -> bool:
        return self.age >= ADULT_AGE


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


class HouseholdInvitationQuerySet(models.QuerySet["HouseholdInvitation"]):
    def pending(self) -> HouseholdInvitationQuerySet:
        return self.filter(household__isnull=False, accepted_at__isnull=True, expires_at__gt=timezone.now())

    def sent_since(self, moment: datetime.datetime) -> HouseholdInvitationQuerySet:
        return self.filter(created_at__gt=moment)

    def sent_by_household(self, household: Household) -> HouseholdInvitationQuerySet:
        """Sent from the household, or by one of its account holders from a household they left."""
        return self.filter(Q(household=household) | Q(invited_by__household_member__household=household))

    def expired(self) -> HouseholdInvitationQuerySet:
        return self.filter(accepted_at__isnull=True, expires_at__lte=timezone.now())


class HouseholdInvitation(models.Model):
    """An invitation sent by email to another adult to join a household; kept when the household is deleted, until it
    expires, so that the daily limits still count it."""

    household = models.ForeignKey(
        Household, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations"
    )
    email = models.EmailField(_("email address"))
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token, editable=False)
    invited_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    objects = HouseholdInvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("household invitation")
        verbose_name_plural = _("household invitations")

    def __str__(self) -> str:
        return self.email

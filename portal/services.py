"""Writes on citizens' accounts and households."""

from __future__ import annotations

import datetime
import re
from typing import Any, Protocol

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gru.notifications import notify
from portal.models import Household, HouseholdInvitation, HouseholdMember, User

PROFILE_FIELDS = (
    "first_name",
    "last_name",
    "birth_date",
    "phone",
    "preferred_channel",
    "notify_by_email",
    "notify_by_sms",
)


@transaction.atomic
def profile_update(*, user: User, data: dict[str, Any]) -> User:
    """Change the profile fields given; names and birth date certified by FranceConnect stay as certified."""
    editable = [
        f for f in PROFILE_FIELDS if f in data and not (user.is_identity_certified and f in User.CERTIFIED_FIELDS)
    ]
    for field in editable:
        setattr(user, field, data[field])
    user.save(update_fields=editable)
    declarant = HouseholdMember.objects.filter(user=user).first()
    if declarant is not None:
        _member_sync_from_user(member=declarant, user=user)
    return user


def _member_of_account_create(
    *, household: Household, user: User, birth_date: datetime.date, relationship: str
) -> HouseholdMember:
    """The member an account becomes in a household, named as the account (kept in step by _member_sync_from_user);
    `birth_date`: the account's, which a member cannot do without (the callers made sure it is there)."""
    return HouseholdMember.objects.create(
        household=household,
        user=user,
        first_name=user.first_name,
        last_name=user.last_name,
        birth_date=birth_date,
        relationship=relationship,
    )


def _member_sync_from_user(*, member: HouseholdMember, user: User) -> None:
    member.first_name, member.last_name = user.first_name, user.last_name
    fields = ["first_name", "last_name"]
    if user.birth_date:
        member.birth_date = user.birth_date
        fields.append("birth_date")
    member.save(update_fields=fields)


@transaction.atomic
def household_create(*, user: User, street: str, postcode: str, city: str, birth_date: datetime.date) -> Household:
    """Create the user's household with the user as its account holder."""
    if HouseholdMember.objects.filter(user=user).exists():
        raise ValidationError(_("You already belong to a household."))
    household = Household.objects.create(street=street, postcode=postcode, city=city)
    if user.birth_date is None:
        user.birth_date = birth_date
        user.save(update_fields=["birth_date"])
    _member_of_account_create(
        household=household, user=user, birth_date=user.birth_date, relationship=HouseholdMember.Relationship.DECLARANT
    )
    return household


@transaction.atomic
def household_update(*, household: Household, street: str, postcode: str, city: str) -> Household:
    household.street, household.postcode, household.city = street, postcode, city
    household.save(update_fields=["street", "postcode", "city"])
    return household


@transaction.atomic
def household_member_add(*, household: Household, data: dict[str, Any]) -> HouseholdMember:
    return HouseholdMember.objects.create(household=household, **data)


@transaction.atomic
def household_member_update(*, member: HouseholdMember, data: dict[str, Any]) -> HouseholdMember:
    if member.user_id is not None:
        raise PermissionDenied(_("A member with an account updates their own profile."))
    for field, value in data.items():
        setattr(member, field, value)
    member.save(update_fields=list(data))
    return member


@transaction.atomic
def household_member_remove(*, member: HouseholdMember) -> None:
    if member.user_id is not None:
        raise PermissionDenied(_("A member with an account leaves the household by themselves."))
    member.delete()


class LeaveHandler(Protocol):
    def __call__(self, *, member: HouseholdMember) -> None: ...


_leave_handlers: list[LeaveHandler] = []


def household_leave_handler_register(handler: LeaveHandler) -> None:
    """An app above portal registers what it does, in the same transaction, when an adult leaves their household
    (vault: the proofs follow whom they are about): called with the leaving member, before it is deleted."""
    if handler not in _leave_handlers:
        _leave_handlers.append(handler)


@transaction.atomic
def household_leave(*, user: User) -> None:
    """The user leaves their household; a household left with no account holder is deleted with its members. Access
    follows the membership row, read at every request: once it is deleted, nothing of the household is theirs."""
    member = HouseholdMember.objects.select_for_update().select_related("household").get(user=user)
    household = member.household
    for handler in _leave_handlers:
        handler(member=member)
    member.delete()
    if not household.members.with_account().exists():
        household.delete()


INVITATIONS_PER_HOUSEHOLD = 10  # a day, whoever the addresses
INVITATIONS_PER_ADDRESS = 3  # a day, whichever the households
INVITATION_WINDOW = datetime.timedelta(hours=24)
# A name as people write theirs (letters, spaces, hyphens, apostrophes), short: nothing else of the inviter's writing
# goes out in our emails, no link, no number, no message.
INVITER_NAME = re.compile(r"[^\W\d_]+(?:[ '’-][^\W\d_]+)*")
INVITER_NAME_MAX = 60
UNLOCK_LINK_VALIDITY = datetime.timedelta(hours=1)  # an emailed link that unlocks an account (portal.lockouts)


def _invitation_limits_check(*, household: Household, email: str) -> None:
    """Refuse an invitation past the daily limits, counted from the rows of the last 24 hours: under a lock on the
    household and one on the address, so that concurrent requests of any web process count each other."""
    Household.objects.select_for_update().filter(pk=household.pk).first()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [f"invitation:{email}"])
    recent = HouseholdInvitation.objects.sent_since(timezone.now() - INVITATION_WINDOW)
    if recent.sent_by_household(household).count() >= INVITATIONS_PER_HOUSEHOLD:
        raise ValidationError(
            _("Your household has already sent %(count)s invitations in the last 24 hours: try again tomorrow.")
            % {"count": INVITATIONS_PER_HOUSEHOLD}
        )
    if recent.filter(email=email).count() >= INVITATIONS_PER_ADDRESS:
        raise ValidationError(
            {
                "email": _(
                    "This address has already received %(count)s invitations in the last 24 hours: try again tomorrow."
                )
                % {"count": INVITATIONS_PER_ADDRESS}
            }
        )


def _inviter_name(user: User) -> str:
    """The inviter's registered name as the invitation email gives it; empty when it is not written as a name."""
    name = " ".join(user.get_full_name().split())
    return name if len(name) <= INVITER_NAME_MAX and INVITER_NAME.fullmatch(name) else ""


@transaction.atomic
def household_invitation_send(*, household: Household, invited_by: User, email: str) -> HouseholdInvitation:
    """Invite an adult to join the household: the link is emailed to them, whether they have an account or not, in
    our own wording with the inviter's name only; at most INVITATIONS_PER_HOUSEHOLD a day from a household and
    INVITATIONS_PER_ADDRESS a day to an address."""
    email = email.lower()
    _invitation_limits_check(household=household, email=email)
    invitation = HouseholdInvitation.objects.create(
        household=household,
        invited_by=invited_by,
        email=email,
        expires_at=timezone.now() + settings.HOUSEHOLD_INVITATION_VALIDITY,
    )
    notify(
        event="household_invitation",
        email=invitation.email,
        context={"inviter": _inviter_name(invited_by), "expires_at": invitation.expires_at},
        url=reverse("portal:invitation_accept", args=[invitation.token]),
    )
    return invitation


@transaction.atomic
def household_invitation_accept(*, invitation: HouseholdInvitation, user: User) -> HouseholdMember:
    """Join the inviting household as an adult member; the invitation is for this user's email only."""
    invitation = HouseholdInvitation.objects.select_for_update().get(pk=invitation.pk)
    household = invitation.household  # none once the household is deleted
    if household is None or invitation.accepted_at is not None or invitation.expires_at <= timezone.now():
        raise ValidationError(_("This invitation has expired or has already been used."))
    if invitation.email != user.email.lower():
        raise ValidationError(_("This invitation was sent to another email address."))
    if HouseholdMember.objects.filter(user=user).exists():
        raise ValidationError(_("You already belong to a household: leave it before joining another one."))
    if user.birth_date is None:
        raise ValidationError(_("Enter your date of birth in your profile before joining a household."))
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return _member_of_account_create(
        household=household, user=user, birth_date=user.birth_date, relationship=HouseholdMember.Relationship.PARTNER
    )


@transaction.atomic
def user_unlock_link_send(*, user: User, token: str) -> None:
    """Email a locked account's holder the link that unlocks it (portal.lockouts), whatever their email choices."""
    notify(
        event="account_locked",
        user=user,
        context={"valid_minutes": UNLOCK_LINK_VALIDITY // datetime.timedelta(minutes=1)},
        url=reverse("account_unlock", args=[token]),
    )


@transaction.atomic
def user_totp_enroll(*, user: User, secret: str) -> None:
    """Enroll a TOTP second factor (with recovery codes) for the user, replacing any earlier one."""
    Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES]
    ).delete()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)


@transaction.atomic
def user_franceconnect_login(*, sub: str, given_name: str, family_name: str, birthdate: str, email: str) -> User:
    """The account of a citizen identified by FranceConnect, created or linked, with its identity certified.

    An account already linked to this FranceConnect identity is used first; else a citizen account whose verified
    email is the one FranceConnect gives is linked (agents and administrators never are: they sign in with their
    password and second factor); else a new account is created with that email, verified.
    """
    user = User.objects.select_for_update().filter(franceconnect_sub=sub).first()
    if user is None:
        user = _franceconnect_account(email=email.lower())
    user.franceconnect_sub = sub
    user.first_name, user.last_name = given_name, family_name
    user.birth_date = datetime.date.fromisoformat(birthdate)
    user.identity_certified_at = timezone.now()
    user.save()
    member = HouseholdMember.objects.filter(user=user).first()
    if member is not None:
        _member_sync_from_user(member=member, user=user)
    return user


def _franceconnect_account(*, email: str) -> User:
    verified = EmailAddress.objects.filter(email__iexact=email, verified=True).select_related("user").first()
    if verified is not None:
        user = verified.user
        if user.is_staff or user.memberships.exists() or user.franceconnect_sub:
            raise ValidationError(_("This email address belongs to an account that cannot be linked to FranceConnect."))
        return user
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(_("An account with this email address is awaiting verification."))
    user = User.objects.create_user(email, None)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user

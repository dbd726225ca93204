"""Demo accounts and households (idempotent): alice, eve, bob, carol and dave."""

import datetime

from allauth.account.models import EmailAddress
from django.conf import settings

from gru.models import Department, Membership
from portal import services
from portal.models import Household, HouseholdMember, User

CITIZENS = {
    "alice@example.org": ("Alice", "Martin", datetime.date(1986, 4, 12)),
    "eve@example.org": ("Ève", "Durand", datetime.date(1979, 9, 3)),
}
AGENTS = {
    "bob@example.org": ("Bob", "Lefèvre", ["etat-civil", "enfance"]),
    "carol@example.org": ("Carol", "Moreau", ["urbanisme"]),
}
ADMINISTRATOR = ("dave@example.org", "Dave", "Bernard")
ALICE_HOUSEHOLD = [
    ("Julien", "Martin", datetime.date(1984, 1, 22), HouseholdMember.Relationship.PARTNER),
    ("Léa", "Martin", datetime.date(2017, 6, 8), HouseholdMember.Relationship.CHILD),
    ("Hugo", "Martin", datetime.date(2020, 11, 30), HouseholdMember.Relationship.CHILD),
]


def _account(email: str, first_name: str, last_name: str, **extra: object) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"first_name": first_name, "last_name": last_name, **extra}
    )
    if created:
        user.set_password(settings.DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def _household(user: User, street: str, members: list) -> Household:
    existing = Household.objects.of(user).first()
    if existing is not None:
        return existing
    household = services.household_create(
        user=user, street=street, postcode="45630", city="Beaulieu-sur-Loire", birth_date=user.birth_date
    )
    for first_name, last_name, birth_date, relationship in members:
        services.household_member_add(
            household=household,
            data={
                "first_name": first_name,
                "last_name": last_name,
                "birth_date": birth_date,
                "relationship": relationship,
            },
        )
    return household


def seed() -> dict[str, User]:
    users: dict[str, User] = {}
    for email, (first_name, last_name, birth_date) in CITIZENS.items():
        users[email] = _account(email, first_name, last_name, birth_date=birth_date, phone="+33612345678")
    _household(users["alice@example.org"], "12 rue des Tilleuls", ALICE_HOUSEHOLD)
    _household(users["eve@example.org"], "3 chemin du Port", [])
    for email, (first_name, last_name, slugs) in AGENTS.items():
        users[email] = _account(email, first_name, last_name)
        for slug in slugs:
            Membership.objects.get_or_create(user=users[email], department=Department.objects.get(slug=slug))
    email, first_name, last_name = ADMINISTRATOR
    users[email] = _account(email, first_name, last_name, is_staff=True, is_superuser=True)
    for email in [*AGENTS, ADMINISTRATOR[0]]:
        if not User.objects.with_second_factor().filter(pk=users[email].pk).exists():
            services.user_totp_enroll(user=users[email], secret=settings.DEMO_TOTP_SECRET)
    return users

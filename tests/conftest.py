"""Personas shared by every test: alice and eve (citizens), bob and carol (agents), dave (administrator)."""

import importlib
import uuid

import pytest
from allauth.account.internal.flows.login import record_authentication
from django.conf import settings as django_settings
from django.db import connection
from django.test import RequestFactory
from django.utils import translation

from gru import sms
from portal import services
from portal.models import HouseholdMember, User
from teleservices import demo as teleservices_demo
from tests.clamd import clamav_on, clamd  # noqa: F401 (fixtures)
from tests.factories import (
    DepartmentFactory,
    HouseholdMemberFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.geocoder import ban  # noqa: F401 (fixture)
from tests.servers import redis_server, smtp_server  # noqa: F401 (fixtures)

TOTP_SECRET = "JBSWY3DPEHPK3PXPTESTSECRET234567"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, dropped at the end even if a thread of the live server (daemon threads serving the browser's
    last requests) still holds a connection to it: PostgreSQL refuses to drop a database in use."""
    yield
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def _isolated_cache(settings):
    """A fresh cache key space for each test, so rate limits and cached values never leak between tests."""
    settings.CACHES = {
        "default": {**django_settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"},
    }


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Uploaded files go to a temporary directory, never into the working tree."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    private = {**settings.STORAGES["private"], "OPTIONS": {"location": str(tmp_path / "private")}}
    settings.STORAGES = {**settings.STORAGES, "private": private}


@pytest.fixture(autouse=True)
def _french():
    """Each test starts in French, whatever language an earlier request of the same thread activated."""
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    """Text messages are kept in memory (gru.sms.outbox), empty at the start of each test, like mail.outbox."""
    settings.SMS_BACKEND = "gru.sms.LocmemBackend"
    sms.outbox.clear()
    return sms.outbox


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def organisation(db):
    return OrganisationFactory()


@pytest.fixture
def default_receipt(db):
    """The default récépissé template, as its data migration writes it: transactional tests flush such rows."""
    from django.apps import apps

    importlib.import_module("letters.migrations.0003_default_acknowledgement_template").create(apps, None)


@pytest.fixture
def etat_civil(organisation):
    return DepartmentFactory(organisation=organisation, slug="etat-civil", name="État civil")


@pytest.fixture
def enfance(organisation):
    return DepartmentFactory(organisation=organisation, slug="enfance", name="Enfance")


@pytest.fixture
def urbanisme(organisation):
    return DepartmentFactory(organisation=organisation, slug="urbanisme", name="Urbanisme")


def _citizen_with_household(email: str, first_name: str, last_name: str) -> User:
    user = UserFactory(email=email, first_name=first_name, last_name=last_name)
    services.household_create(
        user=user, street="1 rue Haute", postcode="45630", city="Beaulieu-sur-Loire", birth_date=user.birth_date
    )
    return user


@pytest.fixture
def alice(organisation) -> User:
    """A citizen with a household: a partner and two children."""
    user = _citizen_with_household("alice@example.org", "Alice", "Martin")
    household = user.household_member.household
    HouseholdMemberFactory(
        household=household,
        first_name="Julien",
        relationship=HouseholdMember.Relationship.PARTNER,
        birth_date="1984-01-22",
    )
    HouseholdMemberFactory(household=household, first_name="Léa")
    HouseholdMemberFactory(household=household, first_name="Hugo", birth_date="2020-11-30")
    return user


@pytest.fixture
def eve(organisation) -> User:
    """Another citizen, of another household: the outsider."""
    return _citizen_with_household("eve@example.org", "Ève", "Durand")


def _agent(email: str, first_name: str, *departments) -> User:
    user = UserFactory(email=email, first_name=first_name, last_name="Agent")
    for department in departments:
        MembershipFactory(user=user, department=department)
    services.user_totp_enroll(user=user, secret=TOTP_SECRET)
    return user


@pytest.fixture
def bob(etat_civil, enfance) -> User:
    """An agent of État civil and Enfance, with TOTP enrolled."""
    return _agent("bob@example.org", "Bob", etat_civil, enfance)


@pytest.fixture
def carol(urbanisme) -> User:
    """An agent of Urbanisme, with TOTP enrolled."""
    return _agent("carol@example.org", "Carol", urbanisme)


@pytest.fixture
def dave(organisation) -> User:
    """The administrator, with TOTP enrolled."""
    user = UserFactory(email="dave@example.org", first_name="Dave", last_name="Admin", is_staff=True, is_superuser=True)
    services.user_totp_enroll(user=user, secret=TOTP_SECRET)
    return user


def sign_in(client, user: User) -> None:
    """Sign the test client in as `user`, having passed the second factor in this session: recorded as allauth's TOTP
    step records it (what agents and administrators need for the back office, the admin and files)."""
    client.force_login(user)
    request = RequestFactory().get("/")
    request.session = client.session
    record_authentication(request, user, "mfa", type="totp")
    request.session.save()


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def eve_client(client, eve):
    client.force_login(eve)
    return client


@pytest.fixture
def alice_by_sms(alice, settings):
    """alice chose text messages besides emails, on her mobile phone."""
    settings.SMS_ENABLED = True
    User.objects.filter(pk=alice.pk).update(phone="+33612345678", notify_by_sms=True)
    alice.refresh_from_db()
    return alice


# The agents' and the administrator's clients, signed in with their second factor (sign_in), as the back office and
# the admin ask.
@pytest.fixture
def bob_client(client, bob):
    sign_in(client, bob)
    return client


@pytest.fixture
def carol_client(client, carol):
    sign_in(client, carol)
    return client


@pytest.fixture
def dave_client(client, dave):
    sign_in(client, dave)
    return client


@pytest.fixture
def teleservices(etat_civil, enfance, urbanisme):
    """The demo commune's five published téléservices, by slug."""
    DepartmentFactory(organisation=etat_civil.organisation, slug="voirie", name="Voirie")
    return teleservices_demo.seed_teleservices(None)

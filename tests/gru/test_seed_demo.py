from io import StringIO

import pyotp
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.management import call_command

from gru.models import Department, Membership, Organisation
from portal.models import HouseholdMember, User
from teleservices.models import Case, Teleservice


def test_seed_demo_creates_the_commune_its_departments_and_the_personas(db, settings):
    call_command("seed_demo", stdout=StringIO())
    assert Organisation.objects.get().name == "Ville de Beaulieu-sur-Loire"
    assert set(Department.objects.values_list("name", flat=True)) == {"État civil", "Enfance", "Urbanisme", "Voirie"}
    alice = User.objects.get(email="alice@example.org")
    assert alice.check_password(settings.DEMO_PASSWORD)
    household = HouseholdMember.objects.get(user=alice).household
    assert household.members.filter(relationship="child").count() == 2
    assert household.members.filter(relationship="partner").count() == 1
    bob = User.objects.get(email="bob@example.org")
    assert set(Membership.objects.filter(user=bob).values_list("department__slug", flat=True)) == {
        "etat-civil",
        "enfance",
    }
    assert User.objects.get(email="dave@example.org").is_staff
    assert not User.objects.get(email="eve@example.org").is_staff


def test_seed_demo_enrolls_agents_in_totp_with_the_demo_secret(db, settings):
    call_command("seed_demo", stdout=StringIO())
    for email in ("bob@example.org", "carol@example.org", "dave@example.org"):
        assert Authenticator.objects.filter(user__email=email, type=Authenticator.Type.TOTP).exists()
    totp = TOTP(Authenticator.objects.get(user__email="bob@example.org", type=Authenticator.Type.TOTP))
    assert totp.validate_code(pyotp.TOTP(settings.DEMO_TOTP_SECRET).now())


def test_seed_demo_publishes_five_teleservices_and_gives_alice_a_draft_and_two_requests(db):
    call_command("seed_demo", stdout=StringIO())
    assert set(Teleservice.objects.published().values_list("slug", flat=True)) == {
        "acte-de-naissance",
        "bacs-dechets",
        "inscription-scolaire",
        "occupation-domaine-public",
        "signalement-voirie",
    }
    alice_cases = Case.objects.filter(user__email="alice@example.org")
    assert alice_cases.drafts().count() == 1 and alice_cases.submitted().count() == 2


def _counts() -> tuple[int, ...]:
    models = (User, HouseholdMember, Membership, Teleservice, Case)
    return tuple(model.objects.count() for model in models)  # type: ignore[attr-defined]


def test_seed_demo_run_twice_changes_nothing(db):
    call_command("seed_demo", stdout=StringIO())
    counts = _counts()
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == counts

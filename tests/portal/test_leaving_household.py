"""An adult who leaves a household loses its requests, files and proofs at once; their own proofs go with them."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.models import HouseholdMember
from teleservices import services as teleservices_services
from tests.factories import UserFactory
from tests.teleservices.conftest import pdf_bytes
from vault import demo as vault_demo
from vault import services as vault_services
from vault.files import CheckedFile
from vault.models import Document

REPORT = {"categorie": "eclairage", "localisation": "Devant le 4 rue des Tilleuls"}


@pytest.fixture
def sam(alice):
    """Alice's partner, with an account of his own, in her household."""
    user = UserFactory(email="sam@example.org", first_name="Sam", last_name="Martin")
    HouseholdMember.objects.create(
        household=alice.household_member.household,
        user=user,
        first_name="Sam",
        last_name="Martin",
        birth_date=user.birth_date,
        relationship=HouseholdMember.Relationship.PARTNER,
    )
    return user


@pytest.fixture
def sam_client(sam):
    client = Client()
    client.force_login(sam)
    return client


@pytest.fixture
def alice_case(alice, teleservices):
    case = teleservices_services.case_start(user=alice, teleservice=teleservices["signalement-voirie"])
    case = teleservices_services.case_page_save(case=case, answers=REPORT, files={}, page=0)
    return teleservices_services.case_submit(case=case)


@pytest.fixture
def types(db):
    return vault_demo.seed()


def _document(owner, types, member=None) -> Document:
    page = vault_services.stored_file_create(
        owner=owner, checked=CheckedFile(content=pdf_bytes(), mime="application/pdf", name="piece.pdf")
    )
    return vault_services.document_add(
        owner=owner, type=types["livret-famille"], issued_on=timezone.localdate(), files=[page], member=member
    )


def _leave(client) -> None:
    assert client.post(reverse("portal:leave")).status_code == 302


def test_a_member_who_leaves_loses_the_households_requests_and_files_at_once(alice, sam_client, alice_case):
    message = teleservices_services.case_message_post(
        case=alice_case, author=alice, body="Voici", files=[_checked()], from_agent=False
    )
    case_url = reverse("teleservices:case", args=[alice_case.reference])
    file_url = message.attachments.get().get_absolute_url()
    assert sam_client.get(case_url).status_code == 200
    assert sam_client.get(file_url).status_code == 200
    _leave(sam_client)
    assert sam_client.get(case_url).status_code == 404
    assert sam_client.get(file_url).status_code == 404
    assert alice_case.reference not in sam_client.get(reverse("teleservices:my_requests")).content.decode()
    assert alice_case.reference not in sam_client.get(reverse("portal:space")).content.decode()


def _checked() -> CheckedFile:
    return CheckedFile(content=pdf_bytes(), mime="application/pdf", name="voici.pdf")


def test_a_member_who_leaves_keeps_their_own_proofs(sam, sam_client, types):
    own = _document(sam, types)
    _leave(sam_client)
    own.refresh_from_db()
    assert own.owner == sam and own.member is None
    assert sam_client.get(reverse("vault:documents")).status_code == 200
    assert sam_client.get(own.files.get().get_absolute_url()).status_code == 200


def test_the_proofs_about_the_member_who_leaves_go_with_them(alice, sam, sam_client, types):
    about_sam = _document(alice, types, member=sam.household_member)
    _leave(sam_client)
    about_sam.refresh_from_db()
    assert about_sam.owner == sam and about_sam.member is None


def test_the_proofs_about_the_households_children_stay_with_the_household(alice, sam, sam_client, types):
    lea = alice.household_member.household.members.get(first_name="Léa")
    about_lea = _document(sam, types, member=lea)
    _leave(sam_client)
    about_lea.refresh_from_db()
    assert about_lea.owner == alice and about_lea.member == lea
    assert "Léa" not in sam_client.get(reverse("vault:documents")).content.decode()
    assert sam_client.get(about_lea.files.get().get_absolute_url()).status_code == 404


def test_the_last_account_holder_leaving_deletes_the_proofs_about_the_deleted_members(alice, alice_client, types):
    lea = alice.household_member.household.members.get(first_name="Léa")
    about_lea = _document(alice, types, member=lea)
    own = _document(alice, types)
    _leave(alice_client)
    assert not Document.objects.filter(pk=about_lea.pk).exists()
    assert Document.objects.get(owner=alice) == own

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from portal.models import Household, HouseholdInvitation, HouseholdMember
from tests.factories import UserFactory


def test_anonymous_visitor_is_sent_to_login_from_the_household_page(client, db):
    response = client.get(reverse("portal:household"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_citizen_without_household_creates_one_and_becomes_its_account_holder(client, organisation):
    user = UserFactory(birth_date=None)
    client.force_login(user)
    response = client.post(
        reverse("portal:household"),
        {"street": "5 rue Neuve", "postcode": "45630", "city": "Beaulieu", "birth_date": "1990-02-03"},
    )
    assert response.status_code == 302
    member = HouseholdMember.objects.get(user=user)
    assert member.relationship == HouseholdMember.Relationship.DECLARANT
    assert member.household.street == "5 rue Neuve"
    user.refresh_from_db()
    assert user.birth_date == datetime.date(1990, 2, 3)


def test_household_creation_with_a_bad_postcode_keeps_what_was_typed_and_explains_in_french(client, organisation):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("portal:household"),
        {"street": "5 rue Neuve", "postcode": "4563", "city": "Beaulieu", "birth_date": "1990-02-03"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Saisissez un code postal de 5 chiffres" in content
    assert 'value="5 rue Neuve"' in content
    assert 'value="Beaulieu"' in content
    assert not Household.objects.exists()


def test_alice_sees_her_household_members(alice_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = alice_client.get(reverse("portal:household"))
    content = response.content.decode()
    for name in ("Alice", "Julien", "Léa", "Hugo"):
        assert name in content


def test_alice_adds_a_child_to_her_household(alice_client, alice):
    response = alice_client.post(
        reverse("portal:member_add"),
        {"first_name": "Zoé", "last_name": "Martin", "birth_date": "2023-01-15", "relationship": "child"},
    )
    assert response.status_code == 302
    assert alice.household_member.household.members.filter(first_name="Zoé").exists()


def test_a_member_born_in_the_future_is_refused(alice_client, alice):
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = alice_client.post(
        reverse("portal:member_add"),
        {"first_name": "Zoé", "last_name": "Martin", "birth_date": future, "relationship": "child"},
    )
    assert response.status_code == 200
    assert "La date de naissance ne peut pas être dans le futur" in response.content.decode()
    assert 'value="Zoé"' in response.content.decode()


def test_nobody_can_be_added_as_a_second_account_holder(alice_client, alice):
    response = alice_client.post(
        reverse("portal:member_add"),
        {"first_name": "Zoé", "last_name": "Martin", "birth_date": "2023-01-15", "relationship": "declarant"},
    )
    assert response.status_code == 200
    assert not HouseholdMember.objects.filter(first_name="Zoé").exists()


def test_alice_edits_and_removes_a_child(alice_client, alice):
    child = alice.household_member.household.members.get(first_name="Hugo")
    alice_client.post(
        reverse("portal:member_edit", args=[child.pk]),
        {"first_name": "Hugo", "last_name": "Martin-Roux", "birth_date": "2020-11-30", "relationship": "child"},
    )
    child.refresh_from_db()
    assert child.last_name == "Martin-Roux"
    alice_client.post(reverse("portal:member_remove", args=[child.pk]))
    assert not HouseholdMember.objects.filter(pk=child.pk).exists()


def test_changes_to_a_household_are_kept_in_its_history(alice_client, alice):
    household = alice.household_member.household
    alice_client.post(reverse("portal:household_address"), {"street": "8 quai Sud", "postcode": "45630", "city": "B"})
    assert household.history.first().street == "8 quai Sud"
    assert household.history.first().history_user == alice


@pytest.mark.parametrize("name", ["member_edit", "member_remove"])
def test_eve_cannot_see_or_change_alices_household_members(eve_client, alice, name):
    child = alice.household_member.household.members.get(first_name="Léa")
    assert eve_client.get(reverse(f"portal:{name}", args=[child.pk])).status_code == 404
    assert eve_client.post(reverse(f"portal:{name}", args=[child.pk]), {"first_name": "X"}).status_code == 404
    child.refresh_from_db()
    assert child.first_name == "Léa"


def test_eve_sees_only_her_own_household(eve_client, alice):
    content = eve_client.get(reverse("portal:household")).content.decode()
    assert "Léa" not in content
    assert "Julien" not in content


def test_the_account_holder_cannot_be_edited_as_a_member(alice_client, alice):
    response = alice_client.get(reverse("portal:member_edit", args=[alice.household_member.pk]))
    assert response.status_code == 404


def test_household_pages_refuse_other_methods(alice_client):
    assert alice_client.put(reverse("portal:household")).status_code == 405
    assert alice_client.delete(reverse("portal:leave")).status_code == 405


def test_alice_invites_an_adult_who_joins_her_household(
    alice_client, alice, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(reverse("portal:invite"), {"email": "Sam@Example.org"})
    invitation = HouseholdInvitation.objects.get()
    assert invitation.email == "sam@example.org"
    assert len(mail.outbox) == 1
    assert reverse("portal:invitation_accept", args=[invitation.token]) in mail.outbox[0].body
    sam = UserFactory(email="sam@example.org", first_name="Sam", last_name="Martin")
    client.force_login(sam)
    response = client.post(reverse("portal:invitation_accept", args=[invitation.token]))
    assert response.status_code == 302
    assert HouseholdMember.objects.get(user=sam).household == alice.household_member.household


def test_an_invitation_cannot_be_used_by_another_account(alice, eve_client):
    invitation = HouseholdInvitation.objects.create(
        household=alice.household_member.household,
        invited_by=alice,
        email="sam@example.org",
        expires_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1),
    )
    assert eve_client.get(reverse("portal:invitation_accept", args=[invitation.token])).status_code == 404
    assert eve_client.post(reverse("portal:invitation_accept", args=[invitation.token])).status_code == 404


def test_a_citizen_already_in_a_household_must_leave_it_before_joining_another(alice, eve, eve_client):
    invitation = HouseholdInvitation.objects.create(
        household=alice.household_member.household,
        invited_by=alice,
        email=eve.email,
        expires_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1),
    )
    response = eve_client.post(reverse("portal:invitation_accept", args=[invitation.token]))
    assert response.status_code == 200
    assert "Vous appartenez déjà à un foyer" in response.content.decode()
    assert HouseholdMember.objects.get(user=eve).household != alice.household_member.household


def test_the_last_account_holder_leaving_deletes_the_household_and_its_members(alice_client, alice):
    household_id = alice.household_member.household_id
    response = alice_client.post(reverse("portal:leave"))
    assert response.status_code == 302
    assert not Household.objects.filter(pk=household_id).exists()
    assert not HouseholdMember.objects.filter(household_id=household_id).exists()


def test_an_adult_leaving_keeps_the_household_for_the_others(alice, client):
    household = alice.household_member.household
    sam = UserFactory(email="sam@example.org")
    HouseholdMember.objects.create(
        household=household, user=sam, first_name="Sam", last_name="M", birth_date="1985-01-01", relationship="partner"
    )
    client.force_login(sam)
    client.post(reverse("portal:leave"))
    assert Household.objects.filter(pk=household.pk).exists()
    assert not HouseholdMember.objects.filter(user=sam).exists()

"""Household invitations: our own wording with the inviter's name only, and daily limits counted in the database."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from portal import services
from portal.models import HouseholdInvitation

INVITE = reverse("portal:invite")


def _invite(client, email: str, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(INVITE, {"email": email})


def _send(user, email: str) -> HouseholdInvitation:
    return services.household_invitation_send(household=user.household_member.household, invited_by=user, email=email)


def test_the_invitation_email_relays_no_text_of_the_inviter(alice, alice_client, django_capture_on_commit_callbacks):
    alice.last_name = "Martin. Gagnez 1000 euros sur https://arnaque.example"
    alice.save(update_fields=["last_name"])
    _invite(alice_client, "sam@example.org", django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    html = message.alternatives[0][0]
    for text in (message.subject, message.body, html):
        assert "arnaque" not in text
        assert "Gagnez" not in text
    assert message.subject.startswith("Invitation à rejoindre un foyer sur les services en ligne de")
    assert "Un usager des services en ligne" in message.body


def test_the_invitation_email_gives_the_inviters_registered_name(alice_client, django_capture_on_commit_callbacks):
    _invite(alice_client, "sam@example.org", django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert "Alice Martin vous invite à rejoindre son foyer" in message.body
    assert "Alice" not in message.subject


def test_a_household_sends_at_most_ten_invitations_a_day(alice, alice_client, django_capture_on_commit_callbacks):
    for number in range(services.INVITATIONS_PER_HOUSEHOLD):
        _send(alice, f"adult{number}@example.org")
    response = _invite(alice_client, "one-more@example.org", django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "Votre foyer a déjà envoyé 10 invitations ces dernières 24 heures" in response.content.decode()
    assert not HouseholdInvitation.objects.filter(email="one-more@example.org").exists()
    assert mail.outbox == []


def test_invitations_older_than_24_hours_no_longer_count(alice, alice_client, django_capture_on_commit_callbacks):
    with time_machine.travel(timezone.now() - datetime.timedelta(hours=25)):
        for number in range(services.INVITATIONS_PER_HOUSEHOLD):
            _send(alice, f"adult{number}@example.org")
    response = _invite(alice_client, "one-more@example.org", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert HouseholdInvitation.objects.filter(email="one-more@example.org").exists()


def test_an_address_receives_at_most_three_invitations_a_day_whatever_the_households(
    alice, eve, alice_client, django_capture_on_commit_callbacks
):
    _send(eve, "sam@example.org")
    _send(eve, "sam@example.org")
    _send(alice, "sam@example.org")
    response = _invite(alice_client, "Sam@Example.org", django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "Cette adresse a déjà reçu 3 invitations ces dernières 24 heures" in response.content.decode()
    assert HouseholdInvitation.objects.filter(email="sam@example.org").count() == 3
    assert mail.outbox == []


def test_leaving_and_creating_a_household_again_does_not_reset_the_limits(alice):
    for number in range(services.INVITATIONS_PER_HOUSEHOLD):
        _send(alice, f"adult{number}@example.org")
    services.household_leave(user=alice)
    household = services.household_create(
        user=alice, street="2 rue Basse", postcode="45630", city="Beaulieu-sur-Loire", birth_date=alice.birth_date
    )
    with pytest.raises(ValidationError, match="Votre foyer a déjà envoyé 10 invitations"):
        services.household_invitation_send(household=household, invited_by=alice, email="other@example.org")


def test_an_invitation_of_a_deleted_household_can_no_longer_be_accepted(alice):
    invitation = _send(alice, "sam@example.org")
    services.household_leave(user=alice)
    invitation.refresh_from_db()
    assert invitation.household is None
    assert not HouseholdInvitation.objects.pending().exists()


def test_sending_an_invitation_takes_a_bounded_number_of_queries(
    alice_client, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    with django_assert_max_num_queries(20):
        response = _invite(alice_client, "sam@example.org", django_capture_on_commit_callbacks)
    assert response.status_code == 302

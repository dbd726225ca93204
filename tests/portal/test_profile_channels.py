"""The profile offers only the contact channels the portal can use, and shows phone numbers as people write them."""

import re

import pytest
from django.urls import reverse

from portal.forms import phone_display
from portal.models import User

PROFILE = {
    "first_name": "Alice",
    "last_name": "Martin",
    "birth_date": "1986-04-12",
    "phone": "06 12 34 56 78",
    "preferred_channel": "email",
}


def _channels(page: str) -> list[str]:
    return re.findall(r'name="preferred_channel" value="(\w+)"', page)


def test_without_text_messages_enabled_the_preferred_channel_cannot_be_sms(alice_client, settings):
    settings.SMS_ENABLED = False
    page = alice_client.get(reverse("portal:profile")).content.decode()
    assert _channels(page) == ["email", "post"]
    response = alice_client.post(reverse("portal:profile"), {**PROFILE, "preferred_channel": "sms"})
    assert response.status_code == 200
    assert 'id="id_preferred_channel_error"' in response.content.decode()


def test_with_text_messages_enabled_sms_is_offered_and_kept(alice_client, alice, settings):
    settings.SMS_ENABLED = True
    page = alice_client.get(reverse("portal:profile")).content.decode()
    assert _channels(page) == ["email", "sms", "post"]
    response = alice_client.post(reverse("portal:profile"), {**PROFILE, "preferred_channel": "sms"})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.preferred_channel == User.Channel.SMS


@pytest.mark.parametrize(
    "typed", ["+33 6 12 34 56 78", "0612345678", "06.12.34.56.78", "06 12 34 56 78", "+33612345678"]
)
def test_a_phone_number_typed_in_any_usual_way_is_stored_once_and_shown_nationally(alice_client, alice, typed):
    response = alice_client.post(reverse("portal:profile"), {**PROFILE, "phone": typed})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.phone == "+33612345678"
    page = alice_client.get(reverse("portal:profile")).content.decode()
    assert 'value="06 12 34 56 78"' in page
    assert "+33612345678" not in page


def test_a_wrong_phone_number_is_shown_again_as_typed(alice_client):
    response = alice_client.post(reverse("portal:profile"), {**PROFILE, "phone": "06.12.34"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="06.12.34"' in page
    assert "Saisissez un numéro de téléphone valide" in page


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+33612345678", "06 12 34 56 78"),
        ("+33145678901", "01 45 67 89 01"),
        ("+32470123456", "+32 470 12 34 56"),
        ("", ""),
        ("not a number", "not a number"),
    ],
)
def test_phone_display(stored, shown):
    assert phone_display(stored) == shown

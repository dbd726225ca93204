"""Citizens choose in their profile to be told by email and/or text message; text messages need a mobile number."""

import re

import pytest
from django.db import transaction
from django.urls import reverse

from gru.models import Notification
from gru.notifications import notify

PROFILE = {
    "first_name": "Alice",
    "last_name": "Martin",
    "birth_date": "1986-04-12",
    "phone": "06 12 34 56 78",
    "preferred_channel": "email",
}


@pytest.fixture
def sms_enabled(settings):
    settings.SMS_ENABLED = True


def _checked(page: str, name: str) -> bool:
    return re.search(rf'<input[^>]*name="{name}"[^>]*\bchecked\b', page) is not None


def _channels_of_a_document_expiring(user) -> set[str]:
    with transaction.atomic():
        return {row.channel for row in notify(event="document_expiring", user=user, context={})}


def test_the_profile_offers_the_ways_to_be_told_in_a_fieldset(alice_client, sms_enabled):
    page = alice_client.get(reverse("portal:profile")).content.decode()
    assert '<fieldset class="fieldset"' in page and 'id="notifications"' in page
    assert _checked(page, "notify_by_email") and 'name="notify_by_sms"' in page
    assert not _checked(page, "notify_by_sms")


def test_without_text_messages_enabled_they_are_not_offered(alice_client, settings):
    settings.SMS_ENABLED = False
    page = alice_client.get(reverse("portal:profile")).content.decode()
    assert 'name="notify_by_email"' in page and 'name="notify_by_sms"' not in page


def test_alice_chooses_text_messages_instead_of_emails_and_is_told_so(alice_client, alice, sms_enabled):
    assert _channels_of_a_document_expiring(alice) == {"email", "space"}
    response = alice_client.post(reverse("portal:profile"), {**PROFILE, "notify_by_sms": "on"})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.notify_by_email, alice.notify_by_sms, alice.phone) == (False, True, "+33612345678")
    assert _channels_of_a_document_expiring(alice) == {"sms", "space"}
    (sms,) = Notification.objects.filter(channel="sms")
    assert sms.address == "+33612345678"


def test_text_messages_are_refused_without_a_phone_number_and_nothing_is_lost(alice_client, alice, sms_enabled):
    data = {**PROFILE, "first_name": "Alicia", "phone": "", "notify_by_email": "on", "notify_by_sms": "on"}
    response = alice_client.post(reverse("portal:profile"), data)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Saisissez un numéro de téléphone mobile pour être contacté par SMS." in content
    assert 'href="#id_phone"' in content  # from the error summary
    assert 'value="Alicia"' in content and _checked(content, "notify_by_sms")
    alice.refresh_from_db()
    assert (alice.first_name, alice.notify_by_sms) == ("Alice", False)


def test_text_messages_are_refused_for_a_landline(alice_client, alice, sms_enabled):
    response = alice_client.post(
        reverse("portal:profile"), {**PROFILE, "phone": "02 38 00 00 00", "notify_by_sms": "on"}
    )
    assert response.status_code == 200 and 'id="id_phone_error"' in response.content.decode()
    alice.refresh_from_db()
    assert not alice.notify_by_sms


def test_a_landline_is_fine_for_emails_only(alice_client, alice, sms_enabled):
    response = alice_client.post(
        reverse("portal:profile"), {**PROFILE, "phone": "02 38 00 00 00", "notify_by_email": "on"}
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.phone, alice.notify_by_email, alice.notify_by_sms) == ("+33238000000", True, False)


def test_a_phone_removed_later_stops_the_text_messages(alice, sms_enabled):
    alice.phone, alice.notify_by_sms = "+33612345678", True
    alice.save()
    assert "sms" in _channels_of_a_document_expiring(alice)
    alice.phone = ""
    alice.save()
    assert _channels_of_a_document_expiring(alice) == {"email", "space"}

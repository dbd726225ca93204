"""Passwords hard to guess (zxcvbn, with common French passwords), and reset links that last an hour and work once."""

import datetime
import re

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from gru.passwords import StrengthValidator, french_passwords
from portal.models import User
from tests.factories import PASSWORD

NEW_PASSWORD = "Loire-en-automne-2026"
TOO_EASY = "trop facile à deviner"


def _signup(client, password: str):
    data = {
        "email": "sam@example.org",
        "first_name": "Sam",
        "last_name": "Leroy",
        "password1": password,
        "password2": password,
    }
    return client.post(reverse("account_signup"), data)


@pytest.mark.parametrize(
    "password", ["aaaaaaaaaaaa", "Marseille13!!", "Soleil2024!!", "azertyuiop12", "M0tDePasse2026"]
)
def test_an_easy_password_is_refused_at_sign_up_in_french(client, organisation, password):
    response = _signup(client, password)
    assert response.status_code == 200
    assert TOO_EASY in response.content.decode()
    assert not User.objects.filter(email="sam@example.org").exists()


def test_a_password_made_of_the_accounts_own_name_and_a_year_is_refused(alice):
    alice.last_name = "Zwingelstein"
    with pytest.raises(ValidationError, match=TOO_EASY):
        StrengthValidator().validate("Zwingelstein1984", user=alice)
    StrengthValidator().validate("Zwingelstein1984")  # a rare word for whoever does not know the account


def test_a_long_unexpected_passphrase_is_accepted(client, organisation):
    assert _signup(client, NEW_PASSWORD).status_code == 302
    assert User.objects.filter(email="sam@example.org").exists()


def test_the_list_of_common_french_passwords_is_read_in_order():
    common = french_passwords()
    assert common[:2] == ("azerty", "motdepasse")
    assert len(common) >= 200 and all(word == word.strip().lower() for word in common)


def test_the_passwords_of_the_tests_and_the_demo_pass_the_validators(alice):
    validate_password(PASSWORD, user=alice)
    validate_password(settings.DEMO_PASSWORD, user=alice)


def _reset_link(client, user) -> str:
    client.post(reverse("account_reset_password"), {"email": user.email})
    (message,) = [m for m in mail.outbox if user.email in m.to]
    return re.search(r"https?://testserver(/compte/password/reset/key/\S+/)", message.body).group(1)


def _reset_with(client, link: str):
    """Open the link (allauth keeps its key in the session and redirects to the form), then send a new password."""
    opened = client.get(link)
    if opened.status_code != 302:
        return opened
    return client.post(opened.url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})


def test_a_reset_link_works_once(client, alice):
    link = _reset_link(client, alice)
    assert _reset_with(client, link).status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    again = _reset_with(client, link)
    assert again.status_code == 200
    assert 'name="password1"' not in again.content.decode()


def test_a_reset_link_no_longer_works_after_an_hour(client, alice):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        link = _reset_link(client, alice)
        clock.shift(datetime.timedelta(minutes=61))
        response = _reset_with(client, link)
    assert response.status_code == 200
    assert 'name="password1"' not in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)

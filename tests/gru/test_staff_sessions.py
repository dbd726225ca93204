"""Agents' and administrators' sessions end after 30 minutes without activity and 10 hours after the sign-in whatever
the activity, on the sign-in page with the reason; citizens keep the idle rule only (gru.middleware)."""

import datetime

import pyotp
import pytest
from django.urls import reverse

from tests.conftest import TOTP_SECRET
from tests.factories import PASSWORD

START = datetime.datetime(2026, 12, 7, 8, 0, tzinfo=datetime.UTC)
STEP = datetime.timedelta(minutes=25)


def _sign_in(client, user) -> None:
    """Through the real forms: the password, then the TOTP code for staff."""
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    if response.url == reverse("mfa_authenticate"):
        client.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(TOTP_SECRET).now()})
    assert client.session["_auth_user_id"] == str(user.pk)


def _active_until(client, time_machine, hours: float) -> None:
    """A request every 25 minutes from the sign-in until `hours` after it, each of them still signed in."""
    while datetime.datetime.now(tz=datetime.UTC) + STEP < START + datetime.timedelta(hours=hours):
        time_machine.shift(STEP)
        assert client.get(reverse("home")).status_code == 200
        assert "_auth_user_id" in client.session


@pytest.fixture(params=["bob", "dave"])
def staff(request):
    """An agent, then an administrator."""
    return request.getfixturevalue(request.param)


def test_a_staff_session_ends_ten_hours_after_the_sign_in_however_active(client, staff, time_machine):
    time_machine.move_to(START, tick=False)
    _sign_in(client, staff)
    _active_until(client, time_machine, hours=10)
    time_machine.move_to(START + datetime.timedelta(hours=10))
    response = client.get(reverse("portal:profile"))
    assert response.url == f"{reverse('account_login')}?next=%2Fespace%2Fprofil%2F"
    assert "_auth_user_id" not in client.session
    page = client.get(response.url).content.decode()
    assert "Votre session a pris fin 10 heures après votre connexion" in page


def test_a_staff_session_ends_after_thirty_minutes_without_activity(client, staff, time_machine):
    time_machine.move_to(START, tick=False)
    _sign_in(client, staff)
    time_machine.shift(datetime.timedelta(minutes=29))
    assert client.get(reverse("home")).status_code == 200
    time_machine.shift(datetime.timedelta(minutes=32))
    response = client.get(reverse("home"))
    assert response.url.startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    page = client.get(response.url).content.decode()
    assert "Votre session a pris fin après 30 minutes sans activité" in page


def test_the_lifetime_of_staff_sessions_is_a_setting(client, bob, settings, time_machine):
    settings.STAFF_SESSION_MAX_HOURS = 2
    time_machine.move_to(START, tick=False)
    _sign_in(client, bob)
    _active_until(client, time_machine, hours=2)
    time_machine.move_to(START + datetime.timedelta(hours=2))
    assert client.get(reverse("home")).url.startswith(reverse("account_login"))


def test_an_active_citizens_session_has_no_lifetime_limit(client, alice, time_machine):
    time_machine.move_to(START, tick=False)
    _sign_in(client, alice)
    _active_until(client, time_machine, hours=11)
    assert client.get(reverse("portal:space")).status_code == 200


def test_a_citizens_idle_session_still_ends_quietly(client, alice, time_machine):
    time_machine.move_to(START, tick=False)
    _sign_in(client, alice)
    client.get(reverse("portal:space"))
    time_machine.shift(datetime.timedelta(minutes=32))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session

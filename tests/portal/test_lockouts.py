"""Sign-in lock-outs per account and address, behind the reverse proxy, and the emailed unlock link
(portal.lockouts)."""

import ipaddress
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD

PROXY = "10.0.0.2"
LOCKED = "Ce compte est temporairement bloqué"
TOO_MANY = "Trop de tentatives"
WRONG = "wrong-password-123"


@pytest.fixture(autouse=True)
def _behind_the_proxy(settings):
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/24")]


def _login(client, email, password, address):
    """A sign-in from `address`, relayed by the collectivité's proxy."""
    data = {"login": email, "password": password}
    return client.post(reverse("account_login"), data, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)


def _fail(client, email, address, times=5):
    for _attempt in range(times):
        _login(client, email, WRONG, address)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def _unlock_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/compte/deblocage/\S+/)", message.body).group(1)


def test_citizens_behind_one_proxy_are_not_locked_by_one_anothers_failures(client, alice, eve):
    _fail(client, alice.email, "203.0.113.1")
    _fail(client, eve.email, "203.0.113.1")  # 10 failures from one citizen's address: that address is throttled
    assert TOO_MANY in _login(client, eve.email, PASSWORD, "203.0.113.1").content.decode()
    client.cookies.clear()
    response = _login(client, eve.email, PASSWORD, "203.0.113.2")
    assert response.status_code == 302 and _signed_in(client)


def test_failures_from_one_address_do_not_lock_the_account_at_another(
    client, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _fail(client, alice.email, "198.51.100.1")
    response = _login(client, alice.email, PASSWORD, "198.51.100.2")
    assert response.status_code == 302 and _signed_in(client)


def test_the_sixth_attempt_from_one_address_is_refused_even_with_the_right_password(client, alice):
    _fail(client, alice.email, "198.51.100.1")
    response = _login(client, alice.email, PASSWORD, "198.51.100.1")
    assert response.status_code == 200 and not _signed_in(client)
    assert LOCKED in response.content.decode()


def test_many_failures_from_one_address_are_throttled_whatever_the_account(client, alice):
    for number in range(10):
        _login(client, f"someone-{number}@example.org", WRONG, "198.51.100.1")
    response = _login(client, alice.email, PASSWORD, "198.51.100.1")
    assert not _signed_in(client)
    assert TOO_MANY in response.content.decode() and LOCKED not in response.content.decode()
    assert mail.outbox == []


def test_a_locked_account_says_the_same_whether_it_exists_and_only_an_existing_one_is_emailed(
    client, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _fail(client, "nobody@example.org", "198.51.100.1")
        _fail(client, alice.email, "198.51.100.2")
        unknown = _login(client, "nobody@example.org", WRONG, "198.51.100.1").content.decode()
        known = _login(client, alice.email, WRONG, "198.51.100.2").content.decode()
    assert LOCKED in unknown and LOCKED in known
    assert [message.to for message in mail.outbox] == [[alice.email]]


def test_the_locked_citizen_is_emailed_once_a_link_that_unlocks_once(client, alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _fail(client, alice.email, "198.51.100.1", times=8)  # three refusals, one email
    (message,) = mail.outbox
    assert "temporairement bloqué" in message.subject
    link = _unlock_link(message)
    page = client.get(link, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert page.status_code == 200 and "Débloquer mon compte" in page.content.decode()
    assert client.session.get("_auth_user_id") is None  # opening the link changes nothing
    response = client.post(link, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1", follow=True)
    assert response.redirect_chain == [(reverse("account_login"), 302)]
    assert "Votre compte est débloqué" in response.content.decode()
    assert _login(client, alice.email, PASSWORD, "198.51.100.1").status_code == 302 and _signed_in(client)
    client.logout()
    again = client.post(link, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert again.status_code == 404 and "n’est plus valable" in again.content.decode()


def test_the_unlock_link_expires_after_an_hour(client, alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _fail(client, alice.email, "198.51.100.1", times=6)
    link = _unlock_link(mail.outbox[0])
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=61)):
        assert client.post(link, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 404
    assert client.get(link[:-2] + "x/").status_code == 404


def test_a_guessing_spread_over_many_addresses_is_stopped_and_the_link_lets_the_citizen_in(
    client, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(50):
            _login(client, alice.email, WRONG, f"198.51.100.{number + 1}")
        refused = _login(client, alice.email, PASSWORD, "203.0.113.7")
    assert LOCKED in refused.content.decode() and not _signed_in(client)
    link = _unlock_link(mail.outbox[0])
    client.post(link, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert _login(client, alice.email, PASSWORD, "203.0.113.7").status_code == 302 and _signed_in(client)
    client.logout()
    client.cookies.clear()  # another browser, without the link
    assert LOCKED in _login(client, alice.email, PASSWORD, "203.0.113.8").content.decode()


def test_a_password_reset_unlocks_the_account_for_the_citizen(client, alice, django_capture_on_commit_callbacks):
    new_password = "Loire-en-automne-2026"
    with django_capture_on_commit_callbacks(execute=True):
        _fail(client, alice.email, "198.51.100.1")
    relayed = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.1"}
    client.post(reverse("account_reset_password"), {"email": alice.email}, **relayed)
    link = re.search(r"https?://[^/\s]+(/compte/password/reset/key/\S+/)", mail.outbox[-1].body).group(1)
    form = client.get(link, follow=True, **relayed)
    client.post(form.request["PATH_INFO"], {"password1": new_password, "password2": new_password}, **relayed)
    assert _login(client, alice.email, new_password, "198.51.100.1").status_code == 302 and _signed_in(client)

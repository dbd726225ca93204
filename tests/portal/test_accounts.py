"""Accounts: sign-up with email verification, login throttling without enumeration, idle sessions, second factor."""

import re

import pyotp
import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from portal import second_factor
from portal.models import User
from tests.conftest import TOTP_SECRET, sign_in
from tests.factories import PASSWORD, MembershipFactory, UserFactory

STRONG_PASSWORD = "Loire-en-automne-2026"


def _signup(client, **changes):
    data = {
        "email": "sam@example.org",
        "first_name": "Sam",
        "last_name": "Leroy",
        "password1": STRONG_PASSWORD,
        "password2": STRONG_PASSWORD,
    } | changes
    return client.post(reverse("account_signup"), data)


def _login(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_sign_up_sends_a_verification_email_whose_link_confirms_the_address_and_signs_in(client, organisation):
    response = _signup(client)
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = User.objects.get(email="sam@example.org")
    assert (user.first_name, user.last_name) == ("Sam", "Leroy")
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/compte/confirm-email/\S+/", mail.outbox[0].body).group(0)
    page = client.get(link.split("testserver", 1)[1], follow=True)
    assert page.status_code == 200
    response = client.post(page.request["PATH_INFO"])
    assert response.status_code == 302
    assert client.get(reverse("portal:space")).status_code == 200


def test_an_unverified_account_cannot_sign_in(client, organisation):
    _signup(client)
    client.logout()
    response = _login(client, "sam@example.org", STRONG_PASSWORD)
    assert response.url == reverse("account_email_verification_sent")
    assert client.get(reverse("portal:space")).status_code == 302


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Court-2026", "au minimum 12 caractères"),
        ("password1234", "trop courant"),
        ("123456789012345", "entièrement numérique"),
    ],
)
def test_weak_passwords_are_refused_in_french_and_the_form_keeps_the_rest(client, organisation, password, message):
    response = _signup(client, password1=password, password2=password)
    content = response.content.decode()
    assert response.status_code == 200
    assert message in content
    assert 'value="sam@example.org"' in content
    assert 'value="Leroy"' in content
    assert not User.objects.filter(email="sam@example.org").exists()


def test_a_failed_login_says_the_same_thing_whether_or_not_the_email_has_an_account(client, alice):
    unknown = _login(client, "nobody@example.org", "whatever-password-1").content.decode()
    wrong = _login(client, alice.email, "whatever-password-1").content.decode()
    message = "L’adresse e-mail ou le mot de passe sont incorrects."
    assert message in unknown
    assert message in wrong


def test_password_reset_answers_the_same_for_unknown_and_known_addresses(client, alice):
    known = client.post(reverse("account_reset_password"), {"email": alice.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url == reverse("account_reset_password_done")
    reset_mails = [m for m in mail.outbox if alice.email in m.to]
    assert len(reset_mails) == 1
    assert "/compte/password/reset/key/" in reset_mails[0].body
    # allauth tells an unknown address that no account uses it (ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS), without a link.
    assert all("/compte/password/reset/key/" not in m.body for m in mail.outbox if "nobody@example.org" in m.to)


def test_repeated_failures_lock_the_account_even_for_the_right_password(client, alice):
    for _attempt in range(5):
        _login(client, alice.email, "wrong-password-123")
    response = _login(client, alice.email, PASSWORD)
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert "trop" in response.content.decode().lower()


def test_a_session_ends_after_thirty_minutes_without_activity(client, alice):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        _login(client, alice.email, PASSWORD)
        assert client.get(reverse("portal:space")).status_code == 200
        clock.shift(31 * 60)
        assert client.get(reverse("portal:space")).status_code == 302


def test_a_session_used_every_ten_minutes_stays_open(client, alice):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        _login(client, alice.email, PASSWORD)
        for _visit in range(6):
            clock.shift(10 * 60)
            assert client.get(reverse("portal:space")).status_code == 200


def test_an_agent_without_second_factor_is_told_to_ask_for_the_enrolment_link_before_the_back_office(
    client, etat_civil
):
    agent = MembershipFactory(department=etat_civil).user
    _login(client, agent.email, PASSWORD)
    response = client.get(reverse("backoffice:home"))
    assert response.status_code == 302
    assert response.url == reverse("portal:second_factor_needed")
    _assert_page_structure(client.get(response.url))


def test_an_administrator_without_second_factor_is_told_to_ask_for_the_enrolment_link_before_the_admin(
    client, organisation
):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.get(reverse("admin:index"))
    assert response.url == reverse("portal:second_factor_needed")


@pytest.mark.django_db(transaction=True)  # allauth tells of a new authenticator once its transaction commits
def test_enrolling_totp_through_the_emailed_link_opens_the_back_office(client, etat_civil):
    agent = MembershipFactory(department=etat_civil).user
    second_factor.enrolment_link_send(user=agent)  # sent at once: no test transaction holds it back
    link = re.search(r"https?://[^/\s]+(/espace/second-facteur/\S+/)", mail.outbox[-1].body).group(1)
    _login(client, agent.email, PASSWORD)
    _assert_page_structure(client.get(link))
    assert client.post(link).url == reverse("mfa_activate_totp")
    response = client.get(reverse("mfa_activate_totp"))
    assert response.url.startswith(reverse("account_reauthenticate"))
    client.post(response.url, {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    _assert_page_structure(page)
    secret = page.context["form"].secret
    assert secret in page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in page.content.decode()
    response = client.post(reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert client.get(reverse("backoffice:home")).status_code == 200


def test_bob_signs_in_with_his_password_then_his_totp_code(client, bob):
    response = _login(client, bob.email, PASSWORD)
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(TOTP_SECRET).now()})
    assert response.url == reverse("backoffice:home")
    assert client.get(reverse("backoffice:home")).status_code == 200


def test_a_wrong_totp_code_does_not_sign_in(client, bob):
    _login(client, bob.email, PASSWORD)
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_citizen_gets_403_in_the_back_office_and_no_admin(alice_client):
    assert alice_client.get(reverse("backoffice:home")).status_code == 403
    response = alice_client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:index") not in response.url or "login" in response.url


def test_an_agent_who_is_not_an_administrator_cannot_use_the_admin(client, bob):
    sign_in(client, bob)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "login" in response.url


def test_the_administrator_reaches_the_admin(client, dave):
    sign_in(client, dave)
    assert client.get(reverse("admin:index")).status_code == 200


def test_changing_email_needs_the_new_address_to_be_verified(alice_client, alice):
    response = alice_client.post(reverse("account_email"), {"action_add": "", "email": "alice.new@example.org"})
    assert response.status_code == 302
    assert any("alice.new@example.org" in m.to for m in mail.outbox)
    alice.refresh_from_db()
    assert alice.email == "alice@example.org"


ANONYMOUS_PAGES = ["account_login", "account_signup", "account_reset_password", "account_reset_password_done"]
SIGNED_IN_PAGES = ["account_email", "account_change_password", "mfa_index", "account_reauthenticate"]


@pytest.mark.parametrize("name", ANONYMOUS_PAGES)
def test_each_anonymous_account_page_has_one_h1_and_a_title(client, organisation, name):
    _assert_page_structure(client.get(reverse(name)))


@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_each_signed_in_account_page_has_one_h1_and_a_title(client, alice, name):
    _login(client, alice.email, PASSWORD)
    _assert_page_structure(client.get(reverse(name)))


def _assert_page_structure(response):
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<h1") == 1
    title = re.search(r"<title>(.*?)</title>", content, re.S).group(1)
    assert title.split("—")[0].strip()
    assert '<html lang="fr">' in content

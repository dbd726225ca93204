"""Agents and administrators reach the back office, the admin and files only in a session that passed their second
factor; a first second factor is enrolled only through the link their administrator emails them (gru.access,
gru.middleware, portal.second_factor)."""

import datetime
import io
import re
from urllib.parse import urlencode

import pyotp
import pytest
import time_machine
from allauth.account.internal.flows.login import record_authentication
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from gru.models import Notification
from portal import second_factor
from tests.backoffice.conftest import submit
from tests.conftest import TOTP_SECRET, sign_in
from tests.factories import PASSWORD, MembershipFactory, UserFactory
from tests.teleservices.conftest import pdf_bytes
from vault.files import CheckedFile
from vault.services import stored_file_create


@pytest.fixture
def case_file(alice, teleservices):
    """A PDF of alice's birth certificate request, which bob instructs (État civil)."""
    case = submit(alice, teleservices["acte-de-naissance"])
    stored = stored_file_create(
        owner=alice, checked=CheckedFile(content=pdf_bytes(), mime="application/pdf", name="a.pdf")
    )
    case.files.add(stored)
    return stored


@pytest.fixture
def newcomer(etat_civil):
    """An agent of État civil who has not enrolled a second factor yet."""
    return MembershipFactory(department=etat_civil).user


def _reauthenticate_url(path: str) -> str:
    return f"{reverse('mfa_reauthenticate')}?{urlencode({'next': path})}"


def _login(client, user) -> None:
    """The password only (enough for an account without a second factor)."""
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(user.pk)


def _link(django_capture_on_commit_callbacks, user) -> str:
    """The path of the enrolment link emailed to `user`."""
    with django_capture_on_commit_callbacks(execute=True):
        second_factor.enrolment_link_send(user=user)
    return re.search(r"https?://[^/\s]+(/espace/second-facteur/\S+/)", mail.outbox[-1].body).group(1)


@pytest.mark.parametrize("path", [reverse("backoffice:home"), reverse("admin:index")])
def test_a_session_without_the_second_factor_reaches_no_staff_page(client, dave, path):
    client.force_login(dave)  # signed in, but no second factor in this session
    response = client.get(path)
    assert response.status_code == 302
    assert response.url == _reauthenticate_url(path)


def test_an_agent_gets_no_file_without_the_second_factor_then_gets_it_after_the_totp_step(client, bob, case_file):
    client.force_login(bob)
    url = case_file.get_absolute_url()
    assert client.get(url).url == _reauthenticate_url(url)
    assert client.get(reverse("backoffice:home")).status_code == 302
    response = client.post(_reauthenticate_url(url), {"code": pyotp.TOTP(TOTP_SECRET).now()})
    assert response.url == url
    assert client.get(url).status_code == 200
    assert client.get(reverse("backoffice:home")).status_code == 200


def test_a_session_signed_in_by_another_method_than_the_second_factor_is_refused(client, bob, case_file):
    client.force_login(bob)
    request = RequestFactory().get("/")
    request.session = client.session
    record_authentication(request, bob, "password")
    record_authentication(request, bob, "socialaccount", provider="franceconnect")
    request.session.save()
    assert client.get(reverse("backoffice:home")).status_code == 302
    assert client.get(case_file.get_absolute_url()).status_code == 302


def test_the_second_factor_of_another_user_in_the_same_browser_does_not_count(client, bob, carol):
    sign_in(client, carol)
    client.force_login(bob)
    assert client.get(reverse("backoffice:home")).status_code == 302


def test_a_citizen_needs_no_second_factor_for_her_files(alice_client, alice):
    stored = stored_file_create(owner=alice, checked=CheckedFile(content=pdf_bytes(), mime="application/pdf", name="a"))
    assert alice_client.get(stored.get_absolute_url()).status_code == 200
    assert alice_client.get(reverse("mfa_index")).status_code == 200


def test_an_enrolled_agent_adds_no_authenticator_before_the_second_factor_of_the_session(client, bob):
    client.force_login(bob)
    for name in ["mfa_index", "mfa_add_webauthn", "mfa_deactivate_totp", "mfa_generate_recovery_codes"]:
        assert client.get(reverse(name)).url == _reauthenticate_url(reverse(name)), name


@pytest.mark.parametrize("name", ["mfa_activate_totp", "mfa_add_webauthn", "mfa_index"])
def test_an_agent_without_second_factor_cannot_enrol_without_the_emailed_link(client, newcomer, name):
    _login(client, newcomer)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.get(reverse(name))
    assert response.url == reverse("portal:second_factor_needed")
    page = client.get(response.url).content.decode()
    assert "le lien que votre administrateur vous envoie par e-mail" in page


def test_the_admin_action_emails_the_enrolment_link_to_agents_without_second_factor(
    client, dave, alice, bob, newcomer, django_capture_on_commit_callbacks
):
    sign_in(client, dave)
    changelist = reverse("admin:portal_user_changelist")
    selected = [newcomer.pk, alice.pk, bob.pk]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            changelist, {"action": "second_factor_enrolment_send", "_selected_action": selected}, follow=True
        )
    assert [m.to for m in mail.outbox] == [[newcomer.email]]
    assert "Configurez le second facteur de votre compte" in mail.outbox[0].subject
    assert "/espace/second-facteur/" in mail.outbox[0].body and "une seule fois" in mail.outbox[0].body
    page = response.content.decode().lower()  # the admin capitalises its messages
    assert "1 lien d’inscription envoyé." in page
    assert f"{alice.email} : ce compte n’est ni un agent ni un administrateur" in page
    assert f"{bob.email} : ce compte a déjà un second facteur." in page
    assert not Notification.objects.filter(event="second_factor_enrolment", recipient=alice).exists()


def test_the_link_works_once(client, newcomer, django_capture_on_commit_callbacks):
    link = _link(django_capture_on_commit_callbacks, newcomer)
    _login(client, newcomer)
    assert client.post(link).url == reverse("mfa_activate_totp")
    client.logout()
    _login(client, newcomer)
    response = client.post(link)
    assert response.status_code == 400
    assert "Ce lien a déjà été utilisé" in response.content.decode()
    assert client.get(reverse("mfa_activate_totp")).url == reverse("portal:second_factor_needed")


def test_the_link_expires_after_24_hours(client, newcomer, django_capture_on_commit_callbacks):
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        link = _link(django_capture_on_commit_callbacks, newcomer)
    with time_machine.travel(now + datetime.timedelta(hours=23, minutes=59), tick=False):
        _login(client, newcomer)
        assert client.get(link).status_code == 200
    with time_machine.travel(now + datetime.timedelta(hours=24, seconds=1), tick=False):
        _login(client, newcomer)
        response = client.post(link)
        assert response.status_code == 400
        assert "Ce lien a expiré" in response.content.decode()
        assert client.get(reverse("mfa_activate_totp")).url == reverse("portal:second_factor_needed")


def test_the_link_works_only_for_the_account_it_was_sent_to(
    client, newcomer, etat_civil, django_capture_on_commit_callbacks
):
    link = _link(django_capture_on_commit_callbacks, newcomer)
    other = MembershipFactory(department=etat_civil, user=UserFactory()).user
    _login(client, other)
    response = client.post(link)
    assert response.status_code == 400
    assert "Ce lien a été envoyé à un autre compte" in response.content.decode()
    assert client.get(reverse("mfa_activate_totp")).url == reverse("portal:second_factor_needed")


def test_a_tampered_link_is_refused(client, newcomer, django_capture_on_commit_callbacks):
    link = _link(django_capture_on_commit_callbacks, newcomer)
    _login(client, newcomer)
    assert client.post(link[:-3] + "x/").status_code == 400


@pytest.mark.django_db(transaction=True)  # the email goes once the transaction commits
def test_the_first_administrator_gets_the_link_from_the_command_line(organisation):
    admin = UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    call_command("second_factor_link", "Root@Example.org", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [[admin.email]]
    assert "/espace/second-facteur/" in mail.outbox[0].body
    with pytest.raises(CommandError, match="ni un agent ni un administrateur"):
        call_command("second_factor_link", UserFactory().email)

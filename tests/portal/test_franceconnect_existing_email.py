"""An email address that FranceConnect gives never opens an existing account by itself: the citizen proves the account
(its password, or its emailed confirmation link) before the FranceConnect identity is connected to it. Against the
real test OpenID provider (tests/oidc_provider/provider.js), whose identity gives angela.dubois@example.org."""

from django.urls import reverse

from portal.models import User
from tests.factories import PASSWORD, UserFactory
from tests.portal.test_franceconnect import _message, _sign_in, franceconnect, provider  # noqa: F401 (fixtures)

EMAIL = "angela.dubois@example.org"
SUB = "fc-sub-7f3a9c"


def _sign_in_with_password(client, email: str):
    return client.post(reverse("account_login"), {"login": email, "password": PASSWORD})


def test_an_existing_accounts_email_from_franceconnect_does_not_open_the_account(client, franceconnect):  # noqa: F811
    citizen = UserFactory(email=EMAIL, first_name="Angie")
    response = _sign_in(client)
    assert response.url == reverse("account_login")
    assert "Connectez-vous à ce compte avec son mot de passe" in _message(response)
    assert "_auth_user_id" not in client.session
    citizen.refresh_from_db()
    assert citizen.franceconnect_sub is None
    assert citizen.first_name == "Angie"


def test_signing_in_with_the_accounts_password_then_connects_franceconnect(client, franceconnect):  # noqa: F811
    citizen = UserFactory(email=EMAIL)
    _sign_in(client)
    response = _sign_in_with_password(client, EMAIL)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(citizen.pk)
    assert "FranceConnect est maintenant relié à votre compte" in _message(response)
    citizen.refresh_from_db()
    assert citizen.franceconnect_sub == SUB
    assert citizen.is_identity_certified
    client.logout()
    assert _sign_in(client).url == reverse("portal:space")  # from now on, FranceConnect opens this account


def test_signing_in_to_another_account_connects_franceconnect_to_none(client, franceconnect, eve):  # noqa: F811
    citizen = UserFactory(email=EMAIL)
    _sign_in(client)
    response = _sign_in_with_password(client, eve.email)
    assert client.session["_auth_user_id"] == str(eve.pk)
    assert "l’adresse électronique d’un autre compte" in _message(response)
    assert not User.objects.filter(franceconnect_sub=SUB).exists()
    assert "franceconnect_pending" not in client.session
    citizen.refresh_from_db()
    assert citizen.franceconnect_sub is None


def test_a_citizen_signed_in_to_the_account_connects_franceconnect_at_once(client, franceconnect):  # noqa: F811
    citizen = UserFactory(email=EMAIL)
    client.force_login(citizen)
    response = _sign_in(client)
    assert response.url == reverse("portal:space")
    citizen.refresh_from_db()
    assert citizen.franceconnect_sub == SUB

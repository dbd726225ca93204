"""FranceConnect round trips against a real OpenID provider process (tests/oidc_provider/provider.js)."""

import random
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlparse

import jwt
import pyotp
import pytest
import requests
from allauth.account.models import EmailAddress
from django.contrib.messages import get_messages
from django.urls import reverse

from portal import services
from portal.models import User
from tests.conftest import TOTP_SECRET
from tests.factories import MembershipFactory, UserFactory

PROVIDER_DIR = Path(__file__).resolve().parent.parent / "oidc_provider"
CLIENT_ID = "gru-tests"
CLIENT_SECRET = "a-client-secret-for-the-tests-only-0123456789"
CALLBACK = "http://testserver/franceconnect/retour/"


def _free_port() -> int:
    """A free port below the ephemeral range (32768-60999), so nothing else is handed it meanwhile."""
    while True:
        port = random.randint(20000, 32000)
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                return port


@pytest.fixture(scope="session")
def provider():
    port = _free_port()
    env = {
        "PATH": "/usr/bin:/bin:/usr/local/bin",
        "PORT": str(port),
        "CLIENT_ID": CLIENT_ID,
        "CLIENT_SECRET": CLIENT_SECRET,
        "REDIRECT_URI": CALLBACK,
        "POST_LOGOUT_REDIRECT_URI": "http://testserver/",
    }
    process = subprocess.Popen(["node", "provider.js"], cwd=PROVIDER_DIR, env=env, stdout=subprocess.DEVNULL)
    issuer = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1).raise_for_status()
            break
        except requests.RequestException:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("the test OpenID provider did not start")
    yield issuer
    process.terminate()
    process.wait(timeout=5)


@pytest.fixture
def franceconnect(settings, provider, db):
    settings.FRANCECONNECT_ENABLED = True
    settings.FRANCECONNECT_ISSUER = provider
    settings.FRANCECONNECT_CLIENT_ID = CLIENT_ID
    settings.FRANCECONNECT_CLIENT_SECRET = CLIENT_SECRET
    requests.get(f"{provider}/__control", params={"acr": "eidas1", "tamper": "0"}, timeout=5)
    return provider


def _provider_answer(authorize_url: str, **changes: str) -> str:
    """Go through the provider (automatic login and consent) and return the callback path with its query."""
    if changes:
        parts = urlparse(authorize_url)
        query = {key: values[0] for key, values in parse_qs(parts.query).items()} | changes
        authorize_url = parts._replace(query=requests.models.RequestEncodingMixin._encode_params(query)).geturl()
    browser = requests.Session()
    response = browser.get(authorize_url, allow_redirects=False, timeout=5)
    while not response.headers["Location"].startswith(CALLBACK):
        response = browser.get(urljoin(response.url, response.headers["Location"]), allow_redirects=False, timeout=5)
    location = urlparse(response.headers["Location"])
    return f"{location.path}?{location.query}"


def _sign_in(client, **changes: str):
    start = client.get(reverse("franceconnect:login"))
    assert start.status_code == 302
    return client.get(_provider_answer(start.url, **changes))


def _message(response) -> str:
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


def test_a_citizen_signs_in_with_franceconnect_and_gets_a_certified_account(client, franceconnect):
    response = _sign_in(client)
    assert response.status_code == 302
    assert response.url == reverse("portal:space")
    user = User.objects.get(franceconnect_sub="fc-sub-7f3a9c")
    assert (user.first_name, user.last_name, str(user.birth_date)) == ("Angela Claire Louise", "DUBOIS", "1962-08-24")
    assert user.email == "angela.dubois@example.org"
    assert user.is_identity_certified
    assert EmailAddress.objects.get(user=user).verified
    assert client.get(reverse("portal:space")).status_code == 200


def test_the_authorization_request_carries_state_nonce_and_eidas1(client, franceconnect):
    query = parse_qs(urlparse(client.get(reverse("franceconnect:login")).url).query)
    assert query["acr_values"] == ["eidas1"]
    assert len(query["state"][0]) >= 32
    assert len(query["nonce"][0]) >= 32
    assert query["scope"] == ["openid given_name family_name birthdate email"]


def test_a_second_sign_in_reuses_the_same_account(client, franceconnect):
    _sign_in(client)
    client.logout()
    _sign_in(client)
    assert User.objects.filter(franceconnect_sub="fc-sub-7f3a9c").count() == 1


def test_an_agent_account_is_never_linked_to_franceconnect(client, franceconnect):
    agent = MembershipFactory(user=UserFactory(email="angela.dubois@example.org")).user
    response = _sign_in(client)
    assert response.url == reverse("account_login")
    assert "_auth_user_id" not in client.session
    agent.refresh_from_db()
    assert not agent.franceconnect_sub


def test_franceconnect_never_stands_in_for_the_second_factor_of_an_agent(client, franceconnect):
    """A citizen linked to FranceConnect who became an agent signs in with it: the back office, the admin and files
    still wait for the TOTP step."""
    _sign_in(client)
    user = User.objects.get(franceconnect_sub="fc-sub-7f3a9c")
    MembershipFactory(user=user)
    services.user_totp_enroll(user=user, secret=TOTP_SECRET)
    client.logout()
    _sign_in(client)
    assert client.session["_auth_user_id"] == str(user.pk)
    response = client.get(reverse("backoffice:home"))
    assert response.url == f"{reverse('mfa_reauthenticate')}?next=%2Fagents%2F"
    client.post(response.url, {"code": pyotp.TOTP(TOTP_SECRET).now()})
    assert client.get(reverse("backoffice:home")).status_code == 200


def test_a_wrong_acr_is_refused_with_a_clear_message(client, franceconnect):
    requests.get(f"{franceconnect}/__control", params={"acr": "eidas2"}, timeout=5)
    response = _sign_in(client)
    assert response.url == reverse("account_login")
    assert "Votre identification avec FranceConnect a échoué" in _message(response)
    assert not User.objects.filter(franceconnect_sub="fc-sub-7f3a9c").exists()
    assert "_auth_user_id" not in client.session


def test_a_nonce_other_than_ours_is_refused(client, franceconnect):
    response = _sign_in(client, nonce="a-nonce-an-attacker-replayed-0123456789")
    assert response.url == reverse("account_login")
    assert "_auth_user_id" not in client.session


def test_a_tampered_userinfo_signature_is_refused(client, franceconnect):
    requests.get(f"{franceconnect}/__control", params={"tamper": "1"}, timeout=5)
    response = _sign_in(client)
    assert response.url == reverse("account_login")
    assert "Votre identification avec FranceConnect a échoué" in _message(response)
    assert not User.objects.exists()


def test_a_callback_with_a_forged_state_is_refused(client, franceconnect):
    client.get(reverse("franceconnect:login"))
    response = client.get(reverse("franceconnect:callback"), {"code": "stolen", "state": "forged"})
    assert response.url == reverse("account_login")
    assert "_auth_user_id" not in client.session


def test_a_provider_error_is_refused_with_a_clear_message(client, franceconnect):
    client.get(reverse("franceconnect:login"))
    response = client.get(reverse("franceconnect:callback"), {"error": "access_denied"})
    assert response.url == reverse("account_login")
    assert "Votre identification avec FranceConnect a échoué" in _message(response)


def test_an_unreachable_provider_is_explained(client, settings, franceconnect):
    settings.FRANCECONNECT_ISSUER = "http://127.0.0.1:9"
    response = client.get(reverse("franceconnect:login"))
    assert response.url == reverse("account_login")
    assert "FranceConnect est momentanément indisponible" in _message(response)


def test_logout_goes_through_the_providers_end_session_with_the_id_token(client, franceconnect):
    _sign_in(client)
    id_token = client.session["franceconnect"]["id_token"]
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    target = urlparse(response.url)
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{franceconnect}/session/end"
    query = parse_qs(target.query)
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == ["http://testserver/"]
    assert jwt.decode(id_token, options={"verify_signature": False})["sub"] == "fc-sub-7f3a9c"
    assert "_auth_user_id" not in client.session
    assert requests.get(response.url, timeout=5).status_code == 200


def test_a_password_session_logs_out_locally(alice_client, franceconnect):
    response = alice_client.post(reverse("account_logout"))
    assert response.url == "/"


def test_when_franceconnect_is_disabled_its_routes_answer_404_and_no_button_is_shown(client, db, settings):
    settings.FRANCECONNECT_ENABLED = False
    assert client.get(reverse("franceconnect:login")).status_code == 404
    assert client.get(reverse("franceconnect:callback")).status_code == 404
    assert "FranceConnect" not in client.get(reverse("account_login")).content.decode()


def test_the_login_page_offers_franceconnect_when_enabled(client, franceconnect):
    page = client.get(reverse("account_login")).content.decode()
    assert reverse("franceconnect:login") in page
    assert "S’identifier avec FranceConnect" in page

"""Signing out of a FranceConnect session in a real browser: the portal's logout form redirects to the provider's
end-session endpoint (allowed by the content security policy's form-action), and the citizen comes back signed out,
at the portal and at the provider.

The portal runs in a gunicorn process of its own (tests/web_processes.py), started with FRANCECONNECT_* in its
environment as production is: the policy is derived from those settings when the settings load. The provider is the
real test OpenID provider (tests/oidc_provider/provider.js), registered with that portal's callback and home."""

import base64
import os
import secrets
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Page, Route

from tests.servers import free_port, stop, wait_for
from tests.web_processes import database_url, portal_environment, web_process

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROVIDER_DIR = Path(__file__).resolve().parent.parent / "oidc_provider"
CLIENT_ID = "gru-browser-tests"
CLIENT_SECRET = "a-client-secret-for-the-browser-tests-only-0123456789"
# The provider's session cookie: `_session`, or `_session.legacy` where the browser refuses SameSite=None over HTTP.
PROVIDER_SESSION_COOKIE = "_session"


def _discovery_answers(issuer: str) -> bool:
    try:
        return requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1).ok
    except requests.RequestException:
        return False


@pytest.fixture
def portal_and_provider(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """The portal (FranceConnect on) and the test OpenID provider that knows it; yields both base URLs."""
    issuer = f"http://127.0.0.1:{free_port()}"
    environment = portal_environment(
        database=database_url(),
        directory=tmp_path,
        # A web process refuses to start with the published development keys (gru/checks.py).
        SECRET_KEY=secrets.token_urlsafe(64),
        FILE_ENCRYPTION_KEYS="test:" + base64.urlsafe_b64encode(os.urandom(32)).decode(),
        FRANCECONNECT_ENABLED="true",
        FRANCECONNECT_ISSUER=issuer,
        FRANCECONNECT_CLIENT_ID=CLIENT_ID,
        FRANCECONNECT_CLIENT_SECRET=CLIENT_SECRET,
    )
    with web_process(environment=environment, log=tmp_path / "web.log") as portal:
        provider = subprocess.Popen(
            ["node", "provider.js"],
            cwd=PROVIDER_DIR,
            env={
                "PATH": "/usr/bin:/bin:/usr/local/bin",
                "PORT": issuer.rsplit(":", 1)[1],
                "CLIENT_ID": CLIENT_ID,
                "CLIENT_SECRET": CLIENT_SECRET,
                "REDIRECT_URI": f"{portal}/franceconnect/retour/",
                "POST_LOGOUT_REDIRECT_URI": f"{portal}/",
            },
            stdout=subprocess.DEVNULL,
        )
        try:
            wait_for(lambda: _discovery_answers(issuer), what="the test OpenID provider")
            yield portal, issuer
        finally:
            stop(provider)


def _no_outside_fonts(route: Route) -> None:
    """The provider's stock pages import a web font from the Internet, which the tests never reach."""
    route.fulfill(status=200, content_type="text/css", body="")


def _provider_session(page: Page, issuer: str) -> bool:
    return any(cookie["name"].startswith(PROVIDER_SESSION_COOKIE) for cookie in page.context.cookies(issuer))


def test_signing_out_of_a_franceconnect_session_ends_it_at_the_provider_too(page: Page, portal_and_provider):
    portal, issuer = portal_and_provider
    page.route("https://fonts.googleapis.com/**", _no_outside_fonts)

    page.goto(f"{portal}/franceconnect/connexion/")
    page.wait_for_url(f"{portal}/espace/**")
    assert _provider_session(page, issuer)

    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(f"{issuer}/session/end**")
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(lambda url: url.split("?")[0] == f"{portal}/")  # with the state we gave the provider

    assert page.get_by_role("link", name="Se connecter").first.is_visible()
    assert not _provider_session(page, issuer)
    page.goto(f"{portal}/espace/")
    assert "/compte/login/" in page.url

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.teleservices.conftest import pdf_bytes
from vault.files import CheckedFile
from vault.services import stored_file_create


def test_every_page_carries_a_strict_content_security_policy_and_the_usual_headers(client, organisation):
    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    nonce = response.wsgi_request.csp_nonce
    assert f"script-src 'self' 'nonce-{nonce}'" in policy
    assert f"style-src 'self' 'nonce-{nonce}'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_https_responses_carry_strict_transport_security_in_production(client, organisation, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get(reverse("home"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_pages_load_nothing_from_another_origin(client, organisation):
    content = client.get(reverse("home")).content.decode()
    assert "https://" not in content.split("<body")[0]
    assert "cdn" not in content.lower()


@pytest.mark.parametrize(
    ("url", "status"),
    [
        *[(reverse(name), 200) for name in ["home", "legal_notice", "privacy", "accessibility", "healthz"]],
        (reverse("teleservices:catalogue"), 200),
        (reverse("teleservices:start", args=["acte-de-naissance"]), 200),
        *[(reverse(name), 200) for name in ["account_login", "account_signup", "account_reset_password"]],
        (reverse("letters:verify_start"), 200),
        (reverse("letters:verify", args=["2222-3333-4444"]), 404),  # a sent letter's: tests/letters/test_verify.py
        ("/.well-known/security.txt", 200),
    ],
)
def test_anonymous_pages_write_nothing_to_the_database(client, teleservices, security_contact, url, status):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == status
    writes = [q["sql"] for q in queries if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []
    assert not Session.objects.exists() and "sessionid" not in client.cookies


@pytest.fixture
def stored_pdf(alice):
    return stored_file_create(
        owner=alice, checked=CheckedFile(content=pdf_bytes(), mime="application/pdf", name="a.pdf")
    )


def _responses(client, alice, stored_pdf) -> dict[str, object]:
    """A page, a static file (WhiteNoise), an error, and a citizen's file downloaded and previewed."""
    responses = {
        "page": client.get(reverse("home")),
        "static file": client.get("/static/css/gru.css"),
        "refused request": client.get(reverse("home"), {"q": "\x00"}),
    }
    client.force_login(alice)
    responses["download"] = client.get(stored_pdf.get_absolute_url())
    responses["preview"] = client.get(stored_pdf.get_absolute_url(), {"apercu": "1"})
    for response in responses.values():
        response.close()  # the files streamed
    return responses


def test_every_response_refuses_unused_browser_features_and_loads_by_other_sites(client, alice, stored_pdf):
    responses = _responses(client, alice, stored_pdf)
    assert {name: r.status_code for name, r in responses.items()} == {
        "page": 200,
        "static file": 200,
        "refused request": 400,
        "download": 200,
        "preview": 200,
    }
    for response in responses.values():
        policy = response["Permissions-Policy"].split(", ")
        assert {"camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"} <= set(policy)
        assert not any(feature.startswith("publickey-credentials") for feature in policy)  # passkeys still work
        assert response["Cross-Origin-Resource-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"


SECURITY_TXT = "/.well-known/security.txt"


@pytest.fixture
def security_contact(settings):
    settings.SECURITY_CONTACT = ["mailto:securite@beaulieu.example", "https://beaulieu.example/securite"]
    settings.SITE_URL = "https://demarches.beaulieu.example"


def _fields(content: bytes) -> list[tuple[str, str]]:
    return [tuple(line.split(": ", 1)) for line in content.decode().splitlines()]


def test_security_txt_gives_the_contacts_languages_canonical_address_and_an_expiry(
    client, security_contact, time_machine
):
    time_machine.move_to(datetime.datetime(2027, 3, 1, 8, tzinfo=datetime.UTC), tick=False)
    response = client.get(SECURITY_TXT)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert _fields(response.content) == [
        ("Contact", "mailto:securite@beaulieu.example"),
        ("Contact", "https://beaulieu.example/securite"),
        ("Expires", "2028-02-28T08:00:00Z"),
        ("Preferred-Languages", "fr, en"),
        ("Canonical", "https://demarches.beaulieu.example/.well-known/security.txt"),
    ]
    assert reverse("security_txt") == SECURITY_TXT


def test_security_txt_writes_nothing_and_reads_nothing_from_the_database(client, db, security_contact):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(SECURITY_TXT).status_code == 200
    assert queries.captured_queries == []


def test_security_txt_is_not_found_while_no_contact_is_set(client, settings):
    settings.SECURITY_CONTACT = []
    assert client.get(SECURITY_TXT).status_code == 404


def test_security_txt_answers_only_get(client, security_contact):
    assert client.post(SECURITY_TXT).status_code == 405

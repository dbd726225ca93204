import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


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
    "name", ["home", "legal_notice", "privacy", "accessibility", "account_login", "account_signup"]
)
def test_anonymous_pages_write_nothing_to_the_database(client, organisation, name):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(name)).status_code == 200
    writes = [q["sql"] for q in queries if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []

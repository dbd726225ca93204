"""Text message backends: the console in development, the JSON-over-HTTPS provider (against a real HTTP server of
the test), and the deploy check of its settings."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from gru.checks import check_sms_provider_is_configured
from gru.sms import sms_send


class Provider(BaseHTTPRequestHandler):
    """Answers `status` and keeps what it received (headers and JSON body)."""

    received: list[tuple[dict[str, str], dict[str, str]]] = []
    status = 202

    def do_POST(self) -> None:  # noqa: N802 (http.server)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.received.append((dict(self.headers), body))
        self.send_response(self.status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def provider(settings) -> Iterator[type[Provider]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Provider)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Provider.received, Provider.status = [], 202
    settings.SMS_BACKEND = "gru.sms.HttpBackend"
    settings.SMS_API_URL = f"http://127.0.0.1:{server.server_port}/messages"
    settings.SMS_API_KEY, settings.SMS_SENDER, settings.SMS_TIMEOUT = "secret-key", "BEAULIEU", 2
    yield Provider
    server.shutdown()
    server.server_close()


def test_the_provider_receives_the_message_as_json_with_the_key_as_a_bearer_token(provider):
    sms_send(to="+33612345678", body="Ville de Beaulieu : compléments demandés.", reference="notification-7")
    ((headers, body),) = provider.received
    assert headers["Authorization"] == "Bearer secret-key"
    assert body == {
        "from": "BEAULIEU",
        "to": "+33612345678",
        "text": "Ville de Beaulieu : compléments demandés.",
        "reference": "notification-7",
    }


def test_a_refusal_of_the_provider_is_an_error_so_that_the_outbox_tries_again(provider):
    provider.status = 503
    with pytest.raises(requests.HTTPError, match="503"):
        sms_send(to="+33612345678", body="Bonjour", reference="notification-8")


def test_the_console_backend_prints_the_message(settings, capsys):
    settings.SMS_BACKEND = "gru.sms.ConsoleBackend"
    sms_send(to="+33612345678", body="Bonjour", reference="notification-9")
    assert capsys.readouterr().out == "SMS to +33612345678 (notification-9):\nBonjour\n"


def test_the_deploy_check_wants_the_providers_https_address_and_key(settings):
    settings.SMS_ENABLED, settings.SMS_BACKEND = True, "gru.sms.HttpBackend"
    settings.SMS_API_URL, settings.SMS_API_KEY = "http://sms.example.net/messages", "key"
    assert [error.id for error in check_sms_provider_is_configured(None)] == ["gru.E002"]
    settings.SMS_API_URL = "https://sms.example.net/messages"
    assert check_sms_provider_is_configured(None) == []
    settings.SMS_ENABLED, settings.SMS_API_KEY = False, ""
    assert check_sms_provider_is_configured(None) == []


def test_typography_outside_the_gsm_alphabet_is_replaced_so_that_a_message_stays_160_characters(sms_outbox):
    sms_send(to="+33612345678", body="Mairie d’Orléans : votre « carte » expire", reference="notification-10")
    assert [sms.body for sms in sms_outbox] == ['Mairie d\'Orléans : votre "carte" expire']

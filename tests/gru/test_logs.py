"""Logs in one format (JSON lines here, as LOG_FORMAT=json gives), each line of a request and of the tasks it queued
carrying its request id, and no personal data: captured from the root logger through the formatter of LOGGING.
Error reports to a Sentry server of our own (a local HTTP server receiving the SDK's envelopes)."""

import gzip
import io
import json
import logging
import os
import subprocess
import sys
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import brotli
import pytest
import sentry_sdk
import structlog
from aiosmtpd.controller import Controller
from celery.contrib.testing.worker import start_worker
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from gru import logs
from gru.models import Notification
from gru.notifications import notification_send, notify
from tests.factories import PASSWORD
from tests.servers import celery_through, free_port, wait_for
from tests.teleservices.conftest import pdf_bytes
from vault import demo
from vault.models import StoredFile

FILE_NAME = "passeport-Alice-Martin.pdf"
WORKER_TIMEOUT = 20  # seconds


@dataclass
class Captured:
    stream: io.StringIO = field(default_factory=io.StringIO)

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    @property
    def lines(self) -> list[dict]:
        return [json.loads(line) for line in self.text.splitlines()]

    def of(self, request_id: str) -> list[dict]:
        return [line for line in self.lines if line.get("request_id") == request_id]


@contextmanager
def capturing(*names: str) -> Iterator[Captured]:
    """The lines of these loggers (the root's: every line), through the formatter of LOGGING with LOG_FORMAT=json."""
    captured = Captured()
    handler = logging.StreamHandler(captured.stream)
    handler.setFormatter(logs.formatter("json"))
    loggers = [logging.getLogger(name) for name in names or [""]]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield captured
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


@pytest.fixture
def captured() -> Iterator[Captured]:
    with capturing() as captured:
        yield captured


def _upload(client, name: str = FILE_NAME):
    kind = demo.seed()["avis-imposition"]
    page = SimpleUploadedFile(name, pdf_bytes(), "application/pdf")
    response = client.post(reverse("vault:document_add"), {"type": kind.pk, "issued_on": "02/11/2025", "pages": [page]})
    assert response.status_code == 302
    return response


@pytest.mark.django_db(transaction=True)  # committed: the scan is queued, and run (eagerly), inside the request
def test_a_citizen_signing_in_and_uploading_leaves_request_ids_and_no_email_name_or_file_name_in_the_logs(
    client, alice, clamav_on, captured
):
    signed_in = client.post(reverse("account_login"), {"login": "alice@example.org", "password": PASSWORD})
    assert signed_in.status_code == 302
    listed = client.get(reverse("vault:documents") + "?recherche=Martin")
    uploaded = _upload(client)
    assert StoredFile.objects.get().scan == StoredFile.Scan.CLEAN

    for response in (signed_in, listed, uploaded):
        lines = captured.of(response["X-Request-ID"])
        assert {"request_started", "request_finished"} <= {line["event"] for line in lines}
    finished = next(line for line in captured.of(listed["X-Request-ID"]) if line["event"] == "request_finished")
    assert (finished["user_id"], finished["code"], finished["request"]) == (alice.pk, 200, "GET /espace/documents/")
    assert "ip" not in finished
    scanned = next(line for line in captured.lines if "is clean" in line["event"])  # logged by the task
    assert scanned["request_id"] == uploaded["X-Request-ID"] and scanned["user_id"] == alice.pk
    text = captured.text.lower()
    for personal in ("alice", "martin", FILE_NAME.lower(), "passeport"):
        assert personal not in text


def test_a_well_formed_request_id_from_the_proxy_is_kept_and_any_other_replaced(client, organisation, captured):
    kept = client.get(reverse("home"), headers={"X-Request-ID": "0f6b1c2e-nginx-42"})
    assert kept["X-Request-ID"] == "0f6b1c2e-nginx-42"
    assert captured.of("0f6b1c2e-nginx-42")
    for forged in ('x" level=error', "a" * 65, "é"):
        replaced = client.get(reverse("home"), headers={"X-Request-ID": forged})
        assert replaced["X-Request-ID"] != forged and len(replaced["X-Request-ID"]) == 36  # a new UUID
        assert forged not in captured.text


def test_djangos_own_line_about_a_404_carries_the_request_id_too(client, captured):
    response = client.get("/nulle-part/?email=alice@example.org")
    assert response.status_code == 404
    lines = captured.of(response["X-Request-ID"])
    assert {"request_started", "request_finished", "Not Found: /nulle-part/"} <= {line["event"] for line in lines}
    assert "alice" not in captured.text
    assert structlog.contextvars.get_contextvars() == {}  # forgotten once the request is finished


def test_email_addresses_are_masked_in_messages_values_and_tracebacks(captured):
    logging.getLogger("gru.test").warning("Mail to %s refused, text message to +33612345678", "alice@example.org")
    structlog.get_logger("gru.test").info("sent", to=["bob@example.fr"], context={"reply": "carol%40mairie.fr"})
    try:
        raise ValueError('Key (email)=(dave.admin@example.org) already exists: "Alice Martin"')
    except ValueError:
        logging.getLogger("gru.test").exception("Sign-up failed")
    warning, sent, failed = captured.lines
    assert warning["event"] == "Mail to a***@example.org refused, text message to [phone]"
    assert (sent["to"], sent["context"]) == (["b***@example.fr"], {"reply": "c***@mairie.fr"})
    assert "(email)=(d***@example.org)" in failed["exception"] and "Traceback" in failed["exception"]
    for address in ("alice@", "bob@", "carol%40", "dave.admin@", "+33612345678"):
        assert address not in captured.text


def test_a_model_instance_is_logged_as_its_label_and_id_never_as_its_name(alice, captured):
    structlog.get_logger("gru.test").info("seen", user=alice)
    assert captured.lines[0]["user"] == f"portal.User:{alice.pk}"


def test_the_readable_format_masks_the_same(capsys):
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logs.formatter("text"))
    logger = logging.getLogger("gru.test.text")
    logger.addHandler(handler)
    try:
        logger.warning("Mail to %s refused", "alice@example.org")
    finally:
        logger.removeHandler(handler)
    out = capsys.readouterr().out
    assert "Mail to a***@example.org refused" in out and "[warning" in out and not out.startswith("{")


def test_an_unknown_log_format_is_refused():
    with pytest.raises(ValueError, match="LOG_FORMAT"):
        logs.formatter("xml")


class _RefusingRecipients:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 (aiosmtpd)
        return f"550 5.1.1 <{address}>: Recipient address rejected"


def test_an_address_the_mail_server_refuses_is_masked_in_the_warning(settings, alice, captured):
    controller = Controller(_RefusingRecipients(), hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", controller.port, False
    settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = "", ""
    try:
        with transaction.atomic():
            email, _space = notify(event="case_message", user=alice, context={"reference": "DEM-2026-ABCDEF"})
        notification = notification_send(notification_id=email.pk)
    finally:
        controller.stop()
    assert notification.status == Notification.Status.PENDING and "alice@example.org" in notification.last_error
    (warning,) = [line for line in captured.lines if line["logger"] == "gru.notifications"]
    assert "a***@example.org" in warning["event"] and "Recipient address rejected" in warning["event"]
    assert "alice" not in captured.text


@pytest.mark.django_db(transaction=True)
def test_a_task_run_by_a_real_worker_logs_the_request_id_of_the_request_that_queued_it(
    alice_client, alice, clamav_on, redis_server
):
    """Named loggers: the worker sets Django up again (Celery's Django fixup), whose LOGGING replaces the root's
    handlers."""
    redis_server.start()
    with celery_through(redis_server.url) as app, capturing("django_structlog", "vault", "celery") as captured:
        uploaded = _upload(alice_client)  # the scan is queued to Redis, in headers the request's context
        assert redis_server.queued() == 1
        with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, loglevel="WARNING"):
            wait_for(
                lambda: StoredFile.objects.get().scan == StoredFile.Scan.CLEAN, timeout=WORKER_TIMEOUT, what="scan"
            )
    request_id = uploaded["X-Request-ID"]
    enqueued = next(line for line in captured.lines if line["event"] == "task_enqueued")
    assert enqueued["request_id"] == request_id
    in_worker = [line for line in captured.of(request_id) if "task_id" in line]
    assert {"task_started", "task_succeeded"} <= {line["event"] for line in in_worker}
    assert any("is clean" in line["event"] for line in in_worker)
    assert all(line["user_id"] == alice.pk for line in in_worker)
    assert "passeport" not in captured.text.lower()


# Error reports.


def test_error_reports_are_off_without_a_dsn():
    assert django_settings.SENTRY_DSN == ""
    assert logs.sentry_init(dsn="") is False
    assert not sentry_sdk.get_client().is_active()


def test_the_report_scrubber_masks_addresses_and_drops_the_query_string_and_the_body():
    event = {
        "message": "No account for alice@example.org",
        "request": {"url": "https://gru.example/compte/", "query_string": "q=Martin", "data": {"name": "Alice"}},
        "breadcrumbs": {"values": [{"message": "Mail to bob@example.fr refused"}]},
        "exception": {"values": [{"type": "ValueError", "value": "(email)=(carol@example.org)"}]},
    }
    scrubbed = logs.sentry_scrub(event, {})
    assert scrubbed["request"] == {"url": "https://gru.example/compte/"}
    assert scrubbed["message"] == "No account for a***@example.org"
    assert scrubbed["breadcrumbs"]["values"][0]["message"] == "Mail to b***@example.fr refused"
    assert scrubbed["exception"]["values"][0]["value"] == "(email)=(c***@example.org)"


class _Envelopes(BaseHTTPRequestHandler):
    received: list[bytes]

    def do_POST(self) -> None:  # noqa: N802 (http.server)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":
            body = brotli.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        self.received.append(body)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


SENTRY_CLIENT = """
import logging
import django
import sentry_sdk

django.setup()
try:
    raise ValueError("No account for alice@example.org")
except ValueError:
    logging.getLogger("gru.test").exception("Sign-up of alice@example.org failed")
sentry_sdk.flush(timeout=10)
"""


def test_with_a_dsn_an_error_reaches_the_server_with_its_addresses_masked(tmp_path):
    """In a process of its own (the settings initialise the SDK, for good): a real SDK, a real HTTP transport."""
    _Envelopes.received = []
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), _Envelopes)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {
        **os.environ,
        "SENTRY_DSN": f"http://public@127.0.0.1:{server.server_port}/1",
        "SENTRY_ENVIRONMENT": "recette",
        "DJANGO_SETTINGS_MODULE": "gru.settings",
    }
    try:
        result = subprocess.run(
            [sys.executable, "-c", SENTRY_CLIENT],
            cwd=django_settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        server.shutdown()
        server.server_close()
    assert result.returncode == 0, result.stderr
    assert _Envelopes.received, "no envelope reached the server"
    envelope = b"\n".join(_Envelopes.received).decode()
    assert "ValueError" in envelope and "No account for a***@example.org" in envelope
    assert '"environment":"recette"' in envelope.replace(" ", "")
    assert "alice@example.org" not in envelope
    assert '"vars"' not in envelope  # no local variables of the frames

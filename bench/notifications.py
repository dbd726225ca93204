"""Notifications per second delivered to a local SMTP server by one worker process, through the real outbox.

A new database (`gru_bench_notifications`) with the demo data at each run, and a real SMTP server (aiosmtpd) on a free
port of 127.0.0.1, in a process of its own so that the CPU time measured is the worker's alone. Django sends through
its SMTP backend (one connection per message, as a worker does). Two cases, `--messages` notifications each, for alice
and one of her demo requests:
  - "case_message": the email telling of a new message, text and HTML, no attachment;
  - "case_letter": the email carrying a letter, with a 100 KB PDF attached (a vault StoredFile, encrypted at rest,
    read and decrypted when sent, one file per notification).
The rows are written by gru.notifications.notify() in a transaction, as the services do; the ids it queues at the
commit are kept in a list instead of going to the broker (that list is the queue), then
gru.notifications.notification_send() runs for each in turn, in-process, as the Celery task does: row locked, email
rendered and sent, row marked sent. Two warm-up notifications per case go first, unmeasured. Printed: notifications per
second (wall clock), median and 95th percentile per message, and the rate computed from the process's CPU time
(steadier on a shared machine; neither the database's work nor the SMTP server's is in it).
Then every row is sent again (a redelivered task), which must do nothing, and the run fails unless the SMTP server
received exactly one message per notification, `--messages` per case (plus the warm-ups), none twice.
Usage:
    .venv/bin/python bench/notifications.py [--messages 300]
"""

from __future__ import annotations

import argparse
import email.parser
import io
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ.setdefault("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/gru_bench_notifications")
WARM_UP = 2
ATTACHMENT_BYTES = 100_000
STARTUP_TIMEOUT = 10  # seconds, for the SMTP server to listen


@dataclass
class Result:
    name: str
    attachment_kb: float
    messages: int
    notifications_per_second: float
    p50_ms: float
    p95_ms: float
    # From the process's CPU time: what a worker with a core of its own would do, whatever else runs on the machine.
    cpu_notifications_per_second: float
    message_kb: float  # mean size of a message as the SMTP server received it (the PDF in base64)


class Recorder:
    """aiosmtpd handler: the Message-ID, recipients and size of each message accepted."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], int]] = []

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:  # noqa: N802 (aiosmtpd)
        headers = email.parser.BytesHeaderParser().parsebytes(envelope.content)
        self.messages.append((str(headers["Message-ID"]), list(envelope.rcpt_tos), len(envelope.content)))
        return "250 Message accepted"


def smtp_serve(port: int, pipe: Any) -> None:
    """The SMTP server's process: listens until told to stop, then sends back what it received."""
    from aiosmtpd.controller import Controller

    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    pipe.send("ready")
    pipe.recv()
    controller.stop()
    pipe.send(recorder.messages)


class SmtpServer:
    def __init__(self, port: int) -> None:
        self.port = port
        self._pipe, child = multiprocessing.get_context("spawn").Pipe()
        self._process = multiprocessing.get_context("spawn").Process(target=smtp_serve, args=(port, child))

    def start(self) -> None:
        self._process.start()
        if not self._pipe.poll(STARTUP_TIMEOUT) or self._pipe.recv() != "ready":
            self._process.kill()
            raise SystemExit(f"The SMTP server did not start on 127.0.0.1:{self.port}.")

    def stop(self) -> list[tuple[str, list[str], int]]:
        """Stops the server; returns (Message-ID, recipients, size) of every message it accepted."""
        self._pipe.send("stop")
        messages = self._pipe.recv()
        self._process.join(timeout=STARTUP_TIMEOUT)
        return messages


def pdf_of(size: int) -> bytes:
    """A valid one-page PDF of `size` bytes, padded with random (incompressible) bytes, as a scanned letter is."""
    import pikepdf

    def build(padding: int) -> bytes:
        pdf = pikepdf.new()
        pdf.add_blank_page(page_size=(595, 842))
        noise = random.Random(0).randbytes(padding)  # noqa: S311 (reproducible filler, not a secret)
        pdf.Root.BenchPadding = pdf.make_indirect(pikepdf.Stream(pdf, noise))
        out = io.BytesIO()
        pdf.save(out, compress_streams=False, deterministic_id=True)
        return out.getvalue()

    padding = size - len(build(0))
    for _ in range(3):  # the stream's /Length grows by a digit or so
        content = build(padding)
        if len(content) == size:
            break
        padding += size - len(content)
    return content


def create(event: str, count: int, *, attachment: bytes | None) -> list[int]:
    """`count` notifications of `event` for alice about one of her demo requests, written by notify() in one
    transaction; the ids it queued at the commit, in order."""
    from django.db import transaction

    from gru import notifications
    from gru.models import Notification
    from portal.models import User
    from teleservices.models import Case
    from vault.files import CheckedFile
    from vault.services import stored_file_create

    alice = User.objects.get(email="alice@example.org")
    case = Case.objects.filter(user=alice).exclude(reference="").select_related("teleservice").first()
    if case is None:
        raise SystemExit("alice has no request in the demo.")
    queued: list[int] = []

    def enqueue_on_commit(task: Any, *, notification_id: int) -> None:  # the broker: notify() queues at the commit
        transaction.on_commit(lambda: queued.append(notification_id))

    notifications.enqueue_on_commit = enqueue_on_commit
    with transaction.atomic():
        for _ in range(count):
            files = []
            if attachment is not None:
                checked = CheckedFile(content=attachment, mime="application/pdf", name="courrier.pdf")
                files = [stored_file_create(owner=alice, checked=checked, generated=True)]
            context = {"name": alice.first_name, "title": case.teleservice.title, "reference": case.reference}
            if event == "case_letter":
                context["subject"] = "Décision relative à votre demande"
            rows = notifications.notify(
                event=event, user=alice, context=context, url=case.get_absolute_url(), attachments=files
            )
            if [r.channel for r in rows if r.status == Notification.Status.PENDING] != [Notification.Channel.EMAIL]:
                raise SystemExit(f"notify() did not give one pending email for {event}: {rows}")
        if queued:
            raise SystemExit("notify() queued rows before the commit.")
    emails = list(
        Notification.objects.filter(event=event, channel=Notification.Channel.EMAIL, status="pending")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if sorted(queued) != emails or len(emails) != count:
        raise SystemExit(f"{len(queued)} rows queued, {len(emails)} pending emails, {count} expected.")
    return queued


def send(notification_id: int) -> None:
    from gru.models import Notification
    from gru.notifications import notification_send

    row = notification_send(notification_id=notification_id)
    if row is None or row.status != Notification.Status.SENT:
        error = row.last_error if row is not None else "nothing sent"
        raise SystemExit(f"Notification {notification_id} not sent: {error}")


def measure(name: str, ids: list[int], attachment: bytes | None) -> tuple[Result, list[int]]:
    for notification_id in ids[:WARM_UP]:
        send(notification_id)
    measured = ids[WARM_UP:]
    durations = []
    cpu_start = time.process_time()
    for notification_id in measured:
        start = time.perf_counter()
        send(notification_id)
        durations.append(time.perf_counter() - start)
    cpu = time.process_time() - cpu_start
    result = Result(
        name=name,
        attachment_kb=len(attachment) / 1000 if attachment else 0.0,
        messages=len(measured),
        notifications_per_second=len(durations) / sum(durations),
        p50_ms=statistics.median(durations) * 1000,
        p95_ms=statistics.quantiles(durations, n=20)[-1] * 1000,
        cpu_notifications_per_second=len(measured) / cpu,
        message_kb=0.0,
    )
    return result, measured


def check_received(
    received: list[tuple[str, list[str], int]], cases: list[tuple[Result, list[int], list[int]]]
) -> None:
    """Exactly one message per notification sent, to its address, none twice, nothing else; the message sizes."""
    from django.conf import settings

    host = urlparse(settings.SITE_URL).hostname
    counts = Counter(message_id for message_id, _, _ in received)
    twice = sorted(m for m, n in counts.items() if n > 1)
    if twice:
        raise SystemExit(f"The SMTP server received {len(twice)} messages more than once: {twice[:5]}")
    expected = {f"<notification-{pk}@{host}>" for _, ids, _ in cases for pk in ids}
    if set(counts) != expected:
        raise SystemExit(
            f"The SMTP server received {len(counts)} messages, {len(expected)} expected: "
            f"{len(expected - set(counts))} missing, {len(set(counts) - expected)} unexpected."
        )
    if any(rcpt != ["alice@example.org"] for _, rcpt, _ in received):
        raise SystemExit("A message went to another address than alice's.")
    sizes = {message_id: size for message_id, _, size in received}
    for result, _, measured in cases:
        ids = [f"<notification-{pk}@{host}>" for pk in measured]
        if len(ids) != result.messages or any(i not in sizes for i in ids):
            raise SystemExit(f"{result.name}: {result.messages} measured, not all received.")
        result.message_kb = statistics.mean(sizes[i] for i in ids) / 1000
        if result.attachment_kb and min(sizes[i] for i in ids) < result.attachment_kb * 1000 * 4 / 3:
            raise SystemExit(f"{result.name}: a message is smaller than its attachment in base64.")


def report(results: list[Result]) -> None:
    print(
        f"{'event':13} {'attachment':>10} {'messages':>8} {'notif/s':>8} {'p50 ms':>7} {'p95 ms':>7}"
        f" {'CPU: /s':>8} {'mail KB':>8}"
    )
    for r in results:
        attachment = f"{r.attachment_kb:.0f} KB" if r.attachment_kb else "none"
        print(
            f"{r.name:13} {attachment:>10} {r.messages:8} {r.notifications_per_second:8.1f} {r.p50_ms:7.2f}"
            f" {r.p95_ms:7.2f} {r.cpu_notifications_per_second:8.1f} {r.message_kb:8.1f}"
        )


def main() -> int:
    from bench.common import results_write, setup_database

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=300, help="notifications measured per case")
    args = parser.parse_args()
    if args.messages < 2:
        parser.error("--messages must be at least 2 (for a 95th percentile)")
    from tests.servers import free_port

    server = SmtpServer(free_port())
    server.start()
    try:
        os.environ.setdefault("PRIVATE_ROOT", tempfile.mkdtemp(prefix="gru-bench-notifications-"))
        os.environ.update(
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(server.port),
            EMAIL_USE_TLS="false",
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
        )
        # bench.settings pins the dummy backend over the EMAIL_BACKEND variable: the demo's own notifications, sent
        # (eagerly) while it is loaded, go nowhere; the SMTP backend is set once it is loaded.
        setup_database()
        from django.conf import settings
        from django.core.mail import get_connection
        from django.core.mail.backends.smtp import EmailBackend

        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        connection = get_connection()
        if not isinstance(connection, EmailBackend) or (connection.host, connection.port) != (
            "127.0.0.1",
            server.port,
        ):
            raise SystemExit("Django does not send through the bench's SMTP server.")
        load_before = os.getloadavg()[0]
        cases = []
        for event, attachment in (("case_message", None), ("case_letter", pdf_of(ATTACHMENT_BYTES))):
            ids = create(event, args.messages + WARM_UP, attachment=attachment)
            result, measured = measure(event, ids, attachment)
            cases.append((result, ids, measured))
        from gru.notifications import notification_send

        for _, ids, _ in cases:  # a redelivered task finds its row sent and does nothing
            if any(notification_send(notification_id=pk) is not None for pk in ids):
                raise SystemExit("A notification already sent was sent again.")
        load_after = os.getloadavg()[0]
    except BaseException:
        server.stop()
        raise
    check_received(server.stop(), cases)
    results = [result for result, _, _ in cases]
    report(results)
    print(
        f"{sum(len(ids) for _, ids, _ in cases)} messages received by the SMTP server, one per notification,"
        " none twice."
        f" Load average: {load_before:.2f} before, {load_after:.2f} after ({os.cpu_count()} CPUs)."
    )
    payload = {
        "results": [asdict(r) for r in results],
        "messages": args.messages,
        "warm_up": WARM_UP,
        "load_average": [load_before, load_after],
    }
    results_write(payload, prefix="notifications-")
    return 0


if __name__ == "__main__":
    sys.exit(main())

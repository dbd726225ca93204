"""Nothing is lost when Redis is down, nothing is sent twice: a real redis-server that the test stops and starts
again, a real Celery worker, a real SMTP server (aiosmtpd)."""

import threading
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from gru.models import Notification
from gru.notifications import SWEEP_GRACE, notification_send, notifications_sweep
from gru.tasks import notification_send_task
from letters import services as letters_services
from letters.models import Letter
from letters.services import ACKNOWLEDGEMENT_WAIT, GENERATION_GRACE
from letters.tasks import case_letter_send_task
from teleservices import services
from teleservices.models import Case
from tests.backoffice.conftest import BIRTH
from tests.servers import celery_through, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

DELIVERY_TIMEOUT = 20  # seconds


def _draft(alice, teleservices):
    case = services.case_start(user=alice, teleservice=teleservices["acte-de-naissance"])
    return services.case_page_save(case=case, answers={**case.data, **BIRTH}, files={}, page=1)


def _worker(app):
    """A real worker consuming the broker in a thread (one task at a time, as CELERY_WORKER_PREFETCH_MULTIPLIER=1)."""
    return start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, loglevel="WARNING")


def test_a_request_filed_while_redis_is_down_is_acknowledged_exactly_once_when_it_is_back(
    alice_client, alice, bob, teleservices, default_receipt, redis_server, smtp_server, caplog, capsys
):
    draft = _draft(alice, teleservices)
    review = reverse("teleservices:review", args=[draft.public_id])
    assert alice_client.get(review).status_code == 200  # alice reads her answers before sending them
    redis_server.start()
    with celery_through(redis_server.url) as app:
        redis_server.stop()  # Redis falls over: the broker connection the web process had is gone

        started = time.monotonic()
        response = alice_client.post(review)
        request_seconds = time.monotonic() - started
        assert response.status_code == 302  # the citizen's request succeeded
        case = Case.objects.get(pk=draft.pk)
        assert case.reference and response["Location"].endswith(f"/{case.reference}/confirmation/")
        email = Notification.objects.get(event="case_received", channel=Notification.Channel.EMAIL)
        assert (email.status, email.attempts) == (Notification.Status.PENDING, 0)  # waiting for its récépissé
        receipt = case.letters.get()
        assert (receipt.status, receipt.send_when_ready) == (Letter.Status.GENERATING, True)
        assert "the sweeper will queue it again" in caplog.text
        assert request_seconds < 3  # the request did not wait for the broker
        assert smtp_server.messages == []

        redis_server.start()  # back, empty: the tasks queued at the commit never reached it
        assert redis_server.queued() == 0
        assert letters_services.case_letters_send_stale(now=timezone.now()) == 0  # within the grace period
        assert letters_services.case_letters_send_stale(now=timezone.now() + GENERATION_GRACE) == 1
        assert redis_server.queued() == 1
        started = time.monotonic()
        with _worker(app):
            # The letter is generated and sent, which releases the acknowledgement email with it attached.
            wait_for(lambda: len(smtp_server.messages) == 1, timeout=DELIVERY_TIMEOUT, what="the acknowledgement")
            delivery_seconds = time.monotonic() - started

            # Tasks delivered again (the worker died before acknowledging them, or a sweeper queued them twice),
            # then a new notification: when that one has arrived, the duplicates were handled (one worker, in order).
            notification_send_task.apply_async(kwargs={"notification_id": email.pk})
            case_letter_send_task.apply_async(kwargs={"letter_id": receipt.pk})
            notifications_sweep(now=timezone.now() + ACKNOWLEDGEMENT_WAIT + SWEEP_GRACE)  # nothing pending any more
            services.case_message_post(case=case, author=bob, body="Bien reçu.", files=[], from_agent=True)
            wait_for(lambda: len(smtp_server.messages) == 2, timeout=DELIVERY_TIMEOUT, what="the message's email")

    assert smtp_server.subjects() == [
        f"Votre demande « {case.teleservice.title} » ({case.reference}) a bien été reçue",
        f"Nouveau message sur votre demande « {case.teleservice.title} » ({case.reference})",
    ]
    acknowledgement = smtp_server.messages[0]
    assert acknowledgement["To"] == alice.email
    assert acknowledgement["Message-ID"] == f"<notification-{email.pk}@127.0.0.1>"
    attached = [part.get_content_type() for part in acknowledgement.walk() if part.get_filename()]
    assert attached == ["application/pdf"]  # the récépissé
    email.refresh_from_db()
    receipt.refresh_from_db()
    assert (email.status, email.attempts) == (Notification.Status.SENT, 1)
    assert receipt.status == Letter.Status.SENT
    assert redis_server.queued() == 0
    with capsys.disabled():
        print(
            f"\n[outbox] request with Redis down: {request_seconds * 1000:.0f} ms; "
            f"delivered {delivery_seconds * 1000:.0f} ms after the sweep; "
            f"{len(smtp_server.messages)} emails for 2 notifications and 5 tasks"
        )


def test_the_acknowledgement_goes_without_its_recepisse_if_it_never_comes(
    alice, teleservices, default_receipt, redis_server, smtp_server
):
    with celery_through(redis_server.url):  # not started: nothing is done but what the sweepers queue
        case = services.case_submit(case=_draft(alice, teleservices))
    email = Notification.objects.get(event="case_received", channel=Notification.Channel.EMAIL)
    assert notification_send(notification_id=email.pk) is None  # held for the récépissé
    later = timezone.now() + ACKNOWLEDGEMENT_WAIT
    assert notification_send(notification_id=email.pk, now=later).status == Notification.Status.SENT
    assert smtp_server.subjects() == [f"Votre demande « {case.teleservice.title} » ({case.reference}) a bien été reçue"]
    assert not [part for part in smtp_server.messages[0].walk() if part.get_filename()]


def test_a_notification_being_sent_by_one_worker_is_skipped_by_another(
    alice, bob, teleservices, redis_server, smtp_server
):
    with celery_through(redis_server.url):  # not started: the row waits for the sweeper
        case = services.case_submit(case=_draft(alice, teleservices))
        services.case_message_post(case=case, author=bob, body="Bien reçu.", files=[], from_agent=True)
    email = Notification.objects.get(event="case_message", channel=Notification.Channel.EMAIL)
    assert email.status == Notification.Status.PENDING
    locked, release = threading.Event(), threading.Event()

    def first_worker() -> None:
        with transaction.atomic():
            Notification.objects.select_for_update().get(pk=email.pk)
            locked.set()
            release.wait(timeout=10)
        connection.close()

    thread = threading.Thread(target=first_worker)
    thread.start()
    locked.wait(timeout=10)
    assert notification_send(notification_id=email.pk) is None  # not waiting for the lock, not sending it too
    release.set()
    thread.join()
    assert smtp_server.messages == []
    assert notification_send(notification_id=email.pk).status == Notification.Status.SENT
    assert smtp_server.subjects() == [
        f"Nouveau message sur votre demande « {case.teleservice.title} » ({case.reference})"
    ]

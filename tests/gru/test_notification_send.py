"""notification_send() and the sweeper: a row is sent once, retried with a growing delay when its channel fails,
given up after MAX_ATTEMPTS, and queued again when its task was lost."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from gru.models import Notification
from gru.notifications import MAX_ATTEMPTS, SWEEP_GRACE, notification_send, notifications_sweep, notify, retry_delay
from gru.tasks import notification_send_task
from tests.conftest import sign_in
from tests.servers import free_port

NOW = datetime.datetime(2026, 12, 2, 9, 0, tzinfo=datetime.UTC)


def _message_to(user) -> Notification:
    """A notification of a new message, waiting: its task was never run (the test's transaction never commits)."""
    with transaction.atomic():
        email, _space = notify(event="case_message", user=user, context={"reference": "DEM-2026-ABCDEF"})
    return email


@pytest.fixture
def mail_server_down(settings):
    """The SMTP backend, towards a port where nobody listens."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2


def test_two_tasks_for_one_notification_send_one_email(alice):
    email = _message_to(alice)
    notification_send_task.delay(email.pk)
    notification_send_task.delay(email.pk)
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Notification.Status.SENT, 1) and email.sent_at is not None
    assert notification_send(notification_id=email.pk) is None


def test_a_mail_server_down_is_retried_with_a_growing_delay_then_given_up(alice, mail_server_down, caplog):
    with time_machine.travel(NOW, tick=False):
        email = _message_to(alice)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        with time_machine.travel(email.next_attempt_at - datetime.timedelta(seconds=1), tick=False):
            assert notification_send(notification_id=email.pk) is None  # not due yet
        with time_machine.travel(email.next_attempt_at, tick=False):
            email = notification_send(notification_id=email.pk)
        assert email.attempts == attempt and "ConnectionRefusedError" in email.last_error
    assert email.status == Notification.Status.FAILED and email.sent_at is None
    assert [retry_delay(n) for n in range(1, MAX_ATTEMPTS)] == [
        datetime.timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 32, 64, 128, 256)
    ]
    assert retry_delay(20) == datetime.timedelta(hours=6)
    assert f"failed {MAX_ATTEMPTS} times, given up" in caplog.text
    assert notification_send(notification_id=email.pk) is None  # failed rows wait for someone to send them again


def test_the_delay_before_each_retry_doubles(alice, mail_server_down):
    with time_machine.travel(NOW, tick=False):
        email = _message_to(alice)
    tried_at = []
    for _attempt in range(3):
        with time_machine.travel(email.next_attempt_at, tick=False):
            tried_at.append(timezone.now())
            email = notification_send(notification_id=email.pk)
    waits = [later - earlier for earlier, later in zip(tried_at, [*tried_at[1:], email.next_attempt_at], strict=True)]
    assert waits == [datetime.timedelta(minutes=1), datetime.timedelta(minutes=2), datetime.timedelta(minutes=4)]


def test_the_sweeper_queues_again_the_notifications_whose_task_was_lost(alice, eve):
    with time_machine.travel(NOW, tick=False):
        lost = _message_to(alice)
        sent = _message_to(eve)
        notification_send(notification_id=sent.pk)
    mail.outbox.clear()
    assert notifications_sweep(now=NOW + SWEEP_GRACE - datetime.timedelta(seconds=1)) == 0  # its task may still run
    assert notifications_sweep(now=NOW + SWEEP_GRACE) == 1  # eager: queued and sent at once
    assert [m.to for m in mail.outbox] == [[alice.email]]
    lost.refresh_from_db()
    assert lost.status == Notification.Status.SENT
    assert notifications_sweep(now=NOW + SWEEP_GRACE * 10) == 0


def test_the_sweeper_retries_a_failed_attempt_once_its_delay_has_passed(alice, mail_server_down, settings):
    with time_machine.travel(NOW, tick=False):
        email = notification_send(notification_id=_message_to(alice).pk)
    assert email.next_attempt_at == NOW + datetime.timedelta(minutes=1)
    assert notifications_sweep(now=NOW + SWEEP_GRACE) == 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the mail server is back
    with time_machine.travel(NOW + datetime.timedelta(minutes=1) + SWEEP_GRACE, tick=False):
        assert notifications_sweep(now=timezone.now()) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (Notification.Status.SENT, 2, "")
    assert len(mail.outbox) == 1


def test_an_administrator_sends_failed_notifications_again_from_the_admin(
    client, alice, dave, django_capture_on_commit_callbacks
):
    failed = _message_to(alice)
    Notification.objects.filter(pk=failed.pk).update(status=Notification.Status.FAILED, attempts=MAX_ATTEMPTS)
    read = Notification.objects.get(event="case_message", channel=Notification.Channel.SPACE)
    sign_in(client, dave)
    changelist = reverse("admin:gru_notification_changelist")
    assert client.get(changelist).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(changelist, {"action": "retry", "_selected_action": [failed.pk, read.pk]})
    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (Notification.Status.SENT, 1)
    assert [m.to for m in mail.outbox] == [[alice.email]]
    assert client.get(reverse("admin:gru_notification_change", args=[failed.pk])).status_code == 200  # read only


def test_agents_cannot_send_notifications_again(client, bob):
    sign_in(client, bob)
    assert client.get(reverse("admin:gru_notification_changelist")).status_code == 302  # to the admin's login

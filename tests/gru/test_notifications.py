"""notify(): one row per channel, in the transaction of the change it tells about, as the citizen chose; what the
email and the text message say."""

import datetime
import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone, translation

from backoffice.services import case_transition, cases_bulk_transition
from gru.models import Notification
from gru.notifications import Event, _events, events_register, notification_send, notifications_purge, notify
from portal.models import User
from tests.backoffice.conftest import action, submit
from tests.teleservices.conftest import pdf_bytes
from vault.files import file_check
from vault.services import stored_file_create

EMAIL, SMS, SPACE = Notification.Channel.EMAIL, Notification.Channel.SMS, Notification.Channel.SPACE


def _channels(event: str) -> list[str]:
    return sorted(Notification.objects.filter(event=event).values_list("channel", flat=True))


def test_a_submitted_request_is_acknowledged_by_email_and_in_the_citizen_space(
    alice, teleservices, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = submit(alice, teleservices["acte-de-naissance"])
    email = Notification.objects.get(event="case_received", channel=EMAIL)
    assert (email.address, email.status, email.attempts) == (alice.email, Notification.Status.SENT, 1)
    space = Notification.objects.get(event="case_received", channel=SPACE)
    assert space.status == Notification.Status.SENT and space.read_at is None
    assert (
        space.url == case.get_absolute_url()
        and space.subject == f"Votre demande « {case.teleservice.title} » ({case.reference}) a bien été reçue"
    )
    (message,) = mail.outbox
    assert message.to == [alice.email] and message.subject == space.subject
    assert re.search(r"a été reçue le \d{1,2} \w+ 20\d\d à \d\d:\d\d\. Sa référence est DEM-", message.body)
    assert settings.SITE_URL + case.get_absolute_url() in message.body
    assert "Ville de Beaulieu-sur-Loire" in message.body  # the organisation, as it is when sent
    html, mime = message.alternatives[0]
    assert mime == "text/html" and '<html lang="fr">' in html
    assert f'<a href="{settings.SITE_URL}{case.get_absolute_url()}">' in html
    assert message.extra_headers["Message-ID"] == f"<notification-{email.pk}@127.0.0.1>"


def test_a_change_rolled_back_leaves_no_notification_and_sends_nothing(
    alice, bob, teleservices, django_capture_on_commit_callbacks
):
    """bob takes two requests in charge at once; one of them cannot be: neither changes, nobody is told."""
    first, second = (submit(alice, teleservices["acte-de-naissance"]) for _n in range(2))
    case_transition(case=second, transition=action(second, "Accepter"), actor=bob)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        errors = cases_bulk_transition(
            cases=[first, second], transition=action(first, "Prendre en charge"), actor=bob, comment=""
        )
    assert len(errors) == 1
    assert not Notification.objects.exists() and callbacks == [] and mail.outbox == []


def test_notify_belongs_inside_the_transaction_of_the_change(alice, transactional_db):
    with pytest.raises(RuntimeError, match="inside the transaction"):
        notify(event="case_message", user=alice, context={})
    with transaction.atomic():
        assert len(notify(event="case_message", user=alice, context={})) == 2


def test_notify_refuses_an_event_no_app_declared_and_writes_nothing(alice):
    with pytest.raises(LookupError, match="Unknown notification event 'case_mesage'.*events_register"):
        notify(event="case_mesage", user=alice, context={})
    assert not Notification.objects.exists()


def test_each_app_declares_its_own_events_and_none_is_declared_twice_differently():
    assert {"case_received", "document_refused", "household_invitation", "appointment_reminder"} <= set(_events)
    events_register({"case_message": Event("teleservices/emails/new_message")})  # the same again: nothing changes
    with pytest.raises(ImproperlyConfigured, match="'case_message' is declared twice"):
        events_register({"case_message": Event("appointments/emails/confirmed")})
    assert _events["case_message"] == Event("teleservices/emails/new_message")


def test_the_context_holds_plain_values_never_model_instances(alice, teleservices):
    case = submit(alice, teleservices["acte-de-naissance"])
    with pytest.raises(TypeError, match="not JSON serializable"):
        notify(event="case_message", user=alice, context={"case": case})
    (row, _space) = notify(event="case_message", user=alice, context={"submitted_at": case.submitted_at})
    assert row.context["submitted_at"].startswith(case.submitted_at.date().isoformat())


def test_the_subject_is_in_the_portals_language_whatever_the_agent_reads(alice, teleservices):
    case = submit(alice, teleservices["acte-de-naissance"])
    with translation.override("en"):
        rows = notify(
            event="case_message", user=alice, context={"reference": case.reference, "title": case.teleservice.title}
        )
    assert {row.subject for row in rows} == {
        f"Nouveau message sur votre demande « {case.teleservice.title} » ({case.reference})"
    }


def test_alice_who_turned_emails_off_still_gets_the_essential_ones(alice, bob, teleservices):
    User.objects.filter(pk=alice.pk).update(notify_by_email=False)
    alice.refresh_from_db()
    case = submit(alice, teleservices["acte-de-naissance"])
    case_transition(case=case, transition=action(case, "Prendre en charge"), actor=bob)
    case_transition(case=case, transition=action(case, "Demander des compléments"), actor=bob, comment="Le livret.")
    assert _channels("case_received") == [EMAIL, SPACE]  # the acknowledgement: essential
    assert _channels("case_status_changed") == [SPACE]
    assert _channels("case_information_requested") == [EMAIL, SPACE]  # essential: her request waits for her


def test_someone_without_an_account_is_told_by_email_only(db, organisation):
    with transaction.atomic():
        (row,) = notify(event="case_status_changed", email="jeanne@example.net", context={"reference": "DEM-X"})
    assert (row.channel, row.address, row.recipient) == (EMAIL, "jeanne@example.net", None)


def test_information_requested_is_also_a_text_message_for_those_who_chose_them(
    alice_by_sms, bob, teleservices, sms_outbox, django_capture_on_commit_callbacks
):
    case = submit(alice_by_sms, teleservices["acte-de-naissance"])
    ask = action(case, "Demander des compléments")
    with django_capture_on_commit_callbacks(execute=True):
        case_transition(case=case, transition=action(case, "Prendre en charge"), actor=bob)
        case_transition(case=case, transition=ask, actor=bob, comment="Merci de joindre votre livret de famille.")
    assert _channels("case_status_changed") == [EMAIL, SPACE]  # a status change is no text message
    assert _channels("case_information_requested") == [EMAIL, SMS, SPACE]
    (sms,) = sms_outbox
    row = Notification.objects.get(channel=SMS)
    assert (sms.to, sms.reference, row.status) == ("+33612345678", f"notification-{row.pk}", Notification.Status.SENT)
    assert case.reference in sms.body and settings.SITE_URL + case.get_absolute_url() in sms.body
    assert "Ville de Beaulieu-sur-Loire" in sms.body and "\n" not in sms.body
    assert "Merci de joindre votre livret de famille." in mail.outbox[-1].body


def test_no_text_message_when_they_are_not_chosen_or_disabled(alice_by_sms, eve, settings):
    def channels(user: User) -> set[str]:
        with transaction.atomic():
            return {row.channel for row in notify(event="document_expiring", user=user, context={})}

    assert channels(alice_by_sms) == {EMAIL, SMS, SPACE}
    assert channels(eve) == {EMAIL, SPACE}
    settings.SMS_ENABLED = False
    assert channels(alice_by_sms) == {EMAIL, SPACE}


def test_an_email_carries_its_attachments_decrypted(alice, settings, django_capture_on_commit_callbacks):
    checked = file_check(
        SimpleUploadedFile("courrier.pdf", pdf_bytes(), "application/pdf"), types=["pdf"], max_size=10**7
    )
    stored = stored_file_create(owner=alice, checked=checked)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notify(event="case_message", user=alice, context={"reference": "DEM-X"}, attachments=[stored])
    (message,) = mail.outbox
    assert message.attachments == [("courrier.pdf", pdf_bytes(), "application/pdf")]


def test_an_email_waits_while_its_attachment_is_scanned_by_the_antivirus(alice, settings):
    settings.CLAMAV_ENABLED = True
    checked = file_check(
        SimpleUploadedFile("courrier.pdf", pdf_bytes(), "application/pdf"), types=["pdf"], max_size=10**7
    )
    stored = stored_file_create(owner=alice, checked=checked)
    with transaction.atomic():
        (email, _space) = notify(event="case_message", user=alice, context={}, attachments=[stored])
    email = notification_send(notification_id=email.pk)
    assert (email.status, email.attempts) == (Notification.Status.PENDING, 1)
    assert "AttachmentNotReady" in email.last_error and mail.outbox == []


def test_notifications_done_with_are_deleted_after_their_retention_and_pending_ones_kept(alice, settings):
    settings.NOTIFICATIONS_RETENTION_MONTHS = 12
    now = timezone.now()
    old, recent = now - datetime.timedelta(days=400), now - datetime.timedelta(days=200)

    def row(created_at, status):
        return Notification.objects.create(
            channel=Notification.Channel.SPACE,
            recipient=alice,
            event="case_message",
            template="x",
            status=status,
            created_at=created_at,
            sent_at=None if status == Notification.Status.PENDING else created_at,
        )

    row(old, Notification.Status.SENT)
    row(old, Notification.Status.FAILED)
    pending, young = row(old, Notification.Status.PENDING), row(recent, Notification.Status.SENT)
    assert notifications_purge(now=now) == 2
    assert set(Notification.objects.all()) == {pending, young}

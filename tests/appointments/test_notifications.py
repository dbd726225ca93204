"""What citizens are told about their appointments, through the outbox in the transaction of each change: the
confirmation at once with its calendar file, moves and cancellations (the file updates or removes the event),
reminders 48 hours before (never after a cancellation), and earlier slots freed up. "Now" is Monday 1 March 2027 at
08:00; alice's passport appointment is on Thursday 4 March at 09:00."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from icalendar import Calendar

from appointments import tasks
from appointments.models import Appointment
from appointments.services import (
    appointment_book,
    appointment_cancel,
    appointment_move,
    appointment_reminders_send,
    earlier_slot_alert_register,
)
from gru.models import Notification
from gru.notifications import notification_send
from portal.models import User
from tests.appointments.conftest import PARIS, at
from vault.models import StoredFile

THURSDAY_NINE = at("2027-03-04", "09:00")
FRIDAY_TEN = at("2027-03-05", "10:00")


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Runs the callbacks queued at the commit (the sending tasks, eager in tests) of what happens inside."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


@pytest.fixture
def appointment(now, passport, town_hall, alice, sent) -> Appointment:
    appointment = sent(lambda: appointment_book(type=passport, agenda=town_hall, start=THURSDAY_NINE, citizen=alice))
    return appointment


def calendar_of(message) -> Calendar:
    (attachment,) = message.attachments
    name, content, mime = attachment
    assert (name, mime) == ("rendez-vous.ics", "text/calendar")
    return Calendar.from_ical(content)


def test_the_confirmation_is_emailed_at_once_with_its_calendar_file(appointment, passport, alice):
    (message,) = mail.outbox
    assert message.to == [alice.email]
    assert Notification.objects.get(event="appointment_confirmed", channel="email").subject == message.subject
    assert "Demande de passeport" in message.subject and "4 mars" in message.subject
    assert "jeudi 4 mars 2027" in message.body and "09:00" in message.body
    assert "Hôtel de ville, guichet 1" in message.body and passport.instructions in message.body
    assert f"{settings.SITE_URL}/espace/rendez-vous/{appointment.public_id}/" in message.body
    html, mime = message.alternatives[0]
    assert mime == "text/html" and passport.instructions.replace("'", "&#x27;") in html
    (event,) = calendar_of(message).walk("VEVENT")
    assert event.decoded("dtstart") == THURSDAY_NINE and str(event["status"]) == "CONFIRMED"
    assert Notification.objects.filter(event="appointment_confirmed", channel="space", recipient=alice).exists()


def test_the_calendar_file_is_in_local_time_with_its_time_zone(appointment):
    text = mail.outbox[0].attachments[0][1]
    text = text.decode() if isinstance(text, bytes) else text
    assert "DTSTART;TZID=Europe/Paris:20270304T090000" in text
    assert "BEGIN:VTIMEZONE" in text and "TZID:Europe/Paris" in text
    # read through its own VTIMEZONE (a known TZID would be read from the system's database instead)
    renamed = Calendar.from_ical(text.replace("Europe/Paris", "Europe/Beaulieu"))
    start = renamed.walk("VEVENT")[0].decoded("dtstart")
    assert start == THURSDAY_NINE and start.utcoffset() == datetime.timedelta(hours=1)


def test_a_summer_appointment_is_at_its_local_time_too(now, passport, town_hall, eve, sent):
    summer = at("2027-05-03", "09:00")
    sent(lambda: appointment_book(type=passport, agenda=town_hall, start=summer, citizen=eve))
    (event,) = calendar_of(mail.outbox[0]).walk("VEVENT")
    assert event.decoded("dtstart") == summer and event.decoded("dtstart").astimezone(PARIS).hour == 9


def test_a_cancellation_is_confirmed_and_removes_the_event_from_calendars(appointment, alice, sent):
    sent(lambda: appointment_cancel(appointment=appointment, actor=alice))
    message = mail.outbox[-1]
    assert Notification.objects.get(event="appointment_cancelled", channel="email").subject == message.subject
    assert "Demande de passeport" in message.subject and "4 mars" in message.subject
    (first,), (cancelled,) = calendar_of(mail.outbox[0]).walk("VEVENT"), calendar_of(message).walk("VEVENT")
    assert str(cancelled["uid"]) == str(first["uid"])
    assert (str(cancelled["status"]), cancelled["sequence"]) == ("CANCELLED", 1)


def test_an_agents_cancellation_gives_its_reason_even_to_a_citizen_who_turned_emails_off(appointment, alice, bob, sent):
    User.objects.filter(pk=alice.pk).update(notify_by_email=False)
    appointment.citizen.refresh_from_db()
    sent(lambda: appointment_cancel(appointment=appointment, actor=bob, reason="Fermeture exceptionnelle du guichet"))
    message = mail.outbox[-1]
    assert message.to == [alice.email] and "Fermeture exceptionnelle du guichet" in message.body


def test_a_move_tells_the_new_time_and_updates_the_same_event(appointment, alice, sent):
    sent(lambda: appointment_move(appointment=appointment, start=FRIDAY_TEN, actor=alice))
    message = mail.outbox[-1]
    assert "vendredi 5 mars 2027" in message.body and "10:00" in message.body and "jeudi 4 mars" in message.body
    (first,), (moved,) = calendar_of(mail.outbox[0]).walk("VEVENT"), calendar_of(message).walk("VEVENT")
    assert str(moved["uid"]) == str(first["uid"]) and moved["sequence"] == 1
    assert moved.decoded("dtstart") == FRIDAY_TEN


def test_a_citizen_who_turned_emails_off_is_told_in_their_space_and_no_file_is_kept(now, passport, town_hall, alice):
    User.objects.filter(pk=alice.pk).update(notify_by_email=False)
    alice.refresh_from_db()
    appointment_book(type=passport, agenda=town_hall, start=THURSDAY_NINE, citizen=alice)
    assert list(Notification.objects.values_list("channel", flat=True)) == ["space"]
    assert not StoredFile.objects.exists()


def test_a_refused_booking_tells_nothing(appointment, passport, town_hall, eve):
    with pytest.raises(Exception):  # noqa: B017 - the slot is alice's
        appointment_book(type=passport, agenda=town_hall, start=THURSDAY_NINE, citizen=eve)
    assert not Notification.objects.filter(recipient=eve).exists()


# Reminders


def test_the_reminder_goes_48_hours_before_by_email_and_text_message_once(
    appointment, alice_by_sms, sms_outbox, sent, time_machine
):
    assert sent(lambda: appointment_reminders_send(now=at("2027-03-02", "08:59"))) == 0
    time_machine.move_to(at("2027-03-02", "09:00"), tick=False)
    assert sent(lambda: appointment_reminders_send(now=at("2027-03-02", "09:00"))) == 1
    assert sent(lambda: appointment_reminders_send(now=at("2027-03-02", "09:10"))) == 0
    reminder = mail.outbox[-1]
    assert "Demande de passeport" in reminder.subject and "jeudi 4 mars" in reminder.subject
    assert reminder.attachments == []
    (text,) = sms_outbox
    assert text.to == "+33612345678"
    assert "04/03" in text.body and "09:00" in text.body and "Hôtel de ville, guichet 1" in text.body


def test_no_reminder_after_a_cancellation(appointment, alice, sent):
    appointment_cancel(appointment=appointment, actor=alice)
    assert appointment_reminders_send(now=at("2027-03-02", "09:00")) == 0
    assert not Notification.objects.filter(event="appointment_reminder").exists()


def test_a_reminder_not_delivered_yet_is_withdrawn_when_the_appointment_is_cancelled(appointment, alice, sent):
    """Claimed, then its email failed (or waits for a retry): the cancellation withdraws it, it never goes."""
    assert appointment_reminders_send(now=at("2027-03-02", "09:00")) == 1  # its sending task not run
    reminder = Notification.objects.get(event="appointment_reminder", channel="email")
    sent(lambda: appointment_cancel(appointment=appointment, actor=alice))
    reminder.refresh_from_db()
    assert reminder.status == Notification.Status.WITHDRAWN
    assert notification_send(notification_id=reminder.pk) is None
    assert [m.subject.split(" ")[0] for m in mail.outbox] == ["Rendez-vous", "Rendez-vous"]  # booked, cancelled
    assert Notification.objects.get(event="appointment_cancelled", channel="email").status == "sent"


def test_the_calendar_file_made_by_the_portal_does_not_wait_for_the_antivirus(
    now, passport, town_hall, eve, sent, settings
):
    settings.CLAMAV_ENABLED = True  # no daemon needed: the file the portal wrote is not scanned
    sent(lambda: appointment_book(type=passport, agenda=town_hall, start=FRIDAY_TEN, citizen=eve))
    (message,) = mail.outbox
    assert calendar_of(message)
    assert StoredFile.objects.get().scan == StoredFile.Scan.GENERATED


def test_a_reminder_tells_the_time_the_appointment_has_now(appointment, alice, time_machine, sent):
    """Moved between the listing and the claim: the reminder says the new time (read once claimed)."""
    later = at("2027-03-03", "09:00")
    appointment_move(appointment=appointment, start=later, actor=alice)
    sent(lambda: appointment_reminders_send(now=at("2027-03-02", "09:00")))
    assert "mercredi 3 mars" in mail.outbox[-1].subject


def test_the_scheduled_task_sends_the_reminders_due(appointment, time_machine, sent):
    time_machine.move_to(at("2027-03-02", "12:00"), tick=False)
    sent(tasks.appointment_reminders_task)
    assert Appointment.objects.get(pk=appointment.pk).reminded_at is not None
    assert settings.CELERY_BEAT_SCHEDULE["remind-appointments-48-hours-before"]["task"] == (
        "appointments.tasks.appointment_reminders_task"
    )


# Earlier slots


def test_a_citizen_waiting_for_an_earlier_slot_is_told_when_a_cancellation_frees_one(
    now, passport, town_hall, alice, eve, sent
):
    later = appointment_book(type=passport, agenda=town_hall, start=FRIDAY_TEN, citizen=alice)
    earlier = appointment_book(type=passport, agenda=town_hall, start=THURSDAY_NINE, citizen=eve)
    earlier_slot_alert_register(appointment=later, citizen=alice, any_agenda=False)
    mail.outbox.clear()
    sent(lambda: appointment_cancel(appointment=earlier, actor=eve))
    (told,) = Notification.objects.filter(event="earlier_slot_available", channel="email")
    assert told.recipient == alice
    assert told.url == f"/rendez-vous/passeport/?deplacer={later.public_id}&lieu={town_hall.pk}&semaine=2027-03-04"
    message = next(message for message in mail.outbox if message.to == [alice.email])
    assert "jeudi 4 mars" in message.body and settings.SITE_URL + told.url in message.body


def test_a_citizen_who_moves_later_is_not_told_of_the_slot_they_left(now, passport, town_hall, alice, sent):
    appointment = appointment_book(type=passport, agenda=town_hall, start=THURSDAY_NINE, citizen=alice)
    earlier_slot_alert_register(appointment=appointment, citizen=alice, any_agenda=False)
    appointment_move(appointment=appointment, start=FRIDAY_TEN, actor=alice)
    assert not Notification.objects.filter(event="earlier_slot_available").exists()
    assert appointment.earlier_slot_alert.last_alerted_at is None

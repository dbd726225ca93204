"""What the notification layer will send: reminders 48 hours before, and alerts of an earlier slot freed up."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from appointments.models import Appointment
from appointments.services import (
    appointment_book,
    appointment_cancel,
    appointment_move,
    appointment_reminder_claim,
    appointments_due_for_reminder,
    earlier_slot_alert_delete,
    earlier_slot_alert_register,
    earlier_slot_alerts_claim,
)
from tests.appointments.conftest import at

FRIDAY_TEN = at("2027-03-05", "10:00")


@pytest.fixture
def appointment(now, passport, town_hall, alice) -> Appointment:
    """alice's appointment on Friday 5 March 2027 at 10:00, booked on Monday 1 March."""
    return appointment_book(type=passport, agenda=town_hall, start=FRIDAY_TEN, citizen=alice)


def due(moment: datetime.datetime) -> list[Appointment]:
    return list(appointments_due_for_reminder(now=moment))


def test_the_reminder_is_due_48_hours_before_and_claimed_once(appointment):
    assert due(at("2027-03-03", "09:59")) == []
    when = at("2027-03-03", "10:00")
    assert due(when) == [appointment]
    assert appointment_reminder_claim(appointment=appointment, now=when) is True
    assert appointment_reminder_claim(appointment=appointment, now=when) is False
    assert due(at("2027-03-04", "10:00")) == []


def test_no_reminder_once_cancelled(appointment, alice):
    appointment_cancel(appointment=appointment, actor=alice)
    when = at("2027-03-03", "12:00")
    assert due(when) == []
    assert appointment_reminder_claim(appointment=appointment, now=when) is False


def test_an_appointment_cancelled_after_being_listed_is_not_reminded(appointment, alice):
    when = at("2027-03-03", "12:00")
    listed = due(when)
    appointment_cancel(appointment=appointment, actor=alice)
    assert appointment_reminder_claim(appointment=listed[0], now=when) is False


def test_no_reminder_for_an_appointment_booked_within_48_hours(now, passport, town_hall, eve):
    soon = appointment_book(type=passport, agenda=town_hall, start=at("2027-03-02", "09:00"), citizen=eve)
    assert soon not in due(now)


def test_a_moved_appointment_is_reminded_again_for_its_new_time(appointment, alice, time_machine):
    appointment_reminder_claim(appointment=appointment, now=at("2027-03-03", "10:00"))
    time_machine.move_to(at("2027-03-03", "10:05"), tick=False)
    moved = appointment_move(appointment=appointment, start=at("2027-03-08", "10:00"), actor=alice)
    assert moved.reminded_at is None
    assert due(at("2027-03-06", "10:00")) == [moved]


@pytest.fixture
def eves_earlier(now, passport, town_hall, eve) -> Appointment:
    return appointment_book(type=passport, agenda=town_hall, start=at("2027-03-03", "09:00"), citizen=eve)


def _freed(appointment: Appointment) -> None:
    """Cancelled behind the services' back, so that the claim is tested alone (appointment_cancel claims and tells
    the waiting citizens itself: see tests/appointments/test_notifications.py)."""
    Appointment.objects.filter(pk=appointment.pk).update(status=Appointment.Status.CANCELLED)


def test_a_citizen_waiting_for_an_earlier_slot_is_told_when_one_frees_up(appointment, alice, eve, eves_earlier, now):
    alert = earlier_slot_alert_register(appointment=appointment, citizen=alice, any_agenda=False)
    _freed(eves_earlier)
    assert earlier_slot_alerts_claim(agenda=eves_earlier.agenda, start=eves_earlier.start, end=eves_earlier.end) == [
        alert
    ]
    alert.refresh_from_db()
    assert alert.last_alerted_at == now


def test_an_alert_is_told_at_most_once_a_day(appointment, alice, eve, eves_earlier, passport, town_hall, now):
    earlier_slot_alert_register(appointment=appointment, citizen=alice, any_agenda=False)
    _freed(eves_earlier)
    freed = {"agenda": town_hall, "start": eves_earlier.start, "end": eves_earlier.end}
    assert len(earlier_slot_alerts_claim(**freed)) == 1
    assert earlier_slot_alerts_claim(**freed, now=now + datetime.timedelta(hours=23)) == []
    assert len(earlier_slot_alerts_claim(**freed, now=now + datetime.timedelta(hours=24))) == 1


def test_nobody_is_told_of_a_slot_later_than_their_appointment(appointment, alice, eve, passport, town_hall):
    later = appointment_book(type=passport, agenda=town_hall, start=at("2027-03-08", "09:00"), citizen=eve)
    earlier_slot_alert_register(appointment=appointment, citizen=alice, any_agenda=False)
    appointment_cancel(appointment=later, actor=eve)
    assert earlier_slot_alerts_claim(agenda=town_hall, start=later.start, end=later.end) == []


def test_nobody_is_told_of_a_slot_taken_again_or_too_soon_to_book(appointment, alice, eve, eves_earlier, bob, now):
    earlier_slot_alert_register(appointment=appointment, citizen=alice, any_agenda=False)
    freed = {"agenda": eves_earlier.agenda, "start": eves_earlier.start, "end": eves_earlier.end}
    assert earlier_slot_alerts_claim(**freed) == []  # still eve's
    appointment_cancel(appointment=eves_earlier, actor=eve)
    assert earlier_slot_alerts_claim(**freed, now=at("2027-03-03", "08:00")) == []  # within the 2 hours' notice


def test_an_alert_covers_the_other_agendas_of_the_department_only_when_asked(appointment, alice, eve, passport, annexe):
    at_the_annexe = appointment_book(type=passport, agenda=annexe, start=at("2027-03-03", "09:00"), citizen=eve)
    appointment_cancel(appointment=at_the_annexe, actor=eve)
    freed = {"agenda": annexe, "start": at_the_annexe.start, "end": at_the_annexe.end}
    earlier_slot_alert_register(appointment=appointment, citizen=alice, any_agenda=False)
    assert earlier_slot_alerts_claim(**freed) == []
    earlier_slot_alert_register(appointment=appointment, citizen=alice, any_agenda=True)
    assert len(earlier_slot_alerts_claim(**freed)) == 1


def test_no_alert_for_a_cancelled_appointment_or_once_withdrawn(appointment, alice, eve, eves_earlier):
    earlier_slot_alert_register(appointment=appointment, citizen=alice, any_agenda=False)
    earlier_slot_alert_delete(appointment=appointment, citizen=alice)
    appointment_cancel(appointment=eves_earlier, actor=eve)
    freed = {"agenda": eves_earlier.agenda, "start": eves_earlier.start, "end": eves_earlier.end}
    assert earlier_slot_alerts_claim(**freed) == []
    earlier_slot_alert_register(appointment=appointment, citizen=alice, any_agenda=False)
    appointment_cancel(appointment=appointment, actor=alice)
    assert earlier_slot_alerts_claim(**freed) == []


def test_only_the_citizen_registers_an_alert_on_their_appointment(appointment, eve):
    with pytest.raises(PermissionDenied):
        earlier_slot_alert_register(appointment=appointment, citizen=eve, any_agenda=False)

"""iCalendar files: local times with their VTIMEZONE, a stable UID, and the agendas' feeds behind a secret token."""

import datetime
import uuid

import pytest
from icalendar import Calendar

from appointments.calendars import agenda_feed_ics, appointment_ics
from appointments.models import Appointment
from appointments.services import agenda_feed_token_regenerate, appointment_book, appointment_cancel, appointment_move
from tests.appointments.conftest import at, booked


@pytest.fixture
def summer_appointment(passport, town_hall, alice, time_machine) -> Appointment:
    time_machine.move_to(at("2027-06-01", "08:00"), tick=False)
    return appointment_book(type=passport, agenda=town_hall, start=at("2027-06-02", "09:00"), citizen=alice)


def event_of(ics: bytes):
    events = Calendar.from_ical(ics).events
    assert len(events) == 1
    return events[0]


def with_vtimezone_only(ics: bytes) -> bytes:
    """The file with its time zone renamed: a known TZID is read from the time zone database, an unknown one from
    the VTIMEZONE. icalendar keeps the time zones it parsed by name, hence a new name each time."""
    return ics.replace(b"Europe/Paris", f"Mairie/Beaulieu-{uuid.uuid4().hex}".encode())


def test_the_ics_of_an_appointment_parses_with_its_local_times_and_a_vtimezone(summer_appointment):
    ics = appointment_ics(appointment=summer_appointment)
    calendar = Calendar.from_ical(ics)
    assert [timezone.tz_name for timezone in calendar.timezones] == ["Europe/Paris"]
    event = event_of(ics)
    assert b"DTSTART;TZID=Europe/Paris:20270602T090000" in ics
    assert event.start == at("2027-06-02", "09:00") and event.end == at("2027-06-02", "09:20")
    assert event.start.tzinfo.key == "Europe/Paris"
    assert event["SUMMARY"] == "Demande de passeport"
    assert event["LOCATION"] == "Hôtel de ville, guichet 1, 1 place de la Mairie 45630 Beaulieu-sur-Loire"
    assert event["DESCRIPTION"] == "Apportez votre pré-demande ANTS et une photo d'identité."
    assert event["STATUS"] == "CONFIRMED"


def test_the_vtimezone_gives_the_summer_offset_by_itself(summer_appointment):
    start = event_of(with_vtimezone_only(appointment_ics(appointment=summer_appointment))).start
    assert (start.hour, start.utcoffset()) == (9, datetime.timedelta(hours=2))


def test_a_winter_appointment_is_at_its_local_time_too(now, passport, town_hall, alice):
    appointment = appointment_book(type=passport, agenda=town_hall, start=at("2027-03-03", "09:00"), citizen=alice)
    start = event_of(with_vtimezone_only(appointment_ics(appointment=appointment))).start
    assert (start.hour, start.utcoffset()) == (9, datetime.timedelta(hours=1))


def test_a_moved_or_cancelled_appointment_keeps_its_uid_with_a_higher_sequence(summer_appointment, alice):
    first = event_of(appointment_ics(appointment=summer_appointment))
    moved = appointment_move(appointment=summer_appointment, start=at("2027-06-03", "10:00"), actor=alice)
    second = event_of(appointment_ics(appointment=moved))
    cancelled = event_of(appointment_ics(appointment=appointment_cancel(appointment=moved, actor=alice)))
    assert first["UID"] == second["UID"] == cancelled["UID"]
    assert [first["SEQUENCE"], second["SEQUENCE"], cancelled["SEQUENCE"]] == [0, 1, 2]
    assert second.start == at("2027-06-03", "10:00")
    assert cancelled["STATUS"] == "CANCELLED"


def test_an_agendas_feed_lists_its_appointments_but_not_cancelled_ones_nor_other_agendas(
    now, passport, town_hall, annexe, alice, eve, bob
):
    booked(town_hall, passport, alice, at("2027-03-03", "09:00"))
    booked(town_hall, passport, eve, at("2027-03-03", "09:20"), status=Appointment.Status.CANCELLED)
    booked(town_hall, passport, bob, at("2027-01-04", "09:00"))  # two months ago
    booked(annexe, passport, eve, at("2027-03-03", "09:00"))
    calendar = Calendar.from_ical(agenda_feed_ics(agenda=town_hall))
    assert [event["SUMMARY"] for event in calendar.events] == ["Demande de passeport — Alice Martin"]
    assert calendar.timezones[0].tz_name == "Europe/Paris"


def test_an_empty_feed_is_still_a_valid_calendar(now, town_hall):
    assert Calendar.from_ical(agenda_feed_ics(agenda=town_hall)).events == []


def test_the_feed_token_is_secret_and_regenerated_on_demand(town_hall, annexe):
    assert len(town_hall.feed_token) >= 40 and town_hall.feed_token != annexe.feed_token
    old = town_hall.feed_token
    agenda_feed_token_regenerate(agenda=town_hall)
    town_hall.refresh_from_db()
    assert town_hall.feed_token != old

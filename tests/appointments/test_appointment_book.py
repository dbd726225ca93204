"""appointment_book: only slots the rules offer, the type's rules, who may book, the limit per citizen."""

import psycopg
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, OperationalError

from appointments.models import Appointment, AppointmentType, Closure
from appointments.services import SLOT_UNAVAILABLE, appointment_book
from teleservices import services as teleservices_services
from tests.appointments.conftest import at, booked, local

WEDNESDAY_NINE = at("2027-03-03", "09:00")


def refused(**booking) -> str:
    """The code of the refusal of this booking."""
    with pytest.raises(ValidationError) as refusal:
        appointment_book(**booking)
    return refusal.value.code


def test_a_citizen_books_a_free_slot_and_gets_its_first_desk(now, passport, town_hall, alice):
    appointment = appointment_book(type=passport, agenda=town_hall, start=WEDNESDAY_NINE, citizen=alice)
    appointment.refresh_from_db()
    assert (appointment.status, appointment.desk, appointment.booked_by) == (Appointment.Status.BOOKED, 0, None)
    assert (local(appointment.start), local(appointment.end)) == ("2027-03-03 09:00", "2027-03-03 09:20")


@pytest.mark.parametrize(
    "start",
    [at("2027-03-03", "09:10"), at("2027-03-06", "09:00"), at("2027-03-03", "12:00"), at("2027-03-29", "09:00")],
    ids=["off-the-grid", "saturday", "after-closing", "easter-monday"],
)
def test_a_time_the_rules_do_not_offer_is_refused(now, passport, town_hall, alice, start):
    assert refused(type=passport, agenda=town_hall, start=start, citizen=alice) == SLOT_UNAVAILABLE
    assert not Appointment.objects.exists()


def test_a_closed_slot_is_refused(now, passport, town_hall, alice):
    Closure.objects.create(agenda=town_hall, start=at("2027-03-03"), end=at("2027-03-04"), reason="Formation")
    assert refused(type=passport, agenda=town_hall, start=WEDNESDAY_NINE, citizen=alice) == SLOT_UNAVAILABLE


def test_a_type_the_agendas_rules_do_not_take_is_refused(now, identity_card, town_hall, alice):
    assert refused(type=identity_card, agenda=town_hall, start=WEDNESDAY_NINE, citizen=alice) == SLOT_UNAVAILABLE


def test_a_full_slot_is_refused(now, passport, town_hall, alice, eve):
    appointment_book(type=passport, agenda=town_hall, start=WEDNESDAY_NINE, citizen=alice)
    assert refused(type=passport, agenda=town_hall, start=WEDNESDAY_NINE, citizen=eve) == SLOT_UNAVAILABLE


def test_a_slot_within_the_minimum_notice_is_refused_online_but_an_agent_may_book_it(
    now, passport, town_hall, alice, bob
):
    soon = at("2027-03-01", "09:00")  # in one hour; the type asks for two
    assert refused(type=passport, agenda=town_hall, start=soon, citizen=alice) == SLOT_UNAVAILABLE
    appointment = appointment_book(type=passport, agenda=town_hall, start=soon, citizen=alice, booked_by=bob)
    assert appointment.booked_by == bob


def test_a_slot_beyond_the_horizon_is_refused(now, passport, town_hall, alice):
    far = at("2027-06-01", "09:00")  # 92 days ahead
    assert refused(type=passport, agenda=town_hall, start=far, citizen=alice) == SLOT_UNAVAILABLE


def test_a_citizen_may_hold_only_the_types_number_of_upcoming_appointments(now, passport, town_hall, alice):
    appointment_book(type=passport, agenda=town_hall, start=WEDNESDAY_NINE, citizen=alice)
    thursday = {"type": passport, "agenda": town_hall, "start": at("2027-03-04", "09:00"), "citizen": alice}
    assert refused(**thursday) == "limit"
    passport.max_upcoming = 2
    assert appointment_book(**thursday).citizen == alice


def test_past_and_cancelled_appointments_do_not_count_against_the_limit(now, passport, town_hall, alice):
    booked(town_hall, passport, alice, at("2027-02-24", "09:00"))
    booked(town_hall, passport, alice, at("2027-03-05", "09:00"), status=Appointment.Status.CANCELLED)
    assert appointment_book(type=passport, agenda=town_hall, start=WEDNESDAY_NINE, citizen=alice)


def test_an_agents_only_type_is_booked_by_agents_only(now, passport, town_hall, alice, bob):
    passport.booking = AppointmentType.Booking.AGENTS
    with pytest.raises(PermissionDenied):
        appointment_book(type=passport, agenda=town_hall, start=WEDNESDAY_NINE, citizen=alice)
    assert appointment_book(type=passport, agenda=town_hall, start=WEDNESDAY_NINE, citizen=alice, booked_by=bob)


def test_a_type_for_identified_citizens_asks_for_franceconnect_online(now, passport, town_hall, alice, bob):
    passport.identified_only = True
    with pytest.raises(PermissionDenied):
        appointment_book(type=passport, agenda=town_hall, start=WEDNESDAY_NINE, citizen=alice)
    alice.identity_certified_at = now
    assert appointment_book(type=passport, agenda=town_hall, start=WEDNESDAY_NINE, citizen=alice)


def test_an_agent_of_another_department_cannot_book_on_the_agenda(now, passport, town_hall, alice, carol):
    with pytest.raises(PermissionDenied):
        appointment_book(type=passport, agenda=town_hall, start=WEDNESDAY_NINE, citizen=alice, booked_by=carol)


def test_an_inactive_type_is_refused(now, passport, town_hall, alice):
    passport.is_active = False
    assert refused(type=passport, agenda=town_hall, start=WEDNESDAY_NINE, citizen=alice) == SLOT_UNAVAILABLE


def test_an_appointment_may_be_linked_to_the_citizens_request_only(now, passport, town_hall, alice, eve, teleservices):
    case = teleservices_services.case_start(user=alice, teleservice=teleservices["acte-de-naissance"])
    booking = {"type": passport, "agenda": town_hall, "start": WEDNESDAY_NINE, "case": case}
    assert refused(**booking, citizen=eve) == "case"
    assert appointment_book(**booking, citizen=alice).case == case


def test_booking_costs_a_bounded_number_of_queries(now, passport, town_hall, alice, django_assert_max_num_queries):
    # and two savepoints (the desk's, and the test's transaction); then the confirmation: its calendar file (in a
    # savepoint), the organisation (for the subject), the notification rows and their attachment
    with django_assert_max_num_queries(7 + 4 + 7):
        appointment_book(type=passport, agenda=town_hall, start=WEDNESDAY_NINE, citizen=alice)


def _save_failing_once(monkeypatch, error: Exception) -> list[int]:
    """Appointment.save raises `error` on its first call (as PostgreSQL would), then saves; the desks tried."""
    save, tried = Appointment.save, []

    def save_failing_once(self, *args, **kwargs):
        tried.append(self.desk)
        if len(tried) == 1:
            raise error
        return save(self, *args, **kwargs)

    monkeypatch.setattr(Appointment, "save", save_failing_once)
    return tried


def test_a_booking_aborted_by_a_deadlock_with_another_takes_the_next_desk(now, passport, town_hall, alice, monkeypatch):
    """Two bookings inserting at the same instant may each wait for the other's row: PostgreSQL aborts one of the
    tries, rolled back to its savepoint, and the next desk is tried."""
    town_hall.rules.update(capacity=2)
    deadlock = OperationalError("deadlock detected")
    deadlock.__cause__ = psycopg.errors.DeadlockDetected("deadlock detected")
    tried = _save_failing_once(monkeypatch, deadlock)
    appointment = appointment_book(type=passport, agenda=town_hall, start=WEDNESDAY_NINE, citizen=alice)
    assert (tried, appointment.desk) == ([0, 1], 1)


def test_a_database_error_other_than_a_taken_desk_is_not_reported_as_a_full_slot(
    now, passport, town_hall, alice, monkeypatch
):
    town_hall.rules.update(capacity=2)
    error = IntegrityError("insert or update violates foreign key constraint")
    error.__cause__ = psycopg.errors.ForeignKeyViolation("violates foreign key constraint")
    _save_failing_once(monkeypatch, error)
    with pytest.raises(IntegrityError):
        appointment_book(type=passport, agenda=town_hall, start=WEDNESDAY_NINE, citizen=alice)

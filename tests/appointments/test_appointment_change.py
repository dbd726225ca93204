"""Cancelling, moving and marking appointments: deadlines, who may, the status machine, slots kept or freed."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from appointments.models import Appointment
from appointments.services import (
    SLOT_UNAVAILABLE,
    appointment_book,
    appointment_cancel,
    appointment_mark,
    appointment_move,
)
from appointments.slots import slots_for
from tests.appointments.conftest import at, booked, local

THURSDAY_NINE = at("2027-03-04", "09:00")


@pytest.fixture
def appointment(now, passport, town_hall, alice) -> Appointment:
    """alice's appointment on Thursday 4 March 2027 at 09:00 (booked on Monday 1 March at 08:00)."""
    return appointment_book(type=passport, agenda=town_hall, start=THURSDAY_NINE, citizen=alice)


def is_offered(agenda, type, start) -> bool:
    slots = slots_for(type=type, agendas=[agenda], start=start, end=start + datetime.timedelta(minutes=1))
    return bool(slots)


def code_of(error: pytest.ExceptionInfo[ValidationError]) -> str:
    return error.value.code


def test_a_citizen_cancels_before_the_deadline_and_the_slot_is_free_at_once(appointment, alice, passport, town_hall):
    cancelled = appointment_cancel(appointment=appointment, actor=alice)
    cancelled.refresh_from_db()
    assert (cancelled.status, cancelled.cancelled_by, cancelled.sequence) == (Appointment.Status.CANCELLED, alice, 1)
    assert is_offered(town_hall, passport, THURSDAY_NINE)


def test_a_citizen_cannot_cancel_after_the_deadline(appointment, alice, time_machine):
    time_machine.move_to(at("2027-03-03", "09:01"), tick=False)  # 23 h 59 before; the deadline is 24 h
    with pytest.raises(ValidationError) as refused:
        appointment_cancel(appointment=appointment, actor=alice)
    assert code_of(refused) == "deadline"
    assert Appointment.objects.get(pk=appointment.pk).status == Appointment.Status.BOOKED


def test_an_agent_cancels_at_any_time_giving_a_reason(appointment, bob, time_machine):
    time_machine.move_to(at("2027-03-04", "08:30"), tick=False)
    with pytest.raises(ValidationError) as refused:
        appointment_cancel(appointment=appointment, actor=bob, reason="  ")
    assert code_of(refused) == "reason"
    cancelled = appointment_cancel(appointment=appointment, actor=bob, reason="Guichet fermé : panne informatique")
    assert (cancelled.cancelled_by, cancelled.cancel_reason) == (bob, "Guichet fermé : panne informatique")


@pytest.mark.parametrize("persona", ["eve", "carol"])
def test_another_citizen_or_an_agent_of_another_department_cannot_cancel(appointment, persona, request):
    with pytest.raises(PermissionDenied):
        appointment_cancel(appointment=appointment, actor=request.getfixturevalue(persona), reason="Pour voir")


def test_a_cancelled_appointment_cannot_be_cancelled_again(appointment, alice):
    appointment_cancel(appointment=appointment, actor=alice)
    with pytest.raises(ValidationError) as refused:
        appointment_cancel(appointment=appointment, actor=alice)
    assert code_of(refused) == "transition"


def test_a_move_takes_the_new_slot_and_frees_the_old_one(appointment, alice, passport, town_hall):
    moved = appointment_move(appointment=appointment, start=at("2027-03-05", "10:00"), actor=alice)
    moved.refresh_from_db()
    assert (moved.pk, moved.public_id) == (appointment.pk, appointment.public_id)
    assert (local(moved.start), local(moved.end), moved.sequence) == ("2027-03-05 10:00", "2027-03-05 10:20", 1)
    assert is_offered(town_hall, passport, THURSDAY_NINE)
    assert not is_offered(town_hall, passport, at("2027-03-05", "10:00"))


def test_a_move_to_a_taken_slot_keeps_the_old_one(appointment, alice, eve, passport, town_hall):
    friday = at("2027-03-05", "10:00")
    appointment_book(type=passport, agenda=town_hall, start=friday, citizen=eve)
    with pytest.raises(ValidationError) as refused:
        appointment_move(appointment=appointment, start=friday, actor=alice)
    assert code_of(refused) == SLOT_UNAVAILABLE
    kept = Appointment.objects.get(pk=appointment.pk)
    assert (kept.start, kept.sequence) == (THURSDAY_NINE, 0)
    assert not is_offered(town_hall, passport, THURSDAY_NINE)


def test_a_move_to_another_agenda_of_the_department(appointment, alice, passport, town_hall, annexe):
    moved = appointment_move(appointment=appointment, start=THURSDAY_NINE, agenda=annexe, actor=alice)
    assert moved.agenda == annexe
    assert is_offered(town_hall, passport, THURSDAY_NINE)


def test_a_move_may_overlap_the_appointments_own_time(appointment, alice, town_hall):
    """The rule now opens at 09:10: the 09:10 slot overlaps alice's 09:00 appointment, which the move gives up."""
    town_hall.rules.update(start_time=datetime.time(9, 10))
    moved = appointment_move(appointment=appointment, start=at("2027-03-04", "09:10"), actor=alice)
    assert local(moved.start) == "2027-03-04 09:10"


def test_a_citizen_cannot_move_after_the_deadline_but_an_agent_can(appointment, alice, bob, time_machine):
    time_machine.move_to(at("2027-03-03", "10:00"), tick=False)
    with pytest.raises(ValidationError) as refused:
        appointment_move(appointment=appointment, start=at("2027-03-05", "09:00"), actor=alice)
    assert code_of(refused) == "deadline"
    assert local(appointment_move(appointment=appointment, start=at("2027-03-03", "11:00"), actor=bob).start) == (
        "2027-03-03 11:00"
    )


def test_a_citizen_moves_only_to_slots_offered_online(appointment, alice):
    with pytest.raises(ValidationError) as refused:
        appointment_move(appointment=appointment, start=at("2027-03-01", "09:00"), actor=alice)  # within the notice
    assert code_of(refused) == SLOT_UNAVAILABLE


def test_a_cancelled_appointment_cannot_be_moved(appointment, alice):
    appointment_cancel(appointment=appointment, actor=alice)
    with pytest.raises(ValidationError) as refused:
        appointment_move(appointment=appointment, start=at("2027-03-05", "09:00"), actor=alice)
    assert code_of(refused) == "transition"


def test_an_agent_marks_the_citizen_seen_or_missed_and_may_correct_it(appointment, bob, time_machine):
    time_machine.move_to(at("2027-03-04", "08:45"), tick=False)  # early, on the day
    with pytest.raises(ValidationError):
        appointment_mark(appointment=appointment, outcome=Appointment.Status.NO_SHOW, actor=bob)
    assert appointment_mark(appointment=appointment, outcome=Appointment.Status.SEEN, actor=bob).status == "seen"
    time_machine.move_to(at("2027-03-04", "09:30"), tick=False)
    assert appointment_mark(appointment=appointment, outcome=Appointment.Status.NO_SHOW, actor=bob).status == "no_show"


def test_an_appointment_is_not_marked_before_its_day(appointment, bob):
    with pytest.raises(ValidationError) as refused:
        appointment_mark(appointment=appointment, outcome=Appointment.Status.SEEN, actor=bob)
    assert code_of(refused) == "too_early"


def test_only_agents_of_the_department_mark_appointments(appointment, alice, carol, time_machine):
    time_machine.move_to(at("2027-03-04", "09:30"), tick=False)
    for persona in (alice, carol):
        with pytest.raises(PermissionDenied):
            appointment_mark(appointment=appointment, outcome=Appointment.Status.SEEN, actor=persona)


def test_a_cancelled_appointment_cannot_be_marked(passport, town_hall, eve, bob, now):
    cancelled = booked(town_hall, passport, eve, at("2027-03-01", "09:00"), status=Appointment.Status.CANCELLED)
    with pytest.raises(ValidationError) as refused:
        appointment_mark(appointment=cancelled, outcome=Appointment.Status.SEEN, actor=bob)
    assert code_of(refused) == "transition"

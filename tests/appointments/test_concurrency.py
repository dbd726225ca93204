"""No overbooking whatever the concurrency: real threads, each with its own PostgreSQL connection, racing to book.

The 100 bookings of a race are made by 100 threads released together (`make test` gives a local PostgreSQL the
connections it needs: see its postgres-connections target)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from appointments import services
from appointments.models import Appointment
from appointments.services import SLOT_UNAVAILABLE, appointment_book, appointment_move
from portal.models import User
from tests.appointments.conftest import at, booked

pytestmark = pytest.mark.django_db(transaction=True)
WORKERS = 100
NINE = at("2027-03-03", "09:00")


@dataclass
class Race:
    booked: list[Appointment] = field(default_factory=list)
    refused: list[ValidationError] = field(default_factory=list)
    failed: list[BaseException] = field(default_factory=list)
    seconds: float = 0.0


def race(attempts: list[Callable[[], Appointment]], workers: int = WORKERS) -> Race:
    """Run the attempts on `workers` threads released together; each thread closes its connection at the end."""
    result, lock, barrier = Race(), threading.Lock(), threading.Barrier(workers)

    def work(mine: list[Callable[[], Appointment]]) -> None:
        try:
            barrier.wait()
            for attempt in mine:
                try:
                    outcome: Appointment | ValidationError = attempt()
                except ValidationError as refusal:
                    outcome = refusal
                with lock:
                    (result.refused if isinstance(outcome, ValidationError) else result.booked).append(outcome)
        except BaseException as error:  # noqa: BLE001 (reported by the test)
            result.failed.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(attempts[n::workers],)) for n in range(workers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    return result


def citizens(count: int) -> list[User]:
    return User.objects.bulk_create(User(email=f"usager{n}@example.org", last_name=f"Usager {n}") for n in range(count))


def bookings_of_the_slot(type, agenda, count: int = WORKERS) -> list[Callable[[], Appointment]]:
    """`count` citizens booking the 09:00 slot."""
    return [
        lambda citizen=citizen: appointment_book(type=type, agenda=agenda, start=NINE, citizen=citizen)
        for citizen in citizens(count)
    ]


def test_100_concurrent_bookings_of_a_one_desk_slot_make_exactly_one(now, passport, town_hall):
    outcome = race(bookings_of_the_slot(passport, town_hall))
    assert outcome.failed == []
    assert (len(outcome.booked), len(outcome.refused)) == (1, 99)
    assert {refusal.code for refusal in outcome.refused} == {SLOT_UNAVAILABLE}
    assert Appointment.objects.filter(start=NINE).count() == 1
    assert outcome.seconds < 10


def test_100_concurrent_bookings_of_a_three_desk_slot_make_exactly_three(now, passport, town_hall):
    town_hall.rules.update(capacity=3)
    outcome = race(bookings_of_the_slot(passport, town_hall))
    assert outcome.failed == []
    assert (len(outcome.booked), len(outcome.refused)) == (3, 97)
    assert {refusal.code for refusal in outcome.refused} == {SLOT_UNAVAILABLE}
    assert sorted(Appointment.objects.filter(start=NINE).values_list("desk", flat=True)) == [0, 1, 2]


def test_the_database_refuses_the_overbookings_that_every_check_let_through(now, passport, town_hall, monkeypatch):
    """Every booker passes the checks before anyone writes (they wait for each other just before the insert): the
    exclusion constraint alone then lets exactly one through."""
    all_checked = threading.Barrier(WORKERS)
    desk_take = services._desk_take

    def desk_take_once_all_checked(*args, **kwargs):
        all_checked.wait()
        return desk_take(*args, **kwargs)

    monkeypatch.setattr(services, "_desk_take", desk_take_once_all_checked)
    outcome = race(bookings_of_the_slot(passport, town_hall, WORKERS))
    assert outcome.failed == []
    assert (len(outcome.booked), len(outcome.refused)) == (1, WORKERS - 1)
    assert Appointment.objects.filter(start=NINE).count() == 1


def test_one_citizen_racing_for_20_slots_with_a_limit_of_one_gets_one(now, passport, town_hall, annexe, alice):
    times = ("09:00", "09:20", "09:40", "10:00", "10:20")
    slots = [
        (agenda, at(day, time))
        for agenda in (town_hall, annexe)
        for day in ("2027-03-03", "2027-03-04")
        for time in times
    ]
    attempts = [
        lambda agenda=agenda, start=start: appointment_book(type=passport, agenda=agenda, start=start, citizen=alice)
        for agenda, start in slots
    ]
    outcome = race(attempts)
    assert outcome.failed == []
    assert (len(outcome.booked), len(outcome.refused)) == (1, 19)
    assert {refusal.code for refusal in outcome.refused} == {"limit"}
    assert Appointment.objects.for_citizen(alice).count() == 1


def test_concurrent_moves_to_one_free_slot_move_one_appointment_and_keep_the_others(now, passport, town_hall):
    slots = [at("2027-03-04", "09:00"), at("2027-03-05", "09:00")] + [
        at(day, f"{hour}:{minute}")
        for day in ("2027-03-08", "2027-03-09")
        for hour in ("09", "10", "11")
        for minute in ("00", "20", "40")
    ]
    people = citizens(len(slots))
    held = [booked(town_hall, passport, person, start) for person, start in zip(people, slots, strict=True)]
    moves = [
        lambda appointment=appointment: appointment_move(appointment=appointment, start=NINE, actor=appointment.citizen)
        for appointment in held
    ]
    outcome = race(moves, workers=len(moves))
    assert outcome.failed == []
    assert (len(outcome.booked), len(outcome.refused)) == (1, len(moves) - 1)
    moved = outcome.booked[0]
    for appointment in held:
        appointment.refresh_from_db()
        assert appointment.start == (NINE if appointment.pk == moved.pk else slots[held.index(appointment)])

"""Slot search latency and concurrent booking throughput, in-process against PostgreSQL (no web server: what is
measured is slots_for and appointment_book, which the pages call).

A new database (`gru_bench_appointments`) at each run: 20 agendas with a town hall's opening hours and 1 to 3 desks,
one 20-minute type, and 5,000 appointments spread over the next 90 days. Then:
  - slot search: `slots_for` over 90 days across the 20 agendas (the agendas read with `Agenda.objects.offering`,
    as a page would), `--searches` times; median and 95th percentile (target: p95 ≤ 50 ms), as in a web worker
    (gru.wsgi freezes what it loaded out of the garbage collector's sight), then without that freeze, for
    comparison;
  - booking: `--bookers` threads (each with its own connection) booking at once, each citizen once, on the slots of
    the next days, where they collide; bookings per second, refusals, and a check that no slot holds more
    appointments than desks;
  - booking over HTTP: gunicorn (2 workers) on loopback, wrk with `--bookers` connections posting the booking page,
    each request as another signed-in citizen, for `--duration` seconds; then the same check.
Usage:
    .venv/bin/python bench/appointments.py [--searches 300] [--bookers 50] [--attempts 40] [--duration 10]
"""

from __future__ import annotations

import argparse
import datetime
import gc
import os
import random
import statistics
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ.setdefault("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/gru_bench_appointments")
AGENDAS = 20
APPOINTMENTS = 5_000
HORIZON = datetime.timedelta(days=90)
# A town hall's week: mornings Monday to Friday, afternoons but Wednesday's, Saturday mornings.
RULES = [([0, 1, 2, 3, 4], "08:30", "12:00"), ([0, 1, 3, 4], "13:30", "17:00"), ([5], "09:00", "12:00")]


def seed(citizens: int) -> Any:
    """The agendas, the type, the citizens, and APPOINTMENTS appointments on random free desks of the 90 days."""
    from appointments.models import Agenda, Appointment, AppointmentType, OpeningRule
    from appointments.slots import slots_for
    from bench.run import analyse
    from gru.models import Department, Organisation
    from portal.models import User

    organisation = Organisation.objects.create(name="Ville de Beaulieu-sur-Loire")
    department = Department.objects.create(organisation=organisation, name="État civil", slug="etat-civil")
    type = AppointmentType.objects.create(slug="passeport", label="Passeport", duration_minutes=20, max_upcoming=1)
    agendas = Agenda.objects.bulk_create(
        Agenda(department=department, name=f"Guichet {n + 1}", place=f"Mairie, guichet {n + 1}") for n in range(AGENDAS)
    )
    for n, agenda in enumerate(agendas):
        for weekdays, opens, closes in RULES:
            rule = OpeningRule.objects.create(
                agenda=agenda,
                weekdays=weekdays,
                start_time=datetime.time.fromisoformat(opens),
                end_time=datetime.time.fromisoformat(closes),
                capacity=1 + n % 3,
            )
            rule.types.add(type)
    users = User.objects.bulk_create(
        User(email=f"usager{n}@example.org", last_name=f"Usager {n}") for n in range(APPOINTMENTS + citizens)
    )
    now = datetime.datetime.now(datetime.UTC)
    desks = [
        (slot, desk)
        for slot in slots_for(type=type, agendas=agendas, start=now, end=now + HORIZON)
        for desk in range(slot.capacity)
    ]
    chosen = random.Random(2027).sample(desks, APPOINTMENTS)  # noqa: S311 (a reproducible spread, not a secret)
    Appointment.objects.bulk_create(
        Appointment(type=type, agenda=slot.agenda, citizen=user, start=slot.start, end=slot.end, desk=desk)
        for (slot, desk), user in zip(chosen, users, strict=False)
    )
    analyse()
    return type, users[APPOINTMENTS:]


def search(type: Any, count: int) -> dict[str, float]:
    from appointments.models import Agenda
    from appointments.slots import slots_for

    durations, cpu, found = [], [], 0
    for _ in range(count):
        started, started_cpu = time.perf_counter(), time.process_time()
        now = datetime.datetime.now(datetime.UTC)
        found = len(slots_for(type=type, agendas=Agenda.objects.offering(type), start=now, end=now + HORIZON))
        durations.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    quantiles = statistics.quantiles(durations, n=100)
    return {
        "searches": count,
        "slots": found,
        "p50_ms": round(quantiles[49], 1),
        "p95_ms": round(quantiles[94], 1),
        "python_cpu_p50_ms": round(statistics.median(cpu), 1),
    }


def book(type: Any, citizens: list[Any], bookers: int, attempts: int) -> dict[str, Any]:
    """`bookers` threads released together, each booking `attempts` times (a new citizen each time) a random slot
    among those of the next days, so that they collide."""
    from django.core.exceptions import ValidationError
    from django.db import connection

    from appointments.models import Agenda
    from appointments.services import appointment_book
    from appointments.slots import slots_for

    now = datetime.datetime.now(datetime.UTC)
    agendas = list(Agenda.objects.all())
    targets = slots_for(type=type, agendas=agendas, start=now, end=now + datetime.timedelta(days=4))
    barrier, lock = threading.Barrier(bookers), threading.Lock()
    outcomes: Counter[str] = Counter()

    def work(n: int) -> None:
        picker = random.Random(n)  # noqa: S311 (reproducible choices)
        try:
            barrier.wait()
            for citizen in citizens[n * attempts : (n + 1) * attempts]:
                slot = picker.choice(targets)
                try:
                    appointment_book(type=type, agenda=slot.agenda, start=slot.start, citizen=citizen)
                    outcome = "booked"
                except ValidationError:
                    outcome = "refused"
                with lock:
                    outcomes[outcome] += 1
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(bookers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    return {
        "bookers": bookers,
        "slots_targeted": len(targets),
        "attempts": bookers * attempts,
        "booked": outcomes["booked"],
        "refused": outcomes["refused"],
        "seconds": round(seconds, 2),
        "attempts_per_second": round(bookers * attempts / seconds, 1),
        "bookings_per_second": round(outcomes["booked"] / seconds, 1),
        "overbooked_slots": overbooked(),
    }


def book_over_http(type: Any, citizens: list[Any], bookers: int, duration: int) -> dict[str, Any]:
    """wrk posting the booking page of random slots of the four days after those the threads booked, a new citizen
    at each request."""
    import tempfile

    from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret
    from django.urls import reverse

    from appointments.models import Agenda, Appointment
    from appointments.slots import slots_for
    from bench.run import free_port, load, serve, session_of, stop

    start = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=4)
    end = start + datetime.timedelta(days=4)
    targets = slots_for(type=type, agendas=list(Agenda.objects.all()), start=start, end=end)
    picker = random.Random(2028)  # noqa: S311 (reproducible choices)
    url = reverse("appointments:book", args=[type.slug])
    lines = []
    for citizen in citizens:
        slot = picker.choice(targets)
        lines.append(f"{url}?creneau={slot.agenda.pk}-{int(slot.start.timestamp())}\t{session_of(citizen)}")
    secret = _get_new_csrf_string()
    before = Appointment.objects.occupying().count()
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as paths:
        paths.write("\n".join(lines))
        paths.flush()
        port = free_port()
        server = serve(port)
        try:
            script = [str(ROOT / "bench/book.lua"), paths.name, "2", secret, _mask_cipher_secret(secret)]
            result = load(
                f"http://127.0.0.1:{port}/", duration=duration, connections=bookers, headers=[], script=script
            )
        finally:
            stop(server)
    booked = Appointment.objects.occupying().count() - before
    return {
        "bookers": bookers,
        "slots_targeted": len(targets),
        "requests_per_second": result.requests_per_second,
        "errors": result.errors,
        "booked": booked,
        "bookings_per_second": round(booked / duration, 1),
        "seconds": duration,
        "overbooked_slots": overbooked(),
    }


def overbooked() -> int:
    """Slots holding more appointments than their rule's desks (one type on an aligned grid: same start, same slot)."""
    from appointments.models import Appointment, OpeningRule

    capacity = dict(OpeningRule.objects.values_list("agenda_id", "capacity").distinct())
    held = Counter(Appointment.objects.occupying().values_list("agenda_id", "start"))
    return sum(1 for (agenda_id, _start), count in held.items() if count > capacity[agenda_id])


def main() -> int:
    from bench.common import results_write, setup_database

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--searches", type=int, default=300, help="slot searches timed")
    parser.add_argument("--bookers", type=int, default=50, help="concurrent booking threads (one connection each)")
    parser.add_argument("--attempts", type=int, default=40, help="bookings each booker attempts")
    parser.add_argument("--duration", type=int, default=10, help="seconds of booking over HTTP")
    args = parser.parse_args()
    load = os.getloadavg()[0]  # the machine's other work shows in the latencies: compare runs at a similar load
    setup_database(demo=False)
    over_http = args.bookers * args.attempts  # more citizens than wrk can book in --duration seconds
    type, citizens = seed(args.bookers * args.attempts + over_http)
    search(type, 10)  # warm-up: connection, caches of holidays and time zones
    # A search builds ~24,000 slots: the garbage collector's full collections then walk every object of the process
    # (~120 ms with Django and the apps loaded), which is the tail of the latencies unless, as gru.wsgi does once
    # the app is loaded, those long-lived objects are frozen.
    import gru.wsgi  # noqa: F401 (what a web worker loads, then freezes)

    frozen = search(type, args.searches)
    gc.unfreeze()
    searching = search(type, args.searches)
    booking = book(type, citizens[:-over_http], args.bookers, args.attempts)
    booking_http = book_over_http(type, citizens[-over_http:], args.bookers, args.duration)
    print(f"slot search, 90 days x {AGENDAS} agendas, {APPOINTMENTS} appointments: {searching['slots']} slots")
    for label, result in (("as in a web worker (gru.wsgi): ", frozen), ("without gc.freeze(): ", searching)):
        print(
            f"  {label}p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms over {result['searches']} searches "
            f"(Python CPU p50 {result['python_cpu_p50_ms']} ms)"
        )
    print(f"  load average before the run: {load:.2f}")
    print(
        f"booking, {booking['bookers']} concurrent bookers on {booking['slots_targeted']} slots: "
        f"{booking['booked']} booked, {booking['refused']} refused in {booking['seconds']} s"
    )
    print(
        f"  {booking['bookings_per_second']} bookings/s ({booking['attempts_per_second']} attempts/s), "
        f"overbooked slots: {booking['overbooked_slots']}"
    )
    print(
        f"booking over HTTP (gunicorn, 2 workers), {booking_http['bookers']} connections on "
        f"{booking_http['slots_targeted']} slots for {booking_http['seconds']} s: {booking_http['booked']} booked, "
        f"{booking_http['bookings_per_second']} bookings/s ({booking_http['requests_per_second']} requests/s, "
        f"{booking_http['errors']} errors), overbooked slots: {booking_http['overbooked_slots']}"
    )
    payload = {
        "load_average": load,
        "search": searching,
        "search_gc_frozen": frozen,
        "booking": booking,
        "booking_http": booking_http,
    }
    results_write(payload, prefix="appointments-")
    return 1 if booking["overbooked_slots"] or booking_http["overbooked_slots"] else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Free slots, computed (never stored): opening rules → slots of the type's duration, minus public holidays and
closures, minus the desks already taken, within the type's booking window.

Three queries whatever the span (the rules, the closures, the appointments), then interval arithmetic on integer
timestamps in Python, so that a week view, or a 90-day search across twenty agendas, stays within milliseconds.

Slots are laid out in local wall-clock time (settings.TIME_ZONE) and compared as instants: a 09:00 rule opens at
09:00 on both sides of a change of summer time, and a slot lasts its real duration even on the night of the change.
"""

from __future__ import annotations

import datetime
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import repeat
from operator import attrgetter, itemgetter
from typing import NamedTuple

from django.contrib.postgres.aggregates import ArrayAgg
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appointments.models import Agenda, Appointment, AppointmentType, Closure, OpeningRule
from gru.workdays import public_holidays

UTC = datetime.UTC


class Slot(NamedTuple):
    """A bookable time on an agenda: its desks (the opening rule's capacity) and how many of them are still free."""

    agenda: Agenda
    start: datetime.datetime
    end: datetime.datetime
    capacity: int
    free: int


def slots_for(
    *,
    type: AppointmentType,
    agendas: Iterable[Agenda],
    start: datetime.datetime,
    end: datetime.datetime,
    now: datetime.datetime | None = None,
    by_agent: bool = False,
    moving: Appointment | None = None,
) -> list[Slot]:
    """The slots of `type` with a free desk on these agendas, starting in [start, end) and within the booking window
    (from `now` plus the type's minimum notice, which agents booking for a citizen skip, to the horizon), sorted by
    start. When `moving` an appointment, its own desk counts as free (the move gives it up)."""
    now = now or timezone.now()
    agendas = [agenda for agenda in agendas if agenda.is_active]
    low = max(start, now if by_agent else now + type.min_notice)
    high = min(end, now + type.horizon)
    if not agendas or low >= high:
        return []
    zone = timezone.get_default_timezone()
    first_day, last_day = low.astimezone(zone).date(), high.astimezone(zone).date()
    reach = high + type.duration  # what a slot starting before `high` may touch
    rules = _rules(type, agendas, first_day, last_day)
    closures = _closures(agendas, low, reach)
    bookings = _bookings(agendas, low, reach, moving)
    layout = _Layout(
        duration=type.duration_minutes * 60, low=int(low.timestamp()), high=int(high.timestamp()), zone=zone
    )
    days = _days(first_day, last_day)
    slots: list[Slot] = []
    for agenda in agendas:
        opened = layout.open(agenda, days, rules)
        slots += layout.free(opened, closures[agenda.pk], bookings[agenda.pk])
    slots.sort(key=attrgetter("start"))
    return slots


# Slot((agenda, start, end, capacity, free)) without NamedTuple's keyword-handling __new__, in C: a 90-day search
# over twenty agendas builds some 25,000 slots.
_new_slot = partial(tuple.__new__, Slot)


@dataclass
class _Opened:
    """An agenda's slots over the window in time order, with their starts in seconds to find them by bisection."""

    slots: list[Slot] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    in_order: bool = True

    def sort(self) -> None:
        """For rules overlapping each other (the admin refuses them, but rows may be written otherwise)."""
        pairs = sorted(zip(self.starts, self.slots, strict=True), key=itemgetter(0))
        self.starts, self.slots = [start for start, _ in pairs], [slot for _, slot in pairs]


class _Layout:
    """Slots of one duration starting in [low, high): slot k of a rule's day starts k durations after its opening,
    and ends by its closing. Computed agenda by agenda: opening hours first, then closures and appointments remove
    or fill the few slots they touch, found by bisection."""

    def __init__(self, *, duration: int, low: int, high: int, zone: datetime.tzinfo) -> None:
        self.duration, self.low, self.high, self.zone = duration, low, high, zone
        # Offsets from the opening, enough for the longest day (25 hours, when winter time comes back).
        self.offsets = [datetime.timedelta(seconds=k * duration) for k in range(25 * 3600 // duration + 2)]
        self.hours: dict[tuple[datetime.date, datetime.time, datetime.time], _Hours | None] = {}

    def open(
        self, agenda: Agenda, days: list[tuple[datetime.date, bool]], rules: dict[tuple[int, int], list[OpeningRule]]
    ) -> _Opened:
        """The agenda's slots by its opening hours: each day, its rules in force, in order of opening; public
        holidays closed unless the agenda opens then."""
        opened = _Opened()
        for day, holiday in days:
            if holiday and not agenda.open_on_public_holidays:
                continue
            for rule in rules.get((agenda.pk, day.weekday()), ()):
                if (rule.valid_from or day) <= day <= (rule.valid_until or day):
                    hours = self._hours(day, rule.start_time, rule.end_time)
                    if hours is not None:
                        if opened.starts and opened.starts[-1] >= hours.starts[0]:
                            opened.in_order = False
                        capacity = rule.capacity
                        opened.slots += map(
                            _new_slot, zip(repeat(agenda), hours.times, hours.ends, repeat(capacity), repeat(capacity))
                        )
                        opened.starts += hours.starts
        return opened

    def free(
        self, opened: _Opened, closures: list[tuple[int, int]], bookings: list[tuple[int, int, int]]
    ) -> list[Slot]:
        """The slots left once closures remove those they touch and appointments take their desks."""
        if not opened.in_order:
            opened.sort()
        slots, starts, duration = opened.slots, opened.starts, self.duration
        gone: set[int] = set()
        for start, end in closures:
            gone.update(range(bisect_right(starts, start - duration), bisect_left(starts, end)))
        taken: defaultdict[int, set[int]] = defaultdict(set)
        for start, end, desk in bookings:
            for n in range(bisect_right(starts, start - duration), bisect_left(starts, end)):
                if desk < slots[n].capacity:
                    taken[n].add(desk)
        for n, desks in taken.items():
            slot = slots[n]
            if len(desks) >= slot.capacity:
                gone.add(n)
            else:
                slots[n] = _new_slot((slot.agenda, slot.start, slot.end, slot.capacity, slot.capacity - len(desks)))
        for n in sorted(gone, reverse=True):
            del slots[n]
        return slots

    def _hours(self, day: datetime.date, opens: datetime.time, closes: datetime.time) -> _Hours | None:
        """The slots' times of a day's opening hours, within [low, high); computed once a search, as agendas often
        share their hours (and time zone arithmetic is what costs most per day)."""
        key = (day, opens, closes)
        if key not in self.hours:
            opening = datetime.datetime.combine(day, opens, self.zone).astimezone(UTC)
            closing = datetime.datetime.combine(day, closes, self.zone).astimezone(UTC)
            base, duration = int(opening.timestamp()), self.duration
            first = max(0, -((base - self.low) // duration))
            last = min((int(closing.timestamp()) - base) // duration, -((base - self.high) // duration))
            times = [opening + offset for offset in self.offsets[first : last + 1]]  # a slot ends as the next starts
            starts = range(base + first * duration, base + last * duration, duration)
            self.hours[key] = _Hours(times[:-1], times[1:], starts) if first < last else None
        return self.hours[key]


class _Hours(NamedTuple):
    """The slots of some opening hours on a day: their starts and ends, and their starts in seconds."""

    times: list[datetime.datetime]
    ends: list[datetime.datetime]
    starts: range


class Epoch(models.Func):
    """Seconds since 1970 of a timestamp, computed by PostgreSQL: integers are much cheaper to read than datetimes
    (thousands of appointments per search)."""

    template = "EXTRACT(EPOCH FROM %(expressions)s)::bigint"
    output_field = models.BigIntegerField()


def _rules(
    type: AppointmentType, agendas: list[Agenda], first_day: datetime.date, last_day: datetime.date
) -> dict[tuple[int, int], list[OpeningRule]]:
    """The rules for `type` in force on some day of the window, by agenda and weekday, in order of opening."""
    rules = (
        OpeningRule.objects.filter(agenda__in=agendas, types=type)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=last_day))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=first_day))
        .order_by("start_time")
        .only("agenda_id", "weekdays", "start_time", "end_time", "valid_from", "valid_until", "capacity")
    )
    by_day: defaultdict[tuple[int, int], list[OpeningRule]] = defaultdict(list)
    for rule in rules:
        for weekday in rule.weekdays:
            by_day[rule.agenda_id, weekday].append(rule)
    return by_day


def _closures(
    agendas: list[Agenda], low: datetime.datetime, high: datetime.datetime
) -> defaultdict[int, list[tuple[int, int]]]:
    """Closures touching [low, high), by agenda: its own, and those of every agenda of its department."""
    rows = (
        Closure.objects.applying_to(agendas)
        .filter(start__lt=high, end__gt=low)
        .values_list("agenda_id", "department_id", Epoch("start"), Epoch("end"))
    )
    by_agenda: defaultdict[int, list[tuple[int, int]]] = defaultdict(list)
    for agenda_id, department_id, start, end in rows:
        for agenda in agendas:
            if agenda.pk == agenda_id or (agenda_id is None and agenda.department_id == department_id):
                by_agenda[agenda.pk].append((start, end))
    return by_agenda


def _bookings(
    agendas: list[Agenda], low: datetime.datetime, high: datetime.datetime, moving: Appointment | None
) -> defaultdict[int, list[tuple[int, int, int]]]:
    """Desks taken during [low, high), by agenda: one row per agenda, its appointments in arrays."""
    appointments = Appointment.objects.occupying().overlapping(low, high).filter(agenda__in=agendas)
    if moving is not None:
        appointments = appointments.exclude(pk=moving.pk)
    rows = (
        appointments.order_by()
        .values("agenda_id")
        .annotate(starts=ArrayAgg(Epoch("start")), ends=ArrayAgg(Epoch("end")), desks=ArrayAgg("desk"))
        .values_list("agenda_id", "starts", "ends", "desks")
    )
    by_agenda: defaultdict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for agenda_id, starts, ends, desks in rows:
        by_agenda[agenda_id] = list(zip(starts, ends, desks, strict=True))
    return by_agenda


def _days(first_day: datetime.date, last_day: datetime.date) -> list[tuple[datetime.date, bool]]:
    """Each day of the window, and whether it is a public holiday."""
    holidays = {day for year in range(first_day.year, last_day.year + 1) for day in public_holidays(year)}
    days = (first_day + datetime.timedelta(days=n) for n in range((last_day - first_day).days + 1))
    return [(day, day in holidays) for day in days]


class Gap(models.TextChoices):
    """Why the opening hours no longer hold a booked appointment."""

    CLOSED = "closed", _("during a closure or a public holiday")
    NO_HOURS = "no_hours", _("outside the opening hours of its type")
    NO_DESK = "no_desk", _("more appointments than desks at that time")


class Uncovered(NamedTuple):
    appointment: Appointment
    gap: Gap


def appointments_uncovered(*, agenda: Agenda, now: datetime.datetime | None = None) -> list[Uncovered]:
    """The booked appointments to come on the agenda that its opening hours no longer offer, after a change of its
    hours or a closure: in a closure (or on a public holiday the agenda is closed), outside every rule for their type,
    or on a desk beyond the rule's capacity. They are kept (a change of hours never cancels a citizen's appointment):
    the agents move or cancel them. Three queries, whatever the number of appointments."""
    now = now or timezone.now()
    appointments = list(
        Appointment.objects.filter(agenda=agenda)
        .upcoming(now)
        .select_related("type", "citizen")
        .order_by("start", "desk")
    )
    if not appointments:
        return []
    rules = list(OpeningRule.objects.filter(agenda=agenda).annotate(type_ids=ArrayAgg("types")))
    closures = _closures([agenda], appointments[0].start, max(appointment.end for appointment in appointments))
    first, last = timezone.localdate(appointments[0].start), timezone.localdate(appointments[-1].start)
    holidays = {day for day, holiday in _days(first, last) if holiday and not agenda.open_on_public_holidays}
    uncovered = []
    for appointment in appointments:
        gap = _gap(appointment, rules, closures[agenda.pk], holidays)
        if gap is not None:
            uncovered.append(Uncovered(appointment, gap))
    return uncovered


def _gap(
    appointment: Appointment,
    rules: Sequence[OpeningRule],
    closures: list[tuple[int, int]],
    holidays: set[datetime.date],
) -> Gap | None:
    start, end = timezone.localtime(appointment.start), timezone.localtime(appointment.end)
    low, high = int(appointment.start.timestamp()), int(appointment.end.timestamp())
    if start.date() in holidays or any(
        low < closed_end and closed_start < high for closed_start, closed_end in closures
    ):
        return Gap.CLOSED
    day = start.date()
    desks = [
        rule.capacity
        for rule in rules
        if appointment.type_id in rule.type_ids  # type: ignore[attr-defined]
        and day.weekday() in rule.weekdays
        and (rule.valid_from or day) <= day <= (rule.valid_until or day)
        and end.date() == day
        and rule.start_time <= start.time()
        and end.time() <= rule.end_time
    ]
    if not desks:
        return Gap.NO_HOURS
    return Gap.NO_DESK if appointment.desk >= max(desks) else None

"""The week view of free slots, for citizens and for agents booking for them: the seven days of one week and, within
a day, the places; with the next day that has a free slot and the weeks before and after.

The search (`slots_for`) runs from now to the end of the week after the one shown, which usually holds all three (the
week's slots, the next free one and the first one after the week); only when it does not is the rest of the booking
window searched too. The two searches split the window, so together they find exactly what one would.

The first free slots (FIRST_FREE of them, whatever week they fall in) come from the same search: when it holds fewer,
the rest of the window is searched too, never further than the type's horizon. A part of the day (`Moment`: morning,
afternoon) keeps only the slots starting in it, for the week, its first free slots and the links to other weeks.

A slot is chosen through a short value, "<agenda id>-<start in seconds since 1970>" (`slot_value`), read back only
among the agendas the page offers (`slot_read`).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appointments.models import Agenda, Appointment, AppointmentType
from appointments.slots import Slot, slots_for

WEEK = datetime.timedelta(days=7)
# How many of the first free slots are shown above the week.
FIRST_FREE = 5
NOON = datetime.time(12)


class Moment(models.TextChoices):
    """A part of the day to look for slots in (the query string's `moment`); empty: the whole day."""

    MORNING = "matin", _("Morning")
    AFTERNOON = "apres-midi", _("Afternoon")


def _in_moment(slot: Slot, moment: str) -> bool:
    """Whether the slot starts in that part of the day (local time: morning before noon), or `moment` is empty."""
    if not moment:
        return True
    return (timezone.localtime(slot.start).time() < NOON) == (moment == Moment.MORNING)


_SLOT_VALUE = re.compile(r"(\d{1,10})-(\d{1,12})")


@dataclass(frozen=True)
class Place:
    """The free slots of one agenda on one day."""

    agenda: Agenda
    slots: list[Slot]


@dataclass(frozen=True)
class Day:
    date: datetime.date
    places: list[Place]


@dataclass(frozen=True)
class Week:
    """Seven days from `monday`, with their free slots by place.

    first_free: the first free slots from now (FIRST_FREE at most), whatever week they fall in.
    next_free: the first free slot from now, wherever it falls (the next available day).
    later_free: the first free slot after this week.
    previous, next: the Mondays of the weeks around, when they may hold slots (None otherwise).
    """

    monday: datetime.date
    days: list[Day]
    first_free: list[Slot]
    next_free: Slot | None
    later_free: Slot | None
    previous: datetime.date | None
    next: datetime.date | None

    @property
    def sunday(self) -> datetime.date:
        return self.monday + datetime.timedelta(days=6)

    @property
    def count(self) -> int:
        return sum(len(place.slots) for day in self.days for place in day.places)

    @property
    def next_free_day(self) -> datetime.date | None:
        return timezone.localdate(self.next_free.start) if self.next_free else None

    @property
    def next_free_elsewhere(self) -> bool:
        """Whether the next available day falls in another week than this one."""
        day = self.next_free_day
        return day is not None and not self.monday <= day <= self.sunday


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def week_of(
    *,
    type: AppointmentType,
    agendas: Sequence[Agenda],
    monday: datetime.date | None,
    now: datetime.datetime,
    by_agent: bool = False,
    moving: Appointment | None = None,
    moment: str = "",
) -> Week:
    """The week starting on `monday` (any day is taken back to its Monday), or, when None, the first week with a free
    slot; never a week before the current one. Only the slots starting in `moment` (a Moment; empty: all)."""

    def search(start: datetime.datetime, end: datetime.datetime) -> list[Slot]:
        found = slots_for(type=type, agendas=agendas, start=start, end=end, now=now, by_agent=by_agent, moving=moving)
        return [slot for slot in found if _in_moment(slot, moment)] if moment else found

    this_week = monday_of(timezone.localdate(now))
    searched, end = _midnight(max(monday_of(monday or this_week), this_week) + 2 * WEEK), now + type.horizon
    slots = search(now, searched)
    if monday is None and not slots:  # no free slot within two weeks: the first one decides the week shown
        slots, searched = search(searched, end), end
    if monday is None:
        monday = monday_of(timezone.localdate(slots[0].start)) if slots else this_week
    monday = max(monday_of(monday), this_week)
    if searched < end and (len(slots) < FIRST_FREE or slots[-1].start < _midnight(monday + WEEK)):
        slots += search(searched, end)  # the first free slots, or the first one after the week, lie further
    order = {agenda.pk: n for n, agenda in enumerate(agendas)}
    by_day: dict[datetime.date, dict[int, list[Slot]]] = {}
    later_free = None
    for slot in slots:
        day = timezone.localdate(slot.start)
        if monday <= day < monday + WEEK:
            by_day.setdefault(day, {}).setdefault(slot.agenda.pk, []).append(slot)
        elif day >= monday + WEEK and later_free is None:
            later_free = slot
    days = []
    for n in range(7):
        day = monday + datetime.timedelta(days=n)
        places = sorted(by_day.get(day, {}).values(), key=lambda listed: order[listed[0].agenda.pk])
        days.append(Day(date=day, places=[Place(agenda=listed[0].agenda, slots=listed) for listed in places]))
    horizon = timezone.localdate(now + type.horizon)
    return Week(
        monday=monday,
        days=days,
        first_free=slots[:FIRST_FREE],
        next_free=slots[0] if slots else None,
        later_free=later_free,
        previous=monday - WEEK if monday > this_week else None,
        next=monday + WEEK if monday + WEEK <= horizon else None,
    )


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_default_timezone())


def slot_value(slot: Slot) -> str:
    return f"{slot.agenda.pk}-{int(slot.start.timestamp())}"


def slot_read(value: str, agendas: Sequence[Agenda]) -> tuple[Agenda, datetime.datetime] | None:
    """The agenda and start a slot value names, if it is one of these agendas'; None for anything else."""
    match = _SLOT_VALUE.fullmatch(value or "")
    if match is None:
        return None
    agenda = next((agenda for agenda in agendas if agenda.pk == int(match[1])), None)
    try:
        start = datetime.datetime.fromtimestamp(int(match[2]), tz=datetime.UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return (agenda, start) if agenda is not None else None

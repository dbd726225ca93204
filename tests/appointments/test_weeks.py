"""The week view searches from now to the end of the following week, and further only when it must: whatever the
week asked for and wherever the free slots are, it shows what one search of the whole booking window would."""

import datetime

import pytest

from appointments.models import Closure
from appointments.slots import slots_for
from appointments.weeks import WEEK, monday_of, week_of
from tests.appointments.conftest import NOW, at, booked, rule

MONDAYS = [None, *(NOW.date() + n * WEEK for n in (-1, 0, 1, 2, 5, 12, 14))]


def expected(type, agendas, monday):
    """The week, the next free slot and the first one after the week, from one search of the whole window."""
    slots = slots_for(type=type, agendas=agendas, start=NOW, end=NOW + type.horizon, now=NOW)
    this_week = monday_of(NOW.date())
    monday = max(monday_of(monday or (slots[0].start.date() if slots else this_week)), this_week)
    days = {monday + datetime.timedelta(days=n) for n in range(7)}
    week = [slot for slot in slots if slot.start.date() in days]
    later = next((slot for slot in slots if slot.start.date() >= monday + WEEK), None)
    return monday, week, slots[0] if slots else None, later


def shown(type, agendas, monday):
    week = week_of(type=type, agendas=agendas, monday=monday, now=NOW)
    slots = sorted((slot for day in week.days for place in day.places for slot in place.slots), key=lambda s: s.start)
    return week.monday, slots, week.next_free, week.later_free


def closed(agenda, first: str, last: str) -> None:
    Closure.objects.create(agenda=agenda, start=at(first), end=at(last), reason="Travaux")


@pytest.mark.parametrize("monday", MONDAYS)
@pytest.mark.parametrize(
    "layout",
    ["open every week", "this week full", "closed for three weeks", "closed after this week", "one day in May"],
)
def test_the_week_shown_is_what_one_search_of_the_whole_window_finds(now, passport, town_hall, alice, layout, monday):
    if layout == "this week full":
        for day in ("2027-03-01", "2027-03-02", "2027-03-03", "2027-03-04", "2027-03-05"):
            for time in ("09:00", "09:20", "09:40", "10:00", "10:20", "10:40", "11:00", "11:20", "11:40"):
                booked(town_hall, passport, alice, at(day, time))
    elif layout == "closed for three weeks":
        closed(town_hall, "2027-03-01", "2027-03-22")
    elif layout == "closed after this week":
        closed(town_hall, "2027-03-08", "2027-05-20")
    elif layout == "one day in May":
        town_hall.rules.all().delete()
        rule(town_hall, [passport], valid_from=datetime.date(2027, 5, 12), valid_until=datetime.date(2027, 5, 12))
    assert shown(passport, [town_hall], monday) == expected(passport, [town_hall], monday)

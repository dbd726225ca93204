"""Working days of a French collectivité: Monday to Friday, French public holidays excluded; and calendar months,
which retention periods are counted in (`months_before`).

Deadlines of requests are counted in working days (the téléservice's processing days), and appointments close on
public holidays. The `holidays` package knows France's holidays, and the extra days of a region by subdivision
(settings.PUBLIC_HOLIDAYS_SUBDIVISION: "57" for Alsace-Moselle's Good Friday and St Stephen's Day).
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

import holidays
from django.conf import settings

SATURDAY = 5


@cache
def _public_holidays(year: int, subdivision: str) -> Mapping[datetime.date, str]:
    """A plain read-only mapping: a `holidays` object asked about another year would compute that year in place."""
    days = holidays.France(years=year, subdiv=subdivision or None, language="fr")
    return MappingProxyType(dict(days))


def public_holidays(year: int) -> Mapping[datetime.date, str]:
    """The public holidays of a year, by date, with their French names (computed once a year and subdivision)."""
    return _public_holidays(year, settings.PUBLIC_HOLIDAYS_SUBDIVISION)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < SATURDAY and day not in public_holidays(day.year)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The day `days` working days after `start` (the day of `start` itself is not counted)."""
    day = start
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    while remaining:
        day += datetime.timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """How many working days come after `start` up to and including `end` (negative when `end` is earlier)."""
    if end < start:
        return -working_days_between(end, start)
    return sum(1 for n in range(1, (end - start).days + 1) if is_working_day(start + datetime.timedelta(days=n)))


def months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same time `months` calendar months earlier (the 31st becomes the month's last day)."""
    years, month = divmod(moment.month - 1 - months, 12)
    year = moment.year + years
    return moment.replace(year=year, month=month + 1, day=min(moment.day, calendar.monthrange(year, month + 1)[1]))

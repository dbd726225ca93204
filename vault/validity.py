"""How long a proof stays valid, by its type's rule: unlimited, N months after its issue, the end of the calendar
year, or the end of the school year (31 August)."""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta

SCHOOL_YEAR_LAST_MONTH = 8  # a French school year ends with the summer holidays, by 31 August


def valid_until(rule: str, *, issued_on: datetime.date, months: int | None = None) -> datetime.date | None:
    """The last day a document issued on `issued_on` is valid, None when it never expires."""
    if rule == "months":
        if not months:
            raise ValueError("A validity in months needs its number of months.")
        return issued_on + relativedelta(months=months) - datetime.timedelta(days=1)
    if rule == "calendar_year":
        return datetime.date(issued_on.year, 12, 31)
    if rule == "school_year":
        year = issued_on.year + (issued_on.month > SCHOOL_YEAR_LAST_MONTH)
        return datetime.date(year, SCHOOL_YEAR_LAST_MONTH, 31)
    return None

"""Dates kept as ISO strings (the context of a notification is plain JSON) read back as dates, so that templates
format them with `date` as usual: `{{ expires_at|fromiso|date:"j F Y" }}`; and dates written as ISO strings for the
`datetime` attribute of `<time>`: `<time datetime="{{ created_at|isoformat }}">`."""

import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def fromiso(value: str) -> datetime.date | datetime.datetime | str:
    """A date ("2026-12-01") or a datetime ("2026-12-01T09:30:00+01:00"); anything else is given back unchanged."""
    for kind in (datetime.date, datetime.datetime):
        try:
            return kind.fromisoformat(value)
        except (TypeError, ValueError):
            continue
    return value


@register.filter
def isoformat(value: datetime.date | datetime.datetime | None) -> str:
    """A date or datetime as the `datetime` attribute of `<time>` wants it: "2026-12-07" or, to the second in the
    current time zone, "2026-12-07T10:12:00+01:00" (`date:"c"` would add the microseconds, which HTML does not
    allow); anything else gives "", as `date` does."""
    if isinstance(value, datetime.datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return ""

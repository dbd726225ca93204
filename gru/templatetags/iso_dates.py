"""Dates kept as ISO strings (the context of a notification is plain JSON) read back as dates, so that templates
format them with `date` as usual: `{{ expires_at|fromiso|date:"j F Y" }}`."""

import datetime

from django import template

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

"""iCalendar files: one appointment (attached to its confirmation, for the citizen's calendar) and an agenda's feed
(subscribed to by the agents' calendar software through its secret token).

Times are written in local time with their VTIMEZONE (only the part covering the events, to keep files short), so
that calendars show 09:00 for a 09:00 appointment whatever the time of year. The UID stays the same when the
appointment moves or is cancelled, and SEQUENCE grows, so that calendars update the event instead of adding one.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from appointments.models import Agenda, Appointment

# An agenda's feed shows the past weeks too: agents look back at whom they saw.
FEED_PAST = datetime.timedelta(days=30)


def appointment_ics(*, appointment: Appointment) -> bytes:
    """The citizen's calendar event: the motif, whom it is for (a member of the household), the place, what to
    bring and the instructions; cancelled ones say so."""
    event = _event(appointment, summary=appointment.type.label)
    event.add("description", _description(appointment))
    event.add("status", "CANCELLED" if appointment.status == Appointment.Status.CANCELLED else "CONFIRMED")
    return _calendar([event], name=appointment.type.label)


def _description(appointment: Appointment) -> str:
    type, parts = appointment.type, []
    if appointment.member_id:
        parts.append(_("For: %(for_whom)s") % {"for_whom": appointment.member})
    if type.to_bring_items:
        parts.append("\n".join([_("What to bring:"), *(f"- {item}" for item in type.to_bring_items)]))
    if type.instructions:
        parts.append(type.instructions)
    return "\n\n".join(parts)


def agenda_feed_ics(*, agenda: Agenda, now: datetime.datetime | None = None) -> bytes:
    """The agenda's appointments from FEED_PAST ago on, cancelled ones left out (calendars then remove them). It
    names the citizen and the motif only: the feed travels outside the portal."""
    since = (now or timezone.now()) - FEED_PAST
    appointments = (
        Appointment.objects.occupying()
        .filter(agenda=agenda, end__gt=since)
        .select_related("type", "agenda", "citizen")
        .order_by("start")
    )
    events = [
        _event(appointment, summary=f"{appointment.type.label} — {appointment.citizen}") for appointment in appointments
    ]
    return _calendar(events, name=agenda.name)


def _event(appointment: Appointment, *, summary: str) -> Event:
    zone = timezone.get_default_timezone()
    agenda = appointment.agenda
    event = Event()
    event.add("uid", f"{appointment.public_id}@{urlsplit(settings.SITE_URL).hostname or 'localhost'}")
    event.add("sequence", appointment.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", appointment.start.astimezone(zone))
    event.add("dtend", appointment.end.astimezone(zone))
    event.add("summary", summary)
    event.add("location", ", ".join(part for part in [agenda.place, " ".join(agenda.address.split())] if part))
    return event


def _calendar(events: Iterable[Event], *, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//GRU//Rendez-vous//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    starts = []
    for event in events:
        calendar.add_component(event)
        starts.append(event.decoded("dtstart").date())
    if starts:
        calendar.add_missing_timezones(
            first_date=min(starts) - datetime.timedelta(days=1), last_date=max(starts) + datetime.timedelta(days=1)
        )
    return calendar.to_ical()

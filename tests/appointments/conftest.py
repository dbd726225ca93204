"""Booking fixtures: the passport motif, the town hall's identity-documents counter (État civil, bob's department),
its annexe, and the planning officer's agenda (Urbanisme, carol's); times in Europe/Paris.

Unless a test says otherwise, "now" is Monday 1 March 2027 at 08:00 in Paris."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils.html import escape
from django.utils.translation import gettext, ngettext

from appointments.models import Agenda, Appointment, AppointmentType, OpeningRule

PARIS = ZoneInfo("Europe/Paris")
WEEKDAYS = [0, 1, 2, 3, 4]


def at(day: str, time: str = "00:00") -> datetime.datetime:
    """An aware datetime from a local date and time in Paris: at("2027-03-29", "09:00")."""
    return datetime.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=PARIS)


NOW = at("2027-03-01", "08:00")


def local(moment: datetime.datetime) -> str:
    """'2027-03-29 09:00' for a moment, in Paris."""
    return f"{moment.astimezone(PARIS):%Y-%m-%d %H:%M}"


def rule(agenda, types, *, weekdays=WEEKDAYS, opens="09:00", closes="12:00", capacity=1, **fields) -> OpeningRule:
    opening = OpeningRule.objects.create(
        agenda=agenda,
        weekdays=list(weekdays),
        start_time=datetime.time.fromisoformat(opens),
        end_time=datetime.time.fromisoformat(closes),
        capacity=capacity,
        **fields,
    )
    opening.types.set(types)
    return opening


def booked(agenda, type, citizen, start: datetime.datetime, *, desk=0, **fields) -> Appointment:
    """An appointment written directly (as if booked earlier), for tests about what it leaves free."""
    return Appointment.objects.create(
        agenda=agenda, type=type, citizen=citizen, start=start, end=start + type.duration, desk=desk, **fields
    )


@pytest.fixture(autouse=True)
def _staff_sessions_outlive_the_moved_clock(settings):
    """These tests sign agents in, then move the clock months ahead (`now`) and within the day: their sessions must
    not end for that (the limits of staff sessions are tested in tests/gru/test_staff_sessions.py)."""
    settings.STAFF_SESSION_MAX_HOURS = 24 * 365 * 10
    settings.STAFF_SESSION_IDLE_MINUTES = 60 * 24 * 365 * 10


@pytest.fixture
def now(time_machine) -> datetime.datetime:
    time_machine.move_to(NOW, tick=False)
    return NOW


@pytest.fixture
def passport(db) -> AppointmentType:
    """20 minutes, 2 hours' notice, 90 days ahead, changes until 24 hours before, one upcoming per citizen."""
    return AppointmentType.objects.create(
        slug="passeport",
        label="Demande de passeport",
        duration_minutes=20,
        instructions="Apportez votre pré-demande ANTS et une photo d'identité.",
    )


@pytest.fixture
def identity_card(db) -> AppointmentType:
    """30 minutes, no limit per citizen."""
    return AppointmentType.objects.create(
        slug="carte-identite", label="Demande de carte d'identité", duration_minutes=30, max_upcoming=None
    )


@pytest.fixture
def planning_advice(db) -> AppointmentType:
    return AppointmentType.objects.create(slug="conseil-urbanisme", label="Conseil d'urbanisme", duration_minutes=30)


@pytest.fixture
def town_hall(etat_civil, passport) -> Agenda:
    """Monday to Friday, 09:00 to 12:00, one desk, passports."""
    agenda = Agenda.objects.create(
        department=etat_civil,
        name="Titres d'identité — Hôtel de ville",
        place="Hôtel de ville, guichet 1",
        address="1 place de la Mairie\n45630 Beaulieu-sur-Loire",
    )
    rule(agenda, [passport])
    return agenda


@pytest.fixture
def annexe(etat_civil, passport) -> Agenda:
    """Monday to Friday, 09:00 to 12:00, one desk, passports, at the annexe."""
    agenda = Agenda.objects.create(department=etat_civil, name="Titres d'identité — Annexe", place="Mairie annexe")
    rule(agenda, [passport])
    return agenda


@pytest.fixture
def planning_office(urbanisme, carol, planning_advice) -> Agenda:
    """carol's agenda, Tuesday and Thursday afternoons."""
    agenda = Agenda.objects.create(department=urbanisme, name="Urbanisme", place="Centre technique", agent=carol)
    rule(agenda, [planning_advice], weekdays=[1, 3], opens="14:00", closes="17:00")
    return agenda


def slot(agenda, start: datetime.datetime) -> str:
    """The value a slot's button sends (appointments.weeks.slot_value)."""
    return f"{agenda.pk}-{int(start.timestamp())}"


def shown(response, msgid: str, plural: str = "", **params) -> bool:
    """Whether the page shows this text, translated (in its `plural` form where there is one, chosen by
    `params["count"]`) and escaped as templates escape it."""
    translated = ngettext(msgid, plural, params["count"]) if plural else gettext(msgid)
    return escape(translated % params if params else translated) in response.content.decode()

"""Past appointments are kept APPOINTMENTS_RETENTION_MONTHS after they ended, then deleted with their alerts."""

import datetime

from appointments.models import Appointment, EarlierSlotAlert
from appointments.services import appointments_purge
from tests.appointments.conftest import at, booked


def test_appointments_ended_longer_ago_than_the_retention_are_deleted_with_their_alerts(
    settings, passport, town_hall, alice
):
    settings.APPOINTMENTS_RETENTION_MONTHS = 12
    now = at("2027-03-05", "10:00")
    old = booked(town_hall, passport, alice, at("2026-03-04", "09:00"))
    EarlierSlotAlert.objects.create(appointment=old)
    kept = booked(town_hall, passport, alice, now - datetime.timedelta(days=300))
    assert appointments_purge(now=now) == 1
    assert list(Appointment.objects.all()) == [kept] and not EarlierSlotAlert.objects.exists()

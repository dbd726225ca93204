"""The demo's booking: two identity-documents agendas of État civil, the planning officer's, alice's appointment."""

from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from appointments.models import Agenda, Appointment, AppointmentType, Closure, OpeningRule


def _counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (Agenda, AppointmentType, OpeningRule, Closure, Appointment))


def test_seed_demo_gives_agendas_with_opening_hours_and_alice_an_appointment_once(db):
    call_command("seed_demo", stdout=StringIO())
    assert {(agenda.department.slug, agenda.rules.count()) for agenda in Agenda.objects.all()} == {
        ("etat-civil", 3),
        ("etat-civil", 3),
        ("urbanisme", 1),
    }
    assert Agenda.objects.filter(department__slug="etat-civil").count() == 2
    assert Appointment.objects.upcoming().get().citizen.email == "alice@example.org"
    counts = _counts()
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == counts


def test_the_demo_offers_free_slots_in_the_coming_weeks_for_every_online_type(db, client):
    call_command("seed_demo", stdout=StringIO())
    types = AppointmentType.objects.bookable_online().offered()
    assert types.count() == 4
    for type in types:
        week = client.get(reverse("appointments:slots", args=[type.slug])).context["week"]
        assert week.count > 0, type
        assert (week.next_free.start - timezone.now()).days < 14, type

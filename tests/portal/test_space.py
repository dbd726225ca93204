""" "Mon espace", the citizen space's home: its cards in their order, the latest requests and the next appointments
(sections registered by teleservices and appointments, portal/space.py), in a number of queries that does not grow
with them."""

import datetime

from django.urls import reverse
from django.utils import timezone

from appointments.models import Agenda, Appointment, AppointmentType
from tests.backoffice.conftest import submit

SPACE = reverse("portal:space")
HEADINGS = ["Mes notifications", "Mon foyer", "Mes demandes", "Mes rendez-vous", "Mes documents", "Mes courriers"]


def _appointments(citizen, department, n: int) -> list[Appointment]:
    """`n` appointments of `citizen`, on the days to come."""
    type = AppointmentType.objects.create(slug="passeport", label="Demande de passeport", duration_minutes=20)
    agenda = Agenda.objects.create(department=department, name="Titres d'identité", place="Hôtel de ville")
    first = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0) + datetime.timedelta(days=1)
    return [
        Appointment.objects.create(
            agenda=agenda, type=type, citizen=citizen, start=start, end=start + type.duration, desk=0
        )
        for start in (first + datetime.timedelta(days=day) for day in range(n))
    ]


def test_the_space_shows_its_cards_in_order(alice_client):
    page = alice_client.get(SPACE).content.decode()
    positions = [page.index(f"<h2>{heading}</h2>") for heading in HEADINGS]
    assert positions == sorted(positions)
    assert "Vous n’avez encore aucune demande." in page or "Vous n'avez encore aucune demande." in page


def test_the_space_shows_the_latest_requests_and_the_next_appointments_in_a_fixed_number_of_queries(
    alice_client, alice, teleservices, etat_civil, django_assert_num_queries
):
    cases = [submit(alice, teleservices["acte-de-naissance"]) for _n in range(7)]
    appointments = _appointments(alice, etat_civil, 4)
    alice_client.get(SPACE)  # the session and the organisation are cached from then on
    with django_assert_num_queries(7):
        page = alice_client.get(SPACE).content.decode()
    shown = [case for case in cases if case.get_absolute_url() in page]
    assert len(shown) == 5
    assert [a for a in appointments if str(a.public_id) in page] == appointments[:3]

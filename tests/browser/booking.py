"""Booking data for the browser tests: the town hall's passport agenda (État civil), on Monday 1 March 2027 at 08:00
in Paris, the clock running from then on (the live server and the browser's pages share it)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from appointments.models import Agenda, AppointmentType
from tests.appointments.conftest import NOW, rule


@dataclass(frozen=True)
class Booking:
    passport: AppointmentType
    town_hall: Agenda


@pytest.fixture
def booking(time_machine, etat_civil) -> Booking:
    time_machine.move_to(NOW, tick=True)
    etat_civil.phone = "02 38 00 00 00"
    etat_civil.save()
    passport = AppointmentType.objects.create(
        slug="passeport",
        label="Demande de passeport",
        duration_minutes=20,
        description="Faites d'abord votre pré-demande en ligne sur le site de l'ANTS.",
        instructions="Apportez votre pré-demande ANTS et une photo d'identité.",
    )
    town_hall = Agenda.objects.create(
        department=etat_civil,
        name="Titres d'identité — Hôtel de ville",
        place="Hôtel de ville, guichet 1",
        address="1 place de la Mairie\n45630 Beaulieu-sur-Loire",
    )
    rule(town_hall, [passport])
    return Booking(passport=passport, town_hall=town_hall)

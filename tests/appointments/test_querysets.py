"""Reads through domain QuerySets: each citizen sees theirs, each agent those of their departments' agendas."""

from appointments.models import Agenda, Appointment
from tests.appointments.conftest import at, booked, rule


def test_an_agent_sees_the_appointments_of_their_departments_agendas_only(
    now, passport, planning_advice, town_hall, annexe, planning_office, alice, eve, bob, carol
):
    at_town_hall = booked(town_hall, passport, alice, at("2027-03-03", "09:00"))
    at_the_annexe = booked(annexe, passport, eve, at("2027-03-03", "09:00"))
    planning = booked(planning_office, planning_advice, eve, at("2027-03-02", "14:00"))
    assert set(Appointment.objects.visible_to_agent(bob)) == {at_town_hall, at_the_annexe}
    assert list(Appointment.objects.visible_to_agent(carol)) == [planning]
    assert list(Appointment.objects.visible_to_agent(alice)) == []


def test_a_citizen_sees_their_own_appointments(now, passport, town_hall, annexe, alice, eve):
    mine = booked(town_hall, passport, alice, at("2027-03-03", "09:00"))
    booked(annexe, passport, eve, at("2027-03-03", "09:00"))
    assert list(Appointment.objects.for_citizen(alice)) == [mine]


def test_upcoming_leaves_out_past_and_cancelled_appointments(now, passport, town_hall, alice):
    booked(town_hall, passport, alice, at("2027-02-26", "09:00"))
    booked(town_hall, passport, alice, at("2027-03-03", "09:00"), status=Appointment.Status.CANCELLED)
    coming = booked(town_hall, passport, alice, at("2027-03-04", "09:00"))
    assert list(Appointment.objects.for_citizen(alice).upcoming()) == [coming]


def test_agendas_offering_a_type_are_those_with_a_rule_in_force_for_it(
    now, passport, planning_advice, town_hall, annexe, planning_office, etat_civil, bob
):
    ended = Agenda.objects.create(department=etat_civil, name="Ancien guichet", place="Mairie")
    rule(ended, [passport], valid_until=at("2027-02-01").date())
    Agenda.objects.filter(pk=annexe.pk).update(is_active=False)
    assert list(Agenda.objects.offering(passport)) == [town_hall]
    assert list(Agenda.objects.offering(planning_advice)) == [planning_office]
    assert set(Agenda.objects.visible_to_agent(bob)) == {town_hall, annexe, ended}

"""Administrators configure agendas (opening hours and closures inline) and appointment types, with history."""

import pytest
from django.urls import reverse

from appointments.models import Agenda, OpeningRule
from tests.appointments.conftest import at, booked
from tests.conftest import sign_in


@pytest.fixture
def dave_client(client, dave):
    sign_in(client, dave)
    return client


def agenda_form(etat_civil, rules, closures=()):
    data = {
        "department": etat_civil.pk,
        "name": "Titres d'identité — Annexe des Prés",
        "place": "Mairie annexe",
        "address": "",
        "is_active": "on",
        "rules-TOTAL_FORMS": len(rules),
        "rules-INITIAL_FORMS": 0,
        "closures-TOTAL_FORMS": len(closures),
        "closures-INITIAL_FORMS": 0,
    }
    for index, row in enumerate(rules):
        data.update({f"rules-{index}-{name}": value for name, value in row.items()})
    for index, row in enumerate(closures):
        data.update({f"closures-{index}-{name}": value for name, value in row.items()})
    return data


def opening(passport, weekdays, opens, closes):
    return {"weekdays": weekdays, "start_time": opens, "end_time": closes, "capacity": 2, "types": [passport.pk]}


def test_an_administrator_creates_an_agenda_with_its_opening_hours_and_a_closure(dave_client, etat_civil, passport):
    data = agenda_form(
        etat_civil,
        [opening(passport, ["2"], "09:00", "12:00"), opening(passport, ["2", "5"], "14:00", "18:00")],
        [{"start_0": "01/04/2027", "start_1": "00:00", "end_0": "02/04/2027", "end_1": "00:00", "reason": "Travaux"}],
    )
    response = dave_client.post(reverse("admin:appointments_agenda_add"), data)
    assert response.status_code == 302, response.context["errors"]
    agenda = Agenda.objects.get()
    assert sorted(rule.weekdays for rule in agenda.rules.all()) == [[2], [2, 5]]
    assert list(agenda.rules.first().types.all()) == [passport]
    assert agenda.closures.get().reason == "Travaux"
    assert agenda.history.exists() and agenda.rules.first().history.exists()


def test_two_opening_rules_open_at_the_same_time_are_refused(dave_client, etat_civil, passport):
    data = agenda_form(
        etat_civil, [opening(passport, ["0", "2"], "09:00", "12:00"), opening(passport, ["2"], "11:30", "13:00")]
    )
    response = dave_client.post(reverse("admin:appointments_agenda_add"), data)
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.non_form_errors()
    assert not OpeningRule.objects.exists()


def test_the_admin_pages_of_booking_open(dave_client, passport, town_hall, alice, now):
    booked(town_hall, passport, alice, at("2027-03-03", "09:00"))
    for name in ("agenda", "appointmenttype", "closure", "appointment"):
        assert dave_client.get(reverse(f"admin:appointments_{name}_changelist")).status_code == 200
    assert dave_client.get(reverse("admin:appointments_agenda_change", args=[town_hall.pk])).status_code == 200
    assert dave_client.get(reverse("admin:appointments_appointmenttype_add")).status_code == 200


def test_an_administrator_gives_an_agenda_feed_a_new_address(dave_client, town_hall):
    old = town_hall.feed_token
    response = dave_client.post(
        reverse("admin:appointments_agenda_changelist"),
        {"action": "feed_token_regenerate", "_selected_action": [town_hall.pk]},
    )
    assert response.status_code == 302
    town_hall.refresh_from_db()
    assert town_hall.feed_token != old

"""The agenda's settings in the back office: its opening hours and closures, changed by a manager of its department or
by the agent whose agenda it is, read by the department's other agents. bob is an agent of État civil (the
identity-documents agendas), its manager when a test says so; carol, of Urbanisme, has her own agenda there and never
reaches État civil's. "Now" is Monday 1 March 2027 at 08:00."""

import datetime

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from appointments.models import Closure, OpeningRule
from appointments.slots import slots_for
from gru.models import Membership
from tests.appointments.conftest import NOW, at, booked, rule, shown
from tests.conftest import sign_in

WEDNESDAY = at("2027-03-03")
DAY = datetime.timedelta(days=1)
OUTSIDE = (
    "%(count)d booked appointment is no longer within the opening hours. It is kept: move or cancel it "
    "(see “Appointments to handle”).",
    "%(count)d booked appointments are no longer within the opening hours. They are kept: move or cancel them "
    "(see “Appointments to handle”).",
)


@pytest.fixture
def manager_client(bob_client, bob, etat_civil):
    """bob, a manager of État civil."""
    Membership.objects.filter(user=bob, department=etat_civil).update(role=Membership.Role.MANAGER)
    return bob_client


@pytest.fixture
def carol_client(client, carol):
    sign_in(client, carol)
    return client


def settings_url(agenda) -> str:
    return reverse("backoffice:agenda_settings", args=[agenda.pk])


def add_rule_url(agenda) -> str:
    return reverse("backoffice:opening_rule_add", args=[agenda.pk])


def edit_rule_url(agenda, opening) -> str:
    return reverse("backoffice:opening_rule_edit", args=[agenda.pk, opening.pk])


def delete_rule_url(agenda, opening) -> str:
    return reverse("backoffice:opening_rule_delete", args=[agenda.pk, opening.pk])


def add_closure_url(agenda) -> str:
    return reverse("backoffice:closure_add", args=[agenda.pk])


def delete_closure_url(agenda, closure) -> str:
    return reverse("backoffice:closure_delete", args=[agenda.pk, closure.pk])


def rule_data(type, *, weekdays=("5",), opens="09:00", closes="12:00", **fields) -> dict:
    """A Saturday morning (the town hall is open Monday to Friday) for `type`, with one desk."""
    data = {"weekdays": list(weekdays), "start_time": opens, "end_time": closes, "capacity": "1", "types": [type.pk]}
    return data | fields


def closure_data(start="2027-03-03T00:00", end="2027-03-04T00:00", reason="Formation") -> dict:
    return {"start": start, "end": end, "reason": reason}


def day_slots(type, agenda, day: datetime.datetime) -> list[str]:
    found = slots_for(type=type, agendas=[agenda], start=day, end=day + DAY, now=NOW)
    return [f"{slot.start.astimezone(day.tzinfo):%H:%M}" for slot in found]


def closure(agenda, reason="Travaux") -> Closure:
    return Closure.objects.create(agenda=agenda, start=at("2027-03-03"), end=at("2027-03-04"), reason=reason)


# Who reaches the settings


def test_the_settings_ask_to_sign_in_and_are_for_agents_only(client, alice, now, town_hall):
    opening = town_hall.rules.get()
    gone = closure(town_hall)
    pages = [
        settings_url(town_hall),
        add_rule_url(town_hall),
        edit_rule_url(town_hall, opening),
        delete_rule_url(town_hall, opening),
        add_closure_url(town_hall),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    for page in [*pages[1:], delete_closure_url(town_hall, gone)]:
        response = client.post(page, closure_data())
        assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    client.force_login(alice)
    assert {client.get(page).status_code for page in pages} == {403}
    assert client.post(delete_closure_url(town_hall, gone)).status_code == 403
    assert Closure.objects.get() == gone and town_hall.rules.count() == 1


def test_carol_cannot_see_or_change_the_etat_civil_settings(carol_client, now, passport, town_hall):
    opening, gone = town_hall.rules.get(), closure(town_hall)
    for page in (settings_url(town_hall), add_rule_url(town_hall), edit_rule_url(town_hall, opening)):
        assert carol_client.get(page).status_code == 404
    assert carol_client.post(add_rule_url(town_hall), rule_data(passport)).status_code == 404
    assert carol_client.post(delete_rule_url(town_hall, opening)).status_code == 404
    assert carol_client.post(add_closure_url(town_hall), closure_data()).status_code == 404
    assert carol_client.post(delete_closure_url(town_hall, gone)).status_code == 404
    assert town_hall.rules.count() == 1 and Closure.objects.count() == 1


def test_an_agent_who_is_not_a_manager_reads_the_settings_and_cannot_change_them(bob_client, now, passport, town_hall):
    opening, gone = town_hall.rules.get(), closure(town_hall)
    response = bob_client.get(settings_url(town_hall))
    assert response.status_code == 200 and response.context["managed"] is False
    page = response.content.decode()
    assert "09:00–12:00" in page and "Travaux" in page and "Demande de passeport" in page
    assert add_rule_url(town_hall) not in page and edit_rule_url(town_hall, opening) not in page
    assert delete_closure_url(town_hall, gone) not in page
    read_only = "You can read these settings: the department's managers, and the agent whose agenda it is, change them."
    assert gettext(read_only) in page  # a template's text, not escaped
    assert bob_client.get(add_rule_url(town_hall)).status_code == 403
    assert bob_client.post(add_rule_url(town_hall), rule_data(passport)).status_code == 403
    assert bob_client.post(edit_rule_url(town_hall, opening), rule_data(passport)).status_code == 403
    assert bob_client.post(delete_rule_url(town_hall, opening)).status_code == 403
    assert bob_client.post(add_closure_url(town_hall), closure_data()).status_code == 403
    assert bob_client.post(delete_closure_url(town_hall, gone)).status_code == 403
    assert list(town_hall.rules.all()) == [opening] and list(Closure.objects.all()) == [gone]


def test_the_agent_whose_agenda_it_is_changes_its_hours(carol_client, now, planning_advice, planning_office):
    response = carol_client.get(settings_url(planning_office))
    assert response.context["managed"] is True
    assert add_rule_url(planning_office) in response.content.decode()
    response = carol_client.post(add_rule_url(planning_office), rule_data(planning_advice, weekdays=["0"]))
    assert response.status_code == 302
    assert planning_office.rules.count() == 2


def test_a_manager_sees_the_links_to_change_the_settings(manager_client, now, town_hall):
    opening, gone = town_hall.rules.get(), closure(town_hall)
    page = manager_client.get(settings_url(town_hall)).content.decode()
    for url in (add_rule_url(town_hall), edit_rule_url(town_hall, opening), delete_rule_url(town_hall, opening)):
        assert url in page
    assert add_closure_url(town_hall) in page and delete_closure_url(town_hall, gone) in page
    agenda_page = manager_client.get(reverse("backoffice:agenda", args=[town_hall.pk])).content.decode()
    assert settings_url(town_hall) in agenda_page


def test_an_opening_period_of_another_agenda_is_not_found(manager_client, now, passport, town_hall, annexe):
    theirs, gone = annexe.rules.get(), closure(annexe)
    assert manager_client.get(edit_rule_url(town_hall, theirs)).status_code == 404
    assert manager_client.post(delete_rule_url(town_hall, theirs)).status_code == 404
    assert manager_client.post(delete_closure_url(town_hall, gone)).status_code == 404
    assert annexe.rules.get() == theirs and Closure.objects.get() == gone


def test_a_department_closure_is_shown_and_cannot_be_deleted_here(manager_client, now, town_hall, etat_civil):
    everywhere = Closure.objects.create(
        department=etat_civil, start=at("2027-03-10"), end=at("2027-03-11"), reason="Inventaire"
    )
    page = manager_client.get(settings_url(town_hall)).content.decode()
    assert "Inventaire" in page and delete_closure_url(town_hall, everywhere) not in page
    assert manager_client.post(delete_closure_url(town_hall, everywhere)).status_code == 404
    assert Closure.objects.filter(pk=everywhere.pk).exists()


def test_the_settings_refuse_the_wrong_method(manager_client, now, town_hall):
    opening, gone = town_hall.rules.get(), closure(town_hall)
    assert manager_client.post(settings_url(town_hall)).status_code == 405
    assert manager_client.put(add_rule_url(town_hall)).status_code == 405
    assert manager_client.put(edit_rule_url(town_hall, opening)).status_code == 405
    assert manager_client.put(delete_rule_url(town_hall, opening)).status_code == 405
    assert manager_client.put(add_closure_url(town_hall)).status_code == 405
    assert manager_client.get(delete_closure_url(town_hall, gone)).status_code == 405
    assert town_hall.rules.count() == 1 and Closure.objects.count() == 1


# Opening periods


def test_the_opening_period_form_is_accessible_and_in_french(manager_client, now, passport, town_hall):
    page = manager_client.get(add_rule_url(town_hall)).content.decode()
    legend = page.split("<legend", 1)[1].split("</legend>", 1)[0]
    assert gettext("Days of the week") in legend
    for n, day in enumerate(("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")):
        assert f'<label for="id_weekdays_{n}"><input type="checkbox" name="weekdays" value="{n}"' in page
        assert f" {day}</label>" in page
    assert 'type="time" name="start_time"' in page and 'type="date" name="valid_from"' in page
    assert '<label class="field__label" for="id_capacity">' in page
    assert page.count("<h1>") == 1


def test_a_manager_adds_an_opening_period_that_opens_slots(manager_client, now, passport, town_hall):
    saturday = at("2027-03-06")
    assert day_slots(passport, town_hall, saturday) == []
    response = manager_client.post(add_rule_url(town_hall), rule_data(passport, closes="10:00"), follow=True)
    assert response.redirect_chain == [(settings_url(town_hall), 302)]
    assert shown(response, "The opening period is saved.")
    added = town_hall.rules.get(weekdays=[5])
    assert (added.capacity, list(added.types.all())) == (1, [passport])
    assert day_slots(passport, town_hall, saturday) == ["09:00", "09:20", "09:40"]
    assert added.history.exists()


def test_a_manager_changes_an_opening_period(manager_client, now, passport, identity_card, town_hall):
    opening = town_hall.rules.get()
    page = manager_client.get(edit_rule_url(town_hall, opening)).content.decode()
    assert 'value="09:00"' in page and 'value="0" id="id_weekdays_0" checked' in page
    data = rule_data(passport, weekdays=["2"], opens="14:00", closes="15:00", capacity="2", valid_until="2027-03-31")
    data["types"] = [passport.pk, identity_card.pk]
    assert manager_client.post(edit_rule_url(town_hall, opening), data).status_code == 302
    opening.refresh_from_db()
    assert (opening.weekdays, opening.start_time, opening.capacity) == ([2], datetime.time(14), 2)
    assert opening.valid_until == datetime.date(2027, 3, 31)
    assert set(opening.types.all()) == {passport, identity_card}
    assert day_slots(passport, town_hall, WEDNESDAY) == ["14:00", "14:20", "14:40"]
    assert day_slots(passport, town_hall, at("2027-03-02")) == []


def test_a_period_overlapping_another_is_refused_with_nothing_lost(manager_client, now, passport, town_hall):
    data = rule_data(passport, weekdays=["2", "5"], opens="11:30", closes="13:00", valid_from="2027-03-15")
    response = manager_client.post(add_rule_url(town_hall), data)
    assert response.status_code == 200
    page = response.content.decode()
    overlap = "“%(first)s” and “%(second)s” overlap: join them into one opening period."
    assert shown(
        response,
        overlap,
        first="mercredi, samedi 11:30–13:00",
        second="lundi, mardi, mercredi, jeudi, vendredi 09:00–12:00",
    )
    assert 'class="error-summary"' in page
    assert 'value="11:30"' in page and 'value="2027-03-15"' in page and 'value="5" id="id_weekdays_5" checked' in page
    assert town_hall.rules.count() == 1


def test_changing_a_period_does_not_overlap_with_itself(manager_client, now, passport, town_hall):
    opening = town_hall.rules.get()
    response = manager_client.post(
        edit_rule_url(town_hall, opening), rule_data(passport, weekdays=["0"], opens="10:00")
    )
    assert response.status_code == 302
    opening.refresh_from_db()
    assert opening.weekdays == [0] and opening.start_time == datetime.time(10)


def test_a_wrong_period_is_refused_in_french_with_every_error_linked(manager_client, now, passport, town_hall):
    data = rule_data(passport, weekdays=[], opens="12:00", closes="09:00", capacity="0", types=[])
    response = manager_client.post(add_rule_url(town_hall), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"weekdays", "capacity", "types"}
    page = response.content.decode()
    assert 'href="#id_weekdays"' in page and 'href="#id_capacity"' in page and 'href="#id_types"' in page
    assert "Ce champ est obligatoire." in page
    assert "Assurez-vous que cette valeur est supérieure ou égale à 1." in page
    assert 'value="12:00"' in page  # what was typed stays
    response = manager_client.post(add_rule_url(town_hall), rule_data(passport, opens="12:00", closes="09:00"))
    assert shown(response, "The closing time must come after the opening time.")
    data = rule_data(passport, valid_from="2027-04-01", valid_until="2027-03-01")
    response = manager_client.post(add_rule_url(town_hall), data)
    assert shown(response, "The last day must not come before the first one.")
    assert town_hall.rules.count() == 1


def test_a_manager_deletes_an_opening_period_after_confirming(manager_client, now, passport, town_hall):
    opening = town_hall.rules.get()
    response = manager_client.get(delete_rule_url(town_hall, opening))
    assert response.status_code == 200 and "09:00–12:00" in response.content.decode()
    assert town_hall.rules.exists()  # a GET deletes nothing
    response = manager_client.post(delete_rule_url(town_hall, opening), follow=True)
    assert shown(response, "The opening period is deleted.")
    assert not town_hall.rules.exists()
    assert day_slots(passport, town_hall, WEDNESDAY) == []


# Booked appointments are kept, and the agent is told


def test_removing_hours_keeps_the_booked_appointments_and_tells_how_many(
    manager_client, now, passport, town_hall, alice, eve
):
    kept = [
        booked(town_hall, passport, alice, at("2027-03-03", "09:00")),
        booked(town_hall, passport, eve, at("2027-03-04", "11:00")),
    ]
    booked(town_hall, passport, eve, at("2027-03-05", "10:00"), status="cancelled")  # not to handle
    opening = town_hall.rules.get()
    response = manager_client.post(edit_rule_url(town_hall, opening), rule_data(passport, weekdays=["0", "1"]))
    assert response.url == settings_url(town_hall) + "#a-reprendre"
    response = manager_client.get(response.url)
    assert shown(response, *OUTSIDE, count=2)
    assert [item.appointment for item in response.context["uncovered"]] == kept
    assert {appointment.status for appointment in type(kept[0]).objects.filter(pk__in=[a.pk for a in kept])} == {
        "booked"
    }
    page = response.content.decode()
    day = reverse("backoffice:agenda", args=[town_hall.pk]) + "?date=2027-03-03"
    assert day in page and reverse("backoffice:appointment_cancel", args=[kept[0].public_id]) in page
    assert "Alice Martin" in page


def test_a_change_that_leaves_every_appointment_within_the_hours_warns_of_nothing(
    manager_client, now, passport, town_hall, alice
):
    booked(town_hall, passport, alice, at("2027-03-03", "09:00"))
    response = manager_client.post(add_rule_url(town_hall), rule_data(passport), follow=True)
    assert response.redirect_chain == [(settings_url(town_hall), 302)]
    assert not any(message.level_tag == "warning" for message in response.context["messages"])
    assert response.context["uncovered"] == []


def test_a_closure_over_a_booked_appointment_keeps_it_and_tells_the_agent(
    manager_client, now, passport, town_hall, alice
):
    appointment = booked(town_hall, passport, alice, at("2027-03-03", "09:00"))
    response = manager_client.post(add_closure_url(town_hall), closure_data(), follow=True)
    assert response.redirect_chain == [(settings_url(town_hall) + "#a-reprendre", 302)]
    assert shown(response, *OUTSIDE, count=1)
    (item,) = response.context["uncovered"]
    assert item.appointment == appointment and item.gap == "closed"
    appointment.refresh_from_db()
    assert appointment.status == "booked"


# Closures


def test_a_manager_adds_a_closure_that_removes_its_slots(manager_client, now, passport, town_hall):
    assert len(day_slots(passport, town_hall, WEDNESDAY)) == 9
    page = manager_client.get(add_closure_url(town_hall)).content.decode()
    assert 'type="datetime-local" name="start"' in page and '<label class="field__label" for="id_reason">' in page
    data = closure_data(start="2027-03-03T10:00", end="2027-03-03T12:00")
    response = manager_client.post(add_closure_url(town_hall), data, follow=True)
    assert response.redirect_chain == [(settings_url(town_hall), 302)]
    assert shown(response, "The closure is saved: no slot is offered then.")
    added = town_hall.closures.get()
    assert (added.start, added.end, added.reason) == (at("2027-03-03", "10:00"), at("2027-03-03", "12:00"), "Formation")
    assert day_slots(passport, town_hall, WEDNESDAY) == ["09:00", "09:20", "09:40"]
    assert "Formation" in response.content.decode()


def test_a_closure_ending_before_it_starts_is_refused_with_nothing_lost(manager_client, now, town_hall):
    data = closure_data(start="2027-03-04T10:00", end="2027-03-03T10:00", reason="Séminaire")
    response = manager_client.post(add_closure_url(town_hall), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert shown(response, "The end must come after the start.") and 'class="error-summary"' in page
    assert 'value="Séminaire"' in page and 'value="2027-03-04T10:00"' in page
    response = manager_client.post(add_closure_url(town_hall), closure_data(start="demain", reason=""))
    assert set(response.context["form"].errors) == {"start", "reason"}
    assert 'href="#id_start"' in response.content.decode()
    assert not Closure.objects.exists()


def test_a_manager_deletes_a_closure_and_its_slots_come_back(manager_client, now, passport, town_hall):
    gone = closure(town_hall)
    assert day_slots(passport, town_hall, WEDNESDAY) == []
    response = manager_client.post(delete_closure_url(town_hall, gone), follow=True)
    assert shown(response, "The closure is deleted: its slots are offered again.")
    assert not Closure.objects.exists()
    assert len(day_slots(passport, town_hall, WEDNESDAY)) == 9


def test_past_closures_are_not_listed(manager_client, now, town_hall):
    Closure.objects.create(agenda=town_hall, start=at("2027-02-01"), end=at("2027-02-02"), reason="Ancienne")
    assert "Ancienne" not in manager_client.get(settings_url(town_hall)).content.decode()


# Query counts


def test_the_settings_page_costs_the_same_queries_whatever_its_rules_closures_and_appointments(
    manager_client, now, passport, identity_card, town_hall, alice, eve, django_assert_max_num_queries
):
    url = settings_url(town_hall)
    closure(town_hall)
    booked(town_hall, passport, alice, at("2027-03-03", "09:00"))
    manager_client.get(url)  # the session and the organisation are cached from then on
    with django_assert_max_num_queries(14) as few:
        manager_client.get(url)
    for n in range(4):
        rule(
            town_hall, [passport, identity_card], weekdays=[5], opens=f"{8 + 2 * n:02}:00", closes=f"{9 + 2 * n:02}:00"
        )
        Closure.objects.create(
            agenda=town_hall, start=at("2027-03-10") + n * DAY, end=at("2027-03-11") + n * DAY, reason=f"F{n}"
        )
        booked(town_hall, passport, alice if n % 2 else eve, at("2027-03-10", "09:00") + n * DAY)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = manager_client.get(url)
    assert len(response.context["uncovered"]) == 5


def test_saving_a_period_or_a_closure_costs_a_bounded_number_of_queries(
    manager_client, now, passport, town_hall, alice, django_assert_max_num_queries
):
    for n in range(5):
        booked(town_hall, passport, alice, at("2027-03-02", "09:00") + n * DAY)
    # the checks of the model's constraints, the history rows, and the appointments out of hours before and after
    with django_assert_max_num_queries(42):
        assert manager_client.post(add_rule_url(town_hall), rule_data(passport)).status_code == 302
    with django_assert_max_num_queries(30):
        assert manager_client.post(add_closure_url(town_hall), closure_data()).status_code == 302
    assert OpeningRule.objects.count() == 2 and Closure.objects.count() == 1

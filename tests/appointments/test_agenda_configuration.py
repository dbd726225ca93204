"""Configuring an agenda: the opening-period form shared by the admin and the back office, the services that change
opening hours and closures (a manager of the agenda's department, or the agent whose agenda it is), and the booked
appointments those changes leave outside the hours (appointments_uncovered), kept and never cancelled.
"Now" is Monday 1 March 2027 at 08:00."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext

from appointments.forms import OpeningRuleForm
from appointments.models import Agenda, Closure, OpeningRule
from appointments.services import (
    closure_add,
    closure_delete,
    earlier_slot_alert_register,
    opening_rule_delete,
    opening_rule_save,
)
from appointments.slots import Gap, appointments_uncovered
from gru.models import Membership, Notification
from tests.appointments.conftest import at, booked, local, rule

NINE, NOON = datetime.time(9), datetime.time(12)


@pytest.fixture
def manager(bob, etat_civil):
    Membership.objects.filter(user=bob, department=etat_civil).update(role=Membership.Role.MANAGER)
    return bob


def period(**fields) -> dict:
    """The fields of an opening period (Saturday morning unless told otherwise), as the form and the service take
    them."""
    return {
        "weekdays": [5],
        "start_time": NINE,
        "end_time": NOON,
        "valid_from": None,
        "valid_until": None,
        "capacity": 1,
    } | fields


def form_data(type, **fields) -> dict:
    data = {"weekdays": ["5"], "start_time": "09:00", "end_time": "12:00", "capacity": "1", "types": [type.pk]}
    return data | fields


def gaps(agenda) -> list[tuple[str, Gap]]:
    """The appointments the agenda's hours no longer hold, by local start, and why."""
    return [(local(item.appointment.start), item.gap) for item in appointments_uncovered(agenda=agenda)]


# Who may change an agenda


def test_managers_and_the_agenda_s_own_agent_manage_it(bob, carol, manager, town_hall, planning_office, enfance):
    assert list(Agenda.objects.managed_by(manager)) == [town_hall]
    assert list(Agenda.objects.managed_by(carol)) == [planning_office]  # her own agenda, without being a manager
    Agenda.objects.create(department=enfance, name="Crèche", place="Crèche")  # bob is an agent there, no manager
    assert list(Agenda.objects.managed_by(bob)) == [town_hall]
    Membership.objects.filter(user=carol).delete()  # no longer of the department: no longer her agenda to manage
    assert not Agenda.objects.managed_by(carol).exists()


def test_an_agent_who_is_not_a_manager_changes_nothing(bob, now, passport, town_hall):
    opening = town_hall.rules.get()
    gone = Closure.objects.create(agenda=town_hall, start=at("2027-03-03"), end=at("2027-03-04"), reason="Travaux")
    with pytest.raises(PermissionDenied):
        opening_rule_save(agenda=town_hall, actor=bob, types=[passport], **period())
    with pytest.raises(PermissionDenied):
        opening_rule_delete(rule=opening, actor=bob)
    with pytest.raises(PermissionDenied):
        closure_add(agenda=town_hall, actor=bob, start=at("2027-03-05"), end=at("2027-03-06"), reason="Formation")
    with pytest.raises(PermissionDenied):
        closure_delete(closure=gone, actor=bob)
    assert list(town_hall.rules.all()) == [opening] and list(Closure.objects.all()) == [gone]


def test_carol_changes_no_etat_civil_agenda(carol, now, passport, town_hall):
    with pytest.raises(PermissionDenied):
        opening_rule_save(agenda=town_hall, actor=carol, types=[passport], **period())
    assert town_hall.rules.count() == 1


def test_a_period_of_another_agenda_is_not_changed_through_this_one(manager, now, passport, town_hall, annexe):
    theirs = annexe.rules.get()
    with pytest.raises(PermissionDenied):
        opening_rule_save(agenda=town_hall, actor=manager, rule=theirs, types=[passport], **period())
    theirs.refresh_from_db()
    assert theirs.weekdays == [0, 1, 2, 3, 4]


def test_a_department_closure_is_not_deleted_by_an_agent(manager, now, etat_civil):
    everywhere = Closure.objects.create(department=etat_civil, start=at("2027-03-03"), end=at("2027-03-04"), reason="x")
    with pytest.raises(PermissionDenied):
        closure_delete(closure=everywhere, actor=manager)
    assert Closure.objects.filter(pk=everywhere.pk).exists()


# Saving opening periods


def test_saving_a_period_sets_its_days_hours_desks_and_types(manager, now, passport, identity_card, town_hall):
    saved = opening_rule_save(
        agenda=town_hall, actor=manager, types=[passport, identity_card], **period(weekdays=[6, 5, 5], capacity=3)
    )
    saved.refresh_from_db()
    assert (saved.agenda, saved.weekdays, saved.capacity) == (town_hall, [5, 6], 3)
    assert set(saved.types.all()) == {passport, identity_card}


def test_the_service_refuses_an_overlapping_period_even_without_the_form(manager, now, passport, town_hall):
    with pytest.raises(ValidationError) as refused:
        opening_rule_save(
            agenda=town_hall, actor=manager, types=[passport], **period(weekdays=[0], end_time=NINE.replace(hour=10))
        )
    assert refused.value.code == "overlap"
    assert town_hall.rules.count() == 1


def test_a_period_changed_is_not_compared_with_itself(manager, now, passport, town_hall):
    opening = town_hall.rules.get()
    opening_rule_save(agenda=town_hall, actor=manager, rule=opening, types=[passport], **period(weekdays=[0, 1]))
    opening.refresh_from_db()
    assert opening.weekdays == [0, 1]


# The form shared by the admin and the back office


def test_the_form_refuses_a_period_overlapping_one_of_the_others(passport, town_hall):
    others = list(town_hall.rules.all())
    overlapping = OpeningRuleForm(form_data(passport, weekdays=["4", "5"], start_time="11:00"), others=others)
    assert not overlapping.is_valid()
    assert overlapping.non_field_errors() and overlapping.errors.as_data()["__all__"][0].code == "overlap"
    assert OpeningRuleForm(form_data(passport, weekdays=["5"]), others=others).is_valid()
    afternoon = OpeningRuleForm(
        form_data(passport, weekdays=["0"], start_time="12:00", end_time="14:00"), others=others
    )
    assert afternoon.is_valid()  # closing at noon and opening at noon do not overlap
    later = OpeningRuleForm(form_data(passport, weekdays=["0"], valid_from="2027-03-01"), others=others)
    assert not later.is_valid()


def test_the_form_refuses_what_the_model_s_constraints_refuse(passport):
    wrong = OpeningRuleForm(
        form_data(passport, start_time="12:00", end_time="09:00", valid_from="2027-04-02", valid_until="2027-04-01")
    )
    assert not wrong.is_valid()
    refused = {str(message) for message in wrong.non_field_errors()}
    assert refused == {
        gettext("The closing time must come after the opening time."),
        gettext("The last day must not come before the first one."),
    }
    assert "capacity" in OpeningRuleForm(form_data(passport, capacity="0")).errors
    assert "weekdays" in OpeningRuleForm(form_data(passport, weekdays=["7"])).errors


def test_the_admin_uses_the_shared_form(passport):
    from appointments.admin import OpeningRuleInline

    assert OpeningRuleInline.form is OpeningRuleForm


# Closures


def test_a_closure_is_added_with_its_reason_trimmed(manager, now, town_hall):
    added = closure_add(
        agenda=town_hall, actor=manager, start=at("2027-03-03"), end=at("2027-03-04"), reason=" Formation "
    )
    assert (added.agenda, added.department, added.reason) == (town_hall, None, "Formation")


def test_deleting_a_closure_tells_the_citizens_waiting_for_an_earlier_slot(
    manager, now, passport, town_hall, alice, django_capture_on_commit_callbacks
):
    gone = Closure.objects.create(agenda=town_hall, start=at("2027-03-02"), end=at("2027-03-10"), reason="Travaux")
    later = booked(town_hall, passport, alice, at("2027-03-15", "09:00"))
    earlier_slot_alert_register(appointment=later, citizen=alice, any_agenda=False)
    with django_capture_on_commit_callbacks(execute=False):
        closure_delete(closure=gone, actor=manager)
    told = Notification.objects.filter(event="earlier_slot_available", recipient=alice)
    assert told.exists() and f"deplacer={later.public_id}" in told.first().url
    later.earlier_slot_alert.refresh_from_db()
    assert later.earlier_slot_alert.last_alerted_at is not None


def test_deleting_a_past_closure_tells_nobody(manager, now, passport, town_hall, alice):
    gone = Closure.objects.create(agenda=town_hall, start=at("2027-02-01"), end=at("2027-02-05"), reason="Travaux")
    later = booked(town_hall, passport, alice, at("2027-03-15", "09:00"))
    earlier_slot_alert_register(appointment=later, citizen=alice, any_agenda=False)
    closure_delete(closure=gone, actor=manager)
    assert not Notification.objects.filter(event="earlier_slot_available").exists()


# The appointments the hours no longer hold


def test_appointments_within_the_hours_are_not_uncovered(now, passport, town_hall, alice, eve):
    booked(town_hall, passport, alice, at("2027-03-03", "09:00"))
    booked(town_hall, passport, eve, at("2027-03-03", "11:40"))  # ends at noon, as the period
    assert gaps(town_hall) == []


def test_a_closure_or_a_department_closure_or_a_public_holiday_uncovers_an_appointment(
    now, passport, town_hall, alice, etat_civil
):
    for day in ("03", "04", "05"):
        booked(town_hall, passport, alice, at(f"2027-03-{day}", "09:00"))
    booked(town_hall, passport, alice, at("2027-03-29", "09:00"))  # Easter Monday, booked before it was closed
    Closure.objects.create(agenda=town_hall, start=at("2027-03-03", "09:10"), end=at("2027-03-03", "10:00"), reason="x")
    Closure.objects.create(department=etat_civil, start=at("2027-03-05"), end=at("2027-03-06"), reason="y")
    assert gaps(town_hall) == [
        ("2027-03-03 09:00", Gap.CLOSED),
        ("2027-03-05 09:00", Gap.CLOSED),
        ("2027-03-29 09:00", Gap.CLOSED),
    ]
    Agenda.objects.filter(pk=town_hall.pk).update(open_on_public_holidays=True)
    town_hall.refresh_from_db()
    assert len(gaps(town_hall)) == 2


def test_removed_hours_or_types_uncover_their_appointments(now, passport, identity_card, town_hall, alice, eve):
    opening = town_hall.rules.get()
    opening.types.add(identity_card)
    booked(town_hall, passport, alice, at("2027-03-03", "09:00"))
    booked(town_hall, identity_card, eve, at("2027-03-04", "11:00"))
    OpeningRule.objects.filter(pk=opening.pk).update(end_time=datetime.time(11, 10))
    opening.types.remove(passport)
    assert gaps(town_hall) == [("2027-03-03 09:00", Gap.NO_HOURS), ("2027-03-04 11:00", Gap.NO_HOURS)]


def test_fewer_desks_uncover_the_appointments_beyond_them(now, passport, etat_civil, alice, eve):
    agenda = Agenda.objects.create(department=etat_civil, name="Guichets", place="Hall")
    opening = rule(agenda, [passport], capacity=2)
    booked(agenda, passport, alice, at("2027-03-03", "09:00"), desk=0)
    booked(agenda, passport, eve, at("2027-03-03", "09:00"), desk=1)
    assert gaps(agenda) == []
    OpeningRule.objects.filter(pk=opening.pk).update(capacity=1)
    assert gaps(agenda) == [("2027-03-03 09:00", Gap.NO_DESK)]


def test_past_and_cancelled_appointments_are_not_listed(now, passport, town_hall, alice, eve, time_machine):
    booked(town_hall, passport, alice, at("2027-02-26", "09:00"))
    booked(town_hall, passport, eve, at("2027-03-06", "09:00"), status="cancelled")  # a Saturday
    assert gaps(town_hall) == []


def test_the_uncovered_appointments_cost_three_queries_whatever_their_number(
    now, passport, town_hall, alice, django_assert_num_queries
):
    for n in range(6):
        booked(town_hall, passport, alice, at("2027-03-06", "09:00") + n * passport.duration)  # a Saturday
    with django_assert_num_queries(3):
        assert len(appointments_uncovered(agenda=town_hall)) == 6

"""slots_for: opening rules laid out in local time, minus holidays, closures and taken desks, in the booking window."""

import datetime

import pytest

from appointments.models import Agenda, Appointment, Closure
from appointments.slots import slots_for
from tests.appointments.conftest import NOW, at, booked, local, rule

DAY = datetime.timedelta(days=1)


def starts(type, agendas, day: str, *, days: int = 1, now=NOW, **options) -> list[str]:
    """The local start times of the free slots from `day`, for `days` days."""
    start = at(day)
    slots = slots_for(type=type, agendas=agendas, start=start, end=start + days * DAY, now=now, **options)
    return [local(slot.start) for slot in slots]


def times(type, agendas, day: str, **options) -> list[str]:
    return [start[-5:] for start in starts(type, agendas, day, **options)]


def test_a_rule_gives_back_to_back_slots_of_the_types_duration_from_its_opening(passport, town_hall):
    assert times(passport, [town_hall], "2027-03-03") == [
        *["09:00", "09:20", "09:40", "10:00", "10:20", "10:40", "11:00", "11:20", "11:40"]
    ]


def test_a_slot_that_would_end_after_the_closing_time_is_not_offered(passport, etat_civil):
    agenda = Agenda.objects.create(department=etat_civil, name="Guichet", place="Mairie")
    rule(agenda, [passport], opens="09:00", closes="10:10")
    assert times(passport, [agenda], "2027-03-03") == ["09:00", "09:20", "09:40"]


def test_a_rule_opens_only_on_its_weekdays_and_between_its_dates_included(passport, etat_civil):
    agenda = Agenda.objects.create(department=etat_civil, name="Guichet", place="Mairie")
    rule(
        agenda,
        [passport],
        weekdays=[2],
        opens="09:00",
        closes="09:20",
        valid_from=datetime.date(2027, 3, 10),
        valid_until=datetime.date(2027, 3, 24),
    )
    assert starts(passport, [agenda], "2027-03-01", days=31) == [
        "2027-03-10 09:00",
        "2027-03-17 09:00",
        "2027-03-24 09:00",
    ]


def test_slots_keep_their_local_time_across_the_change_to_summer_time(passport, town_hall):
    # Summer time starts on Sunday 28 March 2027; Monday 29 is Easter Monday.
    friday = slots_for(type=passport, agendas=[town_hall], start=at("2027-03-26"), end=at("2027-03-27"), now=NOW)[0]
    tuesday = slots_for(type=passport, agendas=[town_hall], start=at("2027-03-30"), end=at("2027-03-31"), now=NOW)[0]
    assert (local(friday.start), local(tuesday.start)) == ("2027-03-26 09:00", "2027-03-30 09:00")
    assert (friday.start.astimezone(datetime.UTC).hour, tuesday.start.astimezone(datetime.UTC).hour) == (8, 7)


def test_slots_keep_their_local_time_across_the_change_to_winter_time(passport, town_hall):
    # Winter time starts on Sunday 31 October 2027; Monday 1 November is All Saints' Day.
    friday = starts(passport, [town_hall], "2027-10-29", now=at("2027-10-01"))
    tuesday = starts(passport, [town_hall], "2027-11-02", now=at("2027-10-01"))
    assert friday[0] == "2027-10-29 09:00" and tuesday[0] == "2027-11-02 09:00"
    assert starts(passport, [town_hall], "2027-11-01", now=at("2027-10-01")) == []


def test_on_the_nights_of_the_changes_slots_last_their_real_duration(passport, etat_civil):
    agenda = Agenda.objects.create(department=etat_civil, name="Nuit", place="Mairie", open_on_public_holidays=True)
    rule(agenda, [passport], weekdays=[6], opens="01:00", closes="04:00")
    spring = slots_for(type=passport, agendas=[agenda], start=at("2027-03-28"), end=at("2027-03-29"), now=NOW)
    # 01:00 to 04:00 is two real hours that night (02:00 becomes 03:00).
    assert [local(slot.start)[-5:] for slot in spring] == [*["01:00", "01:20", "01:40", "03:00", "03:20", "03:40"]]
    autumn = slots_for(
        type=passport, agendas=[agenda], start=at("2027-10-31"), end=at("2027-11-01"), now=at("2027-10-01")
    )
    assert len(autumn) == 12  # four real hours (03:00 becomes 02:00)
    assert all(slot.end - slot.start == datetime.timedelta(minutes=20) for slot in spring + autumn)


@pytest.mark.parametrize(
    ("holiday", "next_day"),
    [("2027-03-29", "2027-03-30"), ("2027-07-14", "2027-07-15")],
    ids=["easter-monday", "14-july"],
)
def test_public_holidays_are_closed(passport, town_hall, holiday, next_day):
    now = at(holiday) - 10 * DAY
    assert starts(passport, [town_hall], holiday, now=now) == []
    assert starts(passport, [town_hall], next_day, now=now)[0] == f"{next_day} 09:00"


def test_an_agenda_may_open_on_public_holidays(passport, town_hall):
    Agenda.objects.filter(pk=town_hall.pk).update(open_on_public_holidays=True)
    town_hall.refresh_from_db()
    assert len(starts(passport, [town_hall], "2027-03-29")) == 9


def test_good_friday_is_closed_where_the_alsace_moselle_holidays_are_configured(passport, town_hall, settings):
    assert len(starts(passport, [town_hall], "2027-03-26")) == 9
    settings.PUBLIC_HOLIDAYS_SUBDIVISION = "57"
    assert starts(passport, [town_hall], "2027-03-26") == []


def test_a_closure_removes_the_slots_it_overlaps(passport, town_hall):
    Closure.objects.create(agenda=town_hall, start=at("2027-03-03", "10:10"), end=at("2027-03-03", "10:50"), reason="x")
    assert times(passport, [town_hall], "2027-03-03") == ["09:00", "09:20", "09:40", "11:00", "11:20", "11:40"]


def test_a_department_closure_closes_each_of_its_agendas_and_no_other(
    passport, planning_advice, town_hall, annexe, planning_office, etat_civil
):
    Closure.objects.create(department=etat_civil, start=at("2027-03-01"), end=at("2027-03-06"), reason="Inventaire")
    assert starts(passport, [town_hall, annexe], "2027-03-01", days=5) == []
    assert len(starts(planning_advice, [planning_office], "2027-03-01", days=5)) == 12


def test_each_desk_takes_one_appointment_at_a_time(passport, town_hall, alice, eve, bob):
    town_hall.rules.update(capacity=3)
    nine = at("2027-03-03", "09:00")

    def nine_oclock():
        slots = slots_for(type=passport, agendas=[town_hall], start=nine, end=nine + DAY, now=NOW)
        return (slots[0].capacity, slots[0].free) if slots[0].start == nine else None

    assert nine_oclock() == (3, 3)
    booked(town_hall, passport, alice, nine, desk=0)
    booked(town_hall, passport, eve, nine, desk=2)
    assert nine_oclock() == (3, 1)
    booked(town_hall, passport, bob, nine, desk=1)
    assert nine_oclock() is None


def test_an_appointment_of_a_longer_type_takes_its_desk_for_its_whole_duration(
    passport, identity_card, town_hall, alice
):
    town_hall.rules.get().types.add(identity_card)
    booked(town_hall, identity_card, alice, at("2027-03-03", "09:00"))  # until 09:30
    assert times(passport, [town_hall], "2027-03-03")[:2] == ["09:40", "10:00"]


def test_rules_written_overlapping_despite_the_admin_still_share_their_desks(passport, etat_civil, alice):
    agenda = Agenda.objects.create(department=etat_civil, name="Guichet", place="Mairie")
    rule(agenda, [passport], opens="09:00", closes="10:00")
    rule(agenda, [passport], opens="09:10", closes="10:10")
    booked(agenda, passport, alice, at("2027-03-03", "09:00"))  # its desk until 09:20
    assert times(passport, [agenda], "2027-03-03") == ["09:20", "09:30", "09:40", "09:50"]


def test_a_cancelled_appointment_leaves_its_desk_free(passport, town_hall, alice):
    booked(town_hall, passport, alice, at("2027-03-03", "09:00"), status=Appointment.Status.CANCELLED)
    assert times(passport, [town_hall], "2027-03-03")[0] == "09:00"


def test_the_minimum_notice_and_the_horizon_bound_the_slots(passport, town_hall):
    now = at("2027-03-03", "10:30")  # 90 days later: Tuesday 1 June 2027 at 10:30
    offered = starts(passport, [town_hall], "2027-03-03", days=100, now=now)
    assert offered[0] == "2027-03-04 09:00"  # 2 hours' notice: nothing left on the 3rd
    assert offered[-1] == "2027-06-01 10:20"


def test_agents_booking_for_a_citizen_skip_the_notice_but_not_the_past(passport, town_hall):
    now = at("2027-03-03", "10:30")
    assert starts(passport, [town_hall], "2027-03-03", now=now, by_agent=True)[0] == "2027-03-03 10:40"


def test_types_not_in_a_rule_are_not_offered(passport, identity_card, town_hall, planning_office, planning_advice):
    assert starts(identity_card, [town_hall], "2027-03-01", days=7) == []
    assert starts(passport, [planning_office], "2027-03-01", days=7) == []
    assert len(starts(planning_advice, [town_hall, planning_office], "2027-03-01", days=7)) == 12


def test_an_inactive_agenda_offers_nothing(passport, town_hall):
    town_hall.is_active = False
    assert starts(passport, [town_hall], "2027-03-01", days=7) == []


def test_slots_of_several_agendas_come_sorted_by_start(passport, town_hall, annexe):
    slots = slots_for(type=passport, agendas=[town_hall, annexe], start=at("2027-03-03"), end=at("2027-03-04"), now=NOW)
    assert [slot.start for slot in slots] == sorted(slot.start for slot in slots)
    assert {slot.agenda for slot in slots[:2]} == {town_hall, annexe}


def test_a_search_costs_three_queries_whatever_its_span(passport, town_hall, annexe, alice, django_assert_num_queries):
    booked(town_hall, passport, alice, at("2027-03-03", "09:00"))
    Closure.objects.create(agenda=annexe, start=at("2027-03-04"), end=at("2027-03-05"), reason="Formation")
    with django_assert_num_queries(3):
        slots = slots_for(type=passport, agendas=[town_hall, annexe], start=NOW, end=NOW + 90 * DAY, now=NOW)
    assert len(slots) > 500

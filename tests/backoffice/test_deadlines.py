"""Deadlines in working days: weekends and French public holidays excluded, paused while waiting for the citizen."""

import datetime

import time_machine
from django.utils import timezone

from backoffice import services
from backoffice.board import urgency
from gru.workdays import add_working_days, is_working_day, working_days_between
from teleservices import services as teleservices_services
from tests.backoffice.conftest import action, submit

PARIS = timezone.get_default_timezone()


def test_public_holidays_and_weekends_are_not_working_days():
    assert not is_working_day(datetime.date(2026, 12, 25))  # Christmas, a Friday
    assert not is_working_day(datetime.date(2026, 12, 26))  # Saturday
    assert is_working_day(datetime.date(2026, 12, 24))


def test_alsace_moselle_holidays_count_where_configured(settings):
    good_friday = datetime.date(2027, 3, 26)
    assert is_working_day(good_friday)
    settings.PUBLIC_HOLIDAYS_SUBDIVISION = "57"
    assert not is_working_day(good_friday)


def test_adding_working_days_skips_a_holiday_and_a_weekend():
    # Thursday 24 December + 2 working days: Friday 25 is Christmas, then the weekend: Tuesday 29.
    assert add_working_days(datetime.date(2026, 12, 24), 2) == datetime.date(2026, 12, 29)
    assert add_working_days(datetime.date(2026, 12, 29), -2) == datetime.date(2026, 12, 24)


def test_working_days_between_counts_after_the_start_up_to_the_end():
    assert working_days_between(datetime.date(2026, 12, 24), datetime.date(2026, 12, 29)) == 2
    assert working_days_between(datetime.date(2026, 12, 29), datetime.date(2026, 12, 24)) == -2


def test_the_deadline_counts_the_processing_days_from_submission(alice, teleservices):
    teleservice = teleservices["acte-de-naissance"]  # 10 working days
    with time_machine.travel(datetime.datetime(2026, 12, 17, 10, tzinfo=PARIS), tick=False):
        case = submit(alice, teleservice)
    # From Thursday 17 December: 18, 21, 22, 23, 24, (25 Christmas), 28, 29, 30, 31, (1 January), 2 January 2027 is
    # a Saturday: Monday 4 January.
    assert case.deadline == datetime.date(2027, 1, 4)


def test_waiting_for_the_citizen_pauses_the_deadline_and_completion_resumes_it(alice, bob, teleservices):
    with time_machine.travel(datetime.datetime(2026, 12, 1, 10, tzinfo=PARIS), tick=False):
        case = submit(alice, teleservices["acte-de-naissance"])
    assert case.deadline == datetime.date(2026, 12, 15)
    with time_machine.travel(datetime.datetime(2026, 12, 3, 10, tzinfo=PARIS), tick=False):
        case = services.case_transition(
            case=case, transition=action(case, "Demander des compléments"), actor=bob, comment="Votre pièce d'identité"
        )
    assert case.deadline is None and case.paused_days_left == 8 and case.awaits_citizen
    assert urgency(case) == "paused"
    # alice answers two weeks later, over the Christmas holiday: the 8 working days left start again.
    with time_machine.travel(datetime.datetime(2026, 12, 21, 10, tzinfo=PARIS), tick=False):
        case = teleservices_services.case_complete(case=case, author=alice, body="Voici ma pièce", files=[])
    assert case.status.key == "recue" and not case.awaits_citizen
    assert case.deadline == datetime.date(2027, 1, 4)  # 22, 23, 24, 28, 29, 30, 31 December, 4 January


def test_urgency_badges(birth_case):
    today = birth_case.deadline
    assert urgency(birth_case, today) == "urgent"
    assert urgency(birth_case, today + datetime.timedelta(days=1)) == "late"
    assert urgency(birth_case, add_working_days(today, -10)) == "on_time"

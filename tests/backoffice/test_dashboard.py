"""The agents' dashboard: figures on a known set of cases, scope, access, constant queries, accessible charts."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from backoffice import dashboard, services
from gru.colours import contrast_ratio
from gru.models import MINIMUM_CONTRAST
from teleservices.models import Case
from tests.backoffice.conftest import action, submit
from tests.conftest import sign_in

DASHBOARD = reverse("backoffice:dashboard")
PARIS = timezone.get_default_timezone()
NOW = datetime.datetime(2026, 4, 15, 12, tzinfo=PARIS)  # a Wednesday; Easter Monday was 6 April


def at(month, day, hour=10):
    return time_machine.travel(datetime.datetime(2026, month, day, hour, tzinfo=PARIS), tick=False)


def _decided(alice, bob, teleservice, filed, decided, label="Accepter"):
    """A case filed and decided at the given (month, day, hour) moments."""
    with at(*filed):
        case = submit(alice, teleservice)
    with at(*decided):
        return services.case_transition(case=case, transition=action(case, label), actor=bob, comment="Motif")


@pytest.fixture
def known_cases(alice, bob, teleservices):
    """État civil's cases seen on 15 April 2026: three decided, one being processed and overdue, one just received."""
    birth = teleservices["acte-de-naissance"]  # 10 working days
    # Thursday 2 April → Tuesday 7 April: 5 days, 2 working days (Friday 3, Tuesday 7: Easter Monday is off).
    _decided(alice, bob, birth, (4, 2), (4, 7))
    # Monday 30 March → Monday 6 April 13:00: 7.125 days, 4 working days (Tuesday 31 to Friday 3).
    _decided(alice, bob, birth, (3, 30), (4, 6, 13), label="Refuser")
    # Monday 2 February → Monday 16 February: 14 days, 10 working days; only in the last 90 days.
    _decided(alice, bob, birth, (2, 2), (2, 16))
    with at(3, 20):  # Friday 20 March: due on Friday 3 April, overdue on the 15th
        overdue = submit(alice, birth)
        services.case_transition(case=overdue, transition=action(overdue, "Prendre en charge"), actor=bob)
    with at(4, 14):
        submit(alice, birth)


def _get(client, user, query=""):
    """The dashboard on 15 April 2026 at noon, for `user` (or whoever is logged in already, when None)."""
    with time_machine.travel(NOW, tick=False):
        if user is not None:
            sign_in(client, user)
        return client.get(f"{DASHBOARD}{query}")


def _section(response, name):
    page = response.content.decode()
    start = page.index(f'<section aria-labelledby="{name}-title">')
    return page[start : page.index("</section>", start)]


def test_the_dashboard_counts_open_and_overdue_cases(client, bob, known_cases):
    figures = _get(client, bob).context["figures"]
    assert [(s.label, s.colour, s.count) for s in figures.statuses] == [
        ("Reçue", "#1d4f91", 1),
        ("En cours d'instruction", "#6a2c91", 1),
    ]
    assert [(t.title, t.count) for t in figures.overdue] == [("Demande d'acte de naissance", 1)]
    assert (figures.open_total, figures.overdue_total) == (2, 1)


def test_processing_time_is_averaged_in_days_and_working_days_over_the_period(client, bob, known_cases):
    (last_30,) = _get(client, bob).context["figures"].processing
    assert (last_30.decided, last_30.days, last_30.working_days) == (2, 6.1, 3.0)  # (5 + 7.125) / 2, (2 + 4) / 2
    (last_90,) = _get(client, bob, "?period=90").context["figures"].processing
    assert (last_90.decided, last_90.days, last_90.working_days) == (3, 8.7, 5.3)  # 26.125 / 3, 16 / 3


def test_the_public_holidays_given_to_postgresql_are_weekdays_going_five_years_back():
    holidays = dashboard.public_holidays(datetime.date(2026, 12, 31))
    assert datetime.date(2026, 12, 25) in holidays and datetime.date(2026, 12, 26) not in holidays  # a Saturday
    assert datetime.date(2021, 1, 1) in holidays  # five years back


def test_the_weeks_show_cases_filed_and_decided_each_week_including_quiet_ones(client, bob, known_cases):
    weeks = _get(client, bob).context["figures"].weeks
    assert [(w.start, w.filed, w.decided) for w in weeks] == [
        (datetime.date(2026, 3, 16), 1, 0),
        (datetime.date(2026, 3, 23), 0, 0),
        (datetime.date(2026, 3, 30), 2, 0),
        (datetime.date(2026, 4, 6), 0, 2),
        (datetime.date(2026, 4, 13), 1, 0),
    ]


def test_carol_sees_her_department_figures_not_etat_civil_ones_even_for_a_case_shared_with_her(
    client, alice, bob, carol, urbanisme, teleservices, known_cases
):
    with at(4, 14):
        shared = submit(alice, teleservices["acte-de-naissance"])
        services.case_share(case=shared, agent=carol, actor=bob)
        handed_over = submit(alice, teleservices["acte-de-naissance"])
    Case.objects.filter(pk=handed_over.pk).update(department=urbanisme)
    figures = _get(client, carol).context["figures"]
    assert [(s.label, s.count) for s in figures.statuses] == [("Reçue", 1)]
    assert figures.overdue == figures.processing == []
    assert [w.filed for w in figures.weeks] == [0, 0, 0, 0, 1]


def test_an_agent_narrows_the_figures_to_one_of_their_departments(client, bob, enfance, known_cases):
    figures = _get(client, bob, f"?department={enfance.pk}").context["figures"]
    assert figures.open_total == figures.filed_total == figures.decided_total == 0


def test_a_department_that_is_not_mine_or_a_bad_period_is_refused_with_an_error(client, bob, urbanisme, known_cases):
    for query in [f"?department={urbanisme.pk}", "?period=7"]:
        response = _get(client, bob, query)
        assert response.status_code == 200
        assert response.context["figures"] is None and response.context["form"].errors
        assert 'class="error-summary"' in response.content.decode()


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("persona", ["alice", "dave"])
def test_citizens_and_administrators_without_a_department_are_refused(client, request, persona):
    sign_in(client, request.getfixturevalue(persona))
    assert client.get(DASHBOARD).status_code == 403


def test_the_dashboard_refuses_post(bob_client):
    assert bob_client.post(DASHBOARD).status_code == 405


def test_the_nav_marks_the_dashboard_as_the_current_page(client, bob):
    page = _get(client, bob).content.decode()
    assert re.search(rf'<a href="{DASHBOARD}"\s+aria-current="page">', page)


def test_the_query_count_does_not_grow_with_the_cases(
    client, alice, bob, teleservices, known_cases, django_assert_max_num_queries
):
    _get(client, bob)
    with django_assert_max_num_queries(16) as few:
        _get(client, None, "?period=90")
    for day in (3, 4, 5):
        _decided(alice, bob, teleservices["acte-de-naissance"], (3, day), (3, day + 7))
    with at(3, 6):
        services.case_assign(case=submit(alice, teleservices["acte-de-naissance"]), assignee=bob, actor=bob)
    with django_assert_max_num_queries(len(few.captured_queries)):
        _get(client, None, "?period=90")


def test_each_chart_has_an_accessible_name_and_its_table_the_same_numbers(client, bob, known_cases):
    response = _get(client, bob)
    statuses = _section(response, "statuses")
    assert 'role="img" aria-labelledby="chart-statuses-title"' in re.sub(r"\s+", " ", statuses)
    title = re.search(r'<title id="chart-statuses-title">(.+?)</title>', statuses).group(1)
    assert title == re.search(r"<caption>(.+?)</caption>", statuses).group(1)
    assert 'fill="#1d4f91"' in statuses and 'fill="#6a2c91"' in statuses  # the statuses' colours
    bars = re.findall(r'<text class="bar-chart__value"[^>]*>([^<]+)</text>', statuses)
    cells = re.findall(r'<td class="number">([^<]+)</td>', statuses)
    assert bars == cells == ["1", "1"]
    processing = _section(response, "processing")
    (bar,) = re.findall(r'<text class="bar-chart__value"[^>]*>([^<]+)</text>', processing)
    assert bar.startswith("6,1")  # days, in French
    assert re.findall(r'<td class="number">([^<]+)</td>', processing) == ["2", "6,1", "3,0"]


def test_bars_are_scaled_to_the_largest_value_and_stacked_without_overlap():
    rows = [("Long", [dashboard.Measure(10, "10", "#1d4f91")]), ("Half", [dashboard.Measure(5, "5", "#1d4f91")])]
    chart = dashboard.bar_chart(html_id="c", title="Title", rows=[*rows, ("None", [dashboard.Measure(0, "0", "#000")])])
    longest, half, none = (row.bars[0] for row in chart.rows)
    longest_width = dashboard.WIDTH - dashboard.VALUE_SPACE
    assert (longest.width, half.width, none.width) == (longest_width, longest_width // 2, 0)
    assert half.text_x == longest_width // 2 + dashboard.TEXT_OFFSET
    assert longest.y + dashboard.BAR_HEIGHT < chart.rows[1].label_y < half.y
    assert chart.height == none.y + dashboard.BAR_HEIGHT


def test_the_fixed_bar_colours_are_readable_on_white():
    colours = [dashboard.OVERDUE_COLOUR, dashboard.PROCESSING_COLOUR, dashboard.FILED_COLOUR, dashboard.DECIDED_COLOUR]
    assert all(contrast_ratio(colour, "#ffffff") >= MINIMUM_CONTRAST for colour in colours)

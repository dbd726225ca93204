"""The task board: urgency order, keyset pages, filters, search, counts, bulk actions, saved views."""

import datetime

from django.urls import reverse
from django.utils import timezone

from backoffice import board, services
from backoffice.models import SavedView
from teleservices.models import Case
from tests.backoffice.conftest import action, submit

BOARD = reverse("backoffice:home")


def _cases_with_deadlines(alice, teleservices, offsets):
    """Cases of État civil whose deadlines are today + each offset in days (None: paused)."""
    today = timezone.localdate()
    cases = []
    for offset in offsets:
        case = submit(alice, teleservices["acte-de-naissance"])
        deadline = None if offset is None else today + datetime.timedelta(days=offset)
        Case.objects.filter(pk=case.pk).update(deadline=deadline)
        cases.append(case.reference)
    return cases


def _references(response):
    return [case.reference for case in response.context["page"].cases]


def test_the_board_shows_overdue_first_then_the_nearest_deadline_then_paused_cases(bob_client, alice, teleservices):
    paused, far, late, near = _cases_with_deadlines(alice, teleservices, [None, 20, -3, 2])
    response = bob_client.get(BOARD)
    assert response.status_code == 200
    assert _references(response) == [late, near, far, paused]
    page = response.content.decode()
    assert "En retard" in page and "En attente de l’usager" in page


def test_equal_deadlines_put_the_oldest_first(bob_client, alice, teleservices):
    first, second = _cases_with_deadlines(alice, teleservices, [5, 5])
    assert _references(bob_client.get(BOARD)) == [first, second]


def test_keyset_pages_follow_each_other_without_gaps_or_repeats(bob_client, alice, teleservices, monkeypatch):
    monkeypatch.setattr(board, "PAGE_SIZE", 2)
    references = _cases_with_deadlines(alice, teleservices, [3, None, -1, 3, 8])
    seen, url = [], BOARD
    for _page in range(5):
        if not url:
            break
        response = bob_client.get(url)
        seen += _references(response)
        cursor = response.context["page"].next_cursor
        url = f"{BOARD}?apres={cursor}" if cursor else ""
    assert seen == [references[i] for i in (2, 0, 3, 4, 1)]


def test_the_cases_of_several_departments_are_merged_in_one_order_across_pages(
    bob_client, bob, alice, teleservices, monkeypatch
):
    assert bob.memberships.count() == 2  # État civil and Enfance
    monkeypatch.setattr(board, "PAGE_SIZE", 2)
    today = timezone.localdate()
    expected = []
    for offset, slug in [(4, "acte-de-naissance"), (1, "inscription-scolaire"), (3, "acte-de-naissance"), (2, "x")]:
        teleservice = teleservices["inscription-scolaire" if slug == "x" else slug]
        case = Case.objects.create(
            teleservice=teleservice,
            version=teleservice.current_version,
            user=alice,
            reference=f"DEM-TEST-{offset}",
            status=teleservice.workflow.initial_status,
            department=teleservice.department,
            submitted_at=timezone.now(),
            deadline=today + datetime.timedelta(days=offset),
        )
        expected.append((offset, case.reference))
    seen, url = [], BOARD
    while url:
        response = bob_client.get(url)
        seen += _references(response)
        cursor = response.context["page"].next_cursor
        url = f"{BOARD}?apres={cursor}" if cursor else ""
    assert seen == [reference for _offset, reference in sorted(expected)]


def test_a_broken_cursor_shows_the_first_page(bob_client, birth_case):
    assert _references(bob_client.get(f"{BOARD}?apres=nimportequoi")) == [birth_case.reference]


def test_my_cases_are_those_assigned_to_me(bob_client, bob, alice, teleservices):
    mine, other = _cases_with_deadlines(alice, teleservices, [1, 2])
    services.case_assign(case=Case.objects.get(reference=mine), assignee=bob, actor=bob)
    assert _references(bob_client.get(f"{BOARD}?vue=mine")) == [mine]
    assert _references(bob_client.get(f"{BOARD}?assignee=none")) == [other]


def test_search_ignores_accents_and_finds_names_references_and_answers(bob_client, alice, eve, teleservices):
    alices = submit(alice, teleservices["acte-de-naissance"])
    eves = submit(eve, teleservices["acte-de-naissance"])
    assert _references(bob_client.get(f"{BOARD}?q=eve")) == [eves.reference]  # « Ève »
    assert _references(bob_client.get(f"{BOARD}?q=MARTIN")) == [alices.reference]
    assert _references(bob_client.get(f"{BOARD}?q={alices.reference}")) == [alices.reference]
    assert _references(bob_client.get(f"{BOARD}?q=alice@example.org")) == [alices.reference]
    assert _references(bob_client.get(f"{BOARD}?q=integrale")) == [alices.reference, eves.reference]


def test_filters_by_status_and_decided_cases(bob_client, bob, alice, teleservices):
    received, accepted = _cases_with_deadlines(alice, teleservices, [1, 2])
    case = Case.objects.get(reference=accepted)
    services.case_transition(case=case, transition=action(case, "Accepter"), actor=bob)
    status = case.teleservice.workflow.statuses.get(key="recue")
    assert _references(bob_client.get(f"{BOARD}?status={status.pk}")) == [received]
    assert _references(bob_client.get(f"{BOARD}?state=closed")) == [accepted]
    assert _references(bob_client.get(BOARD)) == [received]


def test_counts_per_status(bob_client, bob, alice, teleservices):
    references = _cases_with_deadlines(alice, teleservices, [1, 2, 3])
    case = Case.objects.get(reference=references[0])
    services.case_transition(case=case, transition=action(case, "Prendre en charge"), actor=bob)
    counts = {count["status__label"]: count["n"] for count in bob_client.get(BOARD).context["counts"]}
    assert counts == {"Reçue": 2, "En cours d'instruction": 1}


def test_a_bad_filter_gets_a_french_error(bob_client, birth_case):
    response = bob_client.get(f"{BOARD}?since=hier")
    assert response.status_code == 200 and "Saisissez une date valide." in response.content.decode()


def test_bulk_assign_and_bulk_action(bob_client, bob, alice, teleservices):
    references = _cases_with_deadlines(alice, teleservices, [1, 2])
    response = bob_client.post(reverse("backoffice:bulk"), {"cases": references, "action": f"assign:{bob.pk}"})
    assert response.status_code == 302
    assert set(Case.objects.filter(reference__in=references).values_list("assignee", flat=True)) == {bob.pk}
    accept = action(Case.objects.get(reference=references[0]), "Prendre en charge")
    bob_client.post(reverse("backoffice:bulk"), {"cases": references, "action": f"transition:{accept.pk}"})
    keys = set(Case.objects.filter(reference__in=references).values_list("status__key", flat=True))
    assert keys == {"en_cours"}


def test_a_bulk_action_not_allowed_on_one_case_changes_none(bob_client, bob, alice, teleservices):
    references = _cases_with_deadlines(alice, teleservices, [1, 2])
    first = Case.objects.get(reference=references[0])
    services.case_transition(case=first, transition=action(first, "Prendre en charge"), actor=bob, comment="")
    take = action(first, "Prendre en charge")
    response = bob_client.post(
        reverse("backoffice:bulk"), {"cases": references, "action": f"transition:{take.pk}"}, follow=True
    )
    page = response.content.decode()
    assert "Rien n’a été modifié" in page and references[0] in page
    keys = list(
        Case.objects.filter(reference__in=references).order_by("reference").values_list("status__key", flat=True)
    )
    assert sorted(keys) == ["en_cours", "recue"]


def test_bulk_actions_never_reach_cases_the_agent_cannot_see(carol_client, birth_case, carol):
    response = carol_client.post(reverse("backoffice:bulk"), {"cases": [birth_case.reference], "action": "assign:1"})
    assert response.status_code == 302
    assert Case.objects.get(pk=birth_case.pk).assignee is None


def test_an_agent_saves_a_view_and_finds_it_again(bob_client, bob, birth_case):
    query = "vue=mine&state=all"
    response = bob_client.post(reverse("backoffice:saved_view_create"), {"name": "Les miens", "query": query})
    assert response.status_code == 302
    view = SavedView.objects.get(user=bob)
    assert view.query == query
    assert f'href="?{query}"'.replace("&", "&amp;") in bob_client.get(BOARD).content.decode()
    bob_client.post(reverse("backoffice:saved_view_create"), {"name": "Les miens", "query": "q=x"})
    assert SavedView.objects.filter(user=bob).count() == 1


def test_the_board_query_count_does_not_grow_with_the_cases(
    bob_client, alice, teleservices, django_assert_max_num_queries
):
    _cases_with_deadlines(alice, teleservices, [1])
    with django_assert_max_num_queries(26) as few:
        bob_client.get(BOARD)
    _cases_with_deadlines(alice, teleservices, [2, 3, 4, 5, 6])
    with django_assert_max_num_queries(len(few.captured_queries)):
        bob_client.get(BOARD)

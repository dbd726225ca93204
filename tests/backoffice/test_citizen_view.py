"""The 360° view of a citizen: their household's requests and messages, for the agents who instruct them."""

from django.urls import reverse

from teleservices import services as teleservices_services
from tests.backoffice.conftest import submit


def _url(user):
    return reverse("backoffice:citizen", args=[user.pk])


def test_bob_sees_alices_requests_household_and_messages(bob_client, alice, teleservices):
    first = submit(alice, teleservices["acte-de-naissance"])
    second = submit(alice, teleservices["acte-de-naissance"])
    teleservices_services.case_message_post(
        case=second, author=alice, body="Faut-il venir en personne ?", files=[], from_agent=False
    )
    page = bob_client.get(_url(alice)).content.decode()
    assert first.reference in page and second.reference in page
    assert "Faut-il venir en personne ?" in page
    assert "Léa" in page  # a child of her household
    case_page = bob_client.get(reverse("backoffice:case", args=[first.reference])).content.decode()
    assert _url(alice) in case_page


def test_an_agent_who_instructs_none_of_her_requests_does_not_see_the_citizen(carol_client, alice, birth_case):
    assert carol_client.get(_url(alice)).status_code == 404


def test_a_citizen_without_requests_is_not_shown(bob_client, eve, birth_case):
    assert bob_client.get(_url(eve)).status_code == 404


def test_agents_are_not_citizens_here(bob_client, bob, birth_case):
    assert bob_client.get(_url(bob)).status_code == 404


def test_the_citizen_view_is_for_agents_only(client, alice, birth_case):
    assert client.get(_url(alice)).status_code == 302
    client.force_login(alice)
    assert client.get(_url(alice)).status_code == 403
    assert client.post(_url(alice)).status_code in (403, 405)


def test_the_citizen_view_query_count_does_not_grow_with_requests(
    bob_client, alice, teleservices, django_assert_max_num_queries
):
    for _ in range(4):
        submit(alice, teleservices["acte-de-naissance"])
    with django_assert_max_num_queries(18):  # 2 of them write the read in the access log
        assert bob_client.get(_url(alice)).status_code == 200

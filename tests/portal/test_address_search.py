"""Address suggestions: asked by our server of the Base Adresse Nationale (a local stand-in serving a recorded
answer), cached, limited per session, and silent when the geocoder is off, slow or failing."""

import pytest
from django.test import Client
from django.urls import reverse

from gru.checks import check_geocoder_is_reached_over_https
from portal.geocoder import Suggestion, address_search
from tests.conftest import sign_in

URL = reverse("portal:address_search")
BEAUGENCY = {
    "label": "12 Rue du Change 45190 Beaugency",
    "street": "12 Rue du Change",
    "postcode": "45190",
    "city": "Beaugency",
}


def test_the_suggestions_are_the_geocoders_addresses_in_the_parts_of_our_questions(alice_client, ban):
    response = alice_client.get(URL, {"q": "12 rue du change"})
    assert response.status_code == 200
    answer = response.json()
    assert answer["results"][0] == BEAUGENCY
    assert [r["city"] for r in answer["results"]] == ["Beaugency", "Orléans", "Tours", "Chartres"]  # not the town alone
    assert answer["message"].startswith("4 adresses proposées")
    assert response["Cache-Control"] == "private, no-store"
    (query,) = ban.queries
    assert query == {"q": ["12 rue du change"], "limit": ["5"], "autocomplete": ["1"]}


def test_an_answer_is_cached_so_the_geocoder_is_asked_once(db, ban):
    first = address_search(query="12 rue du change")
    again = address_search(query="12  Rue du CHANGE ")
    assert first == again and first[0] == Suggestion(**BEAUGENCY)
    assert len(ban.queries) == 1


@pytest.mark.parametrize("query", ["", "12", "  ab "])
def test_nothing_is_asked_for_less_than_three_characters(alice_client, ban, query):
    answer = alice_client.get(URL, {"q": query}).json()
    assert answer == {"results": [], "message": ""}
    assert ban.queries == []


def test_without_a_geocoder_nothing_is_suggested_and_nothing_fails(alice_client, settings):
    settings.GEOCODER_URL = ""
    response = alice_client.get(URL, {"q": "12 rue du change"})
    assert (response.status_code, response.json()) == (200, {"results": [], "message": ""})


@pytest.mark.parametrize(("status", "delay"), [(500, 0.0), (200, 1.5)])
def test_a_failing_or_slow_geocoder_gives_no_suggestion_and_no_error(alice_client, ban, status, delay):
    ban.status, ban.delay = status, delay
    response = alice_client.get(URL, {"q": "12 rue du change"})
    assert (response.status_code, response.json()) == (200, {"results": [], "message": ""})


def test_a_failure_is_not_cached(db, ban):
    ban.status = 500
    assert address_search(query="12 rue du change") == []
    ban.status = 200
    assert address_search(query="12 rue du change")[0].city == "Beaugency"


def test_a_session_asking_too_often_is_refused_for_the_rest_of_the_minute(alice_client, eve, ban, settings):
    settings.GEOCODER_RATE_PER_MINUTE = 3
    answers = [alice_client.get(URL, {"q": f"{n} rue du change"}).status_code for n in range(4)]
    assert answers == [200, 200, 200, 429]
    assert len(ban.queries) == 3
    other = Client()
    sign_in(other, eve)  # another session is not held back
    assert other.get(URL, {"q": "5 rue du change"}).status_code == 200


def test_an_anonymous_visitor_is_sent_to_sign_in_and_nothing_is_written(client, db, ban, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(URL, {"q": "12 rue du change"})
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    assert ban.queries == []


def test_the_search_takes_get_only(alice_client):
    assert alice_client.post(URL, {"q": "12 rue du change"}).status_code == 405


def test_the_street_of_an_address_asks_for_suggestions_only_with_a_geocoder(alice_client, settings):
    settings.GEOCODER_URL = "https://api-adresse.data.gouv.fr"
    page = alice_client.get(reverse("portal:household_address")).content.decode()
    assert f'data-address-search="{URL}"' in page and "js/address.js" in page
    settings.GEOCODER_URL = ""
    page = alice_client.get(reverse("portal:household_address")).content.decode()
    assert "data-address-search" not in page and "js/address.js" not in page
    assert 'name="street"' in page


@pytest.mark.parametrize(
    ("url", "warned"), [("https://api-adresse.data.gouv.fr", False), ("", False), ("http://addok:7878", True)]
)
def test_a_geocoder_reached_without_https_is_warned_of_at_deployment(settings, url, warned):
    settings.GEOCODER_URL = url
    assert [w.id for w in check_geocoder_is_reached_over_https(None)] == (["gru.W003"] if warned else [])

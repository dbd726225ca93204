"""The citizens' search (teleservices/search.py), on the demo's téléservices, categories and appointment types: the
words citizens use, accents and misspellings, what is suggested when nothing is found, and the page that shows it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appointments import demo as appointments_demo
from appointments.models import AppointmentType
from gru.models import Organisation
from teleservices.models import Teleservice
from teleservices.search import search
from tests.conftest import sign_in

IDENTITY_CARD = "Demande de carte nationale d'identité"
PASSPORT = "Demande de passeport"
IDENTITY_COLLECTION = "Retrait d'un passeport ou d'une carte d'identité"


@pytest.fixture
def catalogue(teleservices, alice):
    """The demo's téléservices and its appointment types, offered on the town hall's agendas."""
    appointments_demo.seed({"alice@example.org": alice})


def _found(text: str) -> dict[str, list[str]]:
    return {kind.key: [result.title for result in results] for kind, results in search(text).groups}


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("carte d'identité", {"appointments": [IDENTITY_CARD, IDENTITY_COLLECTION]}),
        ("passeport", {"appointments": [PASSPORT, IDENTITY_COLLECTION]}),
        ("cantine", {"teleservices": ["Inscription scolaire"]}),
        ("trou dans la route", {"teleservices": ["Signalement sur la voirie"]}),
        ("poubelles", {"teleservices": ["Bacs de collecte des déchets"]}),
    ],
)
def test_the_words_citizens_use_find_the_procedure(catalogue, query, found):
    assert _found(query) == found


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("pasport", {"appointments": [PASSPORT, IDENTITY_COLLECTION]}),
        ("carte didentite", {"appointments": [IDENTITY_CARD, IDENTITY_COLLECTION]}),
        ("CARTE D'IDENTITE", {"appointments": [IDENTITY_CARD, IDENTITY_COLLECTION]}),
        ("poubele", {"teleservices": ["Bacs de collecte des déchets"]}),
        ("etat civil", {"teleservices": ["Demande d'acte de naissance"], "categories": ["État civil"]}),
    ],
)
def test_accents_case_and_misspellings_are_forgiven(catalogue, query, found):
    assert _found(query) == found


def test_rows_holding_every_word_come_alone_when_there_are_some(catalogue):
    """Most téléservices say "demande": the passport, which also says "passeport", is the one found."""
    assert _found("demande de passeport") == {"appointments": [PASSPORT]}


def test_rows_holding_some_of_the_words_are_found_when_none_holds_them_all(catalogue):
    assert _found("inscription piscine") == {"teleservices": ["Inscription scolaire"]}


def test_keywords_added_by_an_administrator_are_found_at_once(catalogue):
    assert _found("enlèvement des encombrants") == {}
    Teleservice.objects.filter(slug="bacs-dechets").update(keywords="encombrants\nobjets volumineux")
    assert _found("enlèvement des encombrants") == {"teleservices": ["Bacs de collecte des déchets"]}
    AppointmentType.objects.filter(slug="passeport").update(keywords="voyage à l'étranger")
    assert _found("voyager a l'etranger") == {"appointments": [PASSPORT]}


def test_only_what_citizens_may_reach_is_found(catalogue):
    Teleservice.objects.filter(slug="inscription-scolaire").update(is_published=False)
    AppointmentType.objects.filter(slug="passeport").update(booking=AppointmentType.Booking.AGENTS)
    assert _found("cantine") == {}
    assert _found("passeport") == {"appointments": [IDENTITY_COLLECTION]}
    assert "Famille et scolarité" not in _found("famille scolarite").get("categories", [])


def test_search_operators_typed_are_read_as_text(catalogue):
    # The words are found whatever the signs around them (in an order of their own: the signs weigh on the ranking).
    found = _found("passeport & | ! ( ) : * ' <->")
    assert found.keys() == {"appointments"} and set(found["appointments"]) == {PASSPORT, IDENTITY_COLLECTION}
    for text in ("'", "\\", "%", "_", "!", "<->"):
        assert search(text).groups == [], text


def test_nothing_found_suggests_the_closest_titles_and_keywords(catalogue):
    found = search("cantoche")
    assert found.groups == [] and found.count == 0
    assert [(kind.key, result.title) for kind, result in found.suggestions] == [
        ("teleservices", "Inscription scolaire")
    ]
    assert search("xylophone").suggestions == []


def test_a_search_takes_the_same_few_queries_whatever_it_finds(catalogue, django_assert_max_num_queries):
    for query in ("passeport", "carte d'identité", "demande", "trou dans la route"):
        with django_assert_max_num_queries(4):
            search(query)
    for query in ("cantoche", "xylophone"):
        with django_assert_max_num_queries(7):
            search(query)


# The page: the home page's box asks the catalogue, which shows the results by kind.


def test_the_home_page_has_the_search_box_pointing_to_the_catalogue(client, organisation):
    page = client.get(reverse("home")).content.decode()
    assert 'role="search"' in page
    assert f'action="{reverse("teleservices:catalogue")}"' in page and 'name="q"' in page


def test_the_catalogue_shows_the_results_grouped_by_kind_with_their_links(client, catalogue):
    page = client.get(reverse("teleservices:catalogue"), {"q": "cni"}).content.decode()
    assert "2 résultats pour « cni »" in page
    assert '<h2 id="resultats-appointments">Rendez-vous</h2>' in page
    assert f'href="{reverse("appointments:slots", args=["carte-identite"])}"' in page
    assert f'href="{reverse("appointments:slots", args=["retrait-titre"])}"' in page
    assert 'value="cni"' in page  # the text typed is kept in the box


def test_a_category_found_links_to_its_heading_in_the_catalogue(client, catalogue):
    page = client.get(reverse("teleservices:catalogue"), {"q": "etat civil"}).content.decode()
    assert f'href="{reverse("teleservices:catalogue")}#categorie-etat-civil"' in page
    listing = client.get(reverse("teleservices:catalogue")).content.decode()
    assert 'id="categorie-etat-civil"' in listing


def test_nothing_found_shows_suggestions_and_how_to_contact_the_town_hall(client, catalogue):
    town_hall = Organisation.objects.get()
    town_hall.phone, town_hall.email, town_hall.address = "02 38 00 00 00", "mairie@example.org", "1 place de la Mairie"
    town_hall.save()
    page = client.get(reverse("teleservices:catalogue"), {"q": "cantoche"}).content.decode()
    assert "0 résultat" in page
    assert f'href="{reverse("teleservices:start", args=["inscription-scolaire"])}"' in page
    assert 'href="tel:0238000000"' in page and 'href="mailto:mairie@example.org"' in page
    assert "1 place de la Mairie" in page


def test_a_search_page_writes_nothing_and_takes_few_queries(client, catalogue, django_assert_max_num_queries):
    client.get(reverse("home"))  # the organisation, kept in the cache
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("home"))
        client.get(reverse("teleservices:catalogue"), {"q": "passeport"})
        client.get(reverse("teleservices:catalogue"), {"q": "xylophone"})
    assert [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")] == []
    with django_assert_max_num_queries(4):
        client.get(reverse("teleservices:catalogue"), {"q": "trou dans la route"})


def test_a_too_long_search_is_refused_with_the_text_kept(client, catalogue):
    text = "passeport " * 11
    page = client.get(reverse("teleservices:catalogue"), {"q": text}).content.decode()
    assert 'id="id_q_error"' in page and "100" in page
    assert text.strip() in page


def test_administrators_edit_the_keywords_in_the_admin(client, dave, catalogue):
    sign_in(client, dave)
    teleservice = Teleservice.objects.get(slug="bacs-dechets")
    page = client.get(reverse("admin:teleservices_teleservice_change", args=[teleservice.pk])).content.decode()
    assert "Mots-clés et synonymes" in page and "poubelle" in page
    type = AppointmentType.objects.get(slug="passeport")
    page = client.get(reverse("admin:appointments_appointmenttype_change", args=[type.pk])).content.decode()
    assert "Mots-clés et synonymes" in page

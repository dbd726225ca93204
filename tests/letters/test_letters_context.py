"""The plain context a request's letters are filled in from: every documented placeholder, plain values only."""

import datetime

from letters import rendering
from teleservices.letters_context import letter_context


def _paths(values, prefix=""):
    for key, value in values.items():
        if isinstance(value, dict) and key != "reponses":
            yield from _paths(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}"


def test_the_context_gives_exactly_the_documented_placeholders(bob, birth_case):
    context = letter_context(case=birth_case, agent=bob)
    assert set(_paths(context)) == rendering.PATHS | {rendering.ANSWERS}
    rendering.check_plain(context)


def test_the_context_reads_the_request_as_the_citizen_sees_it(bob, birth_case, organisation):
    context = letter_context(case=birth_case, agent=bob)
    assert context["usager"] == {"prenom": "Alice", "nom": "Martin", "nom_complet": "Alice Martin"}
    assert context["foyer"]["adresse"] == "1 rue Haute, 45630 Beaulieu-sur-Loire"
    assert context["demande"]["reference"] == birth_case.reference
    assert isinstance(context["demande"]["date_depot"], datetime.date)
    assert context["demande"]["reponses"]["type_copie"] == "Copie intégrale"
    assert context["demande"]["reponses"]["envoi"] == "À retirer en mairie"
    assert context["agent"] == {"nom": "Bob Agent"} and context["service"]["nom"] == "État civil"
    assert context["collectivite"] == {"nom": organisation.name}


def test_without_an_agent_the_agents_name_is_empty(birth_case):
    assert letter_context(case=birth_case)["agent"] == {"nom": ""}

"""The restricted rendering of letters: documented placeholders only, plain values only, nothing that reaches an
object, a method or a tag beyond `if`."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from letters import rendering

CONTEXT = {
    "usager": {"prenom": "Alice", "nom": "Martin", "nom_complet": "Alice Martin"},
    "demande": {
        "reference": "DEM-2026-7K4QXM",
        "date_depot": datetime.date(2026, 3, 3),
        "reponses": {"nombre": 2, "montant": Decimal("12.50"), "remarque": '<b>urgent</b> & "vite"'},
    },
}


def _messages(source: str) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        rendering.check(source)
    return refused.value.messages


def test_documented_placeholders_are_filled_in_with_french_dates_and_numbers():
    source = "{{ usager.prenom }} {{ usager.nom }}, {{ demande.reference }} du {{ demande.date_depot }} : "
    source += "{{ demande.reponses.nombre }} × {{ demande.reponses.montant }} €"
    rendering.check(source)
    assert rendering.render(source, CONTEXT) == "Alice Martin, DEM-2026-7K4QXM du 3 mars 2026 : 2 × 12,50 €"


def test_an_answer_is_printed_as_written_the_letters_html_escapes_it_once():
    assert rendering.render("{{ demande.reponses.remarque }}", CONTEXT) == '<b>urgent</b> & "vite"'


def test_an_answer_that_was_not_given_is_empty():
    assert rendering.render("[{{ demande.reponses.absente }}]", CONTEXT) == "[]"


def test_conditions_on_placeholders_are_allowed():
    source = '{% if demande.reponses.nombre > 1 and usager.nom == "Martin" %}plusieurs{% else %}un{% endif %}'
    rendering.check(source)
    assert rendering.render(source, CONTEXT) == "plusieurs"


def test_a_field_of_the_account_that_is_not_documented_is_refused_by_name():
    assert _messages("Bonjour {{ usager.password }}") == [
        "Variable inconnue « {{ usager.password }} » : voir la liste des variables."
    ]


def test_hidden_attributes_are_refused():
    assert _messages("{{ demande.__class__ }}") == [
        "« {{ demande.__class__ }} » n’est pas autorisé : les noms commençant par « _ » sont réservés."
    ]


@pytest.mark.parametrize(
    "source", ["{{ usager.nom.upper() }}", "{{ usager.nom|upper }}", "{{ _('Bonjour') }}", '{{ "texte" }}']
)
def test_method_calls_filters_and_literals_are_refused(source):
    (message,) = _messages(source)
    assert message.startswith(f"« {source} » n’est pas autorisé : ")


def test_a_method_of_a_value_is_not_a_placeholder():
    assert _messages("{{ usager.nom.upper }}") == [
        "Variable inconnue « {{ usager.nom.upper }} » : voir la liste des variables."
    ]


@pytest.mark.parametrize(
    "tag",
    [
        "{% for x in demande.reponses %}",
        "{% load static %}",
        "{% include 'base.html' %}",
        "{% debug %}",
        "{% now 'Y' %}",
    ],
)
def test_tags_other_than_if_are_refused(tag):
    (message,) = _messages(f"{tag}texte")
    assert message == f"La balise « {tag} » n’est pas autorisée : seules les balises if, elif, else, endif le sont."


def test_a_condition_on_an_unknown_placeholder_is_refused():
    assert _messages("{% if usager.mot_de_passe %}x{% endif %}") == [
        "Variable inconnue « usager.mot_de_passe » : voir la liste des variables."
    ]


def test_an_unclosed_condition_is_refused():
    (message,) = _messages("{% if usager.nom %}texte")
    assert "{% endif %}" in message


def test_every_culprit_is_named_once():
    assert len(_messages("{{ usager.mdp }} {{ usager.mdp }} {{ foyer.cle }}")) == 2


def test_answers_accept_any_identifier_but_one_level_only():
    rendering.check("{{ demande.reponses.type_copie }}")
    assert _messages("{{ demande.reponses.type_copie.label }}")
    assert _messages("{{ demande.reponses }}")


def test_a_lookup_finds_keys_never_methods_of_the_context():
    assert rendering.render("[{% if demande.reponses.items %}x{% endif %}]", CONTEXT) == "[]"


def test_the_context_must_hold_plain_values_only(alice):
    with pytest.raises(TypeError, match="usager.compte is a User"):
        rendering.render("{{ usager.nom }}", {"usager": {"nom": "Martin", "compte": alice}})


def test_every_documented_placeholder_passes_the_check():
    for path, _description in rendering.PLACEHOLDERS:
        rendering.check("{{ " + path.replace("<identifiant>", "nom") + " }}")

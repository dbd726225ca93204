"""Conditions in the administrators' syntax, hidden questions, eligibility, and the checks of a form definition."""

import pytest
from django.core.exceptions import ValidationError

from teleservices.conditions import Condition
from teleservices.definition import EligibilityDef, FieldDef, FormDefinition, PageDef, definition_errors
from teleservices.filling import PageForm


def _if(text: str) -> dict:
    return Condition.parse(text).to_dict()


@pytest.mark.parametrize(
    ("text", "answers", "holds"),
    [
        ("statut = entreprise", {"statut": "entreprise"}, True),
        ("statut = Entreprise", {"statut": "entreprise"}, True),
        ("statut != entreprise", {"statut": "particulier"}, True),
        ("statut != entreprise", {}, True),
        ("statut = entreprise", {}, False),
        ("surface > 10", {"surface": "12.5"}, True),
        ("surface > 10", {"surface": "9,5"}, False),
        ("nombre < 3", {"nombre": 2}, True),
        ("debut > 2026-06-30", {"debut": "2026-07-01"}, True),
        ("debut < 01/07/2026", {"debut": "2026-07-01"}, False),
        ("allergies = oui", {"allergies": True}, True),
        ("allergies = non", {"allergies": True}, False),
        ("niveau parmi CP, CE1", {"niveau": "CE1"}, True),
        ("services = cantine", {"services": ["matin", "cantine"]}, True),
        ("siret est rempli", {"siret": ""}, False),
        ("siret est rempli", {"siret": "73282932000074"}, True),
        ("statut = entreprise et surface > 10", {"statut": "entreprise", "surface": "5"}, False),
        ("statut = entreprise ou surface > 10", {"statut": "particulier", "surface": "50"}, True),
    ],
)
def test_a_condition_holds_on_answers_as_an_administrator_expects(text, answers, holds):
    assert Condition.parse(text).holds(answers) is holds


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("statut = entreprise et surface > 10 ou a = b", "soit « et », soit « ou »"),
        ("Statut == entreprise", "n'est pas compréhensible"),
        ("surface >", "n'a pas de valeur"),
    ],
)
def test_an_unreadable_condition_is_refused_with_the_reason(text, message):
    with pytest.raises(ValidationError) as error:
        Condition.parse(text)
    assert message in error.value.messages[0]


def test_a_condition_reads_back_as_written():
    text = "age parmi 3, 4, 5 et siret est rempli et surface != 0"
    assert Condition.parse(text).to_text() == text
    assert Condition.parse("") is None


CHOICE = FieldDef("boolean", "Allergie ?", key="allergies")
DETAIL = FieldDef("textarea", "Laquelle ?", key="detail", condition=_if("allergies = oui"))


def test_a_hidden_required_question_is_not_checked_and_its_answer_is_dropped():
    page = PageDef(title="P", fields=(CHOICE, DETAIL))
    form = PageForm({"allergies": "no", "detail": "arachide"}, page=page, answers={}, household=None)
    assert form.is_valid(), form.errors
    assert form.page_answers() == {"allergies": False}
    shown = PageForm({"allergies": "yes"}, page=page, answers={}, household=None)
    assert not shown.is_valid() and "detail" in shown.errors


DEFINITION = FormDefinition(
    pages=(
        PageDef(
            title="Éligibilité",
            fields=(
                FieldDef("boolean", "Domicilié ?", key="domicile"),
                FieldDef("text", "Statut", key="statut", required=False),
            ),
        ),
        PageDef(
            title="Entreprise", condition=_if("statut = entreprise"), fields=(FieldDef("siret", "SIRET", key="siret"),)
        ),
        PageDef(title="Détails", fields=(CHOICE, DETAIL)),
    ),
    eligibility=(EligibilityDef(condition=_if("domicile = non"), message="Réservé aux habitants."),),
)


def test_answers_of_hidden_pages_and_questions_are_dropped():
    answers = {"domicile": True, "siret": "73282932000074", "allergies": False, "detail": "x", "statut": "particulier"}
    assert DEFINITION.shown_answers(answers) == {"domicile": True, "statut": "particulier", "allergies": False}
    assert DEFINITION.shown_pages(answers) == [0, 2]


def test_missing_lists_the_required_questions_shown_and_unanswered():
    assert [f.key for f in DEFINITION.missing({"domicile": True, "allergies": True})] == ["detail"]


def test_eligibility_gives_the_explanations_of_the_broken_rules():
    assert DEFINITION.ineligibility({"domicile": False}) == ["Réservé aux habitants."]
    assert DEFINITION.ineligibility({"domicile": True}) == []
    assert not DEFINITION.eligibility_answered({}) and DEFINITION.eligibility_answered({"domicile": True})


def test_a_definition_survives_its_json_round_trip():
    assert FormDefinition.from_dict(DEFINITION.to_dict()) == DEFINITION


def _errors(*fields, complete=True, eligibility=()):
    return definition_errors(
        FormDefinition(pages=(PageDef(title="P", fields=fields),), eligibility=eligibility), complete=complete
    )


TEXT = FieldDef("text", "Nom", key="nom")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            (
                FieldDef("text", "Nom", key="nom", condition=_if("prenom est rempli")),
                FieldDef("text", "Prénom", key="prenom"),
            ),
            "n'est pas demandé avant",
        ),
        ((TEXT, FieldDef("text", "Nom", key="nom")), "L'identifiant « nom » est utilisé deux fois."),
        ((FieldDef("choice", "Choix", key="c"),), "ne propose aucune option"),
        ((FieldDef("file", "Pièce", key="p"),), "n'accepte aucun type de fichier"),
        (
            (FieldDef("integer", "N", key="n", options={"min_value": "5", "max_value": "1"}),),
            "minimum supérieur à son maximum",
        ),
        ((FieldDef("text", "Sans identifiant"),), "n'a pas d'identifiant"),
        ((), "ne pose aucune question"),
        ((FieldDef("block", "Bloc", key="b"),), "ne contient aucun champ"),
        (
            (
                FieldDef(
                    "block",
                    "Bloc",
                    key="b",
                    children=(FieldDef("file", "Pièce", key="p", options={"file_types": ["pdf"]}),),
                ),
            ),
            "ne peut pas contenir",
        ),
    ],
)
def test_a_definition_that_cannot_work_is_refused(fields, message):
    assert any(message in error for error in _errors(*fields)), _errors(*fields)


def test_a_form_being_edited_may_be_empty_or_have_an_empty_block():
    assert _errors(complete=False) == []
    assert _errors(FieldDef("block", "Bloc", key="b"), complete=False) == []


def test_eligibility_rules_may_only_use_questions_of_the_first_page():
    rule = EligibilityDef(condition=_if("ailleurs = oui"), message="Non.")
    assert any("n'est pas une question de la première page" in e for e in _errors(TEXT, eligibility=(rule,)))


def test_a_sound_definition_has_no_error():
    assert definition_errors(DEFINITION) == []

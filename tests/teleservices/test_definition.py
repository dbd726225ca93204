"""The checks of a form definition before it is published (definition_errors) and its JSON round trip."""

import json

import pytest

from teleservices.conditions import Condition
from teleservices.definition import EligibilityDef, FieldDef, FormDefinition, PageDef, definition_errors


def _if(text: str) -> dict:
    return Condition.parse(text).to_dict()


def _errors(*fields: FieldDef, complete: bool = True, eligibility=()) -> list[str]:
    definition = FormDefinition(pages=(PageDef(title="Demande", fields=fields),), eligibility=eligibility)
    return definition_errors(definition, complete=complete)


NAME = FieldDef("text", "Nom", key="nom")
PDF = {"file_types": ["pdf"]}
ROW = FieldDef("text", "Désignation", key="designation")


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        (
            (FieldDef("text", "Raison sociale", key="raison", condition=_if("statut = entreprise")), NAME),
            "champ « Raison sociale » utilise « statut », qui n'est pas demandé avant.",
        ),
        (
            (NAME, FieldDef("text", "Prénom", key="prenom", condition=_if("prenom est rempli"))),
            "champ « Prénom » utilise « prenom », qui n'est pas demandé avant.",
        ),
        (
            (FieldDef("info", "Pour les entreprises", condition=_if("statut = entreprise et siret est rempli")), NAME),
            "champ « Pour les entreprises » utilise « siret, statut », qui n'est pas demandé avant.",
        ),
    ],
    ids=["unknown", "itself", "info-with-two-unknown"],
)
def test_a_condition_on_a_question_not_asked_before_is_refused(fields, error):
    (message,) = _errors(*fields)
    assert message.startswith("La condition d")
    assert message.endswith(error)


def test_the_refusal_of_a_field_condition_is_written_in_correct_french():
    # "champ" is masculine: "la condition du champ", not "de la champ" (the page message rightly says "de la page").
    field = FieldDef("text", "Raison sociale", key="raison", condition=_if("statut = entreprise"))
    assert _errors(field) == [
        "La condition du champ « Raison sociale » utilise « statut », qui n'est pas demandé avant."
    ]


def test_a_condition_on_a_question_of_a_later_page_is_refused():
    definition = FormDefinition(
        pages=(
            PageDef(title="Occupation", fields=(FieldDef("decimal", "Surface", key="surface"),)),
            PageDef(
                title="Entreprise",
                condition=_if("statut = entreprise"),
                fields=(FieldDef("text", "SIRET", key="siret", condition=_if("surface > 10")),),
            ),
            PageDef(title="Demandeur", fields=(FieldDef("text", "Statut", key="statut"),)),
        )
    )
    assert definition_errors(definition) == [
        "La condition de la page « Entreprise » utilise « statut », qui n'est pas demandé avant."
    ]


def test_a_condition_on_a_question_inside_a_repeatable_block_is_refused():
    # A row's answer lives in the block's list: "quantite" alone never has an answer.
    block = FieldDef(
        "block", "Matériel", key="materiel", children=(ROW, FieldDef("integer", "Quantité", key="quantite"))
    )
    later = FieldDef("text", "Précisions", key="precisions", condition=_if("quantite > 3"))
    (message,) = _errors(block, later)
    assert message.endswith("« Précisions » utilise « quantite », qui n'est pas demandé avant.")


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ((FieldDef("choice", "Statut", key="statut"),), ["Le champ « Statut » ne propose aucune option."]),
        (
            (FieldDef("multiple", "Services", key="services", options={"choices": "\n  \n"}),),
            ["Le champ « Services » ne propose aucune option."],
        ),
        ((NAME, FieldDef("email", "Nom", key="nom")), ["L'identifiant « nom » est utilisé deux fois."]),
        (
            (FieldDef("block", "Matériel", key="materiel", children=(NAME,)), NAME),
            ["L'identifiant « nom » est utilisé deux fois."],
        ),
        (
            (NAME, FieldDef("block", "Matériel", key="materiel", children=(NAME,))),
            ["L'identifiant « nom » est utilisé deux fois."],
        ),
        ((FieldDef("text", "Sans identifiant"),), ["Le champ « Sans identifiant » n'a pas d'identifiant."]),
        (
            (FieldDef("file", "Justificatif", key="piece"),),
            ["Le champ « Justificatif » n'accepte aucun type de fichier."],
        ),
        ((FieldDef("block", "Matériel", key="materiel"),), ["Le champ « Matériel » ne contient aucun champ."]),
        ((), ["Le formulaire ne pose aucune question : ajoutez au moins un champ."]),
        (
            (FieldDef("title", "Votre demande"), FieldDef("info", "À savoir")),
            ["Le formulaire ne pose aucune question : ajoutez au moins un champ."],
        ),
    ],
    ids=[
        "choice-without-options",
        "multiple-with-blank-options",
        "duplicate",
        "duplicate-after-a-block",
        "duplicate-inside-a-block",
        "no-identifier",
        "file-without-type",
        "empty-block",
        "empty-form",
        "form-that-only-shows",
    ],
)
def test_a_definition_that_cannot_work_is_refused_in_french(fields, errors):
    assert _errors(*fields) == errors


def test_the_same_identifier_on_two_pages_is_refused():
    definition = FormDefinition(pages=(PageDef(title="Un", fields=(NAME,)), PageDef(title="Deux", fields=(NAME,))))
    assert definition_errors(definition) == ["L'identifiant « nom » est utilisé deux fois."]


@pytest.mark.parametrize(
    ("kind", "options"),
    [
        ("integer", {"min_value": "5", "max_value": "1"}),
        ("decimal", {"min_value": "0.5", "max_value": "0.25"}),
        ("integer", {"min_value": "0", "max_value": "-1"}),
        ("multiple", {"choices": "a\nb\nc", "min_choices": 3, "max_choices": 2}),
    ],
)
def test_a_minimum_above_the_maximum_is_refused(kind, options):
    assert _errors(FieldDef(kind, "Quantité", key="q", options=options)) == [
        "Le champ « Quantité » a un minimum supérieur à son maximum."
    ]


def test_a_block_with_more_rows_at_least_than_at_most_is_refused():
    block = FieldDef("block", "Matériel", key="materiel", options={"min_rows": 3, "max_rows": 2}, children=(ROW,))
    assert _errors(block) == ["Le champ « Matériel » a un minimum supérieur à son maximum."]


@pytest.mark.parametrize(
    "options",
    [
        {"min_value": "1", "max_value": "1"},
        {"min_value": "1"},
        {"max_value": "1"},
        {"min_value": "-5", "max_value": "0"},
    ],
)
def test_a_minimum_up_to_the_maximum_or_alone_is_accepted(options):
    assert _errors(FieldDef("decimal", "Surface", key="surface", options=options)) == []


@pytest.mark.parametrize(
    ("child", "label"),
    [
        (FieldDef("file", "Photo", key="photo", options=PDF), "Photo"),
        (FieldDef("members", "Enfant", key="enfant"), "Enfant"),
        (
            FieldDef("block", "Sous-bloc", key="sous_bloc", children=(FieldDef("text", "Note", key="note"),)),
            "Sous-bloc",
        ),
    ],
)
def test_a_repeatable_block_cannot_contain_a_file_a_member_picker_or_a_block(child, label):
    block = FieldDef("block", "Matériel", key="materiel", children=(ROW, child))
    assert _errors(block) == [f"Un bloc répétable ne peut pas contenir « {label} »."]


def test_the_fields_of_a_repeatable_block_are_checked_too():
    block = FieldDef("block", "Matériel", key="materiel", children=(FieldDef("choice", "Type", key="type"),))
    assert _errors(block) == ["Le champ « Type » ne propose aucune option."]


def test_a_form_being_edited_may_be_empty_or_have_a_block_without_fields():
    assert _errors(complete=False) == []
    assert _errors(FieldDef("block", "Matériel", key="materiel"), complete=False) == []
    assert definition_errors(FormDefinition(pages=()), complete=False) == []


def test_a_form_being_edited_is_still_refused_what_can_never_work():
    assert _errors(NAME, NAME, complete=False) == ["L'identifiant « nom » est utilisé deux fois."]
    block = FieldDef("block", "Matériel", key="materiel", children=(FieldDef("file", "Photo", key="p", options=PDF),))
    assert _errors(block, complete=False) == ["Un bloc répétable ne peut pas contenir « Photo »."]


def test_an_eligibility_rule_may_only_use_questions_of_the_first_page():
    definition = FormDefinition(
        pages=(PageDef(title="Un", fields=(NAME,)), PageDef(title="Deux", fields=(FieldDef("boolean", "?", key="b"),))),
        eligibility=(EligibilityDef(condition=_if("b = non et autre = oui et nom = x"), message="Non."),),
    )
    assert definition_errors(definition) == [
        "Une règle d'éligibilité utilise « autre, b », qui n'est pas une question de la première page."
    ]


def test_several_problems_are_all_reported():
    fields = (FieldDef("choice", "Statut", key="statut"), FieldDef("file", "Justificatif", key="statut"))
    assert _errors(*fields) == [
        "Le champ « Statut » ne propose aucune option.",
        "L'identifiant « statut » est utilisé deux fois.",
        "Le champ « Justificatif » n'accepte aucun type de fichier.",
    ]


DEFINITION = FormDefinition(
    pages=(
        PageDef(
            title="Le demandeur",
            fields=(
                FieldDef("title", "Vous"),
                FieldDef(
                    "choice",
                    "Vous êtes",
                    key="statut",
                    options={"choices": "particulier | Un particulier\nentreprise | Une entreprise"},
                ),
                FieldDef("siret", "SIRET", key="siret", condition=_if("statut = entreprise")),
                FieldDef("boolean", "Habitez-vous la commune ?", key="domicile"),
                FieldDef("email", "Courriel", key="email", options={"prefill": "email"}),
            ),
        ),
        PageDef(
            title="L'occupation",
            condition=_if("statut = entreprise ou domicile = oui"),
            fields=(
                FieldDef("date", "Premier jour", key="debut", options={"date_bounds": "future"}),
                FieldDef("decimal", "Surface", key="surface", options={"min_value": "0.5", "max_value": "500"}),
                FieldDef("address", "Lieu", key="lieu", help_text="Numéro et rue."),
                FieldDef(
                    "block",
                    "Matériel",
                    key="materiel",
                    options={"min_rows": 1, "max_rows": 10},
                    children=(ROW, FieldDef("integer", "Quantité", key="quantite", options={"min_value": "1"})),
                ),
                FieldDef("file", "Plan", key="plan", required=False, options={"file_types": ["pdf", "png"]}),
                FieldDef("multiple", "Jours", key="jours", options={"choices": "lun\nmar\nmer", "max_choices": 2}),
                FieldDef("textarea", "Précisions", key="precisions", condition=_if("surface > 100")),
            ),
        ),
    ),
    eligibility=(EligibilityDef(condition=_if("domicile = non et statut = particulier"), message="Réservé."),),
)


def test_a_sound_definition_has_no_error():
    assert definition_errors(DEFINITION) == []


def test_the_published_demo_teleservices_have_no_error(teleservices):
    for teleservice in teleservices.values():
        assert definition_errors(teleservice.current_version.form) == [], teleservice.slug


def test_a_definition_survives_its_json_round_trip():
    stored = json.loads(json.dumps(DEFINITION.to_dict()))
    assert FormDefinition.from_dict(stored) == DEFINITION
    assert FormDefinition.from_dict(stored).to_dict() == DEFINITION.to_dict()


def test_the_json_of_a_definition_keeps_every_part():
    stored = json.loads(json.dumps(DEFINITION.to_dict()))
    block = stored["pages"][1]["fields"][3]
    assert block["key"] == "materiel"
    assert [child["key"] for child in block["children"]] == ["designation", "quantite"]
    assert stored["pages"][1]["condition"] == _if("statut = entreprise ou domicile = oui")
    assert stored["eligibility"] == [
        {"condition": _if("domicile = non et statut = particulier"), "message": "Réservé."}
    ]


def test_a_definition_without_eligibility_rules_is_read_back():
    stored = json.loads(json.dumps(FormDefinition(pages=(PageDef(title="P", fields=(NAME,)),)).to_dict()))
    del stored["eligibility"]
    assert FormDefinition.from_dict(stored) == FormDefinition(pages=(PageDef(title="P", fields=(NAME,)),))


def test_fields_lists_the_questions_of_every_page_in_order():
    assert [f.key for f in DEFINITION.fields()] == [
        "statut",
        "siret",
        "domicile",
        "email",
        "debut",
        "surface",
        "lieu",
        "materiel",
        "plan",
        "jours",
        "precisions",
    ]

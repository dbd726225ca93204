"""Every field type of the form engine: good answers stored as JSON, bad ones refused in French, nothing else lost."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from teleservices.definition import FieldDef, PageDef
from teleservices.filling import PageForm
from tests.teleservices.conftest import pdf_bytes

TODAY = datetime.date(2026, 11, 25)
NAME = FieldDef(kind="text", key="nom", label="Nom")


def _form(field: FieldDef, data: dict, *, household=None, answers=None, files=None) -> PageForm:
    page = PageDef(title="Page", fields=(NAME, field))
    return PageForm({"nom": "Martin", **data}, files, page=page, answers=answers or {}, household=household)


def _answer(field: FieldDef, data: dict, **kwargs):
    form = _form(field, data, **kwargs)
    assert form.is_valid(), form.errors
    return form.page_answers()[field.key]


def _error(field: FieldDef, data: dict, **kwargs) -> str:
    form = _form(field, data, **kwargs)
    assert not form.is_valid()
    assert form.page_answers(partial=True)["nom"] == "Martin"  # the other answers are kept
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


GOOD = [
    (FieldDef("text", "Code", key="code", options={"max_length": 5}), {"code": "AB12"}, "AB12"),
    (FieldDef("textarea", "Détails", key="details"), {"details": "Ligne 1\nLigne 2"}, "Ligne 1\nLigne 2"),
    (FieldDef("email", "Courriel", key="mail"), {"mail": "alice@example.org"}, "alice@example.org"),
    (FieldDef("phone", "Téléphone", key="tel"), {"tel": "06 12 34 56 78"}, "+33612345678"),
    (FieldDef("integer", "Nombre", key="n", options={"min_value": "1", "max_value": "5"}), {"n": "3"}, 3),
    (FieldDef("decimal", "Surface", key="s", options={"min_value": "0.5"}), {"s": "12,5"}, "12.5"),
    (FieldDef("date", "Date", key="d", options={"date_bounds": "past"}), {"d": "14/07/1989"}, "1989-07-14"),
    (FieldDef("boolean", "Oui ou non", key="b"), {"b": "no"}, False),
    (FieldDef("choice", "Choix", key="c", options={"choices": "a | Alpha\nb | Bêta"}), {"c": "b"}, "b"),
    (
        FieldDef("multiple", "Choix", key="m", options={"choices": "a\nb\nc", "min_choices": 2}),
        {"m": ["a", "c"]},
        ["a", "c"],
    ),
    (
        FieldDef("address", "Adresse", key="adr"),
        {"adr__street": "1 rue Haute", "adr__postcode": "45630", "adr__city": "Beaulieu"},
        {"street": "1 rue Haute", "postcode": "45630", "city": "Beaulieu"},
    ),
    (
        FieldDef("iban", "IBAN", key="iban"),
        {"iban": "FR76 3000 6000 0112 3456 7890 189"},
        "FR7630006000011234567890189",
    ),
    (FieldDef("siret", "SIRET", key="siret"), {"siret": "732 829 320 00074"}, "73282932000074"),
]


@pytest.mark.parametrize(("field", "data", "expected"), GOOD, ids=[f.kind for f, _d, _e in GOOD])
def test_a_good_answer_is_stored_as_json(field, data, expected):
    with time_machine.travel(TODAY):
        assert _answer(field, data) == expected


BAD = [
    (FieldDef("text", "Code", key="code", options={"max_length": 5}), {"code": "ABCDEFG"}, "au plus 5 caractères"),
    (
        FieldDef("text", "Code", key="code", options={"pattern": r"^\d{5}$", "pattern_message": "Cinq chiffres."}),
        {"code": "12a"},
        "Cinq chiffres.",
    ),
    (FieldDef("text", "Code", key="code"), {"code": ""}, "Ce champ est obligatoire."),
    (FieldDef("email", "Courriel", key="mail"), {"mail": "alice@"}, "Saisissez une adresse de courriel valide."),
    (FieldDef("phone", "Téléphone", key="tel"), {"tel": "12"}, "Saisissez un numéro de téléphone valide"),
    (FieldDef("integer", "Nombre", key="n", options={"max_value": "5"}), {"n": "9"}, "inférieure ou égale à 5"),
    (FieldDef("integer", "Nombre", key="n"), {"n": "trois"}, "Saisissez un nombre entier."),
    (FieldDef("decimal", "Surface", key="s", options={"min_value": "0.5"}), {"s": "0,1"}, "supérieure ou égale à 0.5"),
    (FieldDef("date", "Date", key="d"), {"d": "31/02/2020"}, "Saisissez une date valide."),
    (FieldDef("date", "Date", key="d", options={"date_bounds": "past"}), {"d": "01/01/2030"}, "pas dans le futur"),
    (FieldDef("date", "Date", key="d", options={"date_bounds": "future"}), {"d": "01/01/2020"}, "pas dans le passé"),
    (FieldDef("boolean", "Oui ou non", key="b"), {}, "Ce champ est obligatoire."),
    (FieldDef("choice", "Choix", key="c", options={"choices": "a\nb"}), {"c": "z"}, "Sélectionnez un choix valide"),
    (
        FieldDef("multiple", "Choix", key="m", options={"choices": "a\nb\nc", "min_choices": 2}),
        {"m": ["a"]},
        "Choisissez au moins 2 options.",
    ),
    (
        FieldDef("multiple", "Choix", key="m", options={"choices": "a\nb\nc", "max_choices": 1}),
        {"m": ["a", "b"]},
        "Choisissez au plus 1 option.",
    ),
    (
        FieldDef("address", "Adresse", key="adr"),
        {"adr__street": "1 rue Haute", "adr__postcode": "456", "adr__city": "Beaulieu"},
        "code postal de 5 chiffres",
    ),
    (FieldDef("iban", "IBAN", key="iban"), {"iban": "FR76 3000 6000 0112 3456 7890 188"}, "Saisissez un IBAN valide"),
    (FieldDef("siret", "SIRET", key="siret"), {"siret": "73282932000075"}, "Saisissez un numéro SIRET valide"),
    (FieldDef("file", "Pièce", key="piece", options={"file_types": ["pdf"]}), {}, "Ajoutez un fichier."),
]


@pytest.mark.parametrize(("field", "data", "message"), BAD, ids=[f"{f.kind}-{i}" for i, (f, _d, _m) in enumerate(BAD)])
def test_a_bad_answer_is_refused_in_french_and_the_others_are_kept(field, data, message):
    with time_machine.travel(TODAY):
        assert message in _error(field, data)


def test_a_file_already_attached_satisfies_a_required_file_field():
    field = FieldDef("file", "Pièce", key="piece", options={"file_types": ["pdf"]})
    attached = {"piece": {"id": "x", "name": "a.pdf", "size": 3, "type": "application/pdf"}}
    assert _answer(field, {}, answers=attached) == attached["piece"]


def test_a_new_file_is_checked_and_handed_to_the_service():
    field = FieldDef("file", "Pièce", key="piece", options={"file_types": ["pdf"], "max_size_mb": 1})
    form = _form(field, {}, files={"piece": SimpleUploadedFile("avis.pdf", pdf_bytes())})
    assert form.is_valid()
    assert form.checked_files["piece"].mime == "application/pdf"
    assert "piece" not in form.page_answers()  # recorded once stored


@pytest.mark.parametrize(
    ("member_filter", "multiple", "offered"),
    [
        ("minors", False, {"Léa", "Hugo"}),
        ("adults", True, {"Alice", "Julien"}),
        ("all", True, {"Alice", "Julien", "Léa", "Hugo"}),
    ],
)
def test_the_household_member_picker_offers_the_filtered_members(alice, member_filter, multiple, offered):
    household = alice.household_member.household
    field = FieldDef(
        "members", "Qui ?", key="qui", options={"member_filter": member_filter, "multiple_members": multiple}
    )
    form = _form(field, {}, household=household)
    assert {label.split()[0] for _value, label in form.fields["qui"].choices} == offered


def test_the_member_picker_stores_the_names_and_birth_dates_of_the_chosen(alice):
    household = alice.household_member.household
    lea, hugo = household.members.get(first_name="Léa"), household.members.get(first_name="Hugo")
    field = FieldDef("members", "Enfants", key="enfants", options={"member_filter": "minors", "multiple_members": True})
    answer = _answer(field, {"enfants": [str(lea.pk), str(hugo.pk)]}, household=household)
    assert answer == [
        {"id": lea.pk, "name": "Léa Martin", "birth_date": "2017-06-08"},
        {"id": hugo.pk, "name": "Hugo Martin", "birth_date": "2020-11-30"},
    ]
    julien = household.members.get(first_name="Julien")
    assert "Sélectionnez un choix valide" in _error(field, {"enfants": [str(julien.pk)]}, household=household)


def test_information_and_titles_ask_nothing():
    page = PageDef(title="P", fields=(FieldDef("title", "Section"), FieldDef("info", "À savoir"), NAME))
    form = PageForm({"nom": "Martin"}, page=page, answers={}, household=None)
    assert list(form.fields) == ["nom"] and form.is_valid()


BLOCK = FieldDef(
    "block",
    "Matériel",
    key="materiel",
    options={"min_rows": 1, "max_rows": 2},
    children=(
        FieldDef("text", "Désignation", key="designation"),
        FieldDef("integer", "Quantité", key="quantite", options={"min_value": "1"}),
    ),
)


def _rows(*rows, total=None):
    data = {"materiel-TOTAL_FORMS": str(total or len(rows)), "materiel-INITIAL_FORMS": "0"}
    for index, (designation, quantity) in enumerate(rows):
        data |= {f"materiel-{index}-designation": designation, f"materiel-{index}-quantite": quantity}
    return data


def test_a_repeatable_block_stores_its_rows():
    answer = _answer(BLOCK, _rows(("Barrière", "4"), ("Panneau", "1")))
    assert answer == [{"designation": "Barrière", "quantite": 4}, {"designation": "Panneau", "quantite": 1}]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_rows(("Barrière", "0")), "supérieure ou égale à 1"),
        (_rows(("A", "1"), ("B", "1"), ("C", "1")), "Veuillez soumettre au plus 2 formulaires."),
        (_rows(total=1), "Veuillez soumettre au moins 1 formulaire."),
    ],
    ids=["bad-row", "too-many-rows", "too-few-rows"],
)
def test_a_repeatable_block_checks_its_rows_and_their_number(data, message):
    form = _form(BLOCK, data)
    assert not form.is_valid()
    assert any(message in error for _id, _label, error in form.error_links())
    assert form.page_answers(partial=True)["nom"] == "Martin"

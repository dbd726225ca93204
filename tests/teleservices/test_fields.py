"""Each field type of the form engine (teleservices/fields.py, checks.py, answers.py): what a good answer is stored
as, how a bad one is refused in French, and that the other answers of the request are never lost."""

import dataclasses
import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from teleservices.definition import FieldDef, PageDef
from teleservices.forms import PageForm
from tests.teleservices.conftest import pdf_bytes, png_bytes

MORNING = datetime.datetime(2026, 11, 25, 10, tzinfo=datetime.UTC)  # 25 November 2026 in Paris
NAME = FieldDef("text", "Nom", key="nom")
EARLIER = {"demandeur": "Alice Martin"}  # an answer of an earlier page
REQUIRED = "Ce champ est obligatoire."


def _form(field: FieldDef, data: dict, *, answers=None, files=None, household=None) -> PageForm:
    page = PageDef(title="Page", fields=(NAME, field))
    return PageForm(
        {"nom": "Martin", **data}, files, page=page, answers={**EARLIER, **(answers or {})}, household=household
    )


def _stored(field: FieldDef, data: dict, **kwargs):
    form = _form(field, data, **kwargs)
    assert form.is_valid(), form.error_links()
    return form.page_answers()[field.key]


def _refused(field: FieldDef, data: dict, *, rows_kept: bool = False, **kwargs) -> list[str]:
    """The French messages of a refused answer, once checked that the other answers are kept (and the rows of a block
    refused for their number only, with `rows_kept`: nothing typed is lost)."""
    form = _form(field, data, **kwargs)
    assert not form.is_valid()
    kept = form.page_answers(partial=True)
    assert kept["nom"] == "Martin"
    assert kept["demandeur"] == "Alice Martin"
    assert (field.key in kept) is rows_kept
    return [message for _id, _label, message in form.error_links()]


def _q(kind: str, required: bool = True, **options) -> FieldDef:
    """A question of this kind, identified by "x"."""
    return FieldDef(kind, "Question", key="x", required=required, options=options)


def _data(value) -> dict:
    """The POST data of an answer to "x": an address is given as its three inputs, None as nothing."""
    if value is None:
        return {}
    if isinstance(value, tuple):
        return dict(zip(["x__street", "x__postcode", "x__city"], value, strict=True))
    return {"x": value}


ONE_TO_FIVE = {"min_value": "1", "max_value": "5"}
CHOICES = {"choices": "a | Alpha\nb | Bêta\nc"}
LIST = {"choices": "PS | Petite section\nCP\nCE1", "choice_display": "list"}
ADDRESS = {"street": "1 rue Haute", "postcode": "45630", "city": "Beaulieu-sur-Loire"}
IBAN = "FR7630006000011234567890189"

GOOD = [
    ("short-text", _q("text", max_length=5), "AB12", "AB12"),
    ("short-text-pattern", _q("text", pattern=r"^\d{5}$"), "45630", "45630"),
    ("short-text-optional", _q("text", required=False), "", ""),
    ("long-text", _q("textarea"), "Ligne 1\nLigne 2", "Ligne 1\nLigne 2"),
    ("email", _q("email"), "alice@example.org", "alice@example.org"),
    ("mobile", _q("phone"), "06 12 34 56 78", "+33612345678"),
    ("landline", _q("phone"), "01.23.45.67.89", "+33123456789"),
    ("international", _q("phone"), "+33 6 12 34 56 78", "+33612345678"),
    ("phone-optional", _q("phone", required=False), "", ""),
    ("integer", _q("integer", **ONE_TO_FIVE), "3", 3),
    ("integer-min", _q("integer", **ONE_TO_FIVE), "1", 1),
    ("integer-max", _q("integer", **ONE_TO_FIVE), "5", 5),
    ("decimal-comma", _q("decimal"), "12,5", "12.5"),
    ("decimal-point", _q("decimal"), "12.5", "12.5"),
    ("decimal-min", _q("decimal", min_value="0.5"), "0,5", "0.5"),
    ("decimal-max", _q("decimal", max_value="500"), "500", "500"),
    ("date", _q("date"), "14/07/1989", "1989-07-14"),
    ("date-past", _q("date", date_bounds="past"), "24/11/2026", "2026-11-24"),
    ("date-future", _q("date", date_bounds="future"), "26/11/2026", "2026-11-26"),
    ("yes", _q("boolean"), "yes", True),
    ("no", _q("boolean"), "no", False),
    ("yes-no-optional", _q("boolean", required=False), None, None),
    ("radio", _q("choice", **CHOICES), "b", "b"),
    ("list", _q("choice", **LIST), "CE1", "CE1"),
    ("multiple", _q("multiple", **CHOICES, min_choices=2, max_choices=2), ["a", "c"], ["a", "c"]),
    ("multiple-optional", _q("multiple", required=False, **CHOICES), None, []),
    ("address", _q("address"), tuple(ADDRESS.values()), ADDRESS),
    ("iban", _q("iban"), "FR76 3000 6000 0112 3456 7890 189", IBAN),
    ("iban-lower-case", _q("iban"), IBAN.lower(), IBAN),
    ("siret", _q("siret"), "73282932000074", "73282932000074"),
    ("siret-spaced", _q("siret"), "732 829 320 00074", "73282932000074"),
]


@pytest.mark.parametrize(("field", "value", "expected"), [g[1:] for g in GOOD], ids=[g[0] for g in GOOD])
@time_machine.travel(MORNING, tick=False)
def test_a_good_answer_is_stored_as_json(field, value, expected):
    assert _stored(field, _data(value)) == expected


INVALID_CHOICE = "Sélectionnez un choix valide. {} n’en fait pas partie."
POSTCODE = "Saisissez un code postal de 5 chiffres, par exemple 45190."
BAD = [
    (
        "too-long",
        _q("text", max_length=5),
        "ABCDEFG",
        "Assurez-vous que cette valeur comporte au plus 5 caractères (actuellement 7).",
    ),
    (
        "pattern-own-message",
        _q("text", pattern=r"^\d{5}$", pattern_message="Cinq chiffres."),
        "4563a",
        "Cinq chiffres.",
    ),
    ("pattern-default-message", _q("text", pattern=r"^\d{5}$"), "4563a", "Cette réponse n'a pas la forme attendue."),
    ("short-text-blank", _q("text"), "  ", REQUIRED),
    ("long-text-empty", _q("textarea"), "", REQUIRED),
    ("email", _q("email"), "alice@", "Saisissez une adresse de courriel valide."),
    ("phone", _q("phone"), "06 12 34", "Saisissez un numéro de téléphone valide, par exemple 06 12 34 56 78."),
    ("integer-below", _q("integer", **ONE_TO_FIVE), "0", "Assurez-vous que cette valeur est supérieure ou égale à 1."),
    ("integer-above", _q("integer", **ONE_TO_FIVE), "6", "Assurez-vous que cette valeur est inférieure ou égale à 5."),
    ("integer-decimal", _q("integer"), "2,5", "Saisissez un nombre entier."),
    (
        "decimal-below",
        _q("decimal", min_value="1"),
        "0,5",
        "Assurez-vous que cette valeur est supérieure ou égale à 1.",
    ),
    (
        "decimal-above",
        _q("decimal", max_value="500"),
        "500,5",
        "Assurez-vous que cette valeur est inférieure ou égale à 500.",
    ),
    (
        "decimal-below-a-stored-bound",
        _q("decimal", min_value="0.5000"),
        "0,25",
        "Assurez-vous que cette valeur est supérieure ou égale à 0,5.",
    ),
    (
        "decimal-above-a-stored-bound",
        _q("decimal", max_value="1500.0000"),
        "1500,5",
        "Assurez-vous que cette valeur est inférieure ou égale à 1500.",
    ),
    ("decimal-words", _q("decimal"), "douze", "Saisissez un nombre."),
    ("date-impossible", _q("date"), "31/02/2020", "Le 31 février 2020 n'existe pas : ce mois compte 29 jours."),
    (
        "date-words",
        _q("date"),
        "demain",
        "Saisissez la date sous la forme jour/mois/année, par exemple 14/07/1985.",
    ),
    ("date-future", _q("date", date_bounds="past"), "26/11/2026", "Saisissez une date qui n'est pas dans le futur."),
    ("date-past", _q("date", date_bounds="future"), "24/11/2026", "Saisissez une date qui n'est pas dans le passé."),
    ("yes-no-empty", _q("boolean"), None, REQUIRED),
    ("yes-no-other", _q("boolean"), "peut-être", INVALID_CHOICE.format("peut-être")),
    ("radio-unknown", _q("choice", **CHOICES), "z", INVALID_CHOICE.format("z")),
    ("radio-empty", _q("choice", **CHOICES), None, REQUIRED),
    ("list-empty", _q("choice", **LIST), "", REQUIRED),
    ("multiple-too-few", _q("multiple", **CHOICES, min_choices=2), ["a"], "Choisissez au moins 2 options."),
    ("multiple-too-many", _q("multiple", **CHOICES, max_choices=1), ["a", "b"], "Choisissez au plus 1 option."),
    ("optional-too-few", _q("multiple", False, **CHOICES, min_choices=2), ["a"], "Choisissez au moins 2 options."),
    ("multiple-empty", _q("multiple", **CHOICES), None, REQUIRED),
    ("multiple-unknown", _q("multiple", **CHOICES), ["a", "z"], INVALID_CHOICE.format("z")),
    ("postcode-4-digits", _q("address"), ("1 rue Haute", "4563", "Beaulieu"), POSTCODE),
    ("postcode-letters", _q("address"), ("1 rue Haute", "45 63A", "Beaulieu"), POSTCODE),
    (
        "iban-checksum",
        _q("iban"),
        "FR76 3000 6000 0112 3456 7890 188",
        "Saisissez un IBAN valide, par exemple FR76 3000 6000 0112 3456 7890 189.",
    ),
    ("siret-luhn", _q("siret"), "73282932000075", "Saisissez un numéro SIRET valide de 14 chiffres."),
    ("siret-13-digits", _q("siret"), "7328293200007", "Saisissez un numéro SIRET valide de 14 chiffres."),
    ("file-missing", _q("file", file_types=["pdf"]), None, "Ajoutez un fichier."),
]


@pytest.mark.parametrize(("field", "value", "message"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
@time_machine.travel(MORNING, tick=False)
def test_a_bad_answer_is_refused_in_french_and_the_other_answers_are_kept(field, value, message):
    assert _refused(field, _data(value)) == [message]


def test_an_empty_required_address_asks_for_its_three_parts():
    assert _refused(_q("address"), {}) == [REQUIRED, REQUIRED, REQUIRED]


def test_a_wrong_answer_keeps_the_answer_given_before_on_this_question():
    field = FieldDef("phone", "Téléphone", key="tel")
    form = _form(field, {"tel": "12"}, answers={"tel": "+33612345678"})
    assert not form.is_valid()
    assert form.page_answers(partial=True)["tel"] == "+33612345678"


def test_iban_with_a_wrong_checksum_is_refused_in_french():
    field = FieldDef("iban", "IBAN", key="iban")
    assert _stored(field, {"iban": "FR76 3000 6000 0112 3456 7890 189"}) == "FR7630006000011234567890189"
    assert _refused(field, {"iban": "FR76 3000 6000 0112 3456 7891 189"}) == [
        "Saisissez un IBAN valide, par exemple FR76 3000 6000 0112 3456 7890 189."
    ]


@time_machine.travel(datetime.datetime(2026, 11, 25, 23, 30, tzinfo=datetime.UTC), tick=False)
def test_date_bounds_use_the_day_in_paris_and_accept_today():
    # 23:30 UTC on 25 November is already 26 November in Paris.
    past = FieldDef("date", "Date", key="d", options={"date_bounds": "past"})
    future = FieldDef("date", "Date", key="d", options={"date_bounds": "future"})
    assert _stored(past, {"d": "26/11/2026"}) == "2026-11-26"
    assert _stored(future, {"d": "26/11/2026"}) == "2026-11-26"
    assert _refused(future, {"d": "25/11/2026"}) == ["Saisissez une date qui n'est pas dans le passé."]


def test_a_list_choice_starts_with_an_empty_option_and_radio_buttons_do_not():
    radio = _q("choice", choices="a | Alpha\nb")
    listed = _q("choice", choices="a | Alpha\nb", choice_display="list")
    assert _form(radio, {}).fields["x"].choices == [("a", "Alpha"), ("b", "b")]
    assert _form(listed, {}).fields["x"].choices == [("", "—"), ("a", "Alpha"), ("b", "b")]


def test_an_address_is_asked_in_three_inputs():
    form = _form(FieldDef("address", "Adresse", key="adr"), {})
    assert list(form.fields) == ["nom", "adr__street", "adr__postcode", "adr__city"]


def test_an_optional_address_may_be_left_empty():
    field = FieldDef("address", "Adresse", key="adr", required=False)
    assert _stored(field, {}) == {"street": "", "postcode": "", "city": ""}


def test_an_optional_address_once_started_must_be_complete():
    field = FieldDef("address", "Adresse", key="adr", required=False)
    form = _form(field, {"adr__street": "1 rue Haute"})
    assert not form.is_valid()
    assert "adr" not in form.page_answers(partial=True)


PDF_ONLY = FieldDef("file", "Justificatif", key="piece", options={"file_types": ["pdf"], "max_size_mb": 1})
ATTACHED = {"id": "3f2c", "name": "avis.pdf", "size": 1234, "type": "application/pdf"}


def test_a_required_file_already_attached_needs_no_new_upload():
    assert _stored(PDF_ONLY, {}, answers={"piece": ATTACHED}) == ATTACHED


def test_an_optional_file_may_be_left_out():
    assert _stored(FieldDef("file", "Photo", key="photo", required=False, options={"file_types": ["png"]}), {}) is None


def test_an_uploaded_file_is_checked_and_left_for_the_service_to_store():
    form = _form(PDF_ONLY, {}, files={"piece": SimpleUploadedFile("avis.pdf", pdf_bytes(), "application/pdf")})
    assert form.is_valid(), form.errors
    assert form.checked_files["piece"].mime == "application/pdf"
    assert "piece" not in form.page_answers()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("photo.png", png_bytes(), "image/png"),
            "Le fichier « photo.png » n'est pas d'un type accepté (PDF).",
        ),
        (
            SimpleUploadedFile("faux.pdf", b"%PDF-1.7 not really", "application/pdf"),
            "Le fichier « faux.pdf » est endommagé ou n'est pas ce qu'il prétend être.",
        ),
    ],
    ids=["wrong-type", "damaged"],
)
def test_a_file_that_is_not_accepted_is_refused_in_french(upload, message):
    assert _refused(PDF_ONLY, {}, files={"piece": upload}) == [message]


def test_a_file_too_large_is_refused_in_french():
    upload = SimpleUploadedFile("gros.pdf", pdf_bytes() + b"\0" * 1024 * 1024, "application/pdf")
    (message,) = _refused(PDF_ONLY, {}, files={"piece": upload})
    assert message.startswith("Le fichier « gros.pdf » est trop volumineux")
    assert message.endswith("le maximum est de 1\xa0Mo.")


def test_an_empty_file_is_refused_with_one_message_only():
    # Django's own check says the file is empty; "Ajoutez un fichier" would contradict what the citizen did.
    upload = SimpleUploadedFile("vide.pdf", b"", "application/pdf")
    assert _refused(PDF_ONLY, {}, files={"piece": upload}) == ["Le fichier soumis est vide."]


def test_information_and_titles_ask_nothing_and_store_nothing():
    page = PageDef(title="P", fields=(FieldDef("title", "Votre demande"), FieldDef("info", "À savoir"), NAME))
    form = PageForm({"nom": "Martin"}, page=page, answers={}, household=None)
    assert list(form.fields) == ["nom"]
    assert form.is_valid()
    assert form.page_answers() == {"nom": "Martin"}


def _members(household, **options) -> PageForm:
    field = FieldDef("members", "Qui ?", key="qui", options=options)
    return _form(field, {}, household=household)


@pytest.mark.parametrize(
    ("member_filter", "offered"),
    [
        ("adults", ["Julien", "Alice"]),
        ("minors", ["Léa", "Hugo"]),
        ("all", ["Julien", "Alice", "Léa", "Hugo"]),
    ],
)
@time_machine.travel(MORNING, tick=False)
def test_the_member_picker_offers_the_members_its_filter_keeps(alice, member_filter, offered):
    form = _members(alice.household_member.household, member_filter=member_filter)
    assert [label.split()[0] for _pk, label in form.fields["qui"].choices] == offered


@time_machine.travel(datetime.datetime(2035, 6, 8, 10, tzinfo=datetime.UTC), tick=False)
def test_a_child_is_an_adult_on_her_eighteenth_birthday(alice):
    household = alice.household_member.household
    adults = _members(household, member_filter="adults").fields["qui"].choices
    minors = _members(household, member_filter="minors").fields["qui"].choices
    assert [label for _pk, label in adults] == ["Julien Martin", "Alice Martin", "Léa Martin"]
    assert [label for _pk, label in minors] == ["Hugo Martin"]


@time_machine.travel(MORNING, tick=False)
def test_the_member_picker_stores_the_chosen_members_with_their_birth_dates(alice):
    household = alice.household_member.household
    lea, hugo = household.members.get(first_name="Léa"), household.members.get(first_name="Hugo")
    several = FieldDef("members", "Enfants", key="qui", options={"member_filter": "minors", "multiple_members": True})
    one = FieldDef("members", "Enfant", key="qui", options={"member_filter": "minors"})
    assert _stored(several, {"qui": [str(lea.pk), str(hugo.pk)]}, household=household) == [
        {"id": lea.pk, "name": "Léa Martin", "birth_date": "2017-06-08"},
        {"id": hugo.pk, "name": "Hugo Martin", "birth_date": "2020-11-30"},
    ]
    assert _stored(one, {"qui": str(hugo.pk)}, household=household) == [
        {"id": hugo.pk, "name": "Hugo Martin", "birth_date": "2020-11-30"}
    ]


@time_machine.travel(MORNING, tick=False)
def test_the_member_picker_refuses_a_member_its_filter_leaves_out(alice):
    household = alice.household_member.household
    julien = household.members.get(first_name="Julien")
    field = FieldDef("members", "Enfant", key="qui", options={"member_filter": "minors"})
    assert _refused(field, {"qui": str(julien.pk)}, household=household) == [
        f"Sélectionnez un choix valide. {julien.pk} n’en fait pas partie."
    ]


def test_the_member_picker_refuses_a_member_of_another_household(alice, eve):
    eve_member = eve.household_member
    field = FieldDef("members", "Qui ?", key="qui", options={"multiple_members": True})
    assert _refused(field, {"qui": [str(eve_member.pk)]}, household=alice.household_member.household) == [
        f"Sélectionnez un choix valide. {eve_member.pk} n’en fait pas partie."
    ]


def test_the_member_picker_requires_a_choice(alice):
    field = FieldDef("members", "Qui ?", key="qui")
    assert _refused(field, {}, household=alice.household_member.household) == [REQUIRED]


BLOCK = FieldDef(
    "block",
    "Matériel",
    key="materiel",
    options={"min_rows": 1, "max_rows": 2},
    children=(
        FieldDef("text", "Désignation", key="designation"),
        FieldDef("integer", "Quantité", key="quantite", options={"min_value": "1"}),
        FieldDef("phone", "Contact", key="contact", required=False),
    ),
)


def _rows(*rows: dict, total: int | None = None, prefix: str = "materiel") -> dict:
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows) if total is None else total), f"{prefix}-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        data |= {f"{prefix}-{index}-{name}": value for name, value in row.items()}
    return data


def test_a_repeatable_block_is_a_formset_prefixed_with_its_identifier():
    (formset,) = _form(BLOCK, _rows({"designation": "Barrière", "quantite": "4"})).formsets
    assert formset.prefix == "materiel"
    assert list(formset.forms[0].fields) == ["designation", "quantite", "contact", "DELETE"]


def test_a_repeatable_block_stores_its_rows_as_a_list_of_answers():
    data = _rows(
        {"designation": "Barrière", "quantite": "4", "contact": "06 12 34 56 78"},
        {"designation": "Panneau", "quantite": "1"},
    )
    assert _stored(BLOCK, data) == [
        {"designation": "Barrière", "quantite": 4, "contact": "+33612345678"},
        {"designation": "Panneau", "quantite": 1, "contact": ""},
    ]


def test_a_deleted_row_is_not_stored():
    data = _rows(
        {"designation": "Barrière", "quantite": "4"}, {"designation": "Panneau", "quantite": "1", "DELETE": "on"}
    )
    assert _stored(BLOCK, data) == [{"designation": "Barrière", "quantite": 4, "contact": ""}]


def test_an_optional_block_may_have_no_row():
    field = FieldDef("block", "Matériel", key="materiel", required=False, children=BLOCK.children)
    assert _stored(field, _rows(total=0)) == []


@pytest.mark.parametrize(
    ("data", "messages", "rows_kept"),
    [
        (
            _rows({"designation": "Barrière", "quantite": "0"}),
            ["Assurez-vous que cette valeur est supérieure ou égale à 1."],
            False,
        ),
        (
            _rows({"designation": "Barrière", "quantite": "1", "contact": "12"}),
            ["Saisissez un numéro de téléphone valide, par exemple 06 12 34 56 78."],
            False,
        ),
        (_rows({"designation": "", "quantite": "2"}), [REQUIRED], False),
        (
            _rows(*[{"designation": "Barrière", "quantite": "1"}] * 3),
            ["Indiquez au plus 2 lignes pour « Matériel »."],
            True,
        ),
        (_rows(total=0), ["Ajoutez au moins 1 ligne à « Matériel »."], True),
    ],
    ids=["bad-row", "bad-phone-in-row", "empty-cell", "above-max-rows", "below-min-rows"],
)
def test_a_repeatable_block_refuses_bad_rows_and_a_wrong_number_of_rows_in_french(data, messages, rows_kept):
    assert _refused(BLOCK, data, rows_kept=rows_kept) == messages


def test_the_message_on_the_number_of_rows_keeps_a_percent_sign_of_the_label():
    field = dataclasses.replace(BLOCK, label="Matériel (100 % recyclé)", options={"min_rows": 2})
    assert _refused(field, _rows(total=0), rows_kept=True) == [
        "Ajoutez au moins 2 lignes à « Matériel (100 % recyclé) »."
    ]


def test_a_bad_row_keeps_the_rows_stored_before():
    before = [{"designation": "Barrière", "quantite": 4, "contact": ""}]
    form = _form(BLOCK, _rows({"designation": "Barrière", "quantite": "0"}), answers={"materiel": before})
    assert not form.is_valid()
    assert form.page_answers(partial=True)["materiel"] == before

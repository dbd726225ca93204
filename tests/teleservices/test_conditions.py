"""Conditions written by administrators (teleservices/conditions.py) and what they hide in a request: questions that
are neither checked nor kept, pages skipped, eligibility rules."""

import pytest
from django.core.exceptions import ValidationError

from teleservices.conditions import Condition, Rule
from teleservices.definition import EligibilityDef, FieldDef, FormDefinition, PageDef
from teleservices.forms import PageForm


def _if(text: str) -> dict:
    return Condition.parse(text).to_dict()


@pytest.mark.parametrize(
    ("text", "rules", "logic"),
    [
        ("statut = entreprise", [("statut", "eq", "entreprise")], "all"),
        ("statut=entreprise", [("statut", "eq", "entreprise")], "all"),
        ("statut != entreprise", [("statut", "ne", "entreprise")], "all"),
        ("statut ≠ entreprise", [("statut", "ne", "entreprise")], "all"),
        ("surface > 10", [("surface", "gt", "10")], "all"),
        ("date_debut < 01/07/2026", [("date_debut", "lt", "01/07/2026")], "all"),
        ("age parmi 3, 4, 5", [("age", "in", "3, 4, 5")], "all"),
        ("siret est rempli", [("siret", "filled", "")], "all"),
        ("statut = « Une entreprise »", [("statut", "eq", "Une entreprise")], "all"),
        ('statut = "entreprise"', [("statut", "eq", "entreprise")], "all"),
        ("  statut   =   entreprise  ", [("statut", "eq", "entreprise")], "all"),
        (
            "age parmi 3, 4, 5 et domicile = oui",
            [("age", "in", "3, 4, 5"), ("domicile", "eq", "oui")],
            "all",
        ),
        (
            "statut = entreprise ou surface > 10 ou siret est rempli",
            [("statut", "eq", "entreprise"), ("surface", "gt", "10"), ("siret", "filled", "")],
            "any",
        ),
    ],
)
def test_the_french_syntax_of_administrators_is_read_into_rules(text, rules, logic):
    condition = Condition.parse(text)
    assert condition == Condition(rules=tuple(Rule(*rule) for rule in rules), logic=logic)


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_an_empty_condition_is_no_condition(text):
    assert Condition.parse(text) is None


def test_mixing_et_and_ou_in_one_condition_is_refused_in_french():
    with pytest.raises(ValidationError) as error:
        Condition.parse("statut = entreprise et surface > 10 ou siret est rempli")
    assert error.value.messages == ["Utilisez soit « et », soit « ou » dans une même condition, pas les deux."]


UNREADABLE = (
    "« {part} » n'est pas compréhensible : écrivez un identifiant, un opérateur (=, !=, >, <, parmi, est rempli) "
    "et une valeur, par exemple « statut = entreprise »."
)


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("statut entreprise", "statut entreprise"),
        ("Statut = entreprise", "Statut = entreprise"),
        ("= entreprise", "= entreprise"),
        ("statut ~ entreprise", "statut ~ entreprise"),
        ("2statut = entreprise", "2statut = entreprise"),
        ("statut = entreprise et n'importe quoi", "n'importe quoi"),
    ],
)
def test_an_unreadable_condition_is_refused_with_the_part_that_cannot_be_read(text, part):
    with pytest.raises(ValidationError) as error:
        Condition.parse(text)
    assert error.value.messages == [UNREADABLE.format(part=part)]


@pytest.mark.parametrize("text", ["statut =", "surface >", "age parmi", "statut = « »"])
def test_a_rule_without_a_value_is_refused_in_french(text):
    with pytest.raises(ValidationError) as error:
        Condition.parse(text)
    assert error.value.messages == [f"« {text} » n'a pas de valeur à comparer."]


@pytest.mark.parametrize("text", ["statut == entreprise", "surface >= 10", "surface <= 10", "surface => 10"])
def test_an_operator_that_is_not_in_the_syntax_is_refused(text):
    # Read as "= entreprise" or "> = 10", such a rule would be accepted and then never hold.
    with pytest.raises(ValidationError) as error:
        Condition.parse(text)
    assert error.value.messages == [UNREADABLE.format(part=text)]


@pytest.mark.parametrize(
    ("text", "answers", "holds"),
    [
        ("statut = entreprise", {"statut": "entreprise"}, True),
        ("statut = Entreprise", {"statut": "entreprise"}, True),
        ("statut = entreprise", {"statut": "association"}, False),
        ("statut = entreprise", {}, False),
        ("statut != entreprise", {"statut": "association"}, True),
        ("statut != entreprise", {"statut": "entreprise"}, False),
        ("statut != entreprise", {}, True),
        ("statut est rempli", {"statut": "x"}, True),
        ("statut est rempli", {"statut": ""}, False),
        ("statut est rempli", {}, False),
        ("adresse est rempli", {"adresse": {"street": "", "postcode": "", "city": ""}}, False),
        ("adresse est rempli", {"adresse": {"street": "1 rue Haute", "postcode": "", "city": ""}}, True),
        ("services est rempli", {"services": []}, False),
        # yes/no answers are booleans, compared with oui / non
        ("allergies = oui", {"allergies": True}, True),
        ("allergies = OUI", {"allergies": True}, True),
        ("allergies = non", {"allergies": True}, False),
        ("allergies = non", {"allergies": False}, True),
        ("allergies != oui", {"allergies": False}, True),
        ("allergies != non", {"allergies": False}, False),
        ("allergies = non", {"allergies": None}, False),
        # numbers are ordered as numbers, not as text
        ("surface > 10", {"surface": "12.5"}, True),
        ("surface > 10", {"surface": "9.5"}, False),
        ("surface > 9", {"surface": "10"}, True),
        ("surface > 10", {"surface": "10"}, False),
        ("surface < 10,5", {"surface": "10.2"}, True),
        ("nombre < 3", {"nombre": 2}, True),
        ("nombre < 3", {"nombre": 3}, False),
        ("nombre > 2", {"nombre": None}, False),
        ("nombre > 2", {"nombre": "beaucoup"}, False),
        # dates are ordered as dates, written ISO or dd/mm/yyyy
        ("debut > 2026-06-30", {"debut": "2026-07-01"}, True),
        ("debut > 30/06/2026", {"debut": "2026-07-01"}, True),
        ("debut < 01/07/2026", {"debut": "2026-07-01"}, False),
        ("debut < 02/01/2027", {"debut": "2026-12-31"}, True),
        ("debut > 10", {"debut": "2026-07-01"}, False),
        # multiple choices are lists: one chosen option is enough for =, none may match for !=
        ("services = cantine", {"services": ["matin", "cantine"]}, True),
        ("services = cantine", {"services": ["matin"]}, False),
        ("services != cantine", {"services": ["matin", "cantine"]}, False),
        ("services != cantine", {"services": ["matin"]}, True),
        ("services parmi cantine, soir", {"services": ["matin", "soir"]}, True),
        ("services parmi cantine, soir", {"services": ["matin"]}, False),
        ("niveau parmi CP, CE1", {"niveau": "CE1"}, True),
        ("niveau parmi CP,CE1", {"niveau": "ce1"}, True),
        ("niveau parmi CP, CE1", {"niveau": "CM2"}, False),
        ("age parmi 3, 4, 5", {"age": 4}, True),
        # household members are compared by their identifier
        ("enfant = 12", {"enfant": [{"id": 12, "name": "Léa Martin", "birth_date": "2017-06-08"}]}, True),
        # et / ou
        ("statut = entreprise et surface > 10", {"statut": "entreprise", "surface": "50"}, True),
        ("statut = entreprise et surface > 10", {"statut": "entreprise", "surface": "5"}, False),
        ("statut = entreprise ou surface > 10", {"statut": "particulier", "surface": "50"}, True),
        ("statut = entreprise ou surface > 10", {"statut": "particulier", "surface": "5"}, False),
    ],
)
def test_a_condition_holds_on_answers_as_an_administrator_expects(text, answers, holds):
    assert Condition.parse(text).holds(answers) is holds


@pytest.mark.parametrize(
    ("text", "answers"),
    [
        ("surface = 12,5", {"surface": "12.5"}),  # decimals are stored with a point
        ("surface = 12.5", {"surface": "12.50"}),
        ("debut = 01/07/2026", {"debut": "2026-07-01"}),  # dates are stored ISO
    ],
)
def test_numbers_and_dates_are_equal_as_numbers_and_dates(text, answers):
    assert Condition.parse(text).holds(answers) is True


@pytest.mark.parametrize("answer", ["nan", "NaN", "sNaN"])
def test_an_answer_that_only_looks_like_a_number_never_matches_an_order(answer):
    assert Condition.parse("code > 10").holds({"code": answer}) is False
    assert Condition.parse("code < 10").holds({"code": answer}) is False


@pytest.mark.parametrize(
    "text",
    [
        "statut = entreprise",
        "statut != entreprise",
        "surface > 10",
        "debut < 01/07/2026",
        "age parmi 3, 4, 5 et siret est rempli et surface != 0",
        "statut = entreprise ou surface > 10",
    ],
)
def test_a_condition_reads_back_as_it_was_written(text):
    condition = Condition.parse(text)
    assert condition.to_text() == text
    assert Condition.parse(condition.to_text()) == condition
    assert Condition.from_dict(condition.to_dict()) == condition


def test_other_spellings_read_back_in_the_usual_syntax():
    assert Condition.parse("statut ≠ « entreprise »  ou  siret est rempli").to_text() == (
        "statut != entreprise ou siret est rempli"
    )


@pytest.mark.parametrize("data", [None, {}, {"logic": "all", "rules": []}])
def test_a_stored_condition_without_rules_is_no_condition(data):
    assert Condition.from_dict(data) is None


def test_a_condition_knows_the_questions_it_looks_at():
    assert Condition.parse("age parmi 3, 4 et domicile = oui et age != 5").fields == {"age", "domicile"}


ALLERGIES = FieldDef("boolean", "Votre enfant a-t-il une allergie ?", key="allergies")
DETAIL = FieldDef("textarea", "Précisez l'allergie", key="detail", condition=_if("allergies = oui"))
PROOF = FieldDef(
    "file", "Certificat médical", key="certificat", options={"file_types": ["pdf"]}, condition=_if("allergies = oui")
)
PLACE = FieldDef("address", "Adresse de l'accueil", key="accueil", condition=_if("allergies = oui"))
PAGE = PageDef(title="Santé", fields=(ALLERGIES, DETAIL, PROOF, PLACE))


def test_a_required_question_hidden_by_its_condition_is_not_checked():
    form = PageForm({"allergies": "no"}, page=PAGE, answers={}, household=None)
    assert form.is_valid(), form.errors
    assert form.page_answers() == {"allergies": False}


def test_a_required_question_shown_by_its_condition_is_checked():
    form = PageForm({"allergies": "yes"}, page=PAGE, answers={}, household=None)
    assert not form.is_valid()
    assert form.errors == {
        "detail": ["Ce champ est obligatoire."],
        "certificat": ["Ajoutez un fichier."],
        "accueil__street": ["Ce champ est obligatoire."],
        "accueil__postcode": ["Ce champ est obligatoire."],
        "accueil__city": ["Ce champ est obligatoire."],
    }
    assert form.page_answers(partial=True) == {"allergies": True}


def test_the_answer_of_a_hidden_question_is_dropped_even_when_given():
    data = {"allergies": "no", "detail": "Arachide", "accueil__postcode": "456"}
    form = PageForm(data, page=PAGE, answers={}, household=None)
    assert form.is_valid(), form.errors
    assert form.page_answers() == {"allergies": False}
    assert form.page_answers(partial=True) == {"allergies": False}


def test_an_answer_kept_from_before_is_dropped_once_its_question_is_hidden():
    before = {"allergies": True, "detail": "Arachide"}
    form = PageForm({"allergies": "no"}, page=PAGE, answers=before, household=None)
    assert form.is_valid()
    assert form.page_answers() == {"allergies": False}


def test_a_condition_may_look_at_an_answer_of_an_earlier_page():
    siret = FieldDef("siret", "SIRET", key="siret", condition=_if("statut = entreprise"))
    page = PageDef(title="Entreprise", fields=(FieldDef("text", "Nom", key="nom"), siret))
    hidden = PageForm({"nom": "Martin"}, page=page, answers={"statut": "particulier"}, household=None)
    assert hidden.is_valid()
    assert hidden.page_answers() == {"statut": "particulier", "nom": "Martin"}
    shown = PageForm({"nom": "Martin", "siret": "1"}, page=page, answers={"statut": "entreprise"}, household=None)
    assert not shown.is_valid()
    assert shown.errors == {"siret": ["Saisissez un numéro SIRET valide de 14 chiffres."]}


def test_a_hidden_repeatable_block_is_not_checked():
    block = FieldDef(
        "block",
        "Matériel",
        key="materiel",
        condition=_if("statut = entreprise"),
        children=(FieldDef("text", "Désignation", key="designation"),),
    )
    page = PageDef(title="P", fields=(FieldDef("text", "Statut", key="statut"), block))
    form = PageForm({"statut": "particulier"}, page=page, answers={"materiel": [{"designation": "x"}]}, household=None)
    assert form.is_valid()
    assert form.page_answers() == {"statut": "particulier"}


DEFINITION = FormDefinition(
    pages=(
        PageDef(
            title="Êtes-vous concerné ?",
            fields=(
                FieldDef("boolean", "Habitez-vous la commune ?", key="domicile"),
                FieldDef("boolean", "Votre enfant a-t-il entre 3 et 11 ans ?", key="age"),
                FieldDef("choice", "Vous êtes", key="statut", required=False, options={"choices": "famille\ntuteur"}),
            ),
        ),
        PageDef(
            title="Le tuteur",
            condition=_if("statut = tuteur"),
            fields=(FieldDef("file", "Jugement de tutelle", key="jugement", options={"file_types": ["pdf"]}),),
        ),
        PageDef(title="Santé", fields=(ALLERGIES, DETAIL)),
        PageDef(
            title="Services",
            fields=(
                FieldDef("info", "La cantine est payante."),
                FieldDef("multiple", "Services", key="services", required=False, options={"choices": "matin\ncantine"}),
                FieldDef("textarea", "Menu", key="menu", condition=_if("services = cantine")),
            ),
        ),
    ),
    eligibility=(
        EligibilityDef(condition=_if("domicile = non"), message="Réservé aux habitants de la commune."),
        EligibilityDef(condition=_if("age = non"), message="Les écoles accueillent les enfants de 3 à 11 ans."),
    ),
)
JUGEMENT = {"id": "3f2c", "name": "jugement.pdf", "size": 1234, "type": "application/pdf"}


def test_shown_answers_drop_the_answers_of_hidden_pages_and_questions():
    answers = {
        "domicile": True,
        "age": True,
        "statut": "famille",
        "jugement": JUGEMENT,
        "allergies": False,
        "detail": "Arachide",
        "services": ["matin"],
        "menu": "Sans porc",
        "inconnue": "x",
    }
    assert DEFINITION.shown_answers(answers) == {
        "domicile": True,
        "age": True,
        "statut": "famille",
        "allergies": False,
        "services": ["matin"],
    }
    assert DEFINITION.shown_pages(answers) == [0, 2, 3]


def test_shown_answers_keep_the_answers_of_shown_pages_and_questions():
    answers = {"domicile": True, "statut": "tuteur", "jugement": JUGEMENT, "allergies": True, "detail": "Arachide"}
    assert DEFINITION.shown_answers(answers) == answers
    assert DEFINITION.shown_pages(answers) == [0, 1, 2, 3]


@pytest.mark.parametrize(
    ("answers", "missing"),
    [
        ({}, ["domicile", "age", "allergies"]),
        ({"domicile": True, "age": True, "allergies": False}, []),
        ({"domicile": True, "age": True, "allergies": True}, ["detail"]),
        ({"domicile": True, "age": True, "allergies": True, "detail": ""}, ["detail"]),
        ({"domicile": True, "age": True, "statut": "tuteur", "allergies": False}, ["jugement"]),
        ({"domicile": True, "age": True, "allergies": False, "services": ["cantine"]}, ["menu"]),
        ({"domicile": False, "age": True, "allergies": False, "detail": "x", "menu": "x"}, []),
    ],
)
def test_missing_lists_the_required_questions_shown_and_not_answered(answers, missing):
    assert [f.key for f in DEFINITION.missing(answers)] == missing


@pytest.mark.parametrize(
    ("answers", "messages"),
    [
        ({"domicile": True, "age": True}, []),
        ({"domicile": False, "age": True}, ["Réservé aux habitants de la commune."]),
        (
            {"domicile": False, "age": False},
            ["Réservé aux habitants de la commune.", "Les écoles accueillent les enfants de 3 à 11 ans."],
        ),
        ({}, []),
    ],
)
def test_ineligibility_gives_the_messages_of_the_broken_rules(answers, messages):
    assert DEFINITION.ineligibility(answers) == messages


def test_eligibility_is_answered_once_every_question_it_looks_at_is():
    assert not DEFINITION.eligibility_answered({"domicile": True})
    assert DEFINITION.eligibility_answered({"domicile": True, "age": False})
